"""Serializers of the knowledge-base API and of the interaction check.

Every bilingual text is given three times: `name_nl`, `name_en`, and `name` in the
request's language (Accept-Language; Dutch by default). References are lists of the
source's reference numbers.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gutbrain import models as kb
from gutbrain import text
from gutbrain.api.fields import (
    LevelField,
    StoredLevelField,
    StrictBooleanField,
    StringListField,
    TranslatedField,
)
from gutbrain.interactions.rules import CheckResult, Finding, MedicineClassRule, NutrientResult
from gutbrain.interactions.table import load_medicine_classes

CLIENT_ADVICE_NL_HELP = _(
    "The curated text for the client's handout, in Dutch: one instruction to the client, "
    "as strong as the advice. `{medicines}` stands for the names of the client's medicines "
    'it is about: put them there ("oxazepam en diazepam"), or "uw medicijnen" when they '
    "are not known. Empty where no curator has written one yet."
)
CLIENT_ADVICE_EN_HELP = _(
    'The client text in English, with `{medicines}` like the Dutch one ("your medicines" '
    "when they are not known). Empty where no curator has written one yet."
)


def _reference_numbers() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="number",
        help_text=_("Numbers of the source's references."),
    )


def _medicine_classes(context: dict) -> dict[int, MedicineClassRule]:
    """Every medicine class with its effective prefixes, loaded once per response."""
    if "medicine_classes" not in context:
        context["medicine_classes"] = load_medicine_classes()
    return context["medicine_classes"]


class ReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = kb.Reference
        fields = ["number", "citation", "url"]


class NutrientFormSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    application = TranslatedField()
    references = _reference_numbers()

    class Meta:
        model = kb.NutrientForm
        fields = [
            "slug",
            "name",
            "name_nl",
            "name_en",
            "application",
            "application_nl",
            "application_en",
            "source_location",
            "references",
        ]


class FoodSourceSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    references = _reference_numbers()

    class Meta:
        model = kb.FoodSource
        fields = ["name", "name_nl", "name_en", "references"]


class NutrientIndicationSerializer(serializers.ModelSerializer):
    """An indication the nutrient supports (an arrow of figure 1), seen from the nutrient."""

    indication = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = TranslatedField(source="indication")
    name_nl = serializers.CharField(source="indication.name_nl", read_only=True)
    name_en = serializers.CharField(source="indication.name_en", read_only=True)
    note = TranslatedField()
    references = _reference_numbers()

    class Meta:
        model = kb.IndicationSupport
        fields = [
            "indication",
            "name",
            "name_nl",
            "name_en",
            "note",
            "note_nl",
            "note_en",
            "source_location",
            "references",
        ]


class IndicationNutrientSerializer(serializers.ModelSerializer):
    """A nutrient that supports the indication (an arrow of figure 1), seen from the
    indication."""

    nutrient = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = TranslatedField(source="nutrient")
    name_nl = serializers.CharField(source="nutrient.name_nl", read_only=True)
    name_en = serializers.CharField(source="nutrient.name_en", read_only=True)
    note = TranslatedField()
    references = _reference_numbers()

    class Meta:
        model = kb.IndicationSupport
        fields = [
            "nutrient",
            "name",
            "name_nl",
            "name_en",
            "note",
            "note_nl",
            "note_en",
            "source_location",
            "references",
        ]


class InteractionSerializer(serializers.ModelSerializer):
    nutrient = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    medicine_class = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("The class's slug when the row applies to a class of medicines, else null."),
    )
    level = StoredLevelField()
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    advice = TranslatedField()
    client_advice = TranslatedField(
        help_text=_(
            "The client text in the request's language (Accept-Language; Dutch by default)."
        )
    )
    client_advice_nl = serializers.CharField(read_only=True, help_text=CLIENT_ADVICE_NL_HELP)
    client_advice_en = serializers.CharField(read_only=True, help_text=CLIENT_ADVICE_EN_HELP)
    references = _reference_numbers()

    class Meta:
        model = kb.Interaction
        fields = [
            "id",
            "nutrient",
            "target",
            "medicine_class",
            "level",
            "level_label",
            "advice",
            "advice_nl",
            "advice_en",
            "client_advice",
            "client_advice_nl",
            "client_advice_en",
            "evidence_level",
            "source_location",
            "references",
        ]


class EvidenceOutcomeSerializer(serializers.ModelSerializer):
    measure = TranslatedField()
    result = TranslatedField()

    class Meta:
        model = kb.EvidenceOutcome
        fields = [
            "measure",
            "measure_nl",
            "measure_en",
            "intervention_change",
            "comparator_change",
            "unit",
            "result",
            "result_nl",
            "result_en",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:evidence-detail")
    nutrient = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    indication = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    title = TranslatedField()
    population = TranslatedField()
    dose = TranslatedField()
    comparator = TranslatedField()
    summary = TranslatedField()
    outcomes = EvidenceOutcomeSerializer(many=True, read_only=True)
    references = _reference_numbers()

    class Meta:
        model = kb.EvidenceSummary
        fields = [
            "id",
            "url",
            "nutrient",
            "indication",
            "title",
            "title_nl",
            "title_en",
            "design",
            "population",
            "population_nl",
            "population_en",
            "participants",
            "dose_amount",
            "dose_unit",
            "dose",
            "dose_nl",
            "dose_en",
            "duration_days",
            "comparator",
            "comparator_nl",
            "comparator_en",
            "summary",
            "summary_nl",
            "summary_en",
            "certainty",
            "source_location",
            "outcomes",
            "references",
        ]


class NutrientSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:nutrient-detail", lookup_field="slug")
    name = TranslatedField()

    class Meta:
        model = kb.Nutrient
        fields = ["url", "slug", "name", "name_nl", "name_en", "kind", "figure_number"]


class NutrientDetailSerializer(NutrientSerializer):
    description = TranslatedField()
    mechanisms = TranslatedField()
    usual_dose = TranslatedField(
        help_text=_(
            "The dose as the source writes it, in the request's language. Read it with "
            "`dose_basis`: most doses of the source are the doses of a study, not advice."
        )
    )
    dose_basis = serializers.ChoiceField(
        choices=kb.DoseBasis.choices,
        read_only=True,
        help_text=_(
            "What the dose rests on: `study`, the dose used in the research the source "
            "cites; `usual`, a usual dose."
        ),
    )
    dose_label = serializers.CharField(
        source="get_dose_basis_display",
        read_only=True,
        help_text=_("How to label the dose, in the request's language."),
    )
    forms = NutrientFormSerializer(many=True, read_only=True)
    food_sources = FoodSourceSerializer(many=True, read_only=True)
    indications = NutrientIndicationSerializer(source="supports", many=True, read_only=True)
    interactions = InteractionSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    references = _reference_numbers()

    class Meta(NutrientSerializer.Meta):
        fields = [
            *NutrientSerializer.Meta.fields,
            "description",
            "description_nl",
            "description_en",
            "mechanisms",
            "mechanisms_nl",
            "mechanisms_en",
            "usual_dose_amount",
            "usual_dose_unit",
            "usual_dose",
            "usual_dose_nl",
            "usual_dose_en",
            "dose_basis",
            "dose_label",
            "forms",
            "food_sources",
            "indications",
            "interactions",
            "evidence",
            "references",
        ]


class IndicationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:indication-detail", lookup_field="slug"
    )
    name = TranslatedField()

    class Meta:
        model = kb.Indication
        fields = ["url", "slug", "name", "name_nl", "name_en", "category", "figure_stage", "order"]


class IndicationDetailSerializer(IndicationSerializer):
    description = TranslatedField()
    nutrients = IndicationNutrientSerializer(
        source="supports",
        many=True,
        read_only=True,
        help_text=_("The published nutrients that can support clients with this indication."),
    )

    class Meta(IndicationSerializer.Meta):
        fields = [
            *IndicationSerializer.Meta.fields,
            "description",
            "description_nl",
            "description_en",
            "nutrients",
        ]


class MedicineClassSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:medicineclass-detail", lookup_field="slug"
    )
    name = TranslatedField()
    description = TranslatedField()
    parent = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Slug of the broader class this one belongs to, or null."),
    )
    atc_prefixes = serializers.ListField(
        child=serializers.CharField(),
        source="prefix_list",
        read_only=True,
        help_text=_("The class's own ATC code prefixes, as the brochure means the class."),
    )
    editor_prefixes = serializers.ListField(
        child=serializers.CharField(),
        source="editor_prefix_list",
        read_only=True,
        help_text=_(
            "ATC code prefixes the editors added beyond the brochure, for medicines that "
            "belong to the class in pharmacology; `editor_note` gives the reason. They are "
            "matched like the brochure's own."
        ),
    )
    editor_note = TranslatedField(
        help_text=_(
            "Why the editors added `editor_prefixes`, in the request's language "
            "(Accept-Language; Dutch by default). Empty without additions."
        )
    )
    effective_prefixes = serializers.SerializerMethodField(
        help_text=_(
            "The prefixes a medicine's ATC code is matched against: the class's own, the "
            "editors' additions included, and those of every class nested below it."
        )
    )

    class Meta:
        model = kb.MedicineClass
        fields = [
            "url",
            "slug",
            "name",
            "name_nl",
            "name_en",
            "parent",
            "atc_prefixes",
            "editor_prefixes",
            "editor_note",
            "editor_note_nl",
            "editor_note_en",
            "effective_prefixes",
            "description",
            "description_nl",
            "description_en",
        ]

    def get_effective_prefixes(self, medicine_class: kb.MedicineClass) -> list[str]:
        return list(_medicine_classes(self.context)[medicine_class.pk].prefixes)


class MedicineSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:medicine-detail", lookup_field="atc_code"
    )
    medicine_classes = serializers.SerializerMethodField(
        help_text=_(
            "Slugs of the medicine classes the medicine belongs to, nested classes included."
        )
    )

    class Meta:
        model = kb.Medicine
        fields = ["url", "name", "atc_code", "medicine_classes"]

    def get_medicine_classes(self, medicine: kb.Medicine) -> list[str]:
        classes = _medicine_classes(self.context).values()
        return sorted(c.slug for c in classes if c.matching([medicine.atc_code]))


class PathwayStepSerializer(serializers.ModelSerializer):
    substance = TranslatedField()
    conversion = TranslatedField(
        help_text=_("How this substance is converted into the next one, in the request's language.")
    )

    class Meta:
        model = kb.PathwayStep
        fields = [
            "order",
            "substance",
            "substance_nl",
            "substance_en",
            "conversion",
            "conversion_nl",
            "conversion_en",
        ]


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")
    title = TranslatedField()

    class Meta:
        model = kb.Topic
        fields = ["url", "slug", "title", "title_nl", "title_en", "order"]


class TopicDetailSerializer(TopicSerializer):
    body = TranslatedField(help_text=_("Paragraphs separated by a blank line."))
    pathway_steps = PathwayStepSerializer(many=True, read_only=True)
    references = _reference_numbers()

    class Meta(TopicSerializer.Meta):
        fields = [
            *TopicSerializer.Meta.fields,
            "body",
            "body_nl",
            "body_en",
            "pathway_steps",
            "references",
        ]


class InteractionCheckSerializer(serializers.Serializer):
    """The input of the interaction check. Unknown keys are refused: a misspelt
    `pregnant` must not silently be read as "not pregnant"."""

    nutrients = StringListField(
        allow_empty=False,
        max_length=100,
        help_text=_("Slugs of published nutrients, e.g. ashwagandha."),
    )
    atc_codes = StringListField(
        required=False,
        default=list,
        max_length=100,
        help_text=_("Complete ATC codes of the client's medicines, e.g. N05BA04."),
    )
    pregnant = StrictBooleanField(required=False, default=False)
    breastfeeding = StrictBooleanField(required=False, default=False)

    default_error_messages = {
        "unknown_field": _("Unknown field."),
        "invalid_atc_codes": kb.INVALID_ATC_CODE,
    }

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(key for key in data if key not in self.fields)
            if unknown:
                message = self.error_messages["unknown_field"]
                raise serializers.ValidationError({key: [message] for key in unknown})
        return super().to_internal_value(data)

    def validate_atc_codes(self, codes: list[str]) -> list[str]:
        codes = [code.upper() for code in codes]
        bad = [code for code in codes if not kb.ATC_CODE_RE.match(code)]
        if bad:
            raise serializers.ValidationError(
                self.error_messages["invalid_atc_codes"] % {"value": ", ".join(bad)},
                code="invalid_atc_code",
            )
        return codes


REASONS = [
    ("medicine", _("a medicine of the class")),
    ("any_medicine", _("any medicine")),
    ("pregnancy", _("pregnancy")),
    ("breastfeeding", _("breastfeeding")),
]


class FindingSerializer(serializers.Serializer):
    level = LevelField()
    level_label = serializers.SerializerMethodField()
    reason = serializers.ChoiceField(choices=REASONS, read_only=True)
    atc_codes = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The client's ATC codes the finding is about (none for pregnancy)."),
    )
    medicine_class = serializers.CharField(
        source="medicine_class.slug",
        allow_null=True,
        read_only=True,
        help_text=_("Slug of the medicine class of the row, or null."),
    )
    advice = serializers.SerializerMethodField(
        help_text=_("In the request's language (Accept-Language; Dutch by default).")
    )
    advice_nl = serializers.CharField(read_only=True)
    advice_en = serializers.CharField(read_only=True)
    client_advice = serializers.SerializerMethodField(
        help_text=_(
            "The client text in the request's language (Accept-Language; Dutch by default)."
        )
    )
    client_advice_nl = serializers.CharField(read_only=True, help_text=CLIENT_ADVICE_NL_HELP)
    client_advice_en = serializers.CharField(read_only=True, help_text=CLIENT_ADVICE_EN_HELP)
    references = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("Numbers of the source's references."),
    )

    def get_level_label(self, finding: Finding) -> str:
        return str(kb.Level(finding.level).label)

    def get_advice(self, finding: Finding) -> str:
        return text.tr(finding, "advice")

    def get_client_advice(self, finding: Finding) -> str:
        return text.tr(finding, "client_advice")


class NutrientResultSerializer(serializers.Serializer):
    nutrient = serializers.CharField(read_only=True, help_text=_("The nutrient's slug."))
    level = LevelField(help_text=_("The most serious finding, or what the table says."))
    level_label = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True, read_only=True)

    def get_level_label(self, result: NutrientResult) -> str:
        return str(kb.Level(result.level).label)


class MedicineResultSerializer(serializers.Serializer):
    atc_code = serializers.CharField(read_only=True)
    name = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "The client's name for the medicine (in a consult's check), else the reference "
            "list's; null when neither knows it."
        ),
    )
    in_reference_list = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "False: the code is well formed but not in the medicine reference list, so it "
            "was matched by its code only. Check its classes yourself."
        ),
    )
    classes = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_(
            "Slugs of every medicine class the code falls in, nested classes included: why "
            "a row of the table applied or did not."
        ),
    )


class NotCheckedSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text=_("As recorded for the client."))
    reason = serializers.ChoiceField(
        choices=[("not_in_knowledge_base", _("not in the knowledge base"))], read_only=True
    )


class InteractionCheckResultSerializer(serializers.Serializer):
    """The answer of the interaction check, from a `gutbrain.interactions.CheckResult`."""

    results = NutrientResultSerializer(
        many=True, read_only=True, help_text=_("One per nutrient, in the order asked.")
    )
    worst_level = LevelField(
        allow_null=True,
        help_text=_("The most serious level of all results; null when no nutrient was checked."),
    )
    medicines = MedicineResultSerializer(
        many=True, read_only=True, help_text=_("Every medicine checked against, in order.")
    )
    not_checked = NotCheckedSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "What the client takes that could not be checked (own supplements that are not "
            "in the knowledge base). Always empty here: this check takes no own supplements."
        ),
    )


def check_result_data(result: CheckResult) -> dict:
    """What `InteractionCheckResultSerializer(result).data` says, built directly: the
    serializer's nested fields (deep-copied for every answer) cost more than the check
    itself. The serializer stays the answer's schema; tests/gutbrain/api/
    test_interaction_check.py holds the two equal."""
    labels: dict[str, str] = {}

    def label(level: str) -> str:
        if level not in labels:
            labels[level] = str(kb.Level(level).label)
        return labels[level]

    def finding(f: Finding) -> dict:
        return {
            "level": f.level,
            "level_label": label(f.level),
            "reason": f.reason,
            "atc_codes": list(f.atc_codes),
            "medicine_class": f.medicine_class.slug if f.medicine_class else None,
            "advice": text.tr(f, "advice"),
            "advice_nl": f.advice_nl,
            "advice_en": f.advice_en,
            "client_advice": text.tr(f, "client_advice"),
            "client_advice_nl": f.client_advice_nl,
            "client_advice_en": f.client_advice_en,
            "references": list(f.references),
        }

    return {
        "results": [
            {
                "nutrient": r.nutrient,
                "level": r.level,
                "level_label": label(r.level),
                "findings": [finding(f) for f in r.findings],
            }
            for r in result.results
        ],
        "worst_level": result.worst_level,
        **result.medicines_data(),
    }
