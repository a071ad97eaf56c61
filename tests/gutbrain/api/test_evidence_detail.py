import pytest

from gutbrain import models as kb


@pytest.fixture
def url(ashwagandha) -> str:
    return f"/api/v1/evidence/{kb.EvidenceSummary.objects.get(nutrient=ashwagandha).pk}/"


def test_it_shows_a_summary_with_its_outcomes(practitioner_api, url):
    response = practitioner_api.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Ashwagandha in long-term stress"
    assert body["dose_amount"] == "300.00"
    assert body["dose_unit"] == "mg"
    assert body["outcomes"][1] == {
        "measure": "Stress scale",
        "measure_nl": "Stressschaal",
        "measure_en": "Stress scale",
        "intervention_change": "-64.20",
        "comparator_change": "-10.40",
        "unit": "%",
        "result": "Fall.",
        "result_nl": "Daling.",
        "result_en": "Fall.",
    }


def test_it_answers_404_for_the_evidence_of_an_unpublished_nutrient(practitioner_api, unpublished):
    summary = kb.EvidenceSummary.objects.get(nutrient=unpublished)

    assert practitioner_api.get(f"/api/v1/evidence/{summary.pk}/").status_code == 404


def test_it_shows_a_summary_in_a_fixed_number_of_queries(
    practitioner_api, url, django_assert_num_queries
):
    # 1: the token with its user, 2: the user's tokens (knox), 3: the summary with nutrient and
    # indication, 4: outcomes, 5: references
    with django_assert_num_queries(5):
        response = practitioner_api.get(url)

    assert response.status_code == 200
