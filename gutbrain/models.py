"""The knowledge base of the brain–gut axis.

Every user-facing text is held twice, in Dutch (`*_nl`, the source's own wording, which is
authoritative) and in English (`*_en`). `Localized.tr()` picks the active language.
Clinical statements carry the numbers of the source's references and, where the source
gives no number (the interaction overview, table 1), the place in the source they come from.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gutbrain import text

# A code begins with the letter of one of the 14 anatomical main groups of the WHO ATC
# classification (A, B, C, D, G, H, J, L, M, N, P, R, S, V); no other letter is real.
ATC_CODE_RE = re.compile(r"^[ABCDGHJLMNPRSV]\d{2}[A-Z]{2}\d{2}$")
ATC_PREFIX_RE = re.compile(r"^[ABCDGHJLMNPRSV](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$")

INVALID_ATC_CODE = _(
    "Not a valid ATC code: %(value)s. An ATC code consists of a main group letter (A, B, C, "
    "D, G, H, J, L, M, N, P, R, S or V), two digits, two letters and two digits, such as "
    "N05BA04."
)


def validate_atc_code(value: str) -> None:
    """A medicine's complete ATC code (a substance, 7 characters)."""
    if not ATC_CODE_RE.match(value):
        raise ValidationError(INVALID_ATC_CODE, params={"value": value}, code="invalid_atc_code")


def validate_atc_prefixes(value: str) -> None:
    prefixes = split_prefixes(value)
    if not prefixes:
        raise ValidationError(_("Give at least one ATC prefix."), code="required")
    _refuse_malformed_prefixes(prefixes)


def validate_editor_prefixes(value: str) -> None:
    """Like `validate_atc_prefixes`, but none at all is allowed."""
    _refuse_malformed_prefixes(split_prefixes(value))


def _refuse_malformed_prefixes(prefixes: list[str]) -> None:
    bad = [p for p in prefixes if not ATC_PREFIX_RE.match(p)]
    if bad:
        raise ValidationError(
            _(
                "Not an ATC prefix: %(bad)s. A prefix is the start of an ATC code, from its "
                "main group letter (A, B, C, D, G, H, J, L, M, N, P, R, S or V) up to the whole "
                "code, such as N05, N05BA or N05BA04."
            ),
            params={"bad": ", ".join(bad)},
            code="invalid_atc_prefix",
        )


def split_prefixes(value: str) -> list[str]:
    return [p.strip().upper() for p in value.replace(";", ",").split(",") if p.strip()]


# The one placeholder of an interaction row's client text; the handout puts the names of
# the client's medicines there.
MEDICINES_PLACEHOLDER = "{medicines}"
PLACEHOLDER_RE = re.compile(r"\{[^{}]*\}")


def validate_client_advice(value: str) -> None:
    """Any brace but `{medicines}` would be printed on the client's handout as it stands."""
    rest = value.replace(MEDICINES_PLACEHOLDER, "")
    if "{" in rest or "}" in rest:
        raise ValidationError(
            _(
                "Unknown placeholder: %(bad)s. The only placeholder a client text may hold "
                "is {medicines}."
            ),
            params={"bad": ", ".join(PLACEHOLDER_RE.findall(rest)) or "{ }"},
            code="unknown_placeholder",
        )


class Localized(models.Model):
    """Gives `tr("name")`: the Dutch or English field for the active language."""

    class Meta:
        abstract = True

    def tr(self, field: str) -> str:
        return text.tr(self, field)


