"""The check against the real knowledge base follows the source's interaction overview
for every nutrient and every medicine class (CONTENT-MAP.md section 6,
MEDICATION-CLASSES.md)."""

import pytest

from gutbrain.interactions import check, load_table

# One reference medicine for each class of the table.
MEDICINE = {
    "benzodiazepine": "N05BA04",  # oxazepam
    "hypnotic-benzo": "N05CD07",  # temazepam
    "z-drug": "N05CF02",  # zolpidem: a sedative, not a benzodiazepine
    "antipsychotic": "N05AD01",  # haloperidol
    "ssri": "N06AB06",  # sertraline
    "maoi": "N06AF03",  # phenelzine
    "mao-b": "N04BD01",  # selegiline
    "stimulant": "N06BA04",  # methylphenidate: psychotropic, not a sedative
    "immunosuppressant": "L04AD01",  # ciclosporin
    "thyroid": "H03AA01",  # levothyroxine
    "alzheimer": "N06DA02",  # donepezil
    "parkinson": "N04BA01",  # levodopa
    "glaucoma": "S01EB01",  # pilocarpine
    "muscle-relaxant": "M03BX01",  # baclofen
    "anti-epileptic": "N03AG01",  # valproic acid
    "blood-thinner": "B01AA07",  # acenocoumarol
    "glucose": "A10BA02",  # metformin
    "blood-pressure": "C07AB02",  # metoprolol
    "ppi": "A02BC01",  # omeprazole: in no class
}

SEDATIVE = {"benzodiazepine", "hypnotic-benzo", "z-drug", "antipsychotic"}
PSYCHOTROPIC = SEDATIVE | {"ssri", "maoi", "stimulant", "alzheimer"}
ACETYLCHOLINE = {"alzheimer", "parkinson", "mao-b", "glaucoma", "muscle-relaxant"}


def expected(nutrient: str, medicine: str) -> str:
    """The level the source gives for one nutrient and one medicine, by hand."""
    if nutrient in {"zinc", "melatonin"}:
        return "no_data"
    if nutrient in {"prebiotics", "probiotics", "saffron"}:
        return "none_known"
    if nutrient == "magnesium":
        return "separate_intake"
    if nutrient == "valerian":
        return "consult"
    if nutrient == "tryptophan":
        return "avoid" if medicine in {"maoi", "mao-b"} else "consult"
    if nutrient == "ashwagandha":
        hit = medicine in SEDATIVE | {"immunosuppressant", "thyroid"}
        return "monitor" if hit else "clear"
    if nutrient in {"lemon-balm", "gaba"}:
        return "monitor" if medicine in SEDATIVE else "clear"
    if nutrient == "rhodiola":
        return "monitor" if medicine in PSYCHOTROPIC else "clear"
    if nutrient == "bacopa":
        return "consult" if medicine in ACETYLCHOLINE else "clear"
    if nutrient == "glutamine":
        return "consult" if medicine == "anti-epileptic" else "clear"
    if nutrient == "theanine":
        return "monitor" if medicine == "blood-pressure" else "clear"
    if nutrient == "mushrooms":
        if medicine in {"immunosuppressant", "blood-thinner"}:
            return "consult"
        return "monitor" if medicine in {"glucose", "blood-pressure"} else "clear"
    raise AssertionError(f"no expectation for {nutrient}")


NUTRIENTS = [
    "magnesium",
    "zinc",
    "rhodiola",
    "lemon-balm",
    "ashwagandha",
    "mushrooms",
    "theanine",
    "bacopa",
    "gaba",
    "saffron",
    "valerian",
    "melatonin",
    "tryptophan",
    "prebiotics",
    "probiotics",
    "glutamine",
]
PREGNANCY_ADVISED_AGAINST = (
    set(NUTRIENTS)
    - {"magnesium", "zinc", "melatonin"}
    - {
        "prebiotics",
        "probiotics",
    }
)


@pytest.fixture
def table(knowledge_base):
    return load_table()


def test_the_table_knows_all_sixteen_nutrients(table):
    assert table.nutrients == set(NUTRIENTS)


@pytest.mark.parametrize("medicine", sorted(MEDICINE))
def test_every_nutrient_follows_the_source_for_each_medicine_class(table, medicine):
    result = check(table, NUTRIENTS, [MEDICINE[medicine]])
    answers = {r.nutrient: r.level for r in result.results}
    assert answers == {n: expected(n, medicine) for n in NUTRIENTS}


def test_without_medicines_only_the_statements_of_the_source_remain(table):
    answers = {r.nutrient: r.level for r in check(table, NUTRIENTS, []).results}
    assert answers["zinc"] == answers["melatonin"] == "no_data"
    assert answers["saffron"] == answers["prebiotics"] == answers["probiotics"] == "none_known"
    assert {n for n, level in answers.items() if level == "clear"} == set(NUTRIENTS) - {
        "zinc",
        "melatonin",
        "saffron",
        "prebiotics",
        "probiotics",
    }


@pytest.mark.parametrize("situation", ["pregnant", "breastfeeding"])
def test_pregnancy_and_breastfeeding_follow_the_source(table, situation):
    result = check(table, NUTRIENTS, [], **{situation: True})
    avoided = {r.nutrient for r in result.results if r.level == "avoid"}
    assert avoided == PREGNANCY_ADVISED_AGAINST
    reasons = {f.reason for r in result.results for f in r.findings}
    assert reasons == {"pregnancy" if situation == "pregnant" else "breastfeeding"}


def test_a_benzodiazepine_triggers_the_sedatives_row_through_nesting(table):
    (finding,) = check(table, ["ashwagandha"], ["N05BA01"]).results[0].findings
    assert finding.medicine_class.slug == "sedatives"
    assert finding.atc_codes == ("N05BA01",)


def test_the_magnesium_rule_names_the_timing(table):
    (finding,) = check(table, ["magnesium"], ["A02BC01"]).results[0].findings
    assert "2 uur" in finding.advice_nl and "4 uur" in finding.advice_nl
    assert "2 hours" in finding.advice_en and "4 hours" in finding.advice_en
