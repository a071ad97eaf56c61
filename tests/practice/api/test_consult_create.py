"""POST /api/v1/consults/"""

from decimal import Decimal
from unittest.mock import ANY

import pytest
from django.utils import timezone

from gutbrain.models import Nutrient
from practice.models import Consult, SupplementLine

URL = "/api/v1/consults/"


def line(nutrient: str = "magnesium", **extra) -> dict:
    return {"nutrient": nutrient, "dose_amount": "200", "dose_unit": "mg", **extra}


def test_it_adds_a_consult_with_lines_and_complaints(
    practitioner_api, practitioner, knowledge_base, sanne
):
    response = practitioner_api.post(
        URL,
        {
            "client": sanne.pk,
            "date": "2026-11-02",
            "pregnant": False,
            "breastfeeding": True,
            "complaints": ["stress", "sleep-problems"],
            "notes": "Slaapt slecht sinds de verhuizing.",
            "supplements": [
                line(
                    "magnesium",
                    form="bisglycinate",
                    dose_amount="300",
                    frequency="twice_daily",
                    timing="evening",
                    duration_weeks=8,
                    instructions="Met water innemen.",
                ),
                line("saffron", dose_amount="30"),
            ],
        },
    )

    assert response.status_code == 201, response.json()
    consult = Consult.objects.get()
    assert response.json()["id"] == consult.pk
    assert consult.client == sanne
    assert consult.practitioner == practitioner
    assert consult.breastfeeding is True
    assert sorted(consult.complaints.values_list("slug", flat=True)) == [
        "sleep-problems",
        "stress",
    ]
    magnesium, saffron = consult.lines.all()
    assert (magnesium.nutrient.slug, magnesium.form.slug) == ("magnesium", "bisglycinate")
    assert magnesium.dose_amount == Decimal("300")
    assert (magnesium.frequency, magnesium.timing) == ("twice_daily", "evening")
    assert magnesium.instructions == "Met water innemen."
    assert (saffron.nutrient.slug, saffron.form, saffron.duration_weeks) == ("saffron", None, None)
    assert [s["nutrient"] for s in response.json()["supplements"]] == ["magnesium", "saffron"]


