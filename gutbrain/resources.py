"""Import and export of the knowledge base in the admin (django-import-export).

Files name objects by their natural keys, never by database ids, so a curator can edit
them in a spreadsheet and load them into another installation: nutrients, indications,
topics and medicine classes by slug, medicines by ATC code, references by number (lists
of references as comma-separated numbers), forms by (nutrient, slug), interactions by
(nutrient, target, medicine class). Evidence summaries and their outcomes have no natural
key and keep their id.

Every row goes through the model's `full_clean()`. A row that names an unknown object or
breaks a rule of the model is a row error; the admin imports nothing from a file with
any row error (see `KnowledgeAdmin` in `gutbrain.admin`).
"""

import decimal
from collections.abc import Iterable

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.utils.translation import gettext
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import ModelInstanceLoader
from import_export.widgets import CharWidget, ForeignKeyWidget, ManyToManyWidget

from gutbrain.models import (
    NONE_KNOWN_NEEDS_REFERENCE,
    EvidenceOutcome,
    EvidenceSummary,
    FoodSource,
    Indication,
    IndicationSupport,
    Interaction,
    Medicine,
    MedicineClass,
    Nutrient,
    NutrientForm,
    PathwayStep,
    Reference,
    Topic,
)

# The length of simple-history's change reason column.
CHANGE_REASON_MAX_LENGTH = 100


class LookupWidget(ForeignKeyWidget):
    """A foreign key written as the related object's natural key (a slug, a number).

    An unknown key is reported on the row's field, naming the key, instead of failing
    the row with a traceback.
    """

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(
                gettext("There is no %(model)s with %(field)s “%(value)s”.")
                % {
                    "model": self.model._meta.verbose_name,
                    "field": self._field_label(),
                    "value": value,
                }
            ) from None

    def _field_label(self) -> str:
        if self.field == "pk":
            return "id"
        return str(self.model._meta.get_field(self.field).verbose_name)


class ReferenceNumbersWidget(ManyToManyWidget):
    """References as the source's numbers, comma-separated ("12, 14").

    Unknown numbers are an error: silently dropping a reference would lose the source
    of a clinical statement.
    """

    def __init__(self, **kwargs):
        super().__init__(Reference, separator=",", field="number", **kwargs)

    def clean(self, value, row=None, **kwargs):
        numbers = _reference_numbers(value)
        if not numbers:
            return Reference.objects.none()
        references = Reference.objects.filter(number__in=numbers)
        missing = sorted(set(numbers) - {ref.number for ref in references})
        if missing:
            raise ValueError(
                gettext("Unknown reference numbers: %(numbers)s. Add the references first.")
                % {"numbers": ", ".join(str(n) for n in missing)}
            )
        return references

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(str(n) for n in sorted(ref.number for ref in value.all()))


def _reference_numbers(value) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, int | float):
        parts = [value]
    else:
        parts = [p.strip() for p in str(value).replace(";", ",").split(",") if p.strip()]
    numbers = []
    for part in parts:
        try:
            number = float(part)
        except ValueError:
            number = None
        if number is None or number != int(number) or number < 1:
            raise ValueError(gettext("“%(value)s” is not a reference number.") % {"value": part})
        numbers.append(int(number))
    return numbers


