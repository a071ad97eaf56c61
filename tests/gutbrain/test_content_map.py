"""The loaded knowledge base holds every fact of the source, section by section of
/work/shared/seed/CONTENT-MAP.md (and MEDICATION-CLASSES.md for the medicine classes).

Each test names what it expects by hand, from the source, so that a fact missing from
`fixtures/knowledge_base.json` fails here.
"""

from decimal import Decimal

import pytest
from django.apps import apps

from gutbrain.interactions.table import load_medicine_classes
from gutbrain.models import (
    EvidenceSummary,
    FoodSource,
    Indication,
    IndicationSupport,
    Interaction,
    Medicine,
    MedicineClass,
    Nutrient,
    NutrientForm,
    PathwayStep,
    Reference,
    Topic,
)

pytestmark = pytest.mark.usefixtures("knowledge_base")

# Section 1: figure number, slug, Dutch name, English name, kind.
NUTRIENTS = [
    (1, "magnesium", "Magnesium", "Magnesium", "mineral"),
    (2, "zinc", "Zink", "Zinc", "mineral"),
    (3, "rhodiola", "Rhodiola", "Rhodiola", "herb"),
    (4, "lemon-balm", "Citroenmelisse", "Lemon balm", "herb"),
    (5, "ashwagandha", "Ashwagandha", "Ashwagandha", "herb"),
    (6, "mushrooms", "Paddenstoelen", "Medicinal mushrooms", "mushroom"),
    (7, "theanine", "Theanine", "L-theanine", "amino_acid"),
    (8, "bacopa", "Bacopa", "Bacopa", "herb"),
    (9, "gaba", "GABA", "GABA", "neurotransmitter"),
    (10, "saffron", "Saffraan", "Saffron", "herb"),
    (11, "valerian", "Valeriaan", "Valerian", "herb"),
    (12, "melatonin", "Melatonine", "Melatonin", "hormone"),
    (13, "tryptophan", "Tryptofaan", "Tryptophan", "amino_acid"),
    (14, "prebiotics", "Prebiotica", "Prebiotics", "fibre"),
    (15, "probiotics", "Probiotica", "Probiotics", "probiotic"),
    (16, "glutamine", "Glutamine", "Glutamine", "amino_acid"),
]


def refs(obj) -> set[int]:
    return set(obj.references.values_list("number", flat=True))


# --- Section 1: the sixteen nutrients -------------------------------------------------


def test_the_sixteen_nutrients_are_in_figure_order_with_their_names_slugs_and_kinds():
    rows = list(
        Nutrient.objects.order_by("figure_number").values_list(
            "figure_number", "slug", "name_nl", "name_en", "kind"
        )
    )
    assert rows == NUTRIENTS


def test_each_nutrient_has_the_primary_key_of_its_figure_number():
    assert all(n.pk == n.figure_number for n in Nutrient.objects.all())


def test_every_nutrient_is_published():
    assert Nutrient.objects.published().count() == 16


# --- Section 2: figure 1 --------------------------------------------------------------

INDICATIONS = {
    # slug: (category, stage)
    "stress": ("psychological", 1),
    "depressive-feelings-burnout": ("psychological", 1),
    "anxious-feelings": ("psychological", 1),
    "sleep-problems": ("psychological", 1),
    "western-diet": ("other_factor", 1),
    "food-hypersensitivities": ("other_factor", 1),
    "metabolic-syndrome": ("other_factor", 1),
    "pathogenic-infections": ("other_factor", 1),
    "medicines-antibiotics": ("other_factor", 1),
    "dysbiosis-hyperpermeability": ("gut", 2),
    "intestinal-inflammation": ("gut", 3),
    "chronic-fatigue": ("complaint", None),
    "food-hypersensitivity-complaints": ("complaint", None),
    "allergies": ("complaint", None),
    "autoimmune-disorders": ("complaint", None),
}


def test_figure_1_holds_every_factor_stage_and_complaint_with_its_category():
    rows = Indication.objects.values_list("slug", "category", "figure_stage")
    assert {slug: (cat, stage) for slug, cat, stage in rows} == INDICATIONS


def test_figure_1_names_the_factors_in_the_sources_words():
    names = dict(Indication.objects.values_list("slug", "name_nl"))
    assert names["depressive-feelings-burnout"] == "Depressieve gevoelens & burn-out"
    assert names["medicines-antibiotics"] == "Geneesmiddelen / antibiotica"
    assert names["western-diet"] == "Westerse voeding"
    assert names["autoimmune-disorders"] == "Auto-immuunaandoeningen"
    assert names["allergies"] == "Allergieën"


def test_the_inflammation_stage_describes_the_dotted_line():
    inflammation = Indication.objects.get(slug="intestinal-inflammation")
    assert "stippellijn" in inflammation.description_nl
    assert "dotted line" in inflammation.description_en


