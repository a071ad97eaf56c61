"""The curators' admin for the knowledge base.

Every model has history (django-simple-history) and import/export in CSV, XLSX and JSON
(django-import-export, resources in `gutbrain.resources`). Dutch and English texts are
grouped in fieldsets; Dutch is the source's own wording.
"""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, F, Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from simple_history.admin import SimpleHistoryAdmin

from gutbrain import admin_deletion, resources
from gutbrain.admin_labels import ExportForm, TranslatedFieldNames, TranslatedInlineFieldNames
from gutbrain.interactions.table import load_medicine_classes
from gutbrain.models import (
    NONE_KNOWN_NEEDS_REFERENCE,
    EvidenceOutcome,
    EvidenceSummary,
    FoodSource,
    Indication,
    IndicationSupport,
    Interaction,
    Level,
    Medicine,
    MedicineClass,
    Nutrient,
    NutrientForm,
    PathwayStep,
    Reference,
    Topic,
)

DUTCH = _("Dutch (the source's wording)")
ENGLISH = _("English")
SOURCES = _("Sources")


class KnowledgeAdmin(TranslatedFieldNames, ImportExportMixin, SimpleHistoryAdmin):
    """History and import/export, for every model of the knowledge base."""

    formats = [CSV, XLSX, JSON]
    export_form_class = ExportForm
    import_form_class = resources.BoundedImportForm
    tmp_storage_class = resources.ImportTempStorage

    def _import_page(self) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_import")

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        # The library keeps a copy of every upload for the confirm step, also of a file it
        # refused or could not read. Keep it only when there is something to confirm.
        resources.ImportTempStorage.remove_stale()
        try:
            response = super().import_action(request, **kwargs)
        except BaseException:
            self._remove_kept_upload(request)
            raise
        if "confirm_form" not in (getattr(response, "context_data", None) or {}):
            self._remove_kept_upload(request)
        return response

    def _remove_kept_upload(self, request: HttpRequest) -> None:
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name:
            resources.ImportTempStorage(name=name).remove()

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = request.POST.get("import_file_name", "")
        kept = resources.ImportTempStorage(name=name)
        if name and not kept.exists():
            messages.error(
                request,
                gettext(
                    "Nothing was imported: the uploaded file is no longer kept (a refused "
                    "file is removed at once, an unconfirmed one after an hour). Upload "
                    "it again."
                ),
            )
            return HttpResponseRedirect(self._import_page())
        try:
            return super().process_import(request, **kwargs)
        finally:
            kept.remove()

    def get_import_data_kwargs(self, **kwargs) -> dict:
        kwargs = super().get_import_data_kwargs(**kwargs)
        # A file is imported whole or not at all: a row that fails validation rolls
        # back the others too (the library keeps the valid rows by default).
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request: HttpRequest) -> HttpResponse:
        # The preview had no errors, but the knowledge base changed before the
        # curator confirmed (a nutrient the file names was deleted, say).
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                gettext(
                    "Nothing was imported: some rows are no longer valid. "
                    "Upload the file again to see which."
                ),
            )
            return HttpResponseRedirect(self._import_page())
        return super().process_result(result, request)

    def get_deleted_objects(self, objs, request: HttpRequest) -> admin_deletion.DeletedObjects:
        # Django's names every record that uses the objects, a practice's too.
        return admin_deletion.get_deleted_objects(objs, request, self.admin_site)


def _change_links(objects: Iterable[Model]) -> str:
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (reverse(f"admin:gutbrain_{obj._meta.model_name}_change", args=[obj.pk]), str(obj))
            for obj in objects
        ),
    )


