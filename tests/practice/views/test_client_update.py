"""Editing a client and their medicine list."""

import pytest
from django.urls import reverse

from practice.models import Client, ClientMedication
from tests.factories import ClientMedicationFactory, MedicineFactory
from tests.practice.views.formdata import client_data
from tests.practice.views.texts import nl

ATC_MESSAGE = (
    "Not a valid ATC code: %(value)s. An ATC code consists of a main group letter (A, B, C, D, "
    "G, H, J, L, M, N, P, R, S or V), two digits, two letters and two digits, such as N05BA04."
)


def url(client: Client) -> str:
    return reverse("practice:client-update", args=[client.pk])


@pytest.fixture
def oxazepam_taken(sanne):
    medicine = MedicineFactory(name="oxazepam", atc_code="N05BA04")
    return ClientMedicationFactory(
        client=sanne, atc_code="N05BA04", name="oxazepam", medicine=medicine
    )


def test_it_redirects_anonymous_users_to_the_login_page(client, sanne):
    response = client.get(url(sanne))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_colleague_gets_404_for_another_practitioners_client(colleague_web, sanne):
    assert colleague_web.get(url(sanne)).status_code == 404
    assert colleague_web.post(url(sanne), client_data(last_name="Gekaapt")).status_code == 404
    sanne.refresh_from_db()
    assert sanne.last_name == "Mulder"


def test_the_form_shows_the_saved_medicines(web, sanne, oxazepam_taken, django_assert_num_queries):
    # Queries: session, user, the practitioner group, the client, their medicines, their
    # own supplements, the medicine reference list, the published nutrients, the access
    # log's newest hash and the new entry.
    with django_assert_num_queries(10):
        response = web.get(url(sanne))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="oxazepam (N05BA04)"' in content
    assert 'value="00042"' in content


def test_it_saves_the_changes_and_replaces_the_medicine_list(web, sanne, oxazepam_taken):
    data = client_data(
        client_number="00042",
        first_name="Sanne",
        last_name="de Boer",
        medications=[
            {"medicine": "oxazepam (N05BA04)", "atc_code": "", "DELETE": "on"},
            {"medicine": "Fenelzine", "atc_code": "N06AF03"},
        ],
        medications_initial=1,
    )
    response = web.post(url(sanne), data)
    assert response.status_code == 302
    sanne.refresh_from_db()
    assert sanne.last_name == "de Boer"
    assert list(ClientMedication.objects.values_list("atc_code", flat=True)) == ["N06AF03"]


def test_a_brand_name_given_with_a_listed_code_keeps_its_name_when_saved_again(
    web, sanne, oxazepam_taken
):
    seresta = {"medicine": "Seresta", "atc_code": "N05BA04"}
    data = client_data(client_number="00042", medications=[seresta])
    assert web.post(url(sanne), data).status_code == 302
    medication = ClientMedication.objects.get()
    assert (medication.name, medication.medicine.name) == ("Seresta", "oxazepam")

    # The form shows it as "Seresta (N05BA04)"; saving that unchanged keeps the name.
    assert 'value="Seresta (N05BA04)"' in web.get(url(sanne)).content.decode()
    shown = {"medicine": "Seresta (N05BA04)", "atc_code": ""}
    data = client_data(client_number="00042", medications=[shown], medications_initial=1)
    assert web.post(url(sanne), data).status_code == 302
    assert list(ClientMedication.objects.values_list("name", "atc_code")) == [
        ("Seresta", "N05BA04")
    ]


def test_a_malformed_atc_code_leaves_the_client_as_it_was(web, sanne, oxazepam_taken):
    data = client_data(
        client_number="00042",
        last_name="de Boer",
        medications=[{"medicine": "Iets", "atc_code": "12345"}],
    )
    response = web.post(url(sanne), data)
    assert response.status_code == 200
    assert nl(ATC_MESSAGE, value="12345") in response.content.decode()
    sanne.refresh_from_db()
    assert sanne.last_name == "Mulder"
    assert list(ClientMedication.objects.values_list("atc_code", flat=True)) == ["N05BA04"]


def test_the_client_number_cannot_be_emptied(web, sanne):
    response = web.post(url(sanne), client_data(client_number=""))
    assert response.status_code == 200
    sanne.refresh_from_db()
    assert sanne.client_number == "00042"