def test_figure_1_maps_each_factor_to_its_supporting_nutrients():
    mapping: dict[str, set[int]] = {}
    for slug, number in IndicationSupport.objects.values_list(
        "indication__slug", "nutrient__figure_number"
    ):
        mapping.setdefault(slug, set()).add(number)
    assert mapping == {
        "stress": set(range(1, 10)),
        "depressive-feelings-burnout": {10},
        "anxious-feelings": {5, 9},
        "sleep-problems": {4, 11, 12, 13},
        "dysbiosis-hyperpermeability": {14, 15, 16},
    }
    assert set(IndicationSupport.objects.values_list("source_location", flat=True)) == {"Figuur 1"}


def test_the_gut_support_rows_note_the_11_to_13_layout_artefact():
    gut = IndicationSupport.objects.filter(indication__slug="dysbiosis-hyperpermeability")
    assert gut.count() == 3
    for support in gut:
        assert "11 t/m 13" in support.note_nl
        assert "opmaakfout" in support.note_nl
        assert "layout artefact" in support.note_en
    others = IndicationSupport.objects.exclude(indication__slug="dysbiosis-hyperpermeability")
    assert not others.exclude(note_nl="").exists()


# --- Section 3: support sections ------------------------------------------------------

NUTRIENT_REFERENCES = {
    "magnesium": {38},
    "zinc": set(),
    "rhodiola": {39, 40},
    "lemon-balm": {28, 29},
    "ashwagandha": {30, 31, 32, 33, 41, 42, 48, 49, 50},
    "mushrooms": {25},
    "theanine": {34, 35, 36, 37},
    "bacopa": {26, 27},
    "gaba": {3},
    "saffron": {43, 44, 45, 46, 47},
    "valerian": {52},
    "melatonin": {5},
    "tryptophan": {1, 25},
    "prebiotics": {14, 15, 19},
    "probiotics": {16, 17, 18, 19},
    "glutamine": {20, 21, 22, 23, 24},
}


@pytest.mark.parametrize("slug", sorted(NUTRIENT_REFERENCES))
def test_each_nutrient_cites_the_references_of_its_support_section(slug):
    assert refs(Nutrient.objects.get(slug=slug)) == NUTRIENT_REFERENCES[slug]


# slug: phrases its Dutch description or mechanisms must hold (the role in the source).
ROLES = {
    "magnesium": ["HPA-as", "neurotransmitters", "slaap-waakcyclus", "BDNF", "ADHD"],
    "rhodiola": ["cortisolgehaltes", "adaptogeen"],
    "lemon-balm": ["kalmeert", "angst", "cognitie in perioden van stress"],
    "ashwagandha": ["GABA-receptoren", "serotonine", "weerstand tegen stress", "dopamine"],
    "mushrooms": ["bron van aminozuren", "tryptofaan"],
    "theanine": ["200 mg L-theanine", "aandacht en de focus", "dopamine en GABA"],
    "bacopa": ["brahmi", "acetylcholine", "microbioom"],
    "gaba": ["kleine studies", "stress en onrust"],
    "saffron": ["heropname van serotonine", "oxidatieve schade", "imipramine", "fluoxetine"],
    "valerian": ["goede slaap", "(rustgevende) kruiden"],
    "tryptophan": ["voorloper van serotonine", "melatonine"],
    "prebiotics": ["fermentatie", "korteketenvetzuren", "darmwand"],
    "probiotics": ["levensvatbare bacteriën", "cytokines", "tight junctions", "autisme"],
    "glutamine": ["enterocyten", "lymfocyten", "NF-κB", "permeabiliteit"],
}


@pytest.mark.parametrize("slug", sorted(ROLES))
def test_each_nutrient_describes_its_role_and_mechanisms(slug):
    nutrient = Nutrient.objects.get(slug=slug)
    text = nutrient.description_nl + "\n" + nutrient.mechanisms_nl
    for phrase in ROLES[slug]:
        assert phrase in text, phrase
    assert nutrient.mechanisms_nl.count("\n") == nutrient.mechanisms_en.count("\n")


@pytest.mark.parametrize("slug", ["zinc", "melatonin"])
def test_zinc_and_melatonin_say_only_that_figure_1_lists_them(slug):
    nutrient = Nutrient.objects.get(slug=slug)
    assert "figuur 1" in nutrient.description_nl
    assert "geen werking, dosering of interacties" in nutrient.description_nl
    assert "figure 1" in nutrient.description_en.lower()
    assert nutrient.mechanisms_nl == nutrient.mechanisms_en == ""
    assert nutrient.usual_dose_amount is None
    assert not nutrient.evidence.exists()


