"""POST, PUT and PATCH /api/v1/clients/ refuse an ATC code whose first letter is no ATC
main group, naming the medicine's `atc_code`, and change nothing."""

import pytest

from practice.models import Client

URL = "/api/v1/clients/"
MESSAGE = (
    "Not a valid ATC code: Z99ZZ99. An ATC code consists of a main group letter (A, B, C, D, "
    "G, H, J, L, M, N, P, R, S or V), two digits, two letters and two digits, such as N05BA04."
)


def body(**extra) -> dict:
    return {"first_name": "Sanne", "last_name": "Mulder", "date_of_birth": "1985-03-14", **extra}


def test_a_code_with_an_unreal_group_letter_is_refused_on_create(practitioner_api, practice):
    response = practitioner_api.post(
        URL,
        body(medications=[{"atc_code": "Z99ZZ99", "name": "Proefmiddel"}]),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"medications": {"0": {"atc_code": [MESSAGE]}}}
    assert not Client.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_code_with_an_unreal_group_letter_is_refused_on_update(practitioner_api, sanne, method):
    medications = [{"atc_code": "N05BA04", "name": "oxazepam"}, {"atc_code": "z99zz99"}]

    response = getattr(practitioner_api, method)(
        f"{URL}{sanne.pk}/", body(medications=medications), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"medications": {"1": {"atc_code": [MESSAGE]}}}
    assert list(sanne.medications.values_list("atc_code", flat=True)) == ["N06AF03"]


def test_a_code_cut_short_is_refused(practitioner_api, practice):
    response = practitioner_api.post(
        URL, body(medications=[{"atc_code": "N05B"}]), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    [message] = response.json()["medications"]["0"]["atc_code"]
    assert message.startswith("Not a valid ATC code: N05B.")


def test_the_message_is_dutch_by_default(practitioner_api, practice):
    response = practitioner_api.post(
        URL, body(medications=[{"atc_code": "Z99ZZ99"}]), format="json"
    )

    [message] = response.json()["medications"]["0"]["atc_code"]
    assert message.startswith("Geen geldige ATC-code: Z99ZZ99. Een ATC-code bestaat uit een ")
