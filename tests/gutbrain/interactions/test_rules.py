"""The interaction rules, tested without a database."""

from dataclasses import replace

import pytest

from gutbrain.interactions.rules import (
    LEVEL_ORDER,
    InteractionTable,
    MedicineClassRule,
    NotChecked,
    OwnSupplement,
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
        "probiotics": (
            rule("probiotics", "any_medicine", "none_known"),
            rule("probiotics", "pregnancy", "none_known"),
        ),
    },
    nutrients=frozenset(
        {"ashwagandha", "magnesium", "saffron", "tryptophan", "zinc", "probiotics"}
    ),
    classes=(MAOI, SEDATIVES),
    reference={"N05BA04": "oxazepam", "N06AF03": "fenelzine"},
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
    result = check(TABLE, ["zinc"], ["N05BA04"])
    assert levels(result) == {"zinc": "no_data"}
    assert result.results[0].findings == ()
    assert result.worst_level == "no_data"


def test_a_nutrient_without_rows_says_so_for_pregnancy_too():
    result = check(TABLE, ["zinc"], ["N05BA04"], pregnant=True)
    assert levels(result) == {"zinc": "no_data"}
    assert [(f.level, f.reason) for f in result.results[0].findings] == [("no_data", "pregnancy")]


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


def test_no_interactions_known_with_medicines_says_nothing_to_a_client_without_any():
    assert levels(check(TABLE, ["saffron"], [])) == {"saffron": "clear"}


def test_pregnancy_without_a_row_for_it_is_a_no_data_finding_not_clear():
    result = check(TABLE, ["magnesium"], [], pregnant=True)
    assert levels(result) == {"magnesium": "no_data"}
    (finding,) = result.results[0].findings
    assert (finding.level, finding.reason) == ("no_data", "pregnancy")
    assert "zwangerschap" in finding.advice_nl
    assert "pregnancy" in finding.advice_en
    assert result.worst_level == "no_data"


def test_nothing_recorded_for_a_state_tells_the_client_to_ask_their_doctor():
    result = check(TABLE, ["magnesium"], [], pregnant=True, breastfeeding=True)
    breastfeeding, pregnancy = result.results[0].findings
    assert pregnancy.client_advice_nl == (
        "Over gebruik tijdens de zwangerschap is niets bekend. Dat betekent niet dat het "
        "veilig is: vraag het uw arts of verloskundige."
    )
    assert pregnancy.client_advice_en == (
        "Nothing is known about use during pregnancy. That does not mean it is safe: ask "
        "your doctor or midwife."
    )
    assert breastfeeding.client_advice_nl.startswith(
        "Over gebruik tijdens de borstvoeding is niets bekend."
    )
    assert breastfeeding.client_advice_en.startswith("Nothing is known about use while")


def test_a_finding_carries_the_rows_client_text_with_its_placeholder():
    tryptophan = replace(
        rule("tryptophan", "medicine_class", "avoid", MAOI),
        client_advice_nl="Gebruik dit niet samen met {medicines}.",
        client_advice_en="Do not use this together with {medicines}.",
    )
    table = replace(TABLE, rules={**TABLE.rules, "tryptophan": (tryptophan,)})

    (finding,) = check(table, ["tryptophan"], ["N06AF03"]).results[0].findings

    assert finding.client_advice_nl == "Gebruik dit niet samen met {medicines}."
    assert finding.client_advice_en == "Do not use this together with {medicines}."


def test_a_row_without_a_client_text_gives_a_finding_without_one():
    (finding,) = check(TABLE, ["tryptophan"], ["N05BA04"]).results[0].findings
    assert (finding.client_advice_nl, finding.client_advice_en) == ("", "")


def test_the_client_text_is_part_of_the_digest():
    tryptophan = replace(
        rule("tryptophan", "any_medicine", "consult"), client_advice_nl="Overleg met uw arts."
    )
    table = replace(TABLE, rules={**TABLE.rules, "tryptophan": (tryptophan,)})

    assert (
        check(table, ["tryptophan"], ["N05BA04"]).digest
        != check(TABLE, ["tryptophan"], ["N05BA04"]).digest
    )


def test_breastfeeding_without_a_row_for_it_is_a_no_data_finding():
    result = check(TABLE, ["saffron"], ["N05BA04"], breastfeeding=True)
    assert levels(result) == {"saffron": "no_data"}
    assert [(f.level, f.reason) for f in result.results[0].findings] == [
        ("no_data", "breastfeeding")
    ]


