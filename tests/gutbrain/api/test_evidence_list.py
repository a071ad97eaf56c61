from gutbrain import models as kb
from tests.factories import EvidenceSummaryFactory, NutrientFactory
from tests.gutbrain.api.factories import EvidenceOutcomeFactory

URL = "/api/v1/evidence/"


def test_it_lists_the_evidence_of_published_nutrients_with_outcomes(
    practitioner_api, ashwagandha, unpublished
):
    response = practitioner_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["next"] is None
    assert body["previous"] is None
    [trial] = body["results"]
    assert trial["url"] == f"http://testserver/api/v1/evidence/{trial['id']}/"
    assert trial["nutrient"] == "ashwagandha"
    assert trial["title"] == "Ashwagandha bij langdurige stress"
    assert trial["title_en"] == "Ashwagandha in long-term stress"
    assert trial["references"] == [42]
    assert len(trial["outcomes"]) == 2


def test_it_filters_by_nutrient_and_indication(practitioner_api, ashwagandha):
    saffron = NutrientFactory(slug="saffron")
    EvidenceSummaryFactory(nutrient=saffron, indication=None)

    by_nutrient = practitioner_api.get(URL, {"nutrient": "saffron"}).json()
    by_indication = practitioner_api.get(URL, {"indication": "stress"}).json()

    assert [e["nutrient"] for e in by_nutrient["results"]] == ["saffron"]
    assert by_nutrient["results"][0]["indication"] is None
    assert [e["nutrient"] for e in by_indication["results"]] == ["ashwagandha"]


def test_it_filters_by_design_and_certainty(practitioner_api, ashwagandha):
    EvidenceSummaryFactory(
        nutrient=NutrientFactory(slug="gaba"),
        design=kb.EvidenceSummary.Design.SMALL_STUDIES,
        certainty=kb.EvidenceSummary.Certainty.VERY_LOW,
    )

    by_design = practitioner_api.get(URL, {"design": "small_studies"}).json()
    by_certainty = practitioner_api.get(URL, {"certainty": "moderate"}).json()

    assert [e["nutrient"] for e in by_design["results"]] == ["gaba"]
    assert [e["nutrient"] for e in by_certainty["results"]] == ["ashwagandha"]


def test_it_answers_400_naming_an_unknown_design(practitioner_api, db):
    response = practitioner_api.get(URL, {"design": "anecdote"})

    assert response.status_code == 400
    assert list(response.json()) == ["design"]


def test_it_lists_in_a_fixed_number_of_queries(
    practitioner_api, ashwagandha, django_assert_num_queries
):
    for summary in EvidenceSummaryFactory.create_batch(3):
        EvidenceOutcomeFactory(summary=summary)

    # 1: the token with its user, 2: the user's tokens (knox), 3: count, 4: the page with nutrients
    # and indications, 5: outcomes, 6: references
    with django_assert_num_queries(6):
        response = practitioner_api.get(URL)

    assert len(response.json()["results"]) == 4
