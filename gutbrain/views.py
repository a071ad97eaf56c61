"""The knowledge base's staff pages: read-only, for every logged-in user.

Each page reads in a fixed number of queries, whatever the number of nutrients or rows;
the tests in `tests/gutbrain/views/` pin the counts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from gutbrain import figures
from gutbrain.interactions.rules import LEVEL_ORDER, worst_level
from gutbrain.interactions.table import load_medicine_classes
from gutbrain.models import (
    Indication,
    IndicationSupport,
    Interaction,
    Level,
    Medicine,
    MedicineClass,
    Nutrient,
    Reference,
    Topic,
)

FIGURE_ORDER = (F("figure_number").asc(nulls_last=True), "slug")
TARGET_ORDER = [choice.value for choice in Interaction.Target]


def _published_nutrients() -> QuerySet[Nutrient]:
    return Nutrient.objects.published().order_by(*FIGURE_ORDER)


def _get_published_nutrient(slug: str, queryset: QuerySet[Nutrient]) -> Nutrient:
    """The published nutrient with this slug, else 404: unpublished ones do not exist here."""
    return get_object_or_404(queryset.filter(is_published=True), slug=slug)


def _get_published_topic(slug: str, queryset: QuerySet[Topic]) -> Topic:
    return get_object_or_404(queryset.filter(is_published=True), slug=slug)


@dataclass(frozen=True)
class InteractionSummary:
    """What the interaction table says about a nutrient, at a glance: the most serious row
    about medicines, and about pregnancy and breastfeeding. A part without rows is
    `no_data`: nothing recorded is not the same as safe."""

    medicines: str
    pregnancy: str
    nothing_recorded: bool


MEDICINE_TARGETS = (Interaction.Target.MEDICINE_CLASS, Interaction.Target.ANY_MEDICINE)


def summarise_interactions(interactions: Iterable[Interaction]) -> InteractionSummary:
    rows = list(interactions)
    return InteractionSummary(
        medicines=worst_level(r.level for r in rows if r.target in MEDICINE_TARGETS)
        or Level.NO_DATA,
        pregnancy=worst_level(r.level for r in rows if r.target not in MEDICINE_TARGETS)
        or Level.NO_DATA,
        nothing_recorded=not rows,
    )


def _sorted_interactions(interactions: Iterable[Interaction]) -> list[Interaction]:
    """Medicines first, then pregnancy and breastfeeding (the source's order), each
    most serious first."""
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    return sorted(
        interactions,
        key=lambda row: (
            0 if row.target in MEDICINE_TARGETS else TARGET_ORDER.index(row.target),
            rank[row.level],
            row.medicine_class.tr("name").lower() if row.medicine_class_id else "",
        ),
    )


# Nutrients ---------------------------------------------------------------------------


class NutrientFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    indication = forms.ChoiceField(label=gettext_lazy("Supports"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *Nutrient.Kind.choices],
    )

    def __init__(self, data: object, *, indications: Iterable[Indication]):
        super().__init__(data)
        self.fields["indication"].choices = [
            ("", _("All factors")),
            *((indication.slug, indication.tr("name")) for indication in indications),
        ]

    def filter(self, nutrients: QuerySet[Nutrient]) -> QuerySet[Nutrient]:
        """Applies the fields that are valid; an invalid field is ignored (and shown)."""
        if not self.is_bound:
            return nutrients
        self.is_valid()
        data = self.cleaned_data
        if data.get("q"):
            nutrients = nutrients.filter(
                Q(name_nl__icontains=data["q"]) | Q(name_en__icontains=data["q"])
            )
        if data.get("indication"):
            nutrients = nutrients.filter(supports__indication__slug=data["indication"])
        if data.get("kind"):
            nutrients = nutrients.filter(kind=data["kind"])
        return nutrients


@dataclass(frozen=True)
class NutrientRow:
    nutrient: Nutrient
    supports: list[IndicationSupport]
    interactions: InteractionSummary


@login_required
@require_safe
def nutrient_list(request: HttpRequest) -> HttpResponse:
    indications = Indication.objects.filter(supports__nutrient__is_published=True).distinct()
    form = NutrientFilterForm(request.GET or None, indications=indications)
    nutrients = form.filter(_published_nutrients()).prefetch_related(
        Prefetch(
            "supports",
            queryset=IndicationSupport.objects.select_related("indication").order_by(
                "indication__order", "indication__slug"
            ),
        ),
        Prefetch(
            "interactions",
            queryset=Interaction.objects.only("id", "nutrient_id", "target", "level").order_by(),
        ),
    )
    rows = [
        NutrientRow(
            nutrient=nutrient,
            supports=list(nutrient.supports.all()),
            interactions=summarise_interactions(nutrient.interactions.all()),
        )
        for nutrient in nutrients
    ]
    filtered = form.is_bound and any(form.cleaned_data.values())
    return render(
        request,
        "gutbrain/nutrient_list.html",
        {"form": form, "rows": rows, "filtered": filtered},
    )


@login_required
@require_safe
def nutrient_detail(request: HttpRequest, slug: str) -> HttpResponse:
    nutrient = _get_published_nutrient(slug, Nutrient.objects.with_details())
    interactions = _sorted_interactions(nutrient.interactions.all())
    used: dict[int, Reference] = {}
    for references in (
        nutrient.references.all(),
        *(form.references.all() for form in nutrient.forms.all()),
        *(food.references.all() for food in nutrient.food_sources.all()),
        *(support.references.all() for support in nutrient.supports.all()),
        *(summary.references.all() for summary in nutrient.evidence.all()),
        *(row.references.all() for row in interactions),
    ):
        used.update((ref.pk, ref) for ref in references)
    return render(
        request,
        "gutbrain/nutrient_detail.html",
        {
            "nutrient": nutrient,
            "interactions": interactions,
            "interaction_summary": summarise_interactions(interactions),
            "references": sorted(used.values(), key=lambda ref: ref.number),
        },
    )


# Figure 1 ----------------------------------------------------------------------------


def _factor_stages(
    indications: Iterable[Indication], supports: Iterable[IndicationSupport]
) -> list[figures.Stage]:
    """Figure 1's columns from the indications and the nutrients that support them."""
    links: dict[int, list[figures.Link]] = defaultdict(list)
    for support in supports:
        links[support.indication_id].append(
            figures.Link(support.nutrient.tr("name"), support.nutrient.get_absolute_url())
        )
    Category = Indication.Category
    psychological, other, complaints = [], [], []
    gut: dict[int, list[Indication]] = defaultdict(list)
    for indication in indications:
        stage = indication.figure_stage
        if indication.category == Category.COMPLAINT:
            complaints.append(indication)
        elif stage in (2, 3) or (stage is None and indication.category == Category.GUT):
            gut[stage or 2].append(indication)
        elif indication.category == Category.PSYCHOLOGICAL:
            psychological.append(indication)
        else:
            other.append(indication)

    def factors(group: list[Indication]) -> tuple[figures.Factor, ...]:
        return tuple(figures.Factor(i.tr("name"), tuple(links[i.pk])) for i in group)

    stages = [
        figures.Stage(
            number=1,
            heading=_("Causal factors"),
            groups=tuple(
                group
                for group in (
                    figures.FactorGroup(_("Psychological factors"), factors(psychological)),
                    figures.FactorGroup("", factors(other)),
                )
                if group.factors
            ),
        )
    ]
    for number, tone in ((2, "gut"), (3, "inflammation")):
        group = gut.get(number, [])
        if len(group) == 1:
            # One box, one factor: its name is the box's heading.
            only = group[0]
            stages.append(
                figures.Stage(
                    number,
                    only.tr("name"),
                    (figures.FactorGroup("", (figures.Factor("", tuple(links[only.pk])),)),),
                    tone,
                )
            )
        elif group:
            stages.append(
                figures.Stage(number, "", (figures.FactorGroup("", factors(group)),), tone)
            )
    if complaints:
        stages.append(
            figures.Stage(
                None,
                _("Health complaints, including"),
                (figures.FactorGroup("", factors(complaints)),),
                "complaints",
            )
        )
    return stages


@login_required
@require_safe
def factor_map(request: HttpRequest) -> HttpResponse:
    supports = (
        IndicationSupport.objects.filter(nutrient__is_published=True)
        .select_related("nutrient")
        .order_by(F("nutrient__figure_number").asc(nulls_last=True), "nutrient__slug")
    )
    stages = _factor_stages(Indication.objects.all(), supports)
    title = _("The brain–gut axis: causal factors, the gut and the nutrients that support them")
    figure = figures.factor_map(
        figure_id="factor-map",
        title=title,
        description=_(
            "Causal factors (1) lead to dysbiosis and intestinal hyperpermeability (2), "
            "then to intestinal inflammation (3) and health complaints; the inflammation may "
            "reinforce the causal factors. The table below gives the same content."
        ),
        stages=stages,
        feedback_label=_("Inflammation may reinforce the causal factors"),
    )
    return render(
        request, "gutbrain/factor_map.html", {"stages": stages, "figure": figure, "title": title}
    )


# Interactions ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassNode:
    medicine_class: MedicineClass
    medicines: list[Medicine]
    children: list["ClassNode"]


def _class_tree(classes: list[MedicineClass], medicines: list[Medicine]) -> list[ClassNode]:
    """The medicine classes as nested under their parents, each with the reference
    medicines that fall in it (through its own prefixes or those of a nested class)."""
    rules = load_medicine_classes()
    by_parent: dict[int | None, list[MedicineClass]] = defaultdict(list)
    ids = {cls.pk for cls in classes}
    for cls in classes:
        by_parent[cls.parent_id if cls.parent_id in ids else None].append(cls)

    def nodes(parent: int | None, seen: frozenset[int]) -> list[ClassNode]:
        return [
            ClassNode(
                medicine_class=cls,
                medicines=[m for m in medicines if rules[cls.pk].matching([m.atc_code])],
                children=nodes(cls.pk, seen | {cls.pk}),
            )
            for cls in sorted(by_parent.get(parent, []), key=lambda c: c.tr("name").lower())
            if cls.pk not in seen
        ]

    return nodes(None, frozenset())


@login_required
@require_safe
def interaction_overview(request: HttpRequest) -> HttpResponse:
    nutrients = _published_nutrients().prefetch_related(
        Prefetch(
            "interactions",
            queryset=Interaction.objects.select_related("medicine_class").prefetch_related(
                "references"
            ),
        )
    )
    rows = [(nutrient, _sorted_interactions(nutrient.interactions.all())) for nutrient in nutrients]
    tree = _class_tree(list(MedicineClass.objects.all()), list(Medicine.objects.all()))
    return render(
        request,
        "gutbrain/interaction_overview.html",
        {
            "rows": rows,
            "class_tree": tree,
            # `clear` is what the check says for a client, never a row of this table.
            "levels": [level for level in Level if level != Level.CLEAR],
        },
    )


# Topics ------------------------------------------------------------------------------


@login_required
@require_safe
def topic_list(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.filter(is_published=True)
    return render(request, "gutbrain/topic_list.html", {"topics": topics})


@login_required
@require_safe
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = _get_published_topic(
        slug, Topic.objects.prefetch_related("references", "pathway_steps")
    )
    steps = list(topic.pathway_steps.all())
    pathway = None
    if steps:
        pathway = figures.pathway_diagram(
            figure_id=f"pathway-{topic.slug}",
            title=_("Pathway: %(steps)s") % {"steps": " → ".join(s.tr("substance") for s in steps)},
            steps=[figures.PathwayNode(s.tr("substance"), s.tr("conversion")) for s in steps],
        )
    return render(
        request,
        "gutbrain/topic_detail.html",
        {"topic": topic, "steps": steps, "pathway": pathway},
    )
