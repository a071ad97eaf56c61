from gutbrain import models as kb
from tests.factories import IndicationFactory

URL = "/api/v1/indications/"


def test_it_lists_the_indications_in_order(practitioner_api, stress):
    IndicationFactory(slug="dysbiosis", category=kb.Indication.Category.GUT, order=10)

    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None
    assert body["previous"] is None
    assert body["results"][0] == {
        "url": "http://testserver/api/v1/indications/stress/",
        "slug": "stress",
        "name": "Stress",
        "name_nl": "Stress",
        "name_en": "Stress",
        "category": "psychological",
        "figure_stage": 1,
        "order": 1,
    }
    assert body["results"][1]["slug"] == "dysbiosis"


def test_it_filters_by_category(practitioner_api, stress):
    IndicationFactory(slug="dysbiosis", category=kb.Indication.Category.GUT)

    body = practitioner_api.get(URL, {"category": "gut"}).json()

    assert [i["slug"] for i in body["results"]] == ["dysbiosis"]


def test_it_filters_by_a_published_nutrient_that_supports_it(
    practitioner_api, ashwagandha, unpublished
):
    IndicationFactory(slug="sleep-problems")

    supported = practitioner_api.get(URL, {"nutrient": "ashwagandha"}).json()
    unpublished_only = practitioner_api.get(URL, {"nutrient": "draft-herb"}).json()

    assert [i["slug"] for i in supported["results"]] == ["stress"]
    assert unpublished_only["results"] == []


def test_it_searches_the_names(practitioner_api, stress):
    IndicationFactory(slug="sleep-problems", name_nl="Slaapproblemen", name_en="Sleep problems")

    body = practitioner_api.get(URL, {"search": "slaap"}).json()

    assert [i["slug"] for i in body["results"]] == ["sleep-problems"]


def test_it_lists_in_a_fixed_number_of_queries(practitioner_api, stress, django_assert_num_queries):
    IndicationFactory.create_batch(3)

    # 1: the token with its user, 2: the user's tokens (knox), 3: count, 4: the page of indications
    with django_assert_num_queries(4):
        response = practitioner_api.get(URL)

    assert len(response.json()["results"]) == 4
