"""The knowledge base's Dutch as the editor's review (2 December 2026) asks: the brochure's
own spelling errors corrected, each corrected text saying so, every indication named
once, and the medicine reference list in Dutch."""

import pytest

from gutbrain.models import (
    EvidenceOutcome,
    EvidenceSummary,
    Indication,
    Interaction,
    Medicine,
    MedicineClass,
    Nutrient,
    NutrientForm,
    Topic,
)

pytestmark = pytest.mark.usefixtures("knowledge_base")

NOTE = "Spelling gecorrigeerd ten opzichte van de brochure; de inhoud is ongewijzigd."

# The brochure's wording: none of it may remain.
MISSPELT = [
    "tryptofaan rijke",
    "serotonine niveau",
    "op pijl",
    "immuun-onderdrukkers",
    "acetylcholine metabolisme",
    "bloedglucose en bloeddruk verlagende",
    "monoamine-oxidase remmers",
    "Monoamine-oxidase remmers",
    "slaap-waak cyclus",
    "tryptofaan hydroxylase",
    "serotonine-transporters",
    "GABA bindingsplekken",
    "GABA receptoren",
    "calcium toevoer",
    "dopamine signaal",
    "dopamine-signaal",
    "onrust gevoelens",
    "immuun functie",
    "korte-keten",
    "Korte-keten",
    "review studie",
    "communicatie-routes",
    "neuro-modulerende",
    "Neuro-modulerende",
    "Ashwagandha groep",
    "300 mg Ashwagandha",
    "stress-schalen",
    "Angst-schaal",
    "Stress-schaal",
    "Stress Schaal",
    "verbeteren het herstel",
    "communicatie, kan",
    "het hart- en de bloedvaten",
    "Significante sterkere",
]
CORRECTED = [
    "tryptofaanrijke voeding",
    "serotonineniveau op peil",
    "immuunonderdrukkers",
    "acetylcholinemetabolisme",
    "bloedglucoseverlagende en bloeddrukverlagende middelen",
    "monoamineoxidaseremmers",
    "slaap-waakcyclus",
    "tryptofaanhydroxylase",
    "serotoninetransporters",
    "GABA-bindingsplekken",
    "GABA-receptoren",
    "calciumtoevoer",
    "dopaminesignaal",
    "onrustgevoelens",
    "(Neuro)immuunfunctie",
    "korteketenvetzuren",
    "Korteketenvetzuren",
    "Uit een review blijkt",
    "communicatieroutes",
    "neuromodulerende",
    "ashwagandhagroep",
    "300 mg ashwagandha",
    "stressschalen",
    "Angstschaal",
    "Stressschaal",
    "verbetert het herstel",
    "Vanwege deze tweezijdige communicatie kan",
    "het hart en de bloedvaten",
    "Significant sterkere daling op alle stressschalen, waaronder de DASS (Depressie-, "
    "Angst- en Stressschaal)",
]


def dutch_text() -> str:
    """Every Dutch text of the knowledge base, in one string."""
    texts = []
    for model in [
        Nutrient,
        NutrientForm,
        Topic,
        Interaction,
        MedicineClass,
        EvidenceSummary,
        EvidenceOutcome,
        Indication,
    ]:
        for row in model.objects.values():
            texts.extend(
                value
                for name, value in row.items()
                if isinstance(value, str) and not name.endswith("_en")
            )
    return "\n".join(texts)


def test_no_misspelling_of_the_brochure_remains():
    text = dutch_text()
    assert [wording for wording in MISSPELT if wording in text] == []


def test_the_corrected_spelling_is_there():
    text = dutch_text()
    assert [wording for wording in CORRECTED if wording not in text] == []


def test_the_tryptophan_diet_reads_as_the_editor_wrote_it():
    description = Nutrient.objects.get(slug="tryptophan").description_nl
    assert "Een tryptofaanrijke voeding (waaronder vlees, vis" in description
    assert "kan helpen om het serotonineniveau op peil te houden." in description


