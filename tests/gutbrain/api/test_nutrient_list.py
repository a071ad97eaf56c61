from gutbrain import models as kb
from tests.factories import NutrientFactory

URL = "/api/v1/nutrients/"


def test_it_lists_published_nutrients_in_the_order_of_figure_1(
    practitioner_api, ashwagandha, unpublished
):
    NutrientFactory(slug="chamomile", figure_number=None)
    NutrientFactory(slug="magnesium", figure_number=1, kind=kb.Nutrient.Kind.MINERAL)

    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["next"] is None
    assert body["previous"] is None
    assert [n["slug"] for n in body["results"]] == ["magnesium", "ashwagandha", "chamomile"]


def test_it_orders_by_a_name_when_asked(practitioner_api, ashwagandha):
    NutrientFactory(slug="magnesium", figure_number=1, name_en="Magnesium")

    body = practitioner_api.get(URL, {"ordering": "name_en"}).json()

    assert [n["slug"] for n in body["results"]] == ["ashwagandha", "magnesium"]


def test_it_gives_both_languages_and_the_dutch_name_by_default(practitioner_api, ashwagandha):
    [item] = practitioner_api.get(URL).json()["results"]

    assert item == {
        "url": "http://testserver/api/v1/nutrients/ashwagandha/",
        "slug": "ashwagandha",
        "name": "Ashwagandha (Indiase ginseng)",
        "name_nl": "Ashwagandha (Indiase ginseng)",
        "name_en": "Ashwagandha (Indian ginseng)",
        "kind": "herb",
        "figure_number": 5,
    }


def test_it_gives_the_name_in_the_language_asked_for(practitioner_api, ashwagandha):
    [item] = practitioner_api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["results"]

    assert item["name"] == "Ashwagandha (Indian ginseng)"


def test_it_filters_by_kind(practitioner_api, ashwagandha):
    NutrientFactory(slug="magnesium", kind=kb.Nutrient.Kind.MINERAL)

    body = practitioner_api.get(URL, {"kind": "mineral"}).json()

    assert [n["slug"] for n in body["results"]] == ["magnesium"]


def test_it_filters_by_the_indication_a_nutrient_supports(practitioner_api, ashwagandha):
    NutrientFactory(slug="zinc")

    body = practitioner_api.get(URL, {"indication": "stress"}).json()

    assert [n["slug"] for n in body["results"]] == ["ashwagandha"]


def test_it_searches_the_names_in_both_languages(practitioner_api, ashwagandha):
    NutrientFactory(slug="lemon-balm", name_nl="Citroenmelisse", name_en="Lemon balm")

    dutch = practitioner_api.get(URL, {"search": "citroen"}).json()
    english = practitioner_api.get(URL, {"search": "indian"}).json()

    assert [n["slug"] for n in dutch["results"]] == ["lemon-balm"]
    assert [n["slug"] for n in english["results"]] == ["ashwagandha"]


def test_it_answers_400_naming_a_filter_with_an_unknown_choice(practitioner_api, db):
    response = practitioner_api.get(URL, {"kind": "potion"})

    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


def test_it_pages_by_fifty(practitioner_api, db):
    NutrientFactory.create_batch(51)

    first = practitioner_api.get(URL).json()
    second = practitioner_api.get(first["next"]).json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["next"] == "http://testserver/api/v1/nutrients/?page=2"
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/nutrients/"


def test_it_answers_404_for_a_page_after_the_last(practitioner_api, ashwagandha):
    assert practitioner_api.get(URL, {"page": 2}).status_code == 404


def test_it_lists_in_a_fixed_number_of_queries(
    practitioner_api, ashwagandha, django_assert_num_queries
):
    NutrientFactory.create_batch(3)

    # 1: the token with its user, 2: the user's tokens (knox), 3: count, 4: the page of nutrients
    with django_assert_num_queries(4):
        response = practitioner_api.get(URL)

    assert len(response.json()["results"]) == 4
