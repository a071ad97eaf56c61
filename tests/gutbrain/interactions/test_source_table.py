"""The check against the real knowledge base follows the source's interaction overview
for every nutrient and every medicine of the reference list (CONTENT-MAP.md section 6,
MEDICATION-CLASSES.md)."""

import pytest

from gutbrain.interactions import check, load_table

# Every medicine of the reference list, with the classes of the table it belongs to, by
# hand: the source's classes (MEDICATION-CLASSES.md, first table) and the editors'
# clinical completion (its second edition). Nesting is written out: a benzodiazepine is
# also a sedative and a psychotropic drug.
BENZODIAZEPINE = {"benzodiazepines", "sedatives", "psychotropic"}
ANTIPSYCHOTIC = {"antipsychotics", "sedatives", "psychotropic"}
ANTIDEPRESSANT = {"antidepressants", "psychotropic"}
MAOI = ANTIDEPRESSANT | {"mao-inhibitors"}
MEDICINES: dict[str, tuple[str, set[str]]] = {
    "oxazepam": ("N05BA04", BENZODIAZEPINE),
    "diazepam": ("N05BA01", BENZODIAZEPINE),
    "temazepam": ("N05CD07", BENZODIAZEPINE),
    "zolpidem": ("N05CF02", {"sedatives", "psychotropic"}),
    "haloperidol": ("N05AD01", ANTIPSYCHOTIC),
    "quetiapine": ("N05AH04", ANTIPSYCHOTIC),
    "lithium": ("N05AN01", ANTIPSYCHOTIC),
    "sertraline": ("N06AB06", ANTIDEPRESSANT),
    "citalopram": ("N06AB04", ANTIDEPRESSANT),
    "amitriptyline": ("N06AA09", ANTIDEPRESSANT),
    "mirtazapine": ("N06AX11", ANTIDEPRESSANT),
    "fenelzine": ("N06AF03", MAOI),
    "tranylcypromine": ("N06AF04", MAOI),
    "moclobemide": ("N06AG02", MAOI),
    "selegiline": ("N04BD01", {"mao-inhibitors", "acetylcholine"}),
    "levodopa": ("N04BA01", {"acetylcholine"}),
    "pilocarpine": ("S01EB01", {"acetylcholine"}),
    "methylfenidaat": ("N06BA04", {"psychotropic"}),
    "levothyroxine": ("H03AA01", {"thyroid"}),
    "ciclosporine": ("L04AD01", {"immunosuppressants"}),
    "tacrolimus": ("L04AD02", {"immunosuppressants"}),
    "valproïnezuur": ("N03AG01", {"anti-epileptics", "psychotropic"}),
    "lamotrigine": ("N03AX09", {"anti-epileptics", "psychotropic"}),
    "levetiracetam": ("N03AX14", {"anti-epileptics"}),
    "acenocoumarol": ("B01AA07", {"blood-thinners"}),
    "apixaban": ("B01AF02", {"blood-thinners"}),
    "clopidogrel": ("B01AC04", {"blood-thinners"}),
    "metformine": ("A10BA02", {"glucose"}),
    "gliclazide": ("A10BB09", {"glucose"}),
    "amlodipine": ("C08CA01", {"blood-pressure"}),
    "metoprolol": ("C07AB02", {"blood-pressure"}),
    "lisinopril": ("C09AA03", {"blood-pressure"}),
    "hydrochloorthiazide": ("C03AA03", {"blood-pressure"}),
    "donepezil": ("N06DA02", {"acetylcholine", "psychotropic"}),
    "baclofen": ("M03BX01", {"acetylcholine"}),
    "omeprazol": ("A02BC01", set()),
    # The clinical completion (second edition of MEDICATION-CLASSES.md).
    "clonazepam": ("N03AE01", BENZODIAZEPINE | {"anti-epileptics"}),
    "fenobarbital": ("N03AA02", {"sedatives", "psychotropic", "anti-epileptics"}),
    "promethazine": ("R06AD02", {"sedatives", "psychotropic"}),
    "linezolid": ("J01XX08", {"mao-inhibitors"}),
    "methylthioninium chloride": ("V03AB17", {"mao-inhibitors"}),
    "procarbazine": ("L01XB01", {"mao-inhibitors", "immunosuppressants"}),
    "prednisolon": ("H02AB06", {"immunosuppressants"}),
    "methotrexaat": ("L01BA01", {"immunosuppressants"}),
    "hydroxychloroquine": ("P01BA02", {"immunosuppressants"}),
    "pregabaline": ("N02BF02", {"anti-epileptics"}),
    "gabapentine": ("N02BF01", {"anti-epileptics"}),
    "pyridostigmine": ("N07AA02", {"acetylcholine"}),
    "oxybutynine": ("G04BD04", {"acetylcholine"}),
    "carbamazepine": ("N03AF01", {"anti-epileptics", "psychotropic"}),
    "methadon": ("N07BC02", {"psychotropic"}),
    "buprenorfine": ("N07BC01", {"psychotropic"}),
}


