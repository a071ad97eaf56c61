"""Suggested nutrients for a consult's complaints, from the arrows of figure 1.

`rank_suggestions` is pure: it takes the arrows (`IndicationSupport`), the evidence rows
and the interaction table as plain data, so the ranking is tested without a database.
`load_suggestion_data` fetches that data for the chosen complaints in two queries.

A nutrient supporting at least one chosen complaint is suggested, ranked by
- the best certainty of its evidence summaries for the chosen complaints (a nutrient
  without such evidence comes last), then
- the number of chosen complaints it supports, then
- its place in figure 1.
A nutrient the interaction check advises against for this client (`avoid`) is left out
of the ranking and listed as omitted, with the findings that say why.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _

from gutbrain.interactions.rules import Finding, InteractionTable, check
from gutbrain.models import EvidenceSummary, IndicationSupport
from practice.checking import left_out_because

# Most certain first, as `EvidenceSummary.Certainty` lists them.
CERTAINTY_ORDER: tuple[str, ...] = tuple(EvidenceSummary.Certainty.values)
_CERTAINTY_RANK = {certainty: rank for rank, certainty in enumerate(CERTAINTY_ORDER)}


@dataclass(frozen=True)
class SupportRow:
    """One arrow of figure 1: the nutrient can support the indication."""

    indication: str
    indication_name: str
    nutrient: str
    nutrient_name: str


@dataclass(frozen=True)
class EvidenceRow:
    nutrient: str
    indication: str
    certainty: str


@dataclass(frozen=True)
class Suggestion:
    nutrient: str
    name: str
    complaints: tuple[str, ...]
    """Names of the chosen complaints the nutrient supports, in figure order."""
    best_certainty: str | None
    """The best certainty of its evidence for the chosen complaints; None without any."""
    level: str
    """What the interaction check answers for this client (never `avoid`)."""

    @property
    def certainty_label(self) -> str:
        if self.best_certainty is None:
            return ""
        return str(EvidenceSummary.Certainty(self.best_certainty).label)


@dataclass(frozen=True)
class Omission:
    nutrient: str
    name: str
    findings: tuple[Finding, ...]
    """The `avoid` findings that leave the nutrient out."""


@dataclass(frozen=True)
class Suggestions:
    ranked: tuple[Suggestion, ...]
    omitted: tuple[Omission, ...]


def rank_suggestions(
    *,
    complaints: Iterable[str],
    supports: Sequence[SupportRow],
    evidence: Iterable[EvidenceRow],
    table: InteractionTable,
    atc_codes: Iterable[str],
    pregnant: bool,
    breastfeeding: bool,
) -> Suggestions:
    """The nutrients supporting the chosen `complaints` (indication slugs), ranked.

    `supports` come in figure order; that order breaks ties. Arrows to nutrients the
    interaction table does not know (unpublished) are ignored.
    """
    chosen = set(complaints)
    names: dict[str, str] = {}
    supported: dict[str, list[str]] = {}
    for row in supports:
        if row.indication not in chosen or row.nutrient not in table.nutrients:
            continue
        names[row.nutrient] = row.nutrient_name
        supported.setdefault(row.nutrient, [])
        if row.indication_name not in supported[row.nutrient]:
            supported[row.nutrient].append(row.indication_name)

    best: dict[str, str] = {}
    for row in evidence:
        if row.indication not in chosen or row.nutrient not in supported:
            continue
        current = best.get(row.nutrient)
        if current is None or _CERTAINTY_RANK[row.certainty] < _CERTAINTY_RANK[current]:
            best[row.nutrient] = row.certainty

    result = check(table, supported, atc_codes, pregnant=pregnant, breastfeeding=breastfeeding)
    ranked: list[Suggestion] = []
    omitted: list[Omission] = []
    for nutrient_result in result.results:
        slug = nutrient_result.nutrient
        if nutrient_result.level == "avoid":
            omitted.append(
                Omission(
                    nutrient=slug,
                    name=names[slug],
                    findings=tuple(f for f in nutrient_result.findings if f.level == "avoid"),
                )
            )
            continue
        ranked.append(
            Suggestion(
                nutrient=slug,
                name=names[slug],
                complaints=tuple(supported[slug]),
                best_certainty=best.get(slug),
                level=nutrient_result.level,
            )
        )
    figure_order = {slug: rank for rank, slug in enumerate(supported)}
    ranked.sort(
        key=lambda s: (
            _CERTAINTY_RANK.get(s.best_certainty, len(CERTAINTY_ORDER)),
            -len(s.complaints),
            figure_order[s.nutrient],
        )
    )
    return Suggestions(ranked=tuple(ranked), omitted=tuple(omitted))


def omission_reason(omission: Omission) -> str:
    """ "Ashwagandha is left out: advised against during pregnancy"."""
    phrases = list(dict.fromkeys(left_out_because(f) for f in omission.findings))
    return _("%(nutrient)s is left out: %(reasons)s") % {
        "nutrient": omission.name,
        "reasons": "; ".join(phrases),
    }


def load_suggestion_data(
    complaint_slugs: Iterable[str],
) -> tuple[list[SupportRow], list[EvidenceRow]]:
    """The arrows and evidence rows for these complaints, in two queries."""
    slugs = list(complaint_slugs)
    if not slugs:
        return [], []
    supports = [
        SupportRow(
            indication=support.indication.slug,
            indication_name=support.indication.tr("name"),
            nutrient=support.nutrient.slug,
            nutrient_name=support.nutrient.tr("name"),
        )
        for support in IndicationSupport.objects.filter(
            indication__slug__in=slugs, nutrient__is_published=True
        )
        .select_related("indication", "nutrient")
        .order_by(
            F("nutrient__figure_number").asc(nulls_last=True),
            "nutrient__slug",
            "indication__order",
            "indication__slug",
        )
    ]
    evidence = [
        EvidenceRow(nutrient=nutrient, indication=indication, certainty=certainty)
        for nutrient, indication, certainty in EvidenceSummary.objects.filter(
            indication__slug__in=slugs, nutrient__is_published=True
        ).values_list("nutrient__slug", "indication__slug", "certainty")
    ]
    return supports, evidence
