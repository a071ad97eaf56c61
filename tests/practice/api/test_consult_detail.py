"""GET /api/v1/consults/{id}/"""

import pytest

from gutbrain.models import Indication


def url(consult) -> str:
    return f"/api/v1/consults/{consult.pk}/"


def test_it_shows_the_consult(practitioner_api, sannes_consult):
    sannes_consult.complaints.set(Indication.objects.filter(slug="sleep-problems"))

    response = practitioner_api.get(url(sannes_consult))

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": sannes_consult.pk,
        "client": sannes_consult.client_id,
        "date": "2026-11-02",
        "pregnant": False,
        "breastfeeding": False,
        "complaints": ["sleep-problems"],
        "notes": "",
        "practitioner": "practitioner",
        "supplements": [
            {
                "nutrient": "magnesium",
                "form": "bisglycinate",
                "dose_amount": "200.00",
                "dose_unit": "mg",
                "frequency": "once_daily",
                "timing": "morning",
                "duration_weeks": 8,
                "instructions": "",
            },
            {
                "nutrient": "tryptophan",
                "form": None,
                "dose_amount": "200.00",
                "dose_unit": "mg",
                "frequency": "once_daily",
                "timing": "morning",
                "duration_weeks": 8,
                "instructions": "",
            },
        ],
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, sannes_consult):
    api = request.getfixturevalue(user_api)

    assert api.get(url(sannes_consult)).status_code == 404


def test_it_answers_404_for_a_consult_that_does_not_exist(practitioner_api, db):
    assert practitioner_api.get("/api/v1/consults/999999/").status_code == 404


def test_it_answers_401_to_anonymous_users(anonymous_api, sannes_consult):
    assert anonymous_api.get(url(sannes_consult)).status_code == 401


def test_the_number_of_queries_does_not_grow_with_the_lines(
    practitioner_api, knowledge_base, sanne, make_consult, django_assert_num_queries
):
    small = make_consult(sanne, "magnesium")
    large = make_consult(sanne, "magnesium", "tryptophan", "saffron", "zinc", "theanine")
    large.complaints.set(Indication.objects.all()[:4])

    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 the consult with
    # its practitioner, 5 complaints, 6 lines with nutrient and form, 7 the access log's newest
    # hash, 8 the new entry
    with django_assert_num_queries(8):
        practitioner_api.get(url(small))
    with django_assert_num_queries(8):
        assert len(practitioner_api.get(url(large)).json()["supplements"]) == 5