def test_the_interaction_advice_keeps_the_brochures_strength():
    advice = Interaction.objects.get(
        nutrient__slug="ashwagandha", medicine_class__slug="immunosuppressants"
    ).advice_nl
    assert advice == (
        "Bij het gebruik van kalmeringsmiddelen (o.a. benzodiazepinen en antipsychotica), "
        "immuunonderdrukkers en schildklierhormonen is het raadzaam om de effecten van de "
        "medicijnen te monitoren en/of te overleggen met de behandelend arts."
    )


def test_every_corrected_text_says_that_its_spelling_was_corrected():
    for slug in ["magnesium", "tryptophan", "prebiotics", "probiotics"]:
        assert Nutrient.objects.get(slug=slug).description_nl.endswith(NOTE), slug
    for slug in [
        "brain-gut-axis",
        "serotonin",
        "gaba",
        "catecholamines",
        "short-chain-fatty-acids",
        "integrated-approach",
        "adaptogens",
    ]:
        topic = Topic.objects.get(slug=slug)
        assert topic.body_nl.endswith(NOTE), slug
        assert "corrected from the brochure" in topic.body_en, slug
    corrected_rows = Interaction.objects.filter(source_location__endswith="(spelling gecorrigeerd)")
    assert {(r.nutrient.slug, r.medicine_class.slug) for r in corrected_rows} == {
        ("ashwagandha", "sedatives"),
        ("ashwagandha", "immunosuppressants"),
        ("ashwagandha", "thyroid-hormones"),
        ("bacopa", "acetylcholine-metabolism"),
        ("mushrooms", "immunosuppressants"),
        ("mushrooms", "blood-thinners"),
        ("mushrooms", "blood-glucose-lowering"),
        ("mushrooms", "blood-pressure-lowering"),
        ("tryptophan", "mao-inhibitors"),
    }
    assert NutrientForm.objects.get(slug="taurate").source_location == (
        "Tabel 1 (spelling gecorrigeerd)"
    )
    trial = EvidenceSummary.objects.get(nutrient__slug="ashwagandha", design="rct")
    assert trial.source_location == "Figuur 6 (spelling gecorrigeerd)"


def test_texts_with_nothing_to_correct_carry_no_note():
    untouched = Interaction.objects.get(nutrient__slug="valerian", target="any_medicine")
    assert untouched.source_location == "Interactieoverzicht"
    assert NOTE not in Nutrient.objects.get(slug="saffron").description_nl
    assert NOTE not in Topic.objects.get(slug="vagus-nerve").body_nl


def test_every_indication_has_a_name_of_its_own():
    names_nl = list(Indication.objects.values_list("name_nl", flat=True))
    names_en = list(Indication.objects.values_list("name_en", flat=True))
    assert len(set(names_nl)) == len(names_nl)
    assert len(set(names_en)) == len(names_en)


def test_the_food_hypersensitivities_of_figure_1_keep_their_slugs_and_are_named_apart():
    named = {
        i.slug: (i.category, i.name_nl, i.name_en)
        for i in Indication.objects.filter(slug__startswith="food-")
    }
    assert named == {
        "food-hypersensitivities": (
            "other_factor",
            "Voedselovergevoeligheden als oorzaak",
            "Food hypersensitivities as a cause",
        ),
        "food-hypersensitivity-complaints": (
            "complaint",
            "Voedselovergevoeligheden als gevolg",
            "Food hypersensitivities as a result",
        ),
    }


def test_the_medicine_reference_list_uses_dutch_names():
    names = dict(Medicine.objects.values_list("atc_code", "name"))
    assert names["A02BC01"] == "omeprazol"
    english = {"omeprazole", "phenelzine", "metformin", "ciclosporin", "valproic acid"}
    assert english.isdisjoint(names.values())