def test_only_theanine_saffron_and_ashwagandha_have_a_dose_each_the_dose_of_a_study():
    # "Uit onderzoek blijkt dat 200 mg L-theanine …", "Uit klinisch onderzoek blijkt dat
    # 30 mg saffraan per dag …", "… dat 300 mg ashwagandha per dag …": what a study used,
    # not a usual dose.
    doses = {
        n.slug: (n.usual_dose_amount, n.usual_dose_unit, n.usual_dose_nl, n.dose_basis)
        for n in Nutrient.objects.exclude(usual_dose_amount=None)
    }
    assert doses == {
        "theanine": (Decimal("200"), "mg", "200 mg L-theanine", "study"),
        "saffron": (Decimal("30"), "mg", "30 mg per dag", "study"),
        "ashwagandha": (Decimal("300"), "mg", "300 mg per dag", "study"),
    }
    assert not Nutrient.objects.filter(usual_dose_amount=None).exclude(usual_dose_nl="").exists()
    assert not Nutrient.objects.filter(dose_basis="usual").exclude(usual_dose_amount=None).exists()


FOOD_SOURCES = {
    "prebiotics": [
        "Zoete aardappel",
        "Schorseneren",
        "Pompoen",
        "Pastinaak",
        "Artisjok",
        "Asperge",
        "Ui",
        "Banaan",
        "Appels",
        "Bessen",
    ],
    "probiotics": ["Yoghurt", "Kimchi", "Sommige rauwmelkse kazen"],
    "glutamine": ["Vlees", "Vis", "Melkproducten", "Eieren", "Bonen", "Noten", "Kool"],
    "tryptophan": [
        "Vlees",
        "Vis",
        "Melkproducten",
        "Eieren",
        "Bananen",
        "Avocado",
        "Peulvruchten",
        "Paddenstoelen",
    ],
}


def test_only_the_nutrients_the_source_gives_foods_for_have_food_sources():
    assert set(FoodSource.objects.values_list("nutrient__slug", flat=True)) == set(FOOD_SOURCES)


@pytest.mark.parametrize("slug", sorted(FOOD_SOURCES))
def test_each_food_source_list_is_complete_and_in_the_sources_order(slug):
    foods = FoodSource.objects.filter(nutrient__slug=slug).order_by("order")
    assert [f.name_nl for f in foods] == FOOD_SOURCES[slug]
    assert all(f.name_en for f in foods)


def test_glutamine_food_sources_cite_reference_23():
    for food in FoodSource.objects.filter(nutrient__slug="glutamine"):
        assert refs(food) == {23}


def test_mushrooms_are_a_food_source_of_tryptophan_citing_reference_25():
    food = FoodSource.objects.get(nutrient__slug="tryptophan", name_nl="Paddenstoelen")
    assert food.name_en == "Mushrooms"
    assert refs(food) == {25}


# --- Section 4: magnesium forms (table 1) and prebiotic forms ---------------------------


def test_magnesium_has_the_four_forms_of_table_1_with_their_applications():
    forms = NutrientForm.objects.filter(nutrient__slug="magnesium").order_by("order")
    assert [(f.slug, f.name_nl, f.application_nl, f.source_location) for f in forms] == [
        (
            "citrate",
            "Citraat",
            "Extra ondersteuning in de energieproductie (citroenzuurcyclus)",
            "Tabel 1",
        ),
        ("bisglycinate", "Bisglycinaat", "Extra ondersteuning van de gemoedstoestand", "Tabel 1"),
        ("pidolate", "Pidolaat", "Extra ondersteuning van de botten", "Tabel 1"),
        (
            "taurate",
            "Tauraat",
            "Extra ondersteuning van de spieren, het hart en de bloedvaten",
            "Tabel 1 (spelling gecorrigeerd)",
        ),
    ]
    assert "citric acid cycle" in forms[0].application_en


def test_prebiotics_come_in_the_six_supplement_forms_of_the_source():
    forms = NutrientForm.objects.filter(nutrient__slug="prebiotics").order_by("order")
    assert [f.slug for f in forms] == [
        "fos",
        "gos",
        "inulin",
        "guar-fibre",
        "pectin",
        "acacia-fibre",
    ]
    names = [f.name_nl for f in forms]
    assert names[0].startswith("FOS") and "fructo-oligosacchariden" in names[0]
    assert names[1].startswith("GOS") and "galacto-oligosacchariden" in names[1]
    assert names[2:] == ["Inuline", "Guarboonvezels", "Pectines", "Acaciavezels"]


def test_only_magnesium_and_prebiotics_have_forms():
    assert set(NutrientForm.objects.values_list("nutrient__slug", flat=True)) == {
        "magnesium",
        "prebiotics",
    }


# --- Section 5: evidence ----------------------------------------------------------------