class Reference(models.Model):
    number = models.PositiveSmallIntegerField(
        _("number"),
        unique=True,
        help_text=_("The superscript number the source document uses for this reference."),
    )
    citation = models.TextField(
        _("citation"),
        blank=True,
        help_text=_(
            "The full citation, once known. The source brochure prints the numbers only; "
            "leave empty until the reference list is available."
        ),
    )
    url = models.URLField(_("link"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return f"[{self.number}] {self.citation}".strip()


class NutrientQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_details(self):
        """Each nutrient's whole entry, as its page and the API show it: forms, food
        sources, supported factors, interactions and evidence, each with its references."""
        return self.prefetch_related(
            "references",
            Prefetch("forms", NutrientForm.objects.prefetch_related("references")),
            Prefetch("food_sources", FoodSource.objects.prefetch_related("references")),
            Prefetch(
                "supports",
                IndicationSupport.objects.select_related("indication").prefetch_related(
                    "references"
                ),
            ),
            Prefetch(
                "interactions",
                Interaction.objects.select_related("medicine_class").prefetch_related("references"),
            ),
            Prefetch(
                "evidence",
                EvidenceSummary.objects.select_related("indication").prefetch_related(
                    "outcomes", "references"
                ),
            ),
        )


class DoseBasis(models.TextChoices):
    """What a nutrient's dose rests on: a usual dose, or the dose a study used."""

    USUAL = "usual", _("usual dose")
    STUDY = "study", _("dose used in research")


class Nutrient(Localized):
    class Kind(models.TextChoices):
        MINERAL = "mineral", _("mineral")
        HERB = "herb", _("herb or plant extract")
        MUSHROOM = "mushroom", _("medicinal mushroom")
        AMINO_ACID = "amino_acid", _("amino acid")
        NEUROTRANSMITTER = "neurotransmitter", _("neurotransmitter")
        HORMONE = "hormone", _("hormone")
        FIBRE = "fibre", _("dietary fibre")
        PROBIOTIC = "probiotic", _("live bacteria")

    slug = models.SlugField(_("slug"), unique=True, help_text=_("English slug, e.g. lemon-balm."))
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    figure_number = models.PositiveSmallIntegerField(
        _("number in figure 1"),
        unique=True,
        null=True,
        blank=True,
        help_text=_("The nutrient's number (1–16) in figure 1 of the source."),
    )
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    mechanisms_nl = models.TextField(
        _("mechanisms (Dutch)"), blank=True, help_text=_("How it works, one statement a line.")
    )
    mechanisms_en = models.TextField(_("mechanisms (English)"), blank=True)
    usual_dose_amount = models.DecimalField(
        _("dose"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Only where the source gives a dose (theanine 200 mg, saffron 30 mg/day)."),
    )
    usual_dose_unit = models.CharField(_("dose unit"), max_length=20, blank=True)
    usual_dose_nl = models.CharField(_("dose, as written (Dutch)"), max_length=200, blank=True)
    usual_dose_en = models.CharField(_("dose, as written (English)"), max_length=200, blank=True)
    dose_basis = models.CharField(
        _("what the dose rests on"),
        max_length=10,
        choices=DoseBasis.choices,
        default=DoseBasis.USUAL,
        help_text=_(
            "Choose 'dose used in research' where the source reports the dose a study used "
            "('uit onderzoek blijkt …') rather than recommending it. Staff pages and the API "
            "label the dose accordingly."
        ),
    )
    references = models.ManyToManyField(Reference, blank=True, related_name="nutrients")
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Unpublished nutrients are hidden from staff pages and the API."),
    )

    objects = NutrientQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["figure_number", "slug"]
        verbose_name = _("nutrient")
        verbose_name_plural = _("nutrients")
        constraints = [
            models.CheckConstraint(
                condition=Q(usual_dose_amount__isnull=True) | Q(usual_dose_amount__gt=0),
                name="nutrient_usual_dose_positive",
            ),
            models.CheckConstraint(
                condition=Q(usual_dose_amount__isnull=True) | ~Q(usual_dose_unit=""),
                name="nutrient_usual_dose_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(dose_basis__in=DoseBasis.values), name="nutrient_dose_basis_known"
            ),
        ]

    def __str__(self) -> str:
        return self.tr("name")

    def get_absolute_url(self) -> str:
        return reverse("gutbrain:nutrient-detail", args=[self.slug])


class NutrientForm(Localized):
    """A form in which a nutrient is taken: magnesium citrate, inulin, …"""

    nutrient = models.ForeignKey(Nutrient, on_delete=models.CASCADE, related_name="forms")
    slug = models.SlugField(_("slug"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    application_nl = models.TextField(_("application (Dutch)"), blank=True)
    application_en = models.TextField(_("application (English)"), blank=True)
    source_location = models.CharField(
        _("place in the source"), max_length=100, blank=True, help_text=_("E.g. 'Tabel 1'.")
    )
    references = models.ManyToManyField(Reference, blank=True, related_name="nutrient_forms")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["nutrient", "order", "slug"]
        verbose_name = _("nutrient form")
        verbose_name_plural = _("nutrient forms")
        constraints = [
            models.UniqueConstraint(fields=["nutrient", "slug"], name="nutrientform_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.nutrient.tr('name')} – {self.tr('name')}"


class FoodSource(Localized):
    nutrient = models.ForeignKey(Nutrient, on_delete=models.CASCADE, related_name="food_sources")
    name_nl = models.CharField(_("food (Dutch)"), max_length=100)
    name_en = models.CharField(_("food (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    references = models.ManyToManyField(Reference, blank=True, related_name="food_sources")

    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["nutrient", "order", "name_nl"]
        verbose_name = _("food source")
        verbose_name_plural = _("food sources")
        constraints = [
            models.UniqueConstraint(fields=["nutrient", "name_nl"], name="foodsource_unique_name"),
        ]

    def __str__(self) -> str:
        return self.tr("name")


class Indication(Localized):
    """A causal factor, stage or complaint of figure 1 (stress, dysbiosis, …)."""

    class Category(models.TextChoices):
        PSYCHOLOGICAL = "psychological", _("psychological factor")
        OTHER_FACTOR = "other_factor", _("other causal factor")
        GUT = "gut", _("gut barrier and inflammation")
        COMPLAINT = "complaint", _("resulting health complaint")

    slug = models.SlugField(_("slug"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    figure_stage = models.PositiveSmallIntegerField(
        _("stage in figure 1"),
        null=True,
        blank=True,
        help_text=_("1 causal factors, 2 dysbiosis and hyperpermeability, 3 inflammation."),
    )
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    nutrients = models.ManyToManyField(
        Nutrient, through="IndicationSupport", related_name="indications", blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("indication or causal factor")
        verbose_name_plural = _("indications and causal factors")

    def __str__(self) -> str:
        return self.tr("name")


class IndicationSupport(Localized):
    """One arrow of figure 1: this nutrient can support clients with this factor."""

    indication = models.ForeignKey(Indication, on_delete=models.CASCADE, related_name="supports")
    nutrient = models.ForeignKey(Nutrient, on_delete=models.CASCADE, related_name="supports")
    note_nl = models.TextField(_("note (Dutch)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source_location = models.CharField(_("place in the source"), max_length=100, blank=True)
    references = models.ManyToManyField(Reference, blank=True, related_name="supports")

    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["indication", "nutrient"]
        verbose_name = _("supporting nutrient")
        verbose_name_plural = _("figure 1: supporting nutrients")
        constraints = [
            models.UniqueConstraint(
                fields=["indication", "nutrient"], name="indicationsupport_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indication} → {self.nutrient}"


EDITOR_NOTE_REQUIRED = _("Give the reason for the editors' additions in the editors' note (Dutch).")


class MedicineClass(Localized):
    """A class of medicines named in the interaction table, as ATC code prefixes.

    A medicine belongs to the class when its ATC code starts with one of the prefixes of
    the class or of any class nested below it. The prefixes are the brochure's own scope
    (`atc_prefixes`) and the editors' additions beyond it (`editor_prefixes`), kept apart
    so that curators can tell the one from the other.
    """

    slug = models.SlugField(_("slug"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    atc_prefixes = models.CharField(
        _("ATC prefixes (brochure)"),
        max_length=200,
        validators=[validate_atc_prefixes],
        help_text=_(
            "Comma-separated ATC code prefixes of the medicines the brochure means by this "
            "class, e.g. 'N05BA, N05CD'. Prefixes the editors add beyond the brochure go in "
            "'editors' additions'."
        ),
    )
    editor_prefixes = models.CharField(
        _("editors' additions"),
        max_length=200,
        blank=True,
        validators=[validate_editor_prefixes],
        help_text=_(
            "Comma-separated ATC code prefixes the editors add beyond the brochure's scope: "
            "medicines that belong to the class in pharmacology but fall outside the prefixes "
            "above (clonazepam, N03AE01, is a benzodiazepine filed under the anti-epileptics). "
            "They count for the interaction check like the brochure's own. Give the reason in "
            "the editors' note."
        ),
    )
    editor_note_nl = models.TextField(
        _("editors' note (Dutch)"),
        blank=True,
        help_text=_(
            "Why the editors added the prefixes, with an example substance and its ATC code. "
            "Curators read it next to the additions; required when there are additions."
        ),
    )
    editor_note_en = models.TextField(_("editors' note (English)"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
        help_text=_(
            "The broader class this one belongs to (benzodiazepines are sedatives). A row in "
            "the interaction table for the broader class applies to this class too."
        ),
    )
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("medicine class")
        verbose_name_plural = _("medicine classes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="medicineclass_not_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(editor_prefixes="") | ~Q(editor_note_nl=""),
                name="medicineclass_editor_prefixes_have_a_note",
                violation_error_message=EDITOR_NOTE_REQUIRED,
            ),
        ]

    def __str__(self) -> str:
        return self.tr("name")

    def save(self, *args, **kwargs):
        self.atc_prefixes = ", ".join(split_prefixes(self.atc_prefixes))
        self.editor_prefixes = ", ".join(split_prefixes(self.editor_prefixes))
        super().save(*args, **kwargs)

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A class cannot be nested inside itself.")})
            ancestor = ancestor.parent
        if split_prefixes(self.editor_prefixes) and not self.editor_note_nl.strip():
            raise ValidationError({"editor_note_nl": EDITOR_NOTE_REQUIRED})

    @property
    def prefix_list(self) -> list[str]:
        """The brochure's own prefixes."""
        return split_prefixes(self.atc_prefixes)

    @property
    def editor_prefix_list(self) -> list[str]:
        """The prefixes the editors added beyond the brochure."""
        return split_prefixes(self.editor_prefixes)

    @property
    def own_prefix_list(self) -> list[str]:
        """The brochure's prefixes and the editors' additions, each once: the class's own,
        without those of the classes nested below it."""
        return list(dict.fromkeys(self.prefix_list + self.editor_prefix_list))


class Medicine(models.Model):
    """A medicine of the reference list, used to pick a client's medicines by name."""

    name = models.CharField(_("name"), max_length=150)
    atc_code = models.CharField(
        _("ATC code"), max_length=7, unique=True, validators=[validate_atc_code]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("medicine")
        verbose_name_plural = _("medicines")

    def __str__(self) -> str:
        return f"{self.name} ({self.atc_code})"

    def save(self, *args, **kwargs):
        self.atc_code = self.atc_code.strip().upper()
        super().save(*args, **kwargs)


class Level(models.TextChoices):
    """Answers of the interaction check, most serious first.

    Only AVOID…SEPARATE_INTAKE and NONE_KNOWN are stored in the table; NO_DATA and CLEAR
    are what the check says about a nutrient as a whole.
    """

    AVOID = "avoid", _("advised against")
    CONSULT = "consult", _("consult the treating physician")
    MONITOR = "monitor", _("monitor effects and/or consult")
    SEPARATE_INTAKE = "separate_intake", _("take separately from medicines")
    NO_DATA = "no_data", _("nothing recorded: not known to be safe")
    NONE_KNOWN = "none_known", _("no interactions known")
    CLEAR = "clear", _("no recorded interaction applies")


STORED_LEVELS = [Level.AVOID, Level.CONSULT, Level.MONITOR, Level.SEPARATE_INTAKE, Level.NONE_KNOWN]


class Interaction(Localized):
    """One statement of the interaction overview."""

    class Target(models.TextChoices):
        MEDICINE_CLASS = "medicine_class", _("a class of medicines")
        ANY_MEDICINE = "any_medicine", _("any medicine")
        PREGNANCY = "pregnancy", _("pregnancy")
        BREASTFEEDING = "breastfeeding", _("breastfeeding")

    class EvidenceLevel(models.TextChoices):
        HIGH = "high", _("high")
        MODERATE = "moderate", _("moderate")
        LOW = "low", _("low")
        VERY_LOW = "very_low", _("very low")
        PRACTICE_ADVICE = "practice_advice", _("practice advice, no evidence given in the source")

    nutrient = models.ForeignKey(Nutrient, on_delete=models.CASCADE, related_name="interactions")
    target = models.CharField(_("applies to"), max_length=20, choices=Target.choices)
    medicine_class = models.ForeignKey(
        MedicineClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        help_text=_("Only when the row applies to a class of medicines."),
    )
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=[(level.value, level.label) for level in STORED_LEVELS],
        help_text=_(
            "'No interactions known' is a statement of the source, different from a nutrient "
            "with no rows at all; use it only with 'any medicine'."
        ),
    )
    advice_nl = models.TextField(_("advice (Dutch)"))
    advice_en = models.TextField(_("advice (English)"))
    # Blank in the database so that rows and history from before the client texts stay
    # valid; the admin's form and the import require them of every row added or changed.
    client_advice_nl = models.TextField(
        _("client text (Dutch)"),
        blank=True,
        validators=[validate_client_advice],
        help_text=_(
            "What the client's handout says about this row: one instruction to the client "
            "('u'), in plain Dutch (B1), exactly as strong as the advice above: never weaker, "
            "never stronger. No ATC codes, no class names or jargon. Where the text names the "
            "client's medicines, write {medicines}: the handout puts their names there "
            "('oxazepam en diazepam'), or 'uw medicijnen' when it does not know them, so do not "
            "write 'uw' before it. Only rows for medicines may use it. Required for every row "
            "added or changed."
        ),
    )
    client_advice_en = models.TextField(
        _("client text (English)"),
        blank=True,
        validators=[validate_client_advice],
        help_text=_(
            "The client text in English, written like the Dutch one; {medicines} works the "
            "same way. Required for every row added or changed."
        ),
    )
    evidence_level = models.CharField(
        _("evidence level"),
        max_length=20,
        choices=EvidenceLevel.choices,
        default=EvidenceLevel.PRACTICE_ADVICE,
    )
    source_location = models.CharField(
        _("place in the source"), max_length=100, blank=True, default="Interactieoverzicht"
    )
    references = models.ManyToManyField(Reference, blank=True, related_name="interactions")

    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["nutrient", "target", "medicine_class"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.UniqueConstraint(
                fields=["nutrient", "medicine_class"],
                condition=Q(target="medicine_class"),
                name="interaction_one_row_per_nutrient_and_class",
            ),
            models.UniqueConstraint(
                fields=["nutrient", "target"],
                condition=~Q(target="medicine_class"),
                name="interaction_one_row_per_nutrient_and_target",
            ),
            models.CheckConstraint(
                condition=(Q(target="medicine_class") & Q(medicine_class__isnull=False))
                | (~Q(target="medicine_class") & Q(medicine_class__isnull=True)),
                name="interaction_class_iff_target_class",
            ),
            models.CheckConstraint(
                condition=~Q(level="none_known") | ~Q(target="medicine_class"),
                name="interaction_none_known_not_for_a_class",
            ),
            models.CheckConstraint(
                condition=Q(level__in=[level.value for level in STORED_LEVELS]),
                name="interaction_level_stored",
            ),
        ]

    def __str__(self) -> str:
        what = self.medicine_class if self.medicine_class_id else self.get_target_display()
        return f"{self.nutrient} × {what}: {self.get_level_display()}"

    def clean(self) -> None:
        if self.target == self.Target.MEDICINE_CLASS and not self.medicine_class_id:
            raise ValidationError({"medicine_class": _("Choose the class of medicines.")})
        if self.target != self.Target.MEDICINE_CLASS and self.medicine_class_id:
            raise ValidationError(
                {"medicine_class": _("Only rows for a class of medicines name a class.")}
            )
        if self.level == Level.NONE_KNOWN and self.target == self.Target.MEDICINE_CLASS:
            raise ValidationError(
                {
                    "level": _(
                        "'No interactions known' is said of any medicine, of pregnancy or "
                        "of breastfeeding, not of one class."
                    )
                }
            )
        if self.target in (self.Target.PREGNANCY, self.Target.BREASTFEEDING):
            named = [
                name
                for name in CLIENT_ADVICE_FIELDS
                if MEDICINES_PLACEHOLDER in getattr(self, name)
            ]
            if named:
                raise ValidationError({name: NO_MEDICINES_TO_NAME for name in named})

    def missing_client_advice(self) -> dict[str, ValidationError]:
        """An error on each client text left empty.

        Not part of `clean()`: rows and history from before the client texts existed stay
        valid. The admin's form and the import ask it of every row added or changed."""
        return {
            name: ValidationError(
                CLIENT_ADVICE_REQUIRED,
                code="required",
                params={"field": self._meta.get_field(name).verbose_name},
            )
            for name in CLIENT_ADVICE_FIELDS
            if not getattr(self, name).strip()
        }

    def needs_reference(self) -> bool:
        """'No interactions known' in pregnancy or breastfeeding reassures a therapist
        where the brochure is otherwise silent (the check says no_data): a curator states
        it only with the reference that says so. The references are many-to-many, so the
        admin's form and the import check this where they have them."""
        return self.level == Level.NONE_KNOWN and self.target in (
            self.Target.PREGNANCY,
            self.Target.BREASTFEEDING,
        )


NONE_KNOWN_NEEDS_REFERENCE = _(
    "'No interactions known' in pregnancy or breastfeeding needs the reference that says so."
)
CLIENT_ADVICE_FIELDS = ("client_advice_nl", "client_advice_en")
CLIENT_ADVICE_REQUIRED = _(
    "Write the %(field)s: it is what the client's handout says about this row. It is required "
    "for every row added or changed."
)
NO_MEDICINES_TO_NAME = _(
    "A row for pregnancy or breastfeeding is about no medicine: remove {medicines}."
)


class EvidenceSummary(Localized):
    class Design(models.TextChoices):
        RCT = "rct", _("randomised controlled trial")
        REVIEW = "review", _("review")
        CLINICAL_STUDY = "clinical_study", _("clinical study")
        COMPARATIVE = "comparative", _("comparison with standard treatment")
        SMALL_STUDIES = "small_studies", _("small studies")

    class Certainty(models.TextChoices):
        HIGH = "high", _("high")
        MODERATE = "moderate", _("moderate")
        LOW = "low", _("low")
        VERY_LOW = "very_low", _("very low")

    nutrient = models.ForeignKey(Nutrient, on_delete=models.CASCADE, related_name="evidence")
    indication = models.ForeignKey(
        Indication, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    design = models.CharField(_("design"), max_length=20, choices=Design.choices)
    population_nl = models.TextField(_("population (Dutch)"), blank=True)
    population_en = models.TextField(_("population (English)"), blank=True)
    participants = models.PositiveIntegerField(
        _("number of participants (n)"), null=True, blank=True
    )
    dose_amount = models.DecimalField(
        _("dose"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    dose_unit = models.CharField(_("dose unit"), max_length=20, blank=True)
    dose_nl = models.CharField(_("dose, as written (Dutch)"), max_length=200, blank=True)
    dose_en = models.CharField(_("dose, as written (English)"), max_length=200, blank=True)
    duration_days = models.PositiveIntegerField(_("duration (days)"), null=True, blank=True)
    comparator_nl = models.CharField(_("comparator (Dutch)"), max_length=200, blank=True)
    comparator_en = models.CharField(_("comparator (English)"), max_length=200, blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"))
    summary_en = models.TextField(_("summary (English)"))
    certainty = models.CharField(
        _("certainty (GRADE)"),
        max_length=10,
        choices=Certainty.choices,
        help_text=_("The curators' GRADE-style judgement of how certain the finding is."),
    )
    source_location = models.CharField(_("place in the source"), max_length=100, blank=True)
    references = models.ManyToManyField(Reference, related_name="evidence")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["nutrient", "order", "pk"]
        verbose_name = _("evidence summary")
        verbose_name_plural = _("evidence summaries")
        constraints = [
            models.CheckConstraint(
                condition=Q(dose_amount__isnull=True) | Q(dose_amount__gt=0),
                name="evidencesummary_dose_positive",
            ),
            models.CheckConstraint(
                condition=Q(participants__isnull=True) | Q(participants__gt=0),
                name="evidencesummary_participants_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.tr("title")


class EvidenceOutcome(Localized):
    """One measured outcome of a trial, intervention against comparator."""

    summary = models.ForeignKey(EvidenceSummary, on_delete=models.CASCADE, related_name="outcomes")
    measure_nl = models.CharField(_("measure (Dutch)"), max_length=200)
    measure_en = models.CharField(_("measure (English)"), max_length=200)
    intervention_change = models.DecimalField(
        _("change with the intervention"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Signed: −75.6 for a fall of 75.6 %."),
    )
    comparator_change = models.DecimalField(
        _("change with the comparator"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, default="%")
    result_nl = models.TextField(_("result, as written (Dutch)"))
    result_en = models.TextField(_("result, as written (English)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["summary", "order", "pk"]
        verbose_name = _("evidence outcome")
        verbose_name_plural = _("evidence outcomes")

    def __str__(self) -> str:
        return self.tr("measure")

    @property
    def has_figures(self) -> bool:
        return self.intervention_change is not None and self.comparator_change is not None


class Topic(Localized):
    """Explanatory content about the brain–gut axis, shown to staff."""

    slug = models.SlugField(_("slug"), unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_nl = models.TextField(
        _("text (Dutch)"), help_text=_("Paragraphs separated by a blank line.")
    )
    body_en = models.TextField(_("text (English)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    references = models.ManyToManyField(Reference, blank=True, related_name="topics")
    is_published = models.BooleanField(_("published"), default=True)

    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.tr("title")

    def get_absolute_url(self) -> str:
        return reverse("gutbrain:topic-detail", args=[self.slug])


class PathwayStep(Localized):
    """A substance in a metabolic pathway drawn with a topic (figure 2)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="pathway_steps")
    order = models.PositiveSmallIntegerField(_("order"))
    substance_nl = models.CharField(_("substance (Dutch)"), max_length=100)
    substance_en = models.CharField(_("substance (English)"), max_length=100)
    conversion_nl = models.CharField(
        _("conversion into the next substance (Dutch)"), max_length=200, blank=True
    )
    conversion_en = models.CharField(
        _("conversion into the next substance (English)"), max_length=200, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["topic", "order"]
        verbose_name = _("pathway step")
        verbose_name_plural = _("pathway steps")
        constraints = [
            models.UniqueConstraint(fields=["topic", "order"], name="pathwaystep_unique_order"),
        ]

    def __str__(self) -> str:
        return self.tr("substance")