def test_it_fills_in_today_and_no_pregnancy_when_left_out(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(URL, {"client": sanne.pk})

    assert response.status_code == 201, response.json()
    assert response.json()["date"] == timezone.localdate().isoformat()
    assert response.json()["pregnant"] is False
    assert response.json()["breastfeeding"] is False
    assert response.json()["supplements"] == []


def test_it_refuses_a_colleagues_client_as_if_it_did_not_exist(
    practitioner_api, knowledge_base, practice, colleagues_client
):
    theirs = practitioner_api.post(URL, {"client": colleagues_client.pk})
    missing = practitioner_api.post(URL, {"client": 999999})

    assert theirs.status_code == missing.status_code == 400
    assert list(theirs.json()) == list(missing.json()) == ["client"]
    assert not Consult.objects.exists()


def test_it_refuses_an_unknown_nutrient(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(
        URL, {"client": sanne.pk, "supplements": [line("unicorn-dust")]}
    )

    assert response.status_code == 400
    assert response.json() == {"supplements": {"0": {"nutrient": [ANY]}}}
    assert not Consult.objects.exists()


def test_it_refuses_an_unpublished_nutrient(practitioner_api, knowledge_base, sanne):
    Nutrient.objects.filter(slug="saffron").update(is_published=False)

    response = practitioner_api.post(URL, {"client": sanne.pk, "supplements": [line("saffron")]})

    assert response.status_code == 400
    assert response.json() == {"supplements": {"0": {"nutrient": [ANY]}}}


def test_it_refuses_a_form_of_another_nutrient_naming_form(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(
        URL,
        {
            "client": sanne.pk,
            "supplements": [line("magnesium"), line("tryptophan", form="bisglycinate")],
        },
    )

    assert response.status_code == 400
    assert response.json() == {"supplements": {"1": {"form": [ANY]}}}
    assert not Consult.objects.exists()


def test_it_refuses_a_form_that_does_not_exist(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(
        URL, {"client": sanne.pk, "supplements": [line("magnesium", form="oxide")]}
    )

    assert response.status_code == 400
    assert response.json() == {"supplements": {"0": {"form": [ANY]}}}


@pytest.mark.parametrize("dose", ["0", "-5", "0.00"])
def test_it_refuses_a_dose_that_is_not_more_than_zero(
    practitioner_api, knowledge_base, sanne, dose
):
    response = practitioner_api.post(
        URL, {"client": sanne.pk, "supplements": [line(dose_amount=dose)]}
    )

    assert response.status_code == 400
    assert response.json() == {"supplements": {"0": {"dose_amount": [ANY]}}}
    assert not Consult.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dose_unit", "handful"),
        ("frequency", "hourly"),
        ("timing", "midnight"),
        ("duration_weeks", 0),
        ("duration_weeks", 105),
    ],
)
def test_it_refuses_a_value_outside_the_choices(
    practitioner_api, knowledge_base, sanne, field, value
):
    response = practitioner_api.post(
        URL, {"client": sanne.pk, "supplements": [line(**{field: value})]}
    )

    assert response.status_code == 400
    assert response.json() == {"supplements": {"0": {field: [ANY]}}}


def test_a_bad_second_line_leaves_no_consult_and_no_line(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(
        URL,
        {
            "client": sanne.pk,
            "complaints": ["stress"],
            "supplements": [line("magnesium"), line("saffron", dose_amount="0")],
        },
    )

    assert response.status_code == 400
    assert list(response.json()["supplements"]) == ["1"]
    assert not Consult.objects.exists()
    assert not SupplementLine.objects.exists()


def test_it_refuses_an_unknown_complaint(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(URL, {"client": sanne.pk, "complaints": ["stress", "boredom"]})

    assert response.status_code == 400
    assert list(response.json()) == ["complaints"]


def test_it_refuses_a_complaint_listed_twice(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(URL, {"client": sanne.pk, "complaints": ["stress", "stress"]})

    assert response.status_code == 400
    assert list(response.json()) == ["complaints"]
    assert not Consult.objects.exists()


def test_it_refuses_pregnancy_as_anything_but_a_boolean(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(URL, {"client": sanne.pk, "pregnant": "yes"})

    assert response.status_code == 400
    assert list(response.json()) == ["pregnant"]


def test_it_refuses_a_misspelt_field_rather_than_ignoring_it(
    practitioner_api, knowledge_base, sanne
):
    response = practitioner_api.post(
        URL, {"client": sanne.pk, "pregnent": True, "supplements": [line(dose=200)]}
    )

    assert response.status_code == 400
    assert response.json() == {"pregnent": [ANY]}
    assert not Consult.objects.exists()


def test_it_refuses_a_misspelt_field_of_a_line(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(
        URL, {"client": sanne.pk, "supplements": [line(from_="bisglycinate")]}
    )

    assert response.status_code == 400
    assert response.json() == {"supplements": {"0": {"from_": [ANY]}}}


def test_it_refuses_a_date_that_is_not_a_date(practitioner_api, knowledge_base, sanne):
    response = practitioner_api.post(URL, {"client": sanne.pk, "date": "2-11-2026"})

    assert response.status_code == 400
    assert list(response.json()) == ["date"]


@pytest.mark.parametrize("user_api", ["outsider_api", "curator_api"])
def test_users_who_are_not_practitioners_get_403(request, user_api, knowledge_base, sanne):
    response = request.getfixturevalue(user_api).post(URL, {"client": sanne.pk})

    assert response.status_code == 403
    assert not Consult.objects.exists()


def test_it_answers_401_to_anonymous_users(anonymous_api, knowledge_base, sanne):
    assert anonymous_api.post(URL, {"client": sanne.pk}).status_code == 401
    assert not Consult.objects.exists()