def outcomes(summary: EvidenceSummary) -> list[tuple]:
    return [
        (o.measure_nl, o.intervention_change, o.comparator_change, o.unit, o.result_nl)
        for o in summary.outcomes.order_by("order")
    ]


def test_the_saffron_trial_box_holds_its_design_population_dose_duration_and_results():
    trial = EvidenceSummary.objects.get(nutrient__slug="saffron", design="rct")
    assert refs(trial) == {43}
    assert trial.indication.slug == "depressive-feelings-burnout"
    assert trial.participants == 40
    assert "depressieve gevoelens" in trial.population_nl
    assert (trial.dose_amount, trial.dose_unit) == (Decimal("30"), "mg")
    assert trial.duration_days == 42
    assert trial.comparator_nl == "placebo"
    # "Ruim 50%" and "ruim 20%" are lower bounds: no exact figures, which a chart would
    # draw as exact.
    assert outcomes(trial) == [
        (
            "Depressieve gevoelens",
            None,
            None,
            "%",
            "Na 6 weken ruim 50% minder depressieve gevoelens in saffraangroep t.o.v. "
            "ruim 20% in placebogroep.",
        ),
        (
            "Stressklachten",
            None,
            None,
            "%",
            "Al na 1 week significante verbetering van stressklachten t.o.v. placebo.",
        ),
    ]


def test_the_saffron_trial_says_more_than_50_and_20_percent_in_english_too():
    outcome = EvidenceSummary.objects.get(nutrient__slug="saffron", design="rct").outcomes.get(
        measure_nl="Depressieve gevoelens"
    )
    assert outcome.result_en == (
        "After 6 weeks, more than 50% fewer depressive feelings in the saffron group against "
        "more than 20% in the placebo group."
    )


def test_the_ashwagandha_trial_box_holds_its_design_population_dose_duration_and_results():
    trial = EvidenceSummary.objects.get(nutrient__slug="ashwagandha", design="rct")
    assert refs(trial) == {42}
    assert trial.indication.slug == "stress"
    assert trial.participants == 64
    assert "langdurige stress" in trial.population_nl
    assert (trial.dose_amount, trial.dose_unit) == (Decimal("300"), "mg")
    assert trial.duration_days == 60
    assert trial.comparator_nl == "placebo"
    rows = outcomes(trial)
    assert [(m, i, c) for m, i, c, _, _ in rows] == [
        ("Cortisol", None, None),
        ("Alle stressschalen, waaronder DASS", None, None),
        ("Angstschaal", Decimal("-75.6"), Decimal("4.3")),
        ("Stressschaal", Decimal("-64.2"), Decimal("-10.4")),
    ]
    assert "DASS (Depressie-, Angst- en Stressschaal)" in rows[1][4]
    assert rows[2][4].startswith("75,6% daling") and "4,3% toename" in rows[2][4]
    assert rows[3][4].startswith("64,2% daling") and "10,4% afname" in rows[3][4]


def test_the_dosed_claims_are_evidence_summaries_with_their_references_and_indications():
    found = [
        (s.nutrient.slug, refs(s), s.design, s.indication.slug, s.dose_amount)
        for s in EvidenceSummary.objects.select_related("nutrient", "indication")
    ]
    assert sorted(found, key=repr) == sorted(
        [
            ("saffron", {43}, "rct", "depressive-feelings-burnout", Decimal("30")),
            ("ashwagandha", {42}, "rct", "stress", Decimal("300")),
            ("theanine", {36}, "clinical_study", "stress", Decimal("200")),
            ("ashwagandha", {50}, "clinical_study", "anxious-feelings", Decimal("300")),
            ("saffron", {45, 46, 47}, "comparative", "depressive-feelings-burnout", Decimal("30")),
            ("prebiotics", {19}, "review", "depressive-feelings-burnout", None),
            ("prebiotics", {19}, "review", "anxious-feelings", None),
            ("probiotics", {19}, "review", "depressive-feelings-burnout", None),
            ("probiotics", {19}, "review", "anxious-feelings", None),
            ("rhodiola", {39, 40}, "clinical_study", "stress", None),
            ("gaba", {3}, "small_studies", "stress", None),
        ],
        key=repr,
    )


def test_the_saffron_comparison_names_both_antidepressants_and_their_doses():
    comparison = EvidenceSummary.objects.get(nutrient__slug="saffron", design="comparative")
    assert "100 mg imipramine per dag" in comparison.comparator_nl
    assert "20 mg fluoxetine per dag" in comparison.comparator_nl


def test_the_combined_programme_lists_its_other_parts():
    programme = EvidenceSummary.objects.get(nutrient__slug="ashwagandha", design="clinical_study")
    for part in ["voedingsvoorlichting", "ademhalingstechnieken", "multivitaminepreparaat"]:
        assert part in programme.summary_nl


