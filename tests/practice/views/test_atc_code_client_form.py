"""The client page refuses an ATC code whose first letter is no ATC main group, on the
medicine's row, and saves nothing."""

import pytest
from django.urls import reverse

from practice.models import Client, ClientMedication
from tests.factories import ClientMedicationFactory
from tests.practice.views.formdata import client_data
from tests.practice.views.texts import nl

MESSAGE = (
    "Not a valid ATC code: %(value)s. An ATC code consists of a main group letter (A, B, C, "
    "D, G, H, J, L, M, N, P, R, S or V), two digits, two letters and two digits, such as "
    "N05BA04."
)
CREATE = reverse("practice:client-create")


@pytest.mark.parametrize("code", ["Z99ZZ99", "E01AA01", "N05B"])
def test_a_code_with_an_unreal_group_letter_or_cut_short_is_refused_on_its_row(web, member, code):
    data = client_data(medications=[{"medicine": "Iets onbekends", "atc_code": code}])

    response = web.post(CREATE, data)

    assert response.status_code == 200
    [row] = response.context["medications"].forms
    assert list(row.errors) == ["atc_code"]
    content = response.content.decode()
    assert nl(MESSAGE, value=code) in content
    assert 'href="#id_medications-0-atc_code"' in content
    assert not Client.objects.exists()
    assert not ClientMedication.objects.exists()


def test_a_lower_case_code_of_a_real_group_is_accepted(web, member):
    data = client_data(medications=[{"medicine": "Proefmiddel", "atc_code": "v03ab17"}])

    response = web.post(CREATE, data)

    assert response.status_code == 302
    assert ClientMedication.objects.get().atc_code == "V03AB17"


def test_an_update_with_an_unreal_code_leaves_the_medicines_as_they_were(web, sanne):
    ClientMedicationFactory(client=sanne, atc_code="N05BA04", name="oxazepam")
    data = client_data(
        client_number="00042",
        medications=[{"medicine": "Iets", "atc_code": "Z99ZZ99"}],
    )

    response = web.post(reverse("practice:client-update", args=[sanne.pk]), data)

    assert response.status_code == 200
    [row] = response.context["medications"].forms
    assert list(row.errors) == ["atc_code"]
    assert list(sanne.medications.values_list("atc_code", flat=True)) == ["N05BA04"]