@admin.register(Reference)
class ReferenceAdmin(KnowledgeAdmin):
    resource_classes = [resources.ReferenceResource]
    list_display = ["number", "citation", "url"]
    list_display_links = ["number"]
    list_filter = [("citation", admin.EmptyFieldListFilter)]
    search_fields = ["number__exact", "citation"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class NutrientFormInline(TranslatedInlineFieldNames, admin.StackedInline):
    model = NutrientForm
    extra = 0
    classes = ["collapse"]
    fields = [
        ("name_nl", "name_en"),
        ("slug", "order"),
        "application_nl",
        "application_en",
        "source_location",
        "references",
    ]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["references"]


class FoodSourceInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = FoodSource
    extra = 0
    fields = ["name_nl", "name_en", "order", "references"]
    autocomplete_fields = ["references"]


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = [
            "nutrient",
            "target",
            "medicine_class",
            "level",
            "evidence_level",
            "advice_nl",
            "advice_en",
            "client_advice_nl",
            "client_advice_en",
            "source_location",
            "references",
        ]

    def clean(self):
        cleaned = super().clean()
        # The instance takes the form's values only after clean().
        row = Interaction(
            level=cleaned.get("level"),
            target=cleaned.get("target"),
            client_advice_nl=cleaned.get("client_advice_nl") or "",
            client_advice_en=cleaned.get("client_advice_en") or "",
        )
        if row.needs_reference() and not cleaned.get("references"):
            self.add_error("references", NONE_KNOWN_NEEDS_REFERENCE)
        # An unchanged row from before the client texts (in the nutrient's inline) stays
        # valid; a row added or changed needs them.
        if self.has_changed():
            for name, error in row.missing_client_advice().items():
                if name not in self.errors:
                    self.add_error(name, error)
        return cleaned


class InteractionInline(TranslatedInlineFieldNames, admin.StackedInline):
    model = Interaction
    form = InteractionForm
    extra = 0
    classes = ["collapse"]
    fields = [
        ("target", "medicine_class"),
        ("level", "evidence_level"),
        "advice_nl",
        "client_advice_nl",
        "advice_en",
        "client_advice_en",
        "source_location",
        "references",
    ]
    autocomplete_fields = ["medicine_class", "references"]


class NutrientSupportInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = IndicationSupport
    fk_name = "nutrient"
    extra = 0
    verbose_name = _("supported indication")
    verbose_name_plural = _("figure 1: indications this nutrient supports")
    fields = ["indication", "note_nl", "note_en", "source_location", "references"]
    autocomplete_fields = ["indication", "references"]


class InteractionDataFilter(admin.SimpleListFilter):
    """Which nutrients the interaction table says something about.

    A nutrient with no rows is not known to be safe: the check answers "nothing
    recorded" for it. Curators use this filter to find those gaps.
    """

    title = _("interaction data")
    parameter_name = "interaction_data"

    def lookups(self, request, model_admin):
        return [
            ("none", _("no rows (nothing recorded)")),
            ("none_known", _("states no interactions known")),
            ("recorded", _("has interactions")),
        ]

    def queryset(self, request, queryset):
        # The rows are counted by NutrientAdmin.get_queryset().
        if self.value() == "none":
            return queryset.filter(interaction_rows=0)
        if self.value() == "none_known":
            return queryset.filter(none_known_rows__gt=0)
        if self.value() == "recorded":
            return queryset.filter(interaction_rows__gt=F("none_known_rows"))
        return queryset


@admin.register(Nutrient)
class NutrientAdmin(KnowledgeAdmin):
    resource_classes = [resources.NutrientResource]
    list_display = [
        "name_nl",
        "name_en",
        "slug",
        "kind",
        "figure_number",
        "is_published",
        "interaction_data",
    ]
    list_filter = ["kind", "is_published", InteractionDataFilter]
    search_fields = ["slug", "name_nl", "name_en"]
    # The model's own: a query with counts leaves it out, and the autocomplete would page
    # an unordered list.
    ordering = ["figure_number", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["references"]
    inlines = [NutrientFormInline, FoodSourceInline, InteractionInline, NutrientSupportInline]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "figure_number", "is_published"]}),
        (DUTCH, {"fields": ["name_nl", "description_nl", "mechanisms_nl", "usual_dose_nl"]}),
        (ENGLISH, {"fields": ["name_en", "description_en", "mechanisms_en", "usual_dose_en"]}),
        (
            _("Dose, as a number"),
            {
                "fields": [("usual_dose_amount", "usual_dose_unit"), "dose_basis"],
                "description": _(
                    "Only where the source gives a dose. A dose the source reports from a "
                    "study is labelled as such, never as a usual dose."
                ),
            },
        ),
        (SOURCES, {"fields": ["references"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                interaction_rows=Count("interactions"),
                none_known_rows=Count(
                    "interactions", filter=Q(interactions__level=Level.NONE_KNOWN)
                ),
            )
        )

    @admin.display(description=_("interaction data"), ordering="interaction_rows")
    def interaction_data(self, obj: Nutrient) -> str:
        if obj.interaction_rows == 0:
            return gettext("no rows (nothing recorded)")
        if obj.interaction_rows == obj.none_known_rows:
            return gettext("no interactions known")
        return ngettext("%(count)d row", "%(count)d rows", obj.interaction_rows) % {
            "count": obj.interaction_rows
        }


@admin.register(NutrientForm)
class NutrientFormAdmin(KnowledgeAdmin):
    resource_classes = [resources.NutrientFormResource]
    list_display = ["name_nl", "name_en", "nutrient", "slug", "order"]
    list_filter = ["nutrient"]
    list_select_related = ["nutrient"]
    search_fields = ["slug", "name_nl", "name_en", "nutrient__name_nl", "nutrient__slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["nutrient", "references"]
    fieldsets = [
        (None, {"fields": ["nutrient", "slug", "order"]}),
        (DUTCH, {"fields": ["name_nl", "application_nl"]}),
        (ENGLISH, {"fields": ["name_en", "application_en"]}),
        (SOURCES, {"fields": ["source_location", "references"]}),
    ]


@admin.register(FoodSource)
class FoodSourceAdmin(KnowledgeAdmin):
    resource_classes = [resources.FoodSourceResource]
    list_display = ["name_nl", "name_en", "nutrient", "order"]
    list_filter = ["nutrient"]
    list_select_related = ["nutrient"]
    search_fields = ["name_nl", "name_en", "nutrient__name_nl", "nutrient__slug"]
    autocomplete_fields = ["nutrient", "references"]
    fields = ["nutrient", "name_nl", "name_en", "order", "references"]


class IndicationSupportInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = IndicationSupport
    fk_name = "indication"
    extra = 0
    fields = ["nutrient", "note_nl", "note_en", "source_location", "references"]
    autocomplete_fields = ["nutrient", "references"]


@admin.register(Indication)
class IndicationAdmin(KnowledgeAdmin):
    resource_classes = [resources.IndicationResource]
    list_display = ["name_nl", "name_en", "category", "figure_stage", "order"]
    list_filter = ["category", "figure_stage"]
    search_fields = ["slug", "name_nl", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [IndicationSupportInline]
    fieldsets = [
        (None, {"fields": ["slug", "category", "figure_stage", "order"]}),
        (DUTCH, {"fields": ["name_nl", "description_nl"]}),
        (ENGLISH, {"fields": ["name_en", "description_en"]}),
    ]


@admin.register(IndicationSupport)
class IndicationSupportAdmin(KnowledgeAdmin):
    resource_classes = [resources.IndicationSupportResource]
    list_display = ["indication", "nutrient", "source_location"]
    list_filter = ["indication__category", "indication", "nutrient"]
    list_select_related = ["indication", "nutrient"]
    search_fields = ["indication__name_nl", "indication__name_en", "nutrient__name_nl", "note_nl"]
    autocomplete_fields = ["indication", "nutrient", "references"]
    fieldsets = [
        (None, {"fields": ["indication", "nutrient"]}),
        (DUTCH, {"fields": ["note_nl"]}),
        (ENGLISH, {"fields": ["note_en"]}),
        (SOURCES, {"fields": ["source_location", "references"]}),
    ]


class MedicineClassLevelFilter(admin.SimpleListFilter):
    title = _("nesting")
    parameter_name = "nesting"

    def lookups(self, request, model_admin):
        return [
            ("broad", _("broadest classes (part of no other)")),
            ("nested", _("part of a broader class")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "broad":
            return queryset.filter(parent__isnull=True)
        if self.value() == "nested":
            return queryset.filter(parent__isnull=False)
        return queryset


class EditorAdditionsFilter(admin.SimpleListFilter):
    title = _("editors' additions")
    parameter_name = "editor_additions"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("with additions beyond the brochure")),
            ("no", _("the brochure's prefixes only")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(editor_prefixes="")
        if self.value() == "no":
            return queryset.filter(editor_prefixes="")
        return queryset


@admin.register(MedicineClass)
class MedicineClassAdmin(KnowledgeAdmin):
    resource_classes = [resources.MedicineClassResource]
    list_display = [
        "name_nl",
        "name_en",
        "slug",
        "atc_prefixes",
        "editor_additions",
        "parent",
        "interaction_rows",
    ]
    list_filter = [MedicineClassLevelFilter, EditorAdditionsFilter, "parent"]
    list_select_related = ["parent"]
    search_fields = ["slug", "name_nl", "name_en", "atc_prefixes", "editor_prefixes"]
    ordering = ["name_nl"]  # as NutrientAdmin's
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["nested_classes", "reference_medicines"]
    fieldsets = [
        (None, {"fields": ["slug", "atc_prefixes", "parent"]}),
        (DUTCH, {"fields": ["name_nl", "description_nl"]}),
        (ENGLISH, {"fields": ["name_en", "description_en"]}),
        (
            _("Editors' additions beyond the brochure"),
            {
                "fields": ["editor_prefixes", "editor_note_nl", "editor_note_en"],
                "description": _(
                    "The brochure names classes by examples ('o.a.'). Prefixes the editors "
                    "add for medicines that belong to the class in pharmacology are kept "
                    "here, apart from the brochure's own, each addition with its reason."
                ),
            },
        ),
        (
            _("What the class covers"),
            {
                "fields": ["nested_classes", "reference_medicines"],
                "description": _(
                    "A row of the interaction table for this class applies to every "
                    "medicine listed here."
                ),
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(interaction_count=Count("interactions"))

    @admin.display(description=_("interaction rows"), ordering="interaction_count")
    def interaction_rows(self, obj: MedicineClass) -> int:
        return obj.interaction_count

    @admin.display(description=_("editors' additions"), ordering="editor_prefixes")
    def editor_additions(self, obj: MedicineClass) -> str:
        return obj.editor_prefixes or "-"

    @admin.display(description=_("classes part of this one"))
    def nested_classes(self, obj: MedicineClass) -> str:
        children = list(obj.children.all()) if obj.pk else []
        if not children:
            return gettext("none")
        return _change_links(children)

    @admin.display(description=_("medicines of the reference list in this class"))
    def reference_medicines(self, obj: MedicineClass) -> str:
        """Matched by the class's prefixes and those of the classes part of it."""
        if not obj.pk:
            return "-"
        medicines = list(medicines_in_class(obj.pk))
        if not medicines:
            return gettext("none")
        return _change_links(medicines)


def medicines_in_class(medicine_class_id: int) -> QuerySet:
    """The reference medicines whose ATC code falls under the class or a class in it."""
    rule = load_medicine_classes().get(medicine_class_id)
    prefixes = rule.prefixes if rule else ()
    return Medicine.objects.filter(
        reduce(or_, (Q(atc_code__startswith=p) for p in prefixes), Q(pk__in=[]))
    )


ATC_MAIN_GROUPS = [
    ("A", _("A – alimentary tract and metabolism")),
    ("B", _("B – blood and blood forming organs")),
    ("C", _("C – cardiovascular system")),
    ("D", _("D – dermatologicals")),
    ("G", _("G – genito-urinary system and sex hormones")),
    ("H", _("H – systemic hormonal preparations")),
    ("J", _("J – anti-infectives for systemic use")),
    ("L", _("L – antineoplastic and immunomodulating agents")),
    ("M", _("M – musculo-skeletal system")),
    ("N", _("N – nervous system")),
    ("P", _("P – antiparasitic products")),
    ("R", _("R – respiratory system")),
    ("S", _("S – sensory organs")),
    ("V", _("V – various")),
]


class AtcGroupFilter(admin.SimpleListFilter):
    title = _("ATC main group")
    parameter_name = "atc_group"

    def lookups(self, request, model_admin):
        return ATC_MAIN_GROUPS

    def queryset(self, request, queryset):
        if self.value() in dict(ATC_MAIN_GROUPS):
            return queryset.filter(atc_code__startswith=self.value())
        return queryset


class InMedicineClassFilter(admin.SimpleListFilter):
    """The medicines an interaction row for a class applies to."""

    title = _("medicine class")
    parameter_name = "medicine_class"

    def lookups(self, request, model_admin):
        return [(str(c.pk), str(c)) for c in MedicineClass.objects.only("name_nl", "name_en")]

    def queryset(self, request, queryset):
        try:
            pk = int(self.value() or "")
        except ValueError:
            return queryset
        return queryset.filter(pk__in=medicines_in_class(pk).values("pk"))


@admin.register(Medicine)
class MedicineAdmin(KnowledgeAdmin):
    resource_classes = [resources.MedicineResource]
    list_display = ["name", "atc_code"]
    list_filter = [AtcGroupFilter, InMedicineClassFilter]
    search_fields = ["name", "^atc_code"]


@admin.register(Interaction)
class InteractionAdmin(KnowledgeAdmin):
    resource_classes = [resources.InteractionResource]
    form = InteractionForm
    list_display = ["nutrient", "target", "medicine_class", "level", "evidence_level"]
    list_display_links = ["nutrient", "target"]
    list_filter = ["level", "target", "evidence_level", "nutrient", "medicine_class"]
    list_select_related = ["nutrient", "medicine_class"]
    search_fields = [
        "nutrient__slug",
        "nutrient__name_nl",
        "nutrient__name_en",
        "medicine_class__name_nl",
        "medicine_class__name_en",
        "advice_nl",
        "advice_en",
    ]
    autocomplete_fields = ["nutrient", "medicine_class", "references"]
    fieldsets = [
        (None, {"fields": ["nutrient", "target", "medicine_class", "level", "evidence_level"]}),
        (DUTCH, {"fields": ["advice_nl", "client_advice_nl"]}),
        (ENGLISH, {"fields": ["advice_en", "client_advice_en"]}),
        (SOURCES, {"fields": ["source_location", "references"]}),
    ]


class EvidenceOutcomeInline(TranslatedInlineFieldNames, admin.StackedInline):
    model = EvidenceOutcome
    extra = 0
    fields = [
        ("measure_nl", "measure_en"),
        ("intervention_change", "comparator_change", "unit"),
        "result_nl",
        "result_en",
        "order",
    ]


@admin.register(EvidenceSummary)
class EvidenceSummaryAdmin(KnowledgeAdmin):
    resource_classes = [resources.EvidenceSummaryResource]
    list_display = ["title_nl", "nutrient", "indication", "design", "participants", "certainty"]
    list_filter = ["design", "certainty", "nutrient"]
    list_select_related = ["nutrient", "indication"]
    search_fields = ["title_nl", "title_en", "summary_nl", "nutrient__name_nl", "nutrient__slug"]
    autocomplete_fields = ["nutrient", "indication", "references"]
    inlines = [EvidenceOutcomeInline]
    fieldsets = [
        (
            _("Study"),
            {
                "fields": [
                    ("nutrient", "indication"),
                    ("design", "certainty"),
                    ("participants", "duration_days"),
                    ("dose_amount", "dose_unit"),
                    "order",
                ]
            },
        ),
        (
            DUTCH,
            {
                "fields": [
                    "title_nl",
                    "population_nl",
                    "dose_nl",
                    "comparator_nl",
                    "summary_nl",
                ]
            },
        ),
        (
            ENGLISH,
            {
                "fields": [
                    "title_en",
                    "population_en",
                    "dose_en",
                    "comparator_en",
                    "summary_en",
                ]
            },
        ),
        (SOURCES, {"fields": ["source_location", "references"]}),
    ]


@admin.register(EvidenceOutcome)
class EvidenceOutcomeAdmin(KnowledgeAdmin):
    resource_classes = [resources.EvidenceOutcomeResource]
    list_display = ["measure_nl", "summary", "intervention_change", "comparator_change", "unit"]
    list_filter = ["summary__nutrient", "summary__certainty"]
    list_select_related = ["summary"]
    search_fields = ["measure_nl", "measure_en", "summary__title_nl"]
    autocomplete_fields = ["summary"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "summary",
                    ("intervention_change", "comparator_change", "unit"),
                    "order",
                ]
            },
        ),
        (DUTCH, {"fields": ["measure_nl", "result_nl"]}),
        (ENGLISH, {"fields": ["measure_en", "result_en"]}),
    ]


class PathwayStepInline(TranslatedInlineFieldNames, admin.TabularInline):
    model = PathwayStep
    extra = 0
    fields = ["order", "substance_nl", "substance_en", "conversion_nl", "conversion_en"]


@admin.register(Topic)
class TopicAdmin(KnowledgeAdmin):
    resource_classes = [resources.TopicResource]
    list_display = ["title_nl", "title_en", "slug", "order", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["slug", "title_nl", "title_en", "body_nl"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["references"]
    inlines = [PathwayStepInline]
    fieldsets = [
        (None, {"fields": ["slug", "order", "is_published"]}),
        (DUTCH, {"fields": ["title_nl", "body_nl"]}),
        (ENGLISH, {"fields": ["title_en", "body_en"]}),
        (SOURCES, {"fields": ["references"]}),
    ]


@admin.register(PathwayStep)
class PathwayStepAdmin(KnowledgeAdmin):
    resource_classes = [resources.PathwayStepResource]
    list_display = ["substance_nl", "substance_en", "topic", "order"]
    list_filter = ["topic"]
    list_select_related = ["topic"]
    search_fields = ["substance_nl", "substance_en", "topic__title_nl"]
    autocomplete_fields = ["topic"]
    fieldsets = [
        (None, {"fields": ["topic", "order"]}),
        (DUTCH, {"fields": ["substance_nl", "conversion_nl"]}),
        (ENGLISH, {"fields": ["substance_en", "conversion_en"]}),
    ]
