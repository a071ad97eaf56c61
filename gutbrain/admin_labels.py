"""Labels in the active language for the fields the models leave unnamed.

Django names such a field (a relation, mostly) after itself, in English ("medicine class"),
and shows that word untranslated on Dutch pages too. The admin translates it where it shows
it: form labels, editable or read only, through the mixins below; the change list's column
headers and filter titles in `templates/admin/`. The words are listed here so that the
catalogue keeps them. Naming the fields on the models would do the same in one place, at
the cost of a migration of every model concerned.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from import_export.forms import SelectableFieldsExportForm

FIELD_NAMES = (
    gettext_noop("acknowledged by"),
    gettext_noop("client"),
    gettext_noop("complaints"),
    gettext_noop("consult"),
    gettext_noop("form"),
    gettext_noop("indication"),
    gettext_noop("issued by"),
    gettext_noop("medicine"),
    gettext_noop("medicine class"),
    gettext_noop("nutrient"),
    gettext_noop("nutrients"),
    gettext_noop("owner"),
    gettext_noop("practice"),
    gettext_noop("practitioner"),
    gettext_noop("protocol"),
    gettext_noop("references"),
    gettext_noop("summary"),
    gettext_noop("template"),
    gettext_noop("topic"),
    gettext_noop("user"),
)


def field_label(field: Field) -> str:
    """The field's name in the active language, capitalised as a label. A field's own name
    is a lazy translation; the name Django makes up is a plain (English) string."""
    name = field.verbose_name
    return capfirst(gettext(name) if isinstance(name, str) else name)


def field_labels(model: type[Model]) -> dict[str, str]:
    """A label for each field of `model` that has no name of its own."""
    return {
        field.name: field_label(field)
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False) and isinstance(field.verbose_name, str)
    }


class TranslatedFieldNames:
    """For a ModelAdmin: its forms (the change form, simple-history's revert form) label
    the unnamed fields in the active language."""

    def get_form(self, request: HttpRequest, obj: Model | None = None, **kwargs):
        kwargs["labels"] = {**field_labels(self.model), **(kwargs.get("labels") or {})}
        return super().get_form(request, obj, **kwargs)


class TranslatedInlineFieldNames:
    """For an inline: its rows label the unnamed fields in the active language."""

    def get_formset(self, request: HttpRequest, obj: Model | None = None, **kwargs):
        kwargs["labels"] = {**field_labels(self.model), **(kwargs.get("labels") or {})}
        return super().get_formset(request, obj, **kwargs)


class ExportForm(SelectableFieldsExportForm):
    """The export page's checkbox per column: the field's name in words, then the column
    as the file heads it ("Advies (Nederlands) (advice_nl)"); the library shows the column
    name in English title case ("Advice Nl")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        column = field.column_name if field else field_name
        try:
            model_field = resource._meta.model._meta.get_field(
                (field.attribute if field else None) or field_name
            )
        except FieldDoesNotExist:
            return column
        return f"{field_label(model_field)} ({column})"
