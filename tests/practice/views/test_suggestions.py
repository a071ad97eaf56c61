"""Suggested nutrients for a consult's complaints: the pure ranking, then the loader
against the real knowledge base."""

import pytest
from django.utils.translation import override

from gutbrain.interactions import load_table
from gutbrain.interactions.rules import InteractionTable, MedicineClassRule, Rule
from practice.suggestions import (
    EvidenceRow,
    SupportRow,
    load_suggestion_data,
    omission_reason,
    rank_suggestions,
)

MAOI = MedicineClassRule("mao-inhibitors", "MAO-remmers", "MAO inhibitors", ("N06AF",))


def rule(nutrient: str, target: str, level: str, cls: MedicineClassRule | None = None) -> Rule:
    return Rule(nutrient, target, level, f"advies {level}", f"advice {level}", (), cls)


TABLE = InteractionTable(
    rules={
        "ashwagandha": (rule("ashwagandha", "pregnancy", "avoid"),),
        "magnesium": (rule("magnesium", "any_medicine", "separate_intake"),),
        "tryptophan": (rule("tryptophan", "medicine_class", "avoid", MAOI),),
    },
    nutrients=frozenset({"ashwagandha", "magnesium", "theanine", "tryptophan", "zinc"}),
)


def support(indication: str, nutrient: str) -> SupportRow:
    return SupportRow(indication, indication.title(), nutrient, nutrient.title())


# In figure order: magnesium, zinc, ashwagandha, theanine, tryptophan.
SUPPORTS = [
    support("stress", "magnesium"),
    support("stress", "zinc"),
    support("sleep", "zinc"),
    support("stress", "ashwagandha"),
    support("anxiety", "ashwagandha"),
    support("stress", "theanine"),
    support("sleep", "tryptophan"),
    support("stress", "unpublished-herb"),
]


def rank(complaints, evidence=(), atc_codes=(), pregnant=False, breastfeeding=False):
    return rank_suggestions(
        complaints=complaints,
        supports=SUPPORTS,
        evidence=evidence,
        table=TABLE,
        atc_codes=atc_codes,
        pregnant=pregnant,
        breastfeeding=breastfeeding,
    )


def slugs(suggestions) -> list[str]:
    return [s.nutrient for s in suggestions.ranked]


def test_without_complaints_nothing_is_suggested():
    assert rank([]).ranked == ()
    assert rank([]).omitted == ()


def test_the_best_certainty_of_evidence_for_the_chosen_complaints_ranks_first():
    evidence = [
        EvidenceRow("theanine", "stress", "very_low"),
        EvidenceRow("theanine", "stress", "moderate"),
        EvidenceRow("ashwagandha", "stress", "low"),
        # Evidence for a complaint that was not chosen does not count.
        EvidenceRow("magnesium", "anxiety", "high"),
    ]
    result = rank(["stress"], evidence)
    assert slugs(result) == ["theanine", "ashwagandha", "magnesium", "zinc"]
    assert [s.best_certainty for s in result.ranked] == ["moderate", "low", None, None]


def test_among_equal_evidence_more_matching_complaints_rank_higher():
    result = rank(["stress", "sleep"])
    assert slugs(result)[0] == "zinc"
    assert result.ranked[0].complaints == ("Stress", "Sleep")
    assert slugs(result) == ["zinc", "magnesium", "ashwagandha", "theanine", "tryptophan"]


def test_evidence_outweighs_the_number_of_matching_complaints():
    result = rank(["stress", "sleep"], [EvidenceRow("theanine", "stress", "very_low")])
    assert slugs(result)[:2] == ["theanine", "zinc"]


def test_a_nutrient_advised_against_for_this_client_is_left_out_with_its_reason():
    result = rank(["stress", "anxiety"], pregnant=True)
    assert "ashwagandha" not in slugs(result)
    [omission] = result.omitted
    assert omission.nutrient == "ashwagandha"
    assert [f.reason for f in omission.findings] == ["pregnancy"]
    with override("en"):
        assert omission_reason(omission) == (
            "Ashwagandha is left out: advised against during pregnancy"
        )


def test_a_medicine_finding_names_the_class_and_the_medicine():
    result = rank(["sleep"], atc_codes=["N06AF03"])
    [omission] = result.omitted
    with override("en"):
        assert omission_reason(omission) == (
            "Tryptophan is left out: advised against with MAO inhibitors (N06AF03)"
        )
    assert slugs(result) == ["zinc"]


def test_a_suggestion_carries_the_check_level_for_this_client():
    result = rank(["stress"], atc_codes=["N05BA04"])
    levels = {s.nutrient: s.level for s in result.ranked}
    assert levels["magnesium"] == "separate_intake"
    assert levels["zinc"] == "no_data"


def test_arrows_to_nutrients_the_table_does_not_know_are_ignored():
    assert "unpublished-herb" not in slugs(rank(["stress"]))


@pytest.mark.django_db
def test_the_knowledge_base_ranks_ashwagandha_first_for_stress_and_leaves_it_out_in_pregnancy(
    knowledge_base, django_assert_num_queries
):
    # Queries: the arrows (with indication and nutrient), the evidence rows.
    with django_assert_num_queries(2):
        supports, evidence = load_suggestion_data(["stress", "anxious-feelings"])

    def ranked(pregnant: bool):
        return rank_suggestions(
            complaints=["stress", "anxious-feelings"],
            supports=supports,
            evidence=evidence,
            table=load_table(),
            atc_codes=[],
            pregnant=pregnant,
            breastfeeding=False,
        )

    result = ranked(pregnant=False)
    # Ashwagandha has low-certainty evidence for stress; GABA, rhodiola and theanine very
    # low, GABA first as it supports both complaints; the rest none, in figure order.
    assert slugs(result) == [
        "ashwagandha",
        "gaba",
        "rhodiola",
        "theanine",
        "magnesium",
        "zinc",
        "lemon-balm",
        "mushrooms",
        "bacopa",
    ]
    assert result.ranked[0].best_certainty == "low"

    pregnant = ranked(pregnant=True)
    omitted = [o.nutrient for o in pregnant.omitted]
    assert "ashwagandha" in omitted
    assert "ashwagandha" not in slugs(pregnant)
    with override("nl"):
        reason = omission_reason(next(o for o in pregnant.omitted if o.nutrient == "ashwagandha"))
    assert reason.startswith("Ashwagandha ")
