"""PUT and PATCH /api/v1/consults/{id}/"""

from decimal import Decimal
from unittest.mock import ANY

import pytest

from practice.models import SupplementLine


def url(consult) -> str:
    return f"/api/v1/consults/{consult.pk}/"


def test_a_patch_with_supplements_replaces_the_lines(practitioner_api, sannes_consult):
    response = practitioner_api.patch(
        url(sannes_consult),
        {
            "supplements": [
                {"nutrient": "saffron", "dose_amount": "30", "dose_unit": "mg"},
                {
                    "nutrient": "magnesium",
                    "form": "citrate",
                    "dose_amount": "250",
                    "dose_unit": "mg",
                },
            ]
        },
    )

    assert response.status_code == 200, response.json()
    lines = list(sannes_consult.lines.all())
    assert [(line.nutrient.slug, line.order) for line in lines] == [
        ("saffron", 1),
        ("magnesium", 2),
    ]
    assert lines[1].form.slug == "citrate"
    assert lines[1].dose_amount == Decimal("250")
    assert [s["nutrient"] for s in response.json()["supplements"]] == ["saffron", "magnesium"]
    assert SupplementLine.objects.count() == 2


def test_a_patch_without_supplements_keeps_the_lines(practitioner_api, sannes_consult):
    response = practitioner_api.patch(url(sannes_consult), {"pregnant": True, "notes": "Zwanger."})

    assert response.status_code == 200, response.json()
    sannes_consult.refresh_from_db()
    assert sannes_consult.pregnant is True
    assert sannes_consult.notes == "Zwanger."
    assert [line.nutrient.slug for line in sannes_consult.lines.all()] == [
        "magnesium",
        "tryptophan",
    ]


def test_a_patch_with_complaints_replaces_them(practitioner_api, sannes_consult):
    practitioner_api.patch(url(sannes_consult), {"complaints": ["stress"]})
    response = practitioner_api.patch(url(sannes_consult), {"complaints": ["anxious-feelings"]})

    assert response.json()["complaints"] == ["anxious-feelings"]
    assert list(sannes_consult.complaints.values_list("slug", flat=True)) == ["anxious-feelings"]


def test_a_put_sends_back_what_a_get_gave(practitioner_api, sannes_consult):
    record = practitioner_api.get(url(sannes_consult)).json()

    response = practitioner_api.put(url(sannes_consult), {**record, "breastfeeding": True})

    assert response.status_code == 200, response.json()
    assert response.json() == {**record, "breastfeeding": True, "updated_at": ANY}


def test_a_bad_line_keeps_the_old_lines_and_fields(practitioner_api, sannes_consult):
    response = practitioner_api.patch(
        url(sannes_consult),
        {
            "notes": "Gewijzigd.",
            "supplements": [
                {"nutrient": "saffron", "dose_amount": "30", "dose_unit": "mg"},
                {
                    "nutrient": "tryptophan",
                    "form": "citrate",
                    "dose_amount": "5",
                    "dose_unit": "mg",
                },
            ],
        },
    )

    assert response.status_code == 400
    assert response.json() == {"supplements": {"1": {"form": [ANY]}}}
    sannes_consult.refresh_from_db()
    assert sannes_consult.notes == ""
    assert [line.nutrient.slug for line in sannes_consult.lines.all()] == [
        "magnesium",
        "tryptophan",
    ]


def test_a_consult_cannot_move_to_another_client(
    practitioner_api, practitioner, sannes_consult, make_client
):
    other = make_client(practitioner)

    response = practitioner_api.patch(url(sannes_consult), {"client": other.pk})

    assert response.status_code == 400
    assert list(response.json()) == ["client"]
    sannes_consult.refresh_from_db()
    assert sannes_consult.client_id != other.pk


def test_it_refuses_a_dose_that_is_not_more_than_zero(practitioner_api, sannes_consult):
    response = practitioner_api.patch(
        url(sannes_consult),
        {"supplements": [{"nutrient": "saffron", "dose_amount": "0", "dose_unit": "mg"}]},
    )

    assert response.status_code == 400
    assert response.json() == {"supplements": {"0": {"dose_amount": [ANY]}}}
    assert sannes_consult.lines.count() == 2


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, sannes_consult):
    api = request.getfixturevalue(user_api)

    assert api.patch(url(sannes_consult), {"pregnant": True}).status_code == 404
    assert api.put(url(sannes_consult), {"pregnant": True}).status_code == 404
    sannes_consult.refresh_from_db()
    assert sannes_consult.pregnant is False


def test_it_answers_401_to_anonymous_users(anonymous_api, sannes_consult):
    assert anonymous_api.patch(url(sannes_consult), {"pregnant": True}).status_code == 401
