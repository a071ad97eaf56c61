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

Exported text never becomes a formula in a spreadsheet program: a text cell that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return, or with `'` itself, gets one `'` in
front, in every format (CSV, XLSX, JSON alike). Importing removes one leading `'` from
every text cell, so an exported file imports as it was: a value that really starts with
`'` was exported as `''…` and comes back with its one `'`. Numbers are never escaped
(`-2.5` is no formula); empty cells stay empty.

Uploads are bounded before anything parses them (`BoundedImportForm`), and the copy the
library keeps between the preview and the confirm step lives in a folder of its own
(`ImportTempStorage`), removed as soon as there is nothing to confirm.
"""

import csv
import decimal
import io
import itertools
import json
import tempfile
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext
from import_export import resources
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.instance_loaders import ModelInstanceLoader
from import_export.tmp_storages import TempFolderStorage
from import_export.widgets import CharWidget, ForeignKeyWidget, ManyToManyWidget, NumberWidget

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

# What a spreadsheet program reads as the start of a formula (or of a DDE command), and the
# mark that makes a cell plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def escape_formula(value):
    """`value` as a cell a spreadsheet shows as text: `'` in front of text that starts
    like a formula, or with `'` (so that `unescape_formula` gives it back exactly)."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, TEXT_MARK)):
        return TEXT_MARK + value
    return value


def unescape_formula(value):
    """The value `escape_formula` was given: one leading `'` removed from text."""
    if isinstance(value, str) and value.startswith(TEXT_MARK):
        return value[1:]
    return value


def is_text(field: Field) -> bool:
    """Whether the column holds text, escaped on export: numbers are never formulas."""
    return not isinstance(field.widget, NumberWidget)


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


class ChoiceLabelDiff(resources.Diff):
    """The import preview shows a choice by its label in the page's language ("afgeraden",
    "zwangerschap"), not by the value stored and written in the file ("avoid")."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = self._labels(resource, instance)

    def compare_with(self, resource, instance):
        self.right = self._labels(resource, instance)

    @staticmethod
    def _labels(resource, instance) -> list:
        values = []
        for field in resource.get_import_fields():
            label = getattr(instance, f"get_{field.attribute}_display", None)
            if label is not None and getattr(instance, field.attribute, None):
                values.append(str(label()))
            else:
                values.append(field.export(instance))
        return values


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

    def get_diff_class(self):
        return ChoiceLabelDiff

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.export_select_related).prefetch_related(
            *self.export_prefetch_related
        )

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return escape_formula(value) if is_text(field) else value

    def before_import_row(self, row, **kwargs):
        # The exact reverse of export_field, before any widget or lookup reads the row.
        super().before_import_row(row, **kwargs)
        for field in self.get_import_fields():
            if is_text(field) and field.column_name in row:
                row[field.column_name] = unescape_formula(row[field.column_name])

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


# Uploads -------------------------------------------------------------------------------

# A whole export of the knowledge base is about 25 kB as CSV and its largest table a few
# hundred rows; an XLSX of text unpacks to about five times its size. The limits leave
# room for a knowledge base many times larger and keep what one upload makes the server
# read, unpack and hold (the library parses the whole file into memory) bounded.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024


def import_file_problem(upload: UploadedFile, file_format: type[base_formats.Format]) -> str:
    """Why `upload` is refused before it is parsed, or "" when it may be read.

    A file that cannot be read at all is left to the library, which says so."""
    if upload.size > MAX_IMPORT_BYTES:
        return gettext(
            "This file is %(size)s; files of at most %(limit)s are imported. Split it, "
            "or import the tables one by one."
        ) % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMPORT_BYTES)}
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if issubclass(file_format, base_formats.XLSX):
        unpacked = _xlsx_unpacked_bytes(content)
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            return gettext(
                "This spreadsheet unpacks to more than %(limit)s, which is not read. Save "
                "it again from the spreadsheet program, or import it as CSV."
            ) % {"limit": filesizeformat(MAX_XLSX_UNPACKED_BYTES)}
        rows = _xlsx_rows(content) if unpacked else None
    elif issubclass(file_format, base_formats.CSV):
        rows = _csv_rows(content)
    elif issubclass(file_format, base_formats.JSON):
        rows = _json_rows(content)
    else:
        rows = None
    if rows is not None and rows > MAX_IMPORT_ROWS:
        return gettext(
            "This file has more than %(limit)s rows; import at most %(limit)s at a time."
        ) % {"limit": number_format(MAX_IMPORT_ROWS, force_grouping=True)}
    return ""


def _xlsx_unpacked_bytes(content: bytes) -> int:
    """What the zip's members unpack to, by their headers (0: not a zip). Python's
    zipfile, which openpyxl reads with, never unpacks a member beyond its stated size."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return 0


