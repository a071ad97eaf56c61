"""Serializer fields of the API: texts in the request's language, strict JSON input, levels."""

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gutbrain.models import STORED_LEVELS, Level


@extend_schema_field(OpenApiTypes.STR)
class TranslatedField(serializers.Field):
    """The text of a bilingual field in the request's language (`obj.tr(field)`).

    `name = TranslatedField()` gives `obj.tr("name")`; `field=` names another text and
    `source=` another object (`TranslatedField(field="name", source="indication")`).
    """

    def __init__(self, *, field: str | None = None, **kwargs) -> None:
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        kwargs.setdefault(
            "help_text", _("In the request's language (Accept-Language; Dutch by default).")
        )
        self.text_field = field
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: serializers.BaseSerializer) -> None:
        super().bind(field_name, parent)
        self.text_field = self.text_field or field_name

    def to_representation(self, value) -> str:
        return value.tr(self.text_field)


class StrictBooleanField(serializers.BooleanField):
    """A JSON `true` or `false`, nothing else.

    DRF's BooleanField also takes "yes", 1 and "true"; for clinical flags such as
    pregnancy a client that sends anything but a boolean has a bug we should report.
    """

    default_error_messages = {"invalid": _("Must be true or false (a JSON boolean).")}

    def to_internal_value(self, data) -> bool:
        if isinstance(data, bool):
            return data
        self.fail("invalid")


class StrictSlugRelatedField(serializers.SlugRelatedField):
    """DRF's `SlugRelatedField` that refuses a null character before looking the slug up,
    as DRF's `CharField` does: PostgreSQL cannot compare text holding one (a DataError,
    so a 500 rather than a 400)."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "null_characters": ProhibitNullCharactersValidator.message,
    }

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("null_characters")
        return super().to_internal_value(data)


class StringListField(serializers.ListField):
    """A list of strings, stripped. Errors are one flat message on the field itself,
    never keyed by position, so every 400 keeps DRF's `{"field": ["message"]}` shape."""

    default_error_messages = {"not_strings": _("Every item must be a string.")}

    def __init__(self, **kwargs) -> None:
        kwargs["child"] = serializers.CharField(allow_blank=True)
        super().__init__(**kwargs)

    def run_child_validation(self, data) -> list[str]:
        if not all(isinstance(item, str) for item in data):
            self.fail("not_strings")
        return [item.strip() for item in data]


class LevelField(serializers.ChoiceField):
    """A level of the interaction check, most serious first.

    The OpenAPI schema documents it once, as the `component_name` enum component
    (see `gutbrain.api.schema`), so clients generate one enum for every place it occurs.
    """

    component_name = "LevelEnum"
    levels: tuple[Level, ...] = tuple(Level)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(choices=[(level.value, level.label) for level in self.levels], **kwargs)


class StoredLevelField(LevelField):
    """A level an interaction row of the table can hold (no `no_data`, no `clear`)."""

    component_name = "StoredLevelEnum"
    levels = tuple(STORED_LEVELS)
