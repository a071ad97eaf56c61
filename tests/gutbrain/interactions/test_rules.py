"""The interaction rules, tested without a database."""

import pytest

from gutbrain.interactions.rules import (
    LEVEL_ORDER,
    InteractionTable,
    MedicineClassRule,
    Rule,
    UnknownNutrient,
    check,
    worst_level,
)

SEDATIVES = MedicineClassRule("sedatives", "Kalmeringsmiddelen", "Sedatives", ("N05", "N05BA"))
MAOI = MedicineClassRule("mao-inhibitors", "MAO-remmers", "MAO inhibitors", ("N06AF", "N04BD"))


def rule(nutrient: str, target: str, level: str, cls: MedicineClassRule | None = None) -> Rule:
    return Rule(nutrient, target, level, f"advies {level}", f"advice {level}", (7,), cls)


TABLE = InteractionTable(
    rules={
        "ashwagandha": (
            rule("ashwagandha", "medicine_class", "monitor", SEDATIVES),
            rule("ashwagandha", "pregnancy", "avoid"),
            rule("ashwagandha", "breastfeeding", "avoid"),
        ),
        "magnesium": (rule("magnesium", "any_medicine", "separate_intake"),),
        "saffron": (
            rule("saffron", "any_medicine", "none_known"),
            rule("saffron", "pregnancy", "avoid"),
        ),
        "tryptophan": (
            rule("tryptophan", "medicine_class", "avoid", MAOI),
            rule("tryptophan", "any_medicine", "consult"),
        ),
    },
    nutrients=frozenset({"ashwagandha", "magnesium", "saffron", "tryptophan", "zinc"}),
)


def levels(result) -> dict[str, str]:
    return {r.nutrient: r.level for r in result.results}


def test_levels_are_ordered_most_serious_first():
    assert LEVEL_ORDER == (
        "avoid",
        "consult",
        "monitor",
        "separate_intake",
        "no_data",
        "none_known",
        "clear",
    )


def test_nothing_recorded_ranks_above_the_reassuring_answers():
    assert worst_level(["clear", "none_known", "no_data"]) == "no_data"
    assert worst_level(["no_data", "separate_intake"]) == "separate_intake"
    assert worst_level([]) is None


def test_a_nutrient_without_rows_answers_no_data():
    result = check(TABLE, ["zinc"], ["N05BA04"], pregnant=True)
    assert levels(result) == {"zinc": "no_data"}
    assert result.results[0].findings == ()
    assert result.worst_level == "no_data"


def test_a_medicine_matches_a_class_by_atc_prefix():
    result = check(TABLE, ["ashwagandha"], ["N05BA04", "A02BC01"])
    (finding,) = result.results[0].findings
    assert finding.level == "monitor"
    assert finding.reason == "medicine"
    assert finding.atc_codes == ("N05BA04",)
    assert finding.medicine_class is SEDATIVES
    assert finding.references == (7,)


def test_rows_that_do_not_apply_answer_clear():
    assert levels(check(TABLE, ["ashwagandha"], ["A02BC01"])) == {"ashwagandha": "clear"}


def test_no_medicines_at_all_answers_clear_for_class_rows():
    assert levels(check(TABLE, ["ashwagandha"], [])) == {"ashwagandha": "clear"}


def test_pregnancy_and_breastfeeding_each_give_their_own_finding():
    result = check(TABLE, ["ashwagandha"], [], pregnant=True, breastfeeding=True)
    assert result.results[0].level == "avoid"
    assert [f.reason for f in result.results[0].findings] == ["breastfeeding", "pregnancy"]


def test_breastfeeding_alone_is_enough():
    result = check(TABLE, ["ashwagandha"], [], breastfeeding=True)
    assert [f.reason for f in result.results[0].findings] == ["breastfeeding"]


def test_any_medicine_matches_every_code_and_lists_them():
    result = check(TABLE, ["magnesium"], ["A02BC01", "N05BA04"])
    (finding,) = result.results[0].findings
    assert (finding.level, finding.reason) == ("separate_intake", "any_medicine")
    assert finding.atc_codes == ("A02BC01", "N05BA04")


def test_any_medicine_does_not_apply_without_medicines():
    assert levels(check(TABLE, ["magnesium"], [])) == {"magnesium": "clear"}


def test_no_interactions_known_is_its_own_answer():
    assert levels(check(TABLE, ["saffron"], ["N05BA04"])) == {"saffron": "none_known"}


def test_a_stated_avoid_outranks_no_interactions_known():
    result = check(TABLE, ["saffron"], ["N05BA04"], pregnant=True)
    assert levels(result) == {"saffron": "avoid"}
    assert [f.reason for f in result.results[0].findings] == ["pregnancy"]


def test_a_nutrient_takes_its_most_serious_finding_and_keeps_the_others():
    result = check(TABLE, ["tryptophan"], ["N06AF03"])
    assert result.results[0].level == "avoid"
    assert [f.level for f in result.results[0].findings] == ["avoid", "consult"]


def test_worst_level_covers_all_nutrients():
    result = check(TABLE, ["saffron", "magnesium", "zinc"], ["A02BC01"])
    assert levels(result) == {
        "saffron": "none_known",
        "magnesium": "separate_intake",
        "zinc": "no_data",
    }
    assert result.worst_level == "separate_intake"


def test_codes_are_normalised_and_nutrients_answered_once_in_order():
    result = check(TABLE, ["magnesium", "zinc", "magnesium"], [" n05ba04 ", "N05BA04"])
    assert [r.nutrient for r in result.results] == ["magnesium", "zinc"]
    assert result.results[0].findings[0].atc_codes == ("N05BA04",)


def test_an_unknown_nutrient_is_refused_not_answered_no_data():
    with pytest.raises(UnknownNutrient) as exc:
        check(TABLE, ["magnesium", "unicorn-dust"], [])
    assert exc.value.slugs == ["unicorn-dust"]