class AtcCodeWidget(CharWidget):
    """ATC codes are upper case; accept "n05ba04 " from a spreadsheet as N05BA04."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs).strip().upper()


class NaturalKeyInstanceLoader(ModelInstanceLoader):
    """Finds the row's existing object by its natural key.

    A key that names an unknown related object (an interaction of a nutrient that does
    not exist) finds nothing; the row is then reported with the lookup error on its
    field by `import_instance`.
    """

    def get_instance(self, row):
        try:
            return super().get_instance(row)
        except ValueError:
            return None


def references_field() -> Field:
    return Field(attribute="references", column_name="references", widget=ReferenceNumbersWidget())


def lookup_field(name: str, model: type[Model], key: str) -> Field:
    return Field(attribute=name, column_name=name, widget=LookupWidget(model, key))


class KnowledgeResource(resources.ModelResource):
    """What every knowledge-base resource shares: full validation, unchanged rows
    skipped (so re-importing an export adds no history), and the import recorded in
    the history with the curator and the file name."""

    # Text fields are read like char fields: an empty spreadsheet cell is "", not None.
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "TextField": CharWidget}

    # The related rows an export reads, fetched with the rows rather than one by one.
    export_select_related: tuple[str, ...] = ()
    export_prefetch_related: tuple[str, ...] = ()

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        instance_loader_class = NaturalKeyInstanceLoader

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.export_select_related).prefetch_related(
            *self.export_prefetch_related
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A word in a number column: a row error naming the value, not a Python class.
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except decimal.InvalidOperation as exc:
            raise ValueError(
                gettext("“%(value)s” is not a number.") % {"value": row.get(field.column_name)}
            ) from exc

    def import_instance(self, instance, row, **kwargs):
        # The library sets many-to-many fields only after saving; check them here so
        # that an unknown reference number is a row error like any other.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user
        reason = gettext("Imported from %(file)s") % {"file": kwargs.get("file_name") or "-"}
        instance._change_reason = reason[:CHANGE_REASON_MAX_LENGTH]


class ReferenceResource(KnowledgeResource):
    class Meta:
        model = Reference
        fields = ("number", "citation", "url")
        import_id_fields = ("number",)


class NutrientResource(KnowledgeResource):
    references = references_field()

    export_prefetch_related = ("references",)

    class Meta:
        model = Nutrient
        fields = (
            "slug",
            "name_nl",
            "name_en",
            "kind",
            "figure_number",
            "description_nl",
            "description_en",
            "mechanisms_nl",
            "mechanisms_en",
            "usual_dose_amount",
            "usual_dose_unit",
            "usual_dose_nl",
            "usual_dose_en",
            "dose_basis",
            "references",
            "is_published",
        )
        import_id_fields = ("slug",)


class NutrientFormResource(KnowledgeResource):
    nutrient = lookup_field("nutrient", Nutrient, "slug")
    references = references_field()

    export_select_related = ("nutrient",)
    export_prefetch_related = ("references",)

    class Meta:
        model = NutrientForm
        fields = (
            "nutrient",
            "slug",
            "name_nl",
            "name_en",
            "application_nl",
            "application_en",
            "source_location",
            "references",
            "order",
        )
        import_id_fields = ("nutrient", "slug")


class FoodSourceResource(KnowledgeResource):
    nutrient = lookup_field("nutrient", Nutrient, "slug")
    references = references_field()

    export_select_related = ("nutrient",)
    export_prefetch_related = ("references",)

    class Meta:
        model = FoodSource
        fields = ("nutrient", "name_nl", "name_en", "order", "references")
        import_id_fields = ("nutrient", "name_nl")


class IndicationResource(KnowledgeResource):
    class Meta:
        model = Indication
        fields = (
            "slug",
            "name_nl",
            "name_en",
            "category",
            "figure_stage",
            "description_nl",
            "description_en",
            "order",
        )
        import_id_fields = ("slug",)


class IndicationSupportResource(KnowledgeResource):
    indication = lookup_field("indication", Indication, "slug")
    nutrient = lookup_field("nutrient", Nutrient, "slug")
    references = references_field()

    export_select_related = ("indication", "nutrient")
    export_prefetch_related = ("references",)

    class Meta:
        model = IndicationSupport
        fields = (
            "indication",
            "nutrient",
            "note_nl",
            "note_en",
            "source_location",
            "references",
        )
        import_id_fields = ("indication", "nutrient")


class MedicineClassResource(KnowledgeResource):
    parent = lookup_field("parent", MedicineClass, "slug")

    class Meta:
        model = MedicineClass
        fields = (
            "slug",
            "name_nl",
            "name_en",
            "atc_prefixes",
            "editor_prefixes",
            "editor_note_nl",
            "editor_note_en",
            "parent",
            "description_nl",
            "description_en",
        )
        import_id_fields = ("slug",)

    def filter_export(self, queryset, **kwargs):
        # Rows are imported in order and a class names its parent by slug: broader
        # classes come first so the file loads into an empty knowledge base.
        return parents_first(queryset.select_related("parent"))


def parents_first(classes: Iterable[MedicineClass]) -> list[MedicineClass]:
    """The classes ordered so that every class comes after the class it is part of."""
    classes = list(classes)
    parent_of = {c.pk: c.parent_id for c in classes}

    def depth(pk: int) -> int:
        seen = {pk}
        while parent_of.get(pk) in parent_of and parent_of[pk] not in seen:
            pk = parent_of[pk]
            seen.add(pk)
        return len(seen) - 1

    return sorted(classes, key=lambda c: depth(c.pk))


class MedicineResource(KnowledgeResource):
    atc_code = Field(attribute="atc_code", column_name="atc_code", widget=AtcCodeWidget())

    class Meta:
        model = Medicine
        fields = ("atc_code", "name")
        import_id_fields = ("atc_code",)


class InteractionResource(KnowledgeResource):
    nutrient = lookup_field("nutrient", Nutrient, "slug")
    medicine_class = lookup_field("medicine_class", MedicineClass, "slug")
    references = references_field()

    export_select_related = ("nutrient", "medicine_class")
    export_prefetch_related = ("references",)

    class Meta:
        model = Interaction
        fields = (
            "nutrient",
            "target",
            "medicine_class",
            "level",
            "advice_nl",
            "advice_en",
            "client_advice_nl",
            "client_advice_en",
            "evidence_level",
            "source_location",
            "references",
        )
        import_id_fields = ("nutrient", "target", "medicine_class")

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "references" not in errors and instance.needs_reference():
            references = self.fields["references"].clean(row) if "references" in row else None
            if not references:
                errors["references"] = ValidationError(NONE_KNOWN_NEEDS_REFERENCE, code="required")
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Called only for rows added or changed (unchanged rows are skipped before it), so a
        # row from before the client texts can be exported and imported again as it is.
        errors = {**instance.missing_client_advice(), **(import_validation_errors or {})}
        super().validate_instance(instance, errors, validate_unique)


class EvidenceSummaryResource(KnowledgeResource):
    nutrient = lookup_field("nutrient", Nutrient, "slug")
    indication = lookup_field("indication", Indication, "slug")
    references = references_field()

    export_select_related = ("nutrient", "indication")
    export_prefetch_related = ("references",)

    class Meta:
        model = EvidenceSummary
        fields = (
            "id",
            "nutrient",
            "indication",
            "title_nl",
            "title_en",
            "design",
            "population_nl",
            "population_en",
            "participants",
            "dose_amount",
            "dose_unit",
            "dose_nl",
            "dose_en",
            "duration_days",
            "comparator_nl",
            "comparator_en",
            "summary_nl",
            "summary_en",
            "certainty",
            "source_location",
            "references",
            "order",
        )
        import_id_fields = ("id",)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # A summary must cite the source (the model's field is required), which
        # full_clean() does not check for a many-to-many field. Unknown numbers are
        # already in `errors`.
        if "references" not in errors:
            if "references" in row:
                missing = not _reference_numbers(row["references"])
            else:
                missing = instance.pk is None
            if missing:
                errors["references"] = ValidationError(
                    gettext("Give at least one reference number."), code="required"
                )
        if errors:
            raise ValidationError(errors)


class EvidenceOutcomeResource(KnowledgeResource):
    summary = lookup_field("summary", EvidenceSummary, "pk")

    class Meta:
        model = EvidenceOutcome
        fields = (
            "id",
            "summary",
            "measure_nl",
            "measure_en",
            "intervention_change",
            "comparator_change",
            "unit",
            "result_nl",
            "result_en",
            "order",
        )
        import_id_fields = ("id",)


class TopicResource(KnowledgeResource):
    references = references_field()

    export_prefetch_related = ("references",)

    class Meta:
        model = Topic
        fields = (
            "slug",
            "title_nl",
            "title_en",
            "body_nl",
            "body_en",
            "order",
            "references",
            "is_published",
        )
        import_id_fields = ("slug",)


class PathwayStepResource(KnowledgeResource):
    topic = lookup_field("topic", Topic, "slug")

    export_select_related = ("topic",)

    class Meta:
        model = PathwayStep
        fields = (
            "topic",
            "order",
            "substance_nl",
            "substance_en",
            "conversion_nl",
            "conversion_en",
        )
        import_id_fields = ("topic", "order")
