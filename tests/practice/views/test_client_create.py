"""Adding a client, with their medicines and own supplements."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from practice.models import Client, ClientMedication, ClientSupplement
from tests.factories import MedicineFactory, NutrientFactory
from tests.practice.views.formdata import client_data
from tests.practice.views.texts import nl

ATC_MESSAGE = (
    "Not a valid ATC code: %(value)s. An ATC code consists of a main group letter (A, B, C, D, "
    "G, H, J, L, M, N, P, R, S or V), two digits, two letters and two digits, such as N05BA04."
)

URL = reverse("practice:client-create")


@pytest.fixture
def oxazepam(db):
    return MedicineFactory(name="oxazepam", atc_code="N05BA04")


def test_it_redirects_anonymous_users_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_is_forbidden_to_users_who_are_not_practitioners(outsider_web):
    assert outsider_web.get(URL).status_code == 403
    assert outsider_web.post(URL, client_data()).status_code == 403
    assert not Client.objects.exists()


def test_a_practitioner_outside_a_practice_is_told_why_they_cannot_add_clients(web):
    response = web.get(URL)
    assert response.status_code == 403
    assert (
        nl(
            "Your account is not linked to a practice yet, so you cannot add clients. Ask the "
            "administrator to add you to your practice."
        )
        in response.content.decode()
    )


def test_the_form_offers_the_medicine_reference_list(web, member, oxazepam):
    response = web.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<datalist id="medicine-list">' in content
    assert 'value="oxazepam (N05BA04)"' in content
    assert 'list="medicine-list"' in content


def test_it_adds_a_client_with_a_listed_and_a_typed_medicine(web, member, practitioner, oxazepam):
    supplement_nutrient = NutrientFactory(slug="magnesium", name_nl="Magnesium")
    data = client_data(
        medications=[
            {"medicine": "oxazepam (N05BA04)", "atc_code": ""},
            {"medicine": "Fenelzine", "atc_code": "n06af03"},
        ],
        supplements=[{"name": "Magnesium Plus", "nutrient": "magnesium", "dose": "1 tablet"}],
    )
    response = web.post(URL, data)
    client = Client.objects.get()
    assert response.status_code == 302
    assert response.url == client.get_absolute_url()
    assert client.practitioner == practitioner
    assert client.practice == member.practice
    assert client.client_number == "00001"
    medications = {m.atc_code: m for m in ClientMedication.objects.all()}
    assert medications["N05BA04"].name == "oxazepam"
    assert medications["N05BA04"].medicine == oxazepam
    assert medications["N06AF03"].name == "Fenelzine"
    assert medications["N06AF03"].medicine is None
    supplement = ClientSupplement.objects.get()
    assert supplement.nutrient == supplement_nutrient
    assert supplement.dose == "1 tablet"


def test_a_medicine_name_from_the_list_is_enough(web, member, oxazepam):
    web.post(URL, client_data(medications=[{"medicine": "Oxazepam", "atc_code": ""}]))
    assert ClientMedication.objects.get().atc_code == "N05BA04"


def test_a_date_of_birth_in_the_future_saves_nothing(web, member):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = web.post(URL, client_data(date_of_birth=tomorrow.isoformat()))
    assert response.status_code == 200
    assert nl("A date of birth cannot be in the future.") in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Client.objects.exists()


def test_a_malformed_atc_code_saves_nothing(web, member):
    data = client_data(medications=[{"medicine": "Iets onbekends", "atc_code": "N5BA4"}])
    response = web.post(URL, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert nl(ATC_MESSAGE, value="N5BA4") in content
    assert 'href="#id_medications-0-atc_code"' in content
    assert not Client.objects.exists()
    assert not ClientMedication.objects.exists()


def test_a_typed_medicine_needs_its_atc_code(web, member):
    data = client_data(medications=[{"medicine": "Iets onbekends", "atc_code": ""}])
    response = web.post(URL, data)
    assert (
        nl("This medicine is not on the reference list: give its ATC code.")
        in response.content.decode()
    )
    assert not Client.objects.exists()


def test_a_medicine_listed_twice_saves_nothing(web, member, oxazepam):
    data = client_data(
        medications=[
            {"medicine": "oxazepam (N05BA04)", "atc_code": ""},
            {"medicine": "Seresta", "atc_code": "N05BA04"},
        ]
    )
    response = web.post(URL, data)
    assert nl("%(code)s is listed twice.", code="N05BA04") in response.content.decode()
    assert not Client.objects.exists()


def test_a_client_number_taken_in_the_practice_saves_nothing(web, member, sanne):
    response = web.post(URL, client_data(client_number="00042", last_name="Visser"))
    assert response.status_code == 200
    assert nl("Another client of the practice has this client number.") in response.content.decode()
    assert not Client.objects.filter(last_name="Visser").exists()