def test_the_pre_and_probiotics_review_belongs_to_both_and_covers_depression_and_anxiety():
    # "Uit een review blijkt dat suppletie met pre- en probiotica de mentale
    # gezondheid … kan verbeteren bij mensen met … depressie, angststoornissen, …" (ref 19)
    reviews = EvidenceSummary.objects.filter(design="review").select_related(
        "nutrient", "indication"
    )
    assert {(r.nutrient.slug, r.indication.slug) for r in reviews} == {
        ("prebiotics", "depressive-feelings-burnout"),
        ("prebiotics", "anxious-feelings"),
        ("probiotics", "depressive-feelings-burnout"),
        ("probiotics", "anxious-feelings"),
    }
    titles = {r.indication.slug: (r.title_nl, r.title_en) for r in reviews}
    assert titles == {
        "depressive-feelings-burnout": (
            "Pre- en probiotica bij depressie (review)",
            "Pre- and probiotics in depression (review)",
        ),
        "anxious-feelings": (
            "Pre- en probiotica bij angststoornissen (review)",
            "Pre- and probiotics in anxiety disorders (review)",
        ),
    }
    for review in reviews:
        assert refs(review) == {19}
        assert "pre- en probiotica" in review.summary_nl
        assert "depressie, angststoornissen, alzheimer en autisme" in review.summary_nl
        assert "prebiotics and probiotics together" in review.summary_en
        assert review.certainty == "low"


def test_every_evidence_summary_states_its_grade_certainty_in_a_sentence():
    wording = {"low": ("laag", "low"), "very_low": ("zeer laag", "very low")}
    for summary in EvidenceSummary.objects.all():
        nl, en = wording[summary.certainty]
        assert f"Zekerheid (GRADE, oordeel van de redactie): {nl}" in summary.summary_nl
        assert f"Certainty (GRADE, editors' judgement): {en}" in summary.summary_en


def test_the_single_small_trials_are_low_and_the_small_studies_very_low_certainty():
    certainty = {
        (s.nutrient.slug, s.design): s.certainty
        for s in EvidenceSummary.objects.select_related("nutrient")
    }
    assert certainty[("saffron", "rct")] == "low"
    assert certainty[("ashwagandha", "rct")] == "low"
    assert certainty[("probiotics", "review")] == "low"
    assert certainty[("gaba", "small_studies")] == "very_low"


# --- Medicine classes and medicines (MEDICATION-CLASSES.md) ------------------------------

CLASSES = {
    # slug: (prefixes, parent slug, Dutch name)
    "psychotropic-drugs": ("N05, N06", None, "Psychofarmaca (alle)"),
    "sedatives": ("N05", "psychotropic-drugs", "Kalmeringsmiddelen"),
    "benzodiazepines": ("N05BA, N05CD", "sedatives", "Benzodiazepinen"),
    "antipsychotics": ("N05A", "sedatives", "Antipsychotica"),
    "antidepressants": ("N06A", "psychotropic-drugs", "Antidepressiva"),
    "mao-inhibitors": ("N06AF, N06AG, N04BD", None, "MAO-remmers"),
    "immunosuppressants": ("L04", None, "Immuunonderdrukkers"),
    "thyroid-hormones": ("H03A", None, "Schildklierhormonen"),
    "acetylcholine-metabolism": (
        "N06D, N04, S01E, M03",
        None,
        "Middelen op het acetylcholinemetabolisme",
    ),
    "anti-epileptics": ("N03", None, "Anti-epileptica"),
    "blood-thinners": ("B01", None, "Bloedverdunners"),
    "blood-glucose-lowering": ("A10", None, "Bloedglucoseverlagers"),
    "blood-pressure-lowering": ("C02, C03, C07, C08, C09", None, "Bloeddrukverlagers"),
}


def test_the_medicine_classes_nest_with_the_atc_prefixes_of_the_classes_table():
    found = {
        c.slug: (c.atc_prefixes, c.parent.slug if c.parent else None, c.name_nl)
        for c in MedicineClass.objects.select_related("parent")
    }
    assert found == CLASSES


# "Clinical completion of the classes": slug: (the editors' additions, an example substance
# the reason names for each added prefix).
EDITOR_ADDITIONS = {
    "benzodiazepines": ("N03AE", ["N03AE01"]),
    "sedatives": ("N03AE, N03AA, R06AD02", ["N03AE01", "N03AA02", "R06AD02"]),
    "psychotropic-drugs": (
        "N03AE, N03AA, N03AG01, N03AF01, N03AX09, N07B",
        ["N03AE01", "N03AA02", "N03AG01", "N03AF01", "N03AX09", "N07BC02", "N07BC01"],
    ),
    "mao-inhibitors": ("J01XX08, V03AB17, L01XB01", ["J01XX08", "V03AB17", "L01XB01"]),
    "immunosuppressants": ("H02AB, L01, P01BA02", ["H02AB06", "L01BA01", "P01BA02"]),
    "acetylcholine-metabolism": ("N07AA, A03B, G04BD", ["N07AA02", "A03B", "G04BD04"]),
    "anti-epileptics": ("N02BF", ["N02BF02", "N02BF01"]),
}