def test_a_stated_finding_outranks_nothing_recorded_for_pregnancy():
    result = check(TABLE, ["magnesium"], ["N05BA04"], pregnant=True)
    assert levels(result) == {"magnesium": "separate_intake"}
    assert [f.level for f in result.results[0].findings] == ["separate_intake", "no_data"]


def test_none_known_for_pregnancy_answers_a_pregnant_client():
    result = check(TABLE, ["probiotics"], [], pregnant=True)
    assert levels(result) == {"probiotics": "none_known"}
    assert result.results[0].findings == ()


def test_none_known_for_pregnancy_does_not_answer_for_breastfeeding():
    result = check(TABLE, ["probiotics"], [], pregnant=True, breastfeeding=True)
    assert levels(result) == {"probiotics": "no_data"}
    assert [f.reason for f in result.results[0].findings] == ["breastfeeding"]


def test_none_known_for_pregnancy_says_nothing_when_the_client_is_not_pregnant():
    assert levels(check(TABLE, ["probiotics"], [])) == {"probiotics": "clear"}


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


def test_every_medicine_is_answered_with_its_classes_and_reference_list_entry():
    result = check(TABLE, ["zinc"], ["N05BA04", "N06AF03", "A02BC01"])
    assert [(m.atc_code, m.name, m.in_reference_list, m.classes) for m in result.medicines] == [
        ("N05BA04", "oxazepam", True, ("sedatives",)),
        ("N06AF03", "fenelzine", True, ("mao-inhibitors",)),
        ("A02BC01", None, False, ()),
    ]


def test_the_clients_own_name_of_a_medicine_comes_first():
    result = check(TABLE, ["zinc"], ["N05BA04"], medicine_names={"N05BA04": "Seresta"})
    assert result.medicines[0].name == "Seresta"
    assert result.medicines[0].in_reference_list


def test_the_plain_check_has_no_sources_and_nothing_unchecked():
    result = check(TABLE, ["zinc"], [])
    assert result.results[0].source is None
    assert result.not_checked == ()


def test_own_supplements_are_checked_after_the_lines_and_marked():
    result = check(
        TABLE,
        ["magnesium"],
        ["N06AF03"],
        own_supplements=[
            OwnSupplement("Tryptofaan 500", "tryptophan"),
            OwnSupplement("Magnesium van de drogist", "magnesium"),
        ],
    )
    assert [(r.nutrient, r.source, r.level) for r in result.results] == [
        ("magnesium", "protocol", "separate_intake"),
        ("tryptophan", "own_supplement", "avoid"),
    ]
    assert result.worst_level == "avoid"


def test_own_supplements_outside_the_knowledge_base_are_not_checked_and_said_so():
    result = check(
        TABLE,
        ["magnesium"],
        [],
        own_supplements=[
            OwnSupplement("Sint-janskruid", None),
            OwnSupplement("Unpublished herb", "unpublished-herb"),
        ],
    )
    assert [r.nutrient for r in result.results] == ["magnesium"]
    assert result.not_checked == (
        NotChecked("Sint-janskruid", "not_in_knowledge_base"),
        NotChecked("Unpublished herb", "not_in_knowledge_base"),
    )


def test_the_digest_is_the_same_for_the_same_answer():
    first = check(TABLE, ["ashwagandha", "zinc"], ["N05BA04"])
    again = check(TABLE, ["ashwagandha", "zinc"], [" n05ba04 "])
    assert first.digest == again.digest
    assert len(first.digest) == 64


@pytest.mark.parametrize(
    "change",
    [
        {"atc_codes": ["N05BA04", "A02BC01"]},
        {"pregnant": True},
        {"breastfeeding": True},
        {"nutrients": ["ashwagandha"]},
        {"own_supplements": [OwnSupplement("Sint-janskruid", None)]},
    ],
)
def test_the_digest_changes_with_what_was_checked(change):
    question = {"nutrients": ["ashwagandha", "zinc"], "atc_codes": ["N05BA04"]}
    before = check(TABLE, **question)
    assert check(TABLE, **{**question, **change}).digest != before.digest


def test_the_digest_changes_when_the_table_says_something_else():
    before = check(TABLE, ["magnesium"], ["N05BA04"])
    (row,) = TABLE.rules["magnesium"]
    edited = replace(
        TABLE, rules={**TABLE.rules, "magnesium": (replace(row, advice_nl="Anders."),)}
    )
    assert check(edited, ["magnesium"], ["N05BA04"]).digest != before.digest
