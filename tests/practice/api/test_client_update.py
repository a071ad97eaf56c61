"""PUT and PATCH /api/v1/clients/{id}/"""

import datetime
from unittest.mock import ANY

import pytest
from django.utils import timezone

from practice.models import Client, ClientMedication
from tests.factories import MedicineFactory


def url(client) -> str:
    return f"/api/v1/clients/{client.pk}/"


def test_a_patch_changes_only_the_fields_given(practitioner_api, sanne):
    response = practitioner_api.patch(url(sanne), {"phone": "06-12345678"})

    assert response.status_code == 200, response.json()
    sanne.refresh_from_db()
    assert sanne.phone == "06-12345678"
    assert sanne.first_name == "Sanne"
    assert response.json()["medications"] == [
        {"atc_code": "N06AF03", "name": "fenelzine", "intake_times": []}
    ]


def test_a_patch_with_medications_replaces_the_list(practitioner_api, sanne):
    MedicineFactory(atc_code="N05BA04", name="oxazepam")

    response = practitioner_api.patch(url(sanne), {"medications": [{"atc_code": "N05BA04"}]})

    assert response.status_code == 200, response.json()
    assert response.json()["medications"] == [
        {"atc_code": "N05BA04", "name": "oxazepam", "intake_times": []}
    ]
    assert list(sanne.medications.values_list("atc_code", flat=True)) == ["N05BA04"]


def test_an_empty_list_removes_every_medicine(practitioner_api, sanne):
    response = practitioner_api.patch(url(sanne), {"medications": []})

    assert response.status_code == 200
    assert not sanne.medications.exists()


def test_a_put_replaces_the_client_and_keeps_lists_left_out(practitioner_api, sanne):
    response = practitioner_api.put(
        url(sanne),
        {
            "client_number": "00007",
            "first_name": "Sanne",
            "last_name": "de Wit",
            "date_of_birth": "1986-04-15",
            "own_supplements": [{"name": "Visolie"}],
        },
    )

    assert response.status_code == 200, response.json()
    sanne.refresh_from_db()
    assert sanne.last_name == "de Wit"
    assert sanne.date_of_birth == datetime.date(1986, 4, 15)
    assert [m.atc_code for m in sanne.medications.all()] == ["N06AF03"]
    assert [s.name for s in sanne.own_supplements.all()] == ["Visolie"]


def test_a_put_sends_back_what_a_get_gave(practitioner_api, sanne):
    record = practitioner_api.get(url(sanne)).json()

    response = practitioner_api.put(url(sanne), {**record, "notes": "Tweede consult gepland."})

    assert response.status_code == 200, response.json()
    assert response.json() == {**record, "notes": "Tweede consult gepland.", "updated_at": ANY}


def test_it_refuses_a_date_of_birth_in_the_future_and_changes_nothing(practitioner_api, sanne):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = practitioner_api.patch(
        url(sanne), {"date_of_birth": tomorrow.isoformat(), "last_name": "de Wit"}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["date_of_birth"]
    sanne.refresh_from_db()
    assert sanne.last_name == "Mulder"


def test_it_refuses_a_medicine_listed_twice_and_keeps_the_old_list(practitioner_api, sanne):
    response = practitioner_api.patch(
        url(sanne),
        {
            "last_name": "de Wit",
            "medications": [
                {"atc_code": "N05BA04", "name": "oxazepam"},
                {"atc_code": "N05BA04", "name": "Seresta"},
            ],
        },
    )

    assert response.status_code == 400
    assert list(response.json()) == ["medications"]
    # The name was saved before the medicines were refused: it is rolled back.
    assert Client.objects.get().last_name == "Mulder"
    assert list(ClientMedication.objects.values_list("atc_code", flat=True)) == ["N06AF03"]


def test_it_refuses_a_client_number_taken_in_the_practice(
    practitioner_api, practitioner, sanne, make_client
):
    make_client(practitioner, client_number="00008")

    response = practitioner_api.patch(url(sanne), {"client_number": "00008"})

    assert response.status_code == 400
    assert list(response.json()) == ["client_number"]
    sanne.refresh_from_db()
    assert sanne.client_number == "00007"


def test_it_refuses_an_empty_client_number(practitioner_api, sanne):
    response = practitioner_api.patch(url(sanne), {"client_number": ""})

    assert response.status_code == 400
    assert list(response.json()) == ["client_number"]


def test_the_practitioner_cannot_be_changed(practitioner_api, practitioner, colleague, sanne):
    response = practitioner_api.patch(url(sanne), {"practitioner": "colleague"})

    assert response.status_code == 200
    sanne.refresh_from_db()
    assert sanne.practitioner == practitioner


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, sanne):
    api = request.getfixturevalue(user_api)

    assert api.patch(url(sanne), {"last_name": "de Wit"}).status_code == 404
    assert api.put(url(sanne), {"last_name": "de Wit"}).status_code == 404
    sanne.refresh_from_db()
    assert sanne.last_name == "Mulder"


def test_it_answers_401_to_anonymous_users(anonymous_api, sanne):
    assert anonymous_api.patch(url(sanne), {"last_name": "de Wit"}).status_code == 401