def test_seven_classes_gain_the_editors_additions_apart_from_the_brochures_prefixes():
    found = {c.slug: c.editor_prefixes for c in MedicineClass.objects.exclude(editor_prefixes="")}
    assert found == {slug: prefixes for slug, (prefixes, _) in EDITOR_ADDITIONS.items()}


@pytest.mark.parametrize("slug", sorted(EDITOR_ADDITIONS))
def test_each_addition_gives_its_reason_naming_the_example_substances(slug):
    medicine_class = MedicineClass.objects.get(slug=slug)
    for code in EDITOR_ADDITIONS[slug][1]:
        assert code in medicine_class.editor_note_nl, code
        assert code in medicine_class.editor_note_en, code


def test_the_classes_without_additions_have_no_note():
    plain = MedicineClass.objects.filter(editor_prefixes="")
    assert plain.count() == 6
    assert not plain.exclude(editor_note_nl="", editor_note_en="").exists()


def test_the_examples_of_the_additions_fall_in_their_classes():
    classes = {rule.slug: rule for rule in load_medicine_classes().values()}
    for slug, (_, examples) in EDITOR_ADDITIONS.items():
        codes = [code for code in examples if len(code) == 7]
        assert classes[slug].matching(codes) == tuple(codes), slug


NEW_MEDICINES = {
    "N03AE01": "clonazepam",
    "N03AA02": "fenobarbital",
    "R06AD02": "promethazine",
    "J01XX08": "linezolid",
    "V03AB17": "methylthioniniumchloride (methyleenblauw)",
    "L01XB01": "procarbazine",
    "H02AB06": "prednisolon",
    "L01BA01": "methotrexaat",
    "P01BA02": "hydroxychloroquine",
    "N02BF02": "pregabaline",
    "N02BF01": "gabapentine",
    "N07AA02": "pyridostigmine",
    "G04BD04": "oxybutynine",
    "N03AF01": "carbamazepine",
    "N07BC02": "methadon",
    "N07BC01": "buprenorfine",
}


def test_the_reference_list_holds_52_medicines_with_their_atc_codes():
    medicines = dict(Medicine.objects.values_list("atc_code", "name"))
    assert len(medicines) == 52
    assert medicines["N05BA04"] == "oxazepam"
    assert medicines["N04BD01"] == "selegiline"
    assert medicines["A02BC01"] == "omeprazol"
    assert medicines["M03BX01"] == "baclofen"
    assert {code: medicines[code] for code in NEW_MEDICINES} == NEW_MEDICINES


def test_the_reference_list_uses_the_dutch_names():
    medicines = dict(Medicine.objects.values_list("atc_code", "name"))
    assert {
        code: medicines[code]
        for code in ["S01EB01", "N03AG01", "L04AD01", "A10BA02", "C03AA03", "N06BA04", "N06AF03"]
    } == {
        "S01EB01": "pilocarpine (oogdruppels)",
        "N03AG01": "valproïnezuur",
        "L04AD01": "ciclosporine",
        "A10BA02": "metformine",
        "C03AA03": "hydrochloorthiazide",
        "N06BA04": "methylfenidaat",
        "N06AF03": "fenelzine",
    }


# --- Section 6: the interaction overview -----------------------------------------------

INTERACTIONS = {
    # (nutrient, class slug or target): level
    ("ashwagandha", "sedatives"): "monitor",
    ("ashwagandha", "immunosuppressants"): "monitor",
    ("ashwagandha", "thyroid-hormones"): "monitor",
    ("bacopa", "acetylcholine-metabolism"): "consult",
    ("lemon-balm", "sedatives"): "monitor",
    ("gaba", "sedatives"): "monitor",
    ("glutamine", "anti-epileptics"): "consult",
    ("magnesium", "any_medicine"): "separate_intake",
    ("mushrooms", "immunosuppressants"): "consult",
    ("mushrooms", "blood-thinners"): "consult",
    ("mushrooms", "blood-glucose-lowering"): "monitor",
    ("mushrooms", "blood-pressure-lowering"): "monitor",
    ("prebiotics", "any_medicine"): "none_known",
    ("probiotics", "any_medicine"): "none_known",
    ("rhodiola", "psychotropic-drugs"): "monitor",
    ("saffron", "any_medicine"): "none_known",
    ("theanine", "blood-pressure-lowering"): "monitor",
    ("tryptophan", "mao-inhibitors"): "avoid",
    ("tryptophan", "any_medicine"): "consult",
    ("valerian", "any_medicine"): "consult",
}
PREGNANCY_ADVISED_AGAINST = {
    "ashwagandha",
    "bacopa",
    "lemon-balm",
    "gaba",
    "glutamine",
    "mushrooms",
    "rhodiola",
    "saffron",
    "theanine",
    "tryptophan",
    "valerian",
}
for _slug in PREGNANCY_ADVISED_AGAINST:
    INTERACTIONS[(_slug, "pregnancy")] = "avoid"
    INTERACTIONS[(_slug, "breastfeeding")] = "avoid"


