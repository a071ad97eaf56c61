"""POST /api/v1/clients/"""

import datetime
from unittest.mock import ANY

import pytest
from django.utils import timezone

from practice.models import Client, ClientMedication
from tests.factories import MedicineFactory, NutrientFactory, PracticeFactory

URL = "/api/v1/clients/"


def body(**extra) -> dict:
    return {
        "first_name": "Sanne",
        "last_name": "Mulder",
        "date_of_birth": "1985-03-14",
        **extra,
    }


def test_it_adds_a_client_to_the_practitioners_practice(practitioner_api, practitioner, practice):
    response = practitioner_api.post(
        URL, body(email="sanne@example.nl", phone="06-12345678", notes="Slaapt slecht.")
    )

    assert response.status_code == 201, response.json()
    client = Client.objects.get()
    assert response.json()["id"] == client.pk
    assert response.json()["practitioner"] == "practitioner"
    assert client.practitioner == practitioner
    assert client.practice == practice
    assert client.date_of_birth == datetime.date(1985, 3, 14)
    assert client.notes == "Slaapt slecht."


def test_it_links_a_medicine_of_the_reference_list_and_takes_its_name(practitioner_api, practice):
    oxazepam = MedicineFactory(atc_code="N05BA04", name="oxazepam")

    response = practitioner_api.post(
        URL,
        body(
            medications=[
                {"atc_code": "n05ba04"},
                {"atc_code": "N06AX99", "name": "Proefmiddel"},
            ]
        ),
    )

    assert response.status_code == 201, response.json()
    medications = sorted(response.json()["medications"], key=lambda m: m["atc_code"])
    assert medications == [
        {"atc_code": "N05BA04", "name": "oxazepam", "intake_times": []},
        {"atc_code": "N06AX99", "name": "Proefmiddel", "intake_times": []},
    ]
    linked = {m.atc_code: m.medicine for m in ClientMedication.objects.all()}
    assert linked == {"N05BA04": oxazepam, "N06AX99": None}


def test_it_keeps_the_own_supplements(practitioner_api, practice):
    NutrientFactory(slug="magnesium")

    response = practitioner_api.post(
        URL,
        body(
            own_supplements=[
                {"name": "Magnesium van de drogist", "nutrient": "magnesium", "dose": "250 mg"},
                {"name": "Visolie", "nutrient": None},
            ]
        ),
    )

    assert response.status_code == 201, response.json()
    assert response.json()["own_supplements"] == [
        {"name": "Magnesium van de drogist", "nutrient": "magnesium", "dose": "250 mg"},
        {"name": "Visolie", "nutrient": None, "dose": ""},
    ]


def test_it_gives_the_next_free_client_number_of_the_practice(
    practitioner_api, practitioner, practice, make_client
):
    make_client(practitioner, client_number="00041")
    make_client(practitioner, client_number="A-7")
    make_client(practitioner, practice=PracticeFactory(), client_number="00900")

    first = practitioner_api.post(URL, body()).json()
    second = practitioner_api.post(URL, body(client_number="")).json()

    assert first["client_number"] == "00042"
    assert second["client_number"] == "00043"


def test_it_keeps_a_client_number_that_is_given(practitioner_api, practice):
    response = practitioner_api.post(URL, body(client_number="2026-001"))

    assert response.json()["client_number"] == "2026-001"


def test_it_refuses_a_client_number_another_client_of_the_practice_has(
    practitioner_api, colleague, practice, make_client
):
    make_client(colleague, client_number="00042")

    response = practitioner_api.post(URL, body(client_number="00042"))

    assert response.status_code == 400
    assert list(response.json()) == ["client_number"]
    assert Client.objects.count() == 1


def test_it_allows_a_client_number_of_another_practice(
    practitioner_api, colleague, practice, make_client
):
    make_client(colleague, practice=PracticeFactory(), client_number="00042")

    assert practitioner_api.post(URL, body(client_number="00042")).status_code == 201


def test_it_refuses_a_date_of_birth_in_the_future(practitioner_api, practice):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = practitioner_api.post(URL, body(date_of_birth=tomorrow.isoformat()))

    assert response.status_code == 400
    assert list(response.json()) == ["date_of_birth"]
    assert not Client.objects.exists()


def test_it_names_the_required_fields(practitioner_api, practice):
    response = practitioner_api.post(URL, {})

    assert response.status_code == 400
    assert sorted(response.json()) == ["date_of_birth", "first_name", "last_name"]


def test_it_refuses_a_malformed_atc_code_naming_the_medicine(practitioner_api, practice):
    response = practitioner_api.post(
        URL,
        body(medications=[{"atc_code": "N05BA04", "name": "oxazepam"}, {"atc_code": "N05B"}]),
    )

    assert response.status_code == 400
    # Only the refused item is named, by its position.
    assert response.json() == {"medications": {"1": {"atc_code": [ANY]}}}
    assert not Client.objects.exists()


def test_it_refuses_a_medicine_listed_twice_and_saves_nothing(practitioner_api, practice):
    MedicineFactory(atc_code="N05BA04", name="oxazepam")

    response = practitioner_api.post(
        URL, body(medications=[{"atc_code": "N05BA04"}, {"atc_code": "n05ba04 "}])
    )

    assert response.status_code == 400
    [message] = response.json()["medications"]
    assert "N05BA04" in message
    # The client row was written before the medicines were refused: it is rolled back.
    assert not Client.objects.exists()
    assert not ClientMedication.objects.exists()


def test_it_needs_a_name_for_a_code_that_is_not_in_the_reference_list(practitioner_api, practice):
    response = practitioner_api.post(URL, body(medications=[{"atc_code": "N06AX99"}]))

    assert response.status_code == 400
    assert list(response.json()) == ["medications"]
    assert "N06AX99" in response.json()["medications"][0]
    assert not Client.objects.exists()


def test_it_refuses_an_own_supplement_of_an_unknown_nutrient(practitioner_api, practice):
    response = practitioner_api.post(
        URL, body(own_supplements=[{"name": "Iets", "nutrient": "unicorn-dust"}])
    )

    assert response.status_code == 400
    assert response.json() == {"own_supplements": {"0": {"nutrient": [ANY]}}}
    assert not Client.objects.exists()


def test_it_refuses_unknown_fields(practitioner_api, practice):
    response = practitioner_api.post(URL, body(birth_date="1985-03-14"))

    assert response.status_code == 400
    assert list(response.json()) == ["birth_date"]


def test_the_practitioner_is_always_the_user_who_adds_the_client(
    practitioner_api, practitioner, colleague, practice
):
    response = practitioner_api.post(URL, body(practitioner="colleague"))

    assert response.status_code == 201
    assert Client.objects.get().practitioner == practitioner


def test_a_practitioner_without_a_practice_is_told_why(practitioner_api):
    response = practitioner_api.post(URL, body())

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [ANY]}
    assert not Client.objects.exists()


@pytest.mark.parametrize("user_api", ["outsider_api", "curator_api"])
def test_users_who_are_not_practitioners_get_403(request, user_api):
    response = request.getfixturevalue(user_api).post(URL, body())

    assert response.status_code == 403
    assert not Client.objects.exists()


def test_it_answers_401_to_anonymous_users(anonymous_api, db):
    assert anonymous_api.post(URL, body()).status_code == 401
    assert not Client.objects.exists()
