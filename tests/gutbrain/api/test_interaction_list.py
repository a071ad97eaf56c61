from gutbrain import models as kb
from tests.factories import InteractionFactory, MedicineClassFactory, NutrientFactory

URL = "/api/v1/interactions/"


def test_it_lists_the_rows_of_published_nutrients(practitioner_api, ashwagandha, unpublished):
    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None
    assert body["previous"] is None
    row = next(r for r in body["results"] if r["target"] == "medicine_class")
    assert row == {
        "id": row["id"],
        "nutrient": "ashwagandha",
        "target": "medicine_class",
        "medicine_class": "sedatives",
        "level": "monitor",
        "level_label": str(kb.Level.MONITOR.label),
        "advice": "Monitor de effecten van de kalmeringsmiddelen.",
        "advice_nl": "Monitor de effecten van de kalmeringsmiddelen.",
        "advice_en": "Monitor the sedatives' effects.",
        "client_advice": "U gebruikt ook een kalmeringsmiddel. Overleg met uw arts.",
        "client_advice_nl": "U gebruikt ook een kalmeringsmiddel. Overleg met uw arts.",
        "client_advice_en": "You also take a sedative. Talk to your doctor.",
        "evidence_level": "practice_advice",
        "source_location": "Interactieoverzicht",
        "references": [],
    }


def test_it_gives_the_advice_in_the_language_asked_for(practitioner_api, ashwagandha):
    body = practitioner_api.get(URL, {"target": "pregnancy"}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert [r["advice"] for r in body["results"]] == ["Advised against during pregnancy."]


def test_it_gives_the_client_text_in_the_language_asked_for(practitioner_api, ashwagandha):
    body = practitioner_api.get(URL, {"target": "medicine_class"}, HTTP_ACCEPT_LANGUAGE="en").json()

    [row] = body["results"]
    assert row["client_advice"] == "You also take a sedative. Talk to your doctor."
    assert row["client_advice_nl"] == "U gebruikt ook een kalmeringsmiddel. Overleg met uw arts."


def test_it_filters_by_nutrient_level_target_and_medicine_class(
    practitioner_api, ashwagandha, benzodiazepines
):
    InteractionFactory(
        nutrient=NutrientFactory(slug="lemon-balm"),
        medicine_class=benzodiazepines,
        level=kb.Level.CONSULT,
    )
    InteractionFactory(
        nutrient=NutrientFactory(slug="magnesium"),
        target=kb.Interaction.Target.ANY_MEDICINE,
        medicine_class=None,
        level=kb.Level.SEPARATE_INTAKE,
    )

    def slugs(**params) -> list[tuple[str, str]]:
        results = practitioner_api.get(URL, params).json()["results"]
        return sorted((r["nutrient"], r["target"]) for r in results)

    assert slugs(nutrient="lemon-balm") == [("lemon-balm", "medicine_class")]
    assert slugs(level="avoid") == [("ashwagandha", "pregnancy")]
    assert slugs(target="any_medicine") == [("magnesium", "any_medicine")]
    assert slugs(medicine_class="sedatives") == [("ashwagandha", "medicine_class")]
    assert slugs(medicine_class="benzodiazepines") == [("lemon-balm", "medicine_class")]


def test_it_answers_400_naming_a_level_the_table_cannot_hold(practitioner_api, db):
    response = practitioner_api.get(URL, {"level": "clear"})

    assert response.status_code == 400
    assert list(response.json()) == ["level"]


def test_it_lists_in_a_fixed_number_of_queries(
    practitioner_api, ashwagandha, django_assert_num_queries
):
    for medicine_class in MedicineClassFactory.create_batch(3):
        InteractionFactory(medicine_class=medicine_class)

    # 1: the token with its user, 2: the user's tokens (knox), 3: count, 4: the page with nutrients
    # and classes, 5: references
    with django_assert_num_queries(5):
        response = practitioner_api.get(URL)

    assert len(response.json()["results"]) == 5