def test_the_interaction_table_has_exactly_the_rows_of_the_source():
    found = {
        (row.nutrient.slug, row.medicine_class.slug if row.medicine_class else row.target): (
            row.level
        )
        for row in Interaction.objects.select_related("nutrient", "medicine_class")
    }
    assert Interaction.objects.count() == len(INTERACTIONS)
    assert found == INTERACTIONS


@pytest.mark.parametrize("slug", ["zinc", "melatonin"])
def test_zinc_and_melatonin_have_no_interaction_rows(slug):
    assert not Interaction.objects.filter(nutrient__slug=slug).exists()


def test_every_interaction_row_is_practice_advice_from_the_overview_without_references():
    rows = Interaction.objects.all()
    assert {r.evidence_level for r in rows} == {"practice_advice"}
    assert {r.source_location for r in rows} == {
        "Interactieoverzicht",
        "Interactieoverzicht (spelling gecorrigeerd)",
    }
    assert not Interaction.references.through.objects.exists()


# The brochure's sentences, its own spelling errors corrected (migration 0008).
ADVICE = {
    ("ashwagandha", "sedatives"): (
        "Bij het gebruik van kalmeringsmiddelen (o.a. benzodiazepinen en antipsychotica), "
        "immuunonderdrukkers en schildklierhormonen is het raadzaam om de effecten van de "
        "medicijnen te monitoren en/of te overleggen met de behandelend arts."
    ),
    ("magnesium", "any_medicine"): (
        "Gebruik magnesium 2 uur vóór of 4 uur na inname van medicijnen."
    ),
    ("prebiotics", "any_medicine"): "Geen interacties bekend.",
    ("tryptophan", "mao-inhibitors"): (
        "Het gebruik van tryptofaan in combinatie met monoamineoxidaseremmers (MAO-remmers) "
        "wordt afgeraden."
    ),
    ("tryptophan", "any_medicine"): (
        "Bij het gebruik van andere medicatie (o.a. antidepressiva) is het raadzaam om te "
        "overleggen met de behandelend arts."
    ),
    ("mushrooms", "blood-glucose-lowering"): (
        "Bij het gebruik van bloedglucoseverlagende en bloeddrukverlagende middelen is het "
        "raadzaam om de bloedsuikerwaarden en bloeddruk te controleren en/of te overleggen met "
        "de behandelend arts."
    ),
    ("rhodiola", "psychotropic-drugs"): (
        "Bij het gebruik van kalmeringsmiddelen (alle psychofarmaca) is het raadzaam om de "
        "effecten van de medicijnen te monitoren en/of te overleggen met de behandelend arts."
    ),
    ("bacopa", "pregnancy"): "Gebruik tijdens de zwangerschap en de borstvoeding wordt afgeraden.",
    ("valerian", "breastfeeding"): (
        "Gebruik tijdens de zwangerschap en de borstvoeding wordt afgeraden."
    ),
}


@pytest.mark.parametrize("key", sorted(ADVICE))
def test_interaction_advice_is_the_brochures_own_sentence(key):
    nutrient, what = key
    rows = Interaction.objects.filter(nutrient__slug=nutrient)
    row = (
        rows.get(target=what)
        if what in {"any_medicine", "pregnancy", "breastfeeding"}
        else (rows.get(medicine_class__slug=what))
    )
    assert row.advice_nl == ADVICE[key]
    assert row.advice_en


# --- Section 7: the explanatory topics ---------------------------------------------------

