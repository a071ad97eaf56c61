"""The admin's medicine and medicine class forms refuse ATC codes and prefixes that do not
begin with a real ATC main group letter, and say which letters are."""

import pytest

from gutbrain.models import Medicine
from tests import factories
from tests.gutbrain.admin.browser import admin_url, form_data

LETTERS = "(A, B, C, D, G, H, J, L, M, N, P, R, S or V)"


@pytest.mark.parametrize("code", ["Z99ZZ99", "N05B", "X01AA01"])
def test_a_code_with_an_unreal_group_letter_or_cut_short_is_refused_for_a_medicine(
    curator_client, code
):
    url = admin_url("medicine", "add")
    data = form_data(curator_client.get(url), form_id="medicine_form")
    data.update(name=["Proefmiddel"], atc_code=[code])

    response = curator_client.post(url, data)

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["atc_code"]
    assert message.startswith(f"Not a valid ATC code: {code}.")
    assert LETTERS in message
    assert not Medicine.objects.exists()


def test_a_medicine_of_a_real_group_is_saved(curator_client):
    url = admin_url("medicine", "add")
    data = form_data(curator_client.get(url), form_id="medicine_form")
    data.update(name=["linezolid"], atc_code=["J01XX08"])

    assert curator_client.post(url, data).status_code == 302
    assert Medicine.objects.get().atc_code == "J01XX08"


@pytest.mark.parametrize("field", ["atc_prefixes", "editor_prefixes"])
def test_a_prefix_with_an_unreal_group_letter_is_refused_for_a_class(curator_client, field):
    medicine_class = factories.MedicineClassFactory(slug="sedatives", atc_prefixes="N05")
    url = admin_url("medicineclass", "change", medicine_class.pk)
    data = form_data(curator_client.get(url), form_id="medicineclass_form")
    data.update({field: ["N05BA, Z99"], "editor_note_nl": ["Reden."]})

    response = curator_client.post(url, data)

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors[field]
    assert message.startswith("Not an ATC prefix: Z99.")
    assert LETTERS in message
    medicine_class.refresh_from_db()
    assert (medicine_class.atc_prefixes, medicine_class.editor_prefixes) == ("N05", "")