def expected(nutrient: str, medicine: str) -> str:
    """The level the source gives for one nutrient and one medicine, by hand from its
    interaction overview (CONTENT-MAP.md section 6)."""
    classes = MEDICINES[medicine][1]
    if nutrient in {"zinc", "melatonin"}:
        return "no_data"
    if nutrient in {"prebiotics", "probiotics", "saffron"}:
        return "none_known"
    if nutrient == "magnesium":
        return "separate_intake"
    if nutrient == "valerian":
        return "consult"
    if nutrient == "tryptophan":
        return "avoid" if "mao-inhibitors" in classes else "consult"
    if nutrient == "ashwagandha":
        hit = classes & {"sedatives", "immunosuppressants", "thyroid"}
        return "monitor" if hit else "clear"
    if nutrient in {"lemon-balm", "gaba"}:
        return "monitor" if "sedatives" in classes else "clear"
    if nutrient == "rhodiola":
        return "monitor" if "psychotropic" in classes else "clear"
    if nutrient == "bacopa":
        return "consult" if "acetylcholine" in classes else "clear"
    if nutrient == "glutamine":
        return "consult" if "anti-epileptics" in classes else "clear"
    if nutrient == "theanine":
        return "monitor" if "blood-pressure" in classes else "clear"
    if nutrient == "mushrooms":
        if classes & {"immunosuppressants", "blood-thinners"}:
            return "consult"
        return "monitor" if classes & {"glucose", "blood-pressure"} else "clear"
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


def test_the_matrix_covers_the_whole_reference_list(table):
    assert set(table.reference) == {code for code, _ in MEDICINES.values()}


@pytest.mark.parametrize("medicine", sorted(MEDICINES))
def test_every_nutrient_follows_the_source_for_every_medicine(table, medicine):
    result = check(table, NUTRIENTS, [MEDICINES[medicine][0]])
    answers = {r.nutrient: r.level for r in result.results}
    assert answers == {n: expected(n, medicine) for n in NUTRIENTS}


def test_without_medicines_only_the_statements_of_the_source_remain(table):
    answers = {r.nutrient: r.level for r in check(table, NUTRIENTS, []).results}
    assert answers["zinc"] == answers["melatonin"] == "no_data"
    # "No interactions known" is said of medicines: it does not apply without any.
    assert {n for n, level in answers.items() if level == "clear"} == set(NUTRIENTS) - {
        "zinc",
        "melatonin",
    }


@pytest.mark.parametrize("situation", ["pregnant", "breastfeeding"])
def test_pregnancy_and_breastfeeding_follow_the_source(table, situation):
    result = check(table, NUTRIENTS, [], **{situation: True})
    answers = {r.nutrient: r.level for r in result.results}
    assert {n for n, level in answers.items() if level == "avoid"} == PREGNANCY_ADVISED_AGAINST
    # Where the source is silent, nothing recorded is said, never clear.
    assert {n for n, level in answers.items() if level == "no_data"} == (
        set(NUTRIENTS) - PREGNANCY_ADVISED_AGAINST
    )