TOPICS = {
    # slug: (Dutch phrases, references)
    "brain-gut-axis": (
        ["hersen-darm-as of darm-hersen-as", "nervus vagus", "5-HTP", "korteketenvetzuren"],
        {1, 13},
    ),
    "figure-1-cascade": (
        ["stippellijn", "tight junctions", "- chronische vermoeidheid", "11 t/m 13"],
        set(),
    ),
    "neurotransmitters": (["L-dopa", "bloed-hersen-barrière"], {2, 3}),
    "serotonin": (
        [
            "- Botvorming",
            "95% van de serotonine",
            "tryptofaanhydroxylase",
            "serotoninetransporters",
            "avocado",
        ],
        {1, 4, 5, 6, 7, 8, 9},
    ),
    "gaba": (["belangrijkste remmende neurotransmitter", "glutamaat", "bindingsplekken"], {1, 9}),
    "catecholamines": (["adrenaline, noradrenaline en dopamine", "- Besluitvorming"], {1, 10, 11}),
    "short-chain-fatty-acids": (
        ["Meer dan 95%", "butyraat, acetaat en propionaat", "chronische stress"],
        {1},
    ),
    "vagus-nerve": (["snelste en meest directe", "prikkelbare darmsyndroom"], {1, 12}),
    "immune-system": (["darmslijmvlies", "ontstekingsbevorderende cytokines"], {1}),
    "integrated-approach": (["integrale aanpak", "meditatie en mindfulness", "beweging"], set()),
    "adaptogens": (["ongeacht de richting van de verandering"], {30, 31, 32, 33, 39, 40, 41, 42}),
    "sleep-and-microbiome": (["afwijkend microbioom"], {51}),
}


def test_the_explanatory_topics_are_all_there():
    assert set(Topic.objects.values_list("slug", flat=True)) == set(TOPICS)


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_each_topic_holds_its_key_facts_and_references(slug):
    topic = Topic.objects.get(slug=slug)
    phrases, numbers = TOPICS[slug]
    for phrase in phrases:
        assert phrase in topic.body_nl, phrase
    assert refs(topic) == numbers
    assert topic.body_nl.count("\n\n") == topic.body_en.count("\n\n")


def test_the_topics_give_the_key_facts_in_english_too():
    bodies = dict(Topic.objects.values_list("slug", "body_en"))
    assert "95% of serotonin" in bodies["serotonin"]
    assert "butyrate, acetate and propionate" in bodies["short-chain-fatty-acids"]
    assert "L-dopa" in bodies["neurotransmitters"]


def test_figure_2_is_the_pathway_from_tryptophan_to_melatonin():
    steps = PathwayStep.objects.filter(topic__slug="serotonin").order_by("order")
    assert [(s.substance_nl, s.conversion_nl) for s in steps] == [
        ("Tryptofaan", "Hydroxylatie en decarboxylatie"),
        ("Serotonine", "N-acetyltransferase"),
        ("N-acetylserotonine", "Hydroxylindol-O-methyltransferase"),
        ("Melatonine", ""),
    ]
    assert [s.substance_en for s in steps] == [
        "Tryptophan",
        "Serotonin",
        "N-acetylserotonin",
        "Melatonin",
    ]
    assert PathwayStep.objects.count() == 4


# --- Across the whole knowledge base ------------------------------------------------------


def test_every_reference_number_from_1_to_52_exists_without_a_citation():
    assert list(Reference.objects.values_list("pk", "number", "citation")) == [
        (n, n, "") for n in range(1, 53)
    ]


def test_every_reference_number_is_cited_somewhere():
    cited: set[int] = set()
    for model in apps.get_app_config("gutbrain").get_models():
        for field in model._meta.many_to_many:
            if field.related_model is Reference:
                through = field.remote_field.through
                cited |= set(through.objects.values_list("reference__number", flat=True))
    assert cited == set(range(1, 53))


def test_every_dutch_text_has_an_english_translation():
    missing = []
    for model in apps.get_app_config("gutbrain").get_models():
        names = {f.name for f in model._meta.concrete_fields}
        pairs = [n[:-3] for n in names if n.endswith("_nl") and f"{n[:-3]}_en" in names]
        for obj in model.objects.all():
            for base in pairs:
                nl, en = getattr(obj, f"{base}_nl"), getattr(obj, f"{base}_en")
                if bool(nl) != bool(en):
                    missing.append(f"{model.__name__} {obj.pk} {base}")
    assert missing == []


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Nutrient, ["name", "description"]),
        (NutrientForm, ["name", "application"]),
        (FoodSource, ["name"]),
        (Indication, ["name", "description"]),
        (MedicineClass, ["name", "description"]),
        (Interaction, ["advice"]),
        (EvidenceSummary, ["title", "summary"]),
        (Topic, ["title", "body"]),
        (PathwayStep, ["substance"]),
    ],
)
def test_every_statement_has_dutch_and_english_text(model, fields):
    assert model.objects.exists()
    for obj in model.objects.all():
        for field in fields:
            assert getattr(obj, f"{field}_nl").strip(), f"{model.__name__} {obj.pk} {field}_nl"
            assert getattr(obj, f"{field}_en").strip(), f"{model.__name__} {obj.pk} {field}_en"