def _xlsx_rows(content: bytes) -> int | None:
    """Data rows of the first sheet, as the import reads it, counted up to one past the
    limit without holding them."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            rows = itertools.islice(book.active.iter_rows(values_only=True), MAX_IMPORT_ROWS + 2)
            return max(sum(1 for _ in rows) - 1, 0)
        finally:
            book.close()
    except Exception:  # whatever makes it unreadable, the library reports
        return None


def _csv_rows(content: bytes) -> int | None:
    try:
        text = content.decode("utf-8-sig")  # as the admin reads it (`from_encoding`)
    except UnicodeDecodeError:
        return None
    try:
        records = itertools.islice(csv.reader(io.StringIO(text)), MAX_IMPORT_ROWS + 2)
        return max(sum(1 for _ in records) - 1, 0)
    except csv.Error:
        return None


def _json_rows(content: bytes) -> int | None:
    try:
        rows = json.loads(content)
    except (ValueError, RecursionError):
        return None
    return len(rows) if isinstance(rows, list) else None


class BoundedImportForm(ImportForm):
    """The admin's import form: a file over the limits (`import_file_problem`) is an
    error on the file, before anything parses it or keeps a copy of it."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, index = cleaned.get("import_file"), cleaned.get("format")
        if upload is not None and index not in (None, ""):
            problem = import_file_problem(upload, self.formats[int(index)])
            if problem:
                self.add_error("import_file", problem)
        return cleaned


class ImportTempStorage(TempFolderStorage):
    """Where the library keeps the uploaded file from the preview to the confirm step:
    a folder of its own in the system's temporary folder, so that removing a copy (by the
    name the confirm form sends back) and sweeping forgotten ones can touch nothing else.

    `KnowledgeAdmin` removes the copy when the preview offers nothing to confirm, and
    after the confirm step whatever its outcome; a preview never confirmed is swept after
    `KEEP_SECONDS`.
    """

    KEEP_SECONDS = 60 * 60  # a preview is confirmed within minutes, not hours

    @staticmethod
    def folder() -> Path:
        return Path(tempfile.gettempdir()) / "gutbrain-import"

    def get_full_path(self) -> str:
        # Only ever a file directly in the folder, whatever name the form sent back.
        return str(self.folder() / Path(self.name or "").name)

    def exists(self) -> bool:
        return bool(Path(self.name or "").name) and Path(self.get_full_path()).is_file()

    def remove(self) -> None:
        if self.exists():
            Path(self.get_full_path()).unlink(missing_ok=True)

    def _open(self, mode="r"):
        if self.name:
            return open(self.get_full_path(), mode, encoding=self.encoding)
        self.folder().mkdir(mode=0o700, parents=True, exist_ok=True)
        file = tempfile.NamedTemporaryFile(dir=self.folder(), delete=False)  # noqa: SIM115
        self.name = Path(file.name).name
        return file

    @classmethod
    def remove_stale(cls) -> None:
        """Remove the copies of previews nobody confirmed."""
        folder = cls.folder()
        if not folder.is_dir():
            return
        cutoff = time.time() - cls.KEEP_SECONDS
        for path in folder.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
