"""Importing the reference list of medicines from CSV: preview, confirm, all or nothing."""

from django.utils.html import escape

from gutbrain.models import Medicine
from tests import factories
from tests.gutbrain.admin.browser import admin_url, confirm, upload

GOOD = b"atc_code,name\nN05BA01,diazepam\nn05cd07 ,temazepam\nN06AB06,sertraline\n"


def test_an_upload_shows_a_preview_and_imports_nothing_yet(curator_client):
    response = upload(curator_client, "medicine", "medicines.csv", GOOD, "csv")

    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    assert f'action="{admin_url("medicine", "process_import")}"' in response.content.decode()
    assert [row.import_type for row in response.context["result"].rows] == ["new"] * 3
    assert Medicine.objects.count() == 0


def test_confirming_the_preview_imports_the_medicines(curator_client):
    preview = upload(curator_client, "medicine", "medicines.csv", GOOD, "csv")

    response = confirm(curator_client, preview, "medicine")

    assert response.status_code == 302
    assert response.url == admin_url("medicine", "changelist")
    assert dict(Medicine.objects.values_list("atc_code", "name")) == {
        "N05BA01": "diazepam",
        "N05CD07": "temazepam",
        "N06AB06": "sertraline",
    }


def test_a_row_with_a_known_atc_code_updates_that_medicine(curator_client):
    factories.MedicineFactory(name="Seresta", atc_code="N05BA04")
    content = b"atc_code,name\nN05BA04,oxazepam\n"

    confirm(curator_client, upload(curator_client, "medicine", "m.csv", content, "csv"), "medicine")

    assert list(Medicine.objects.values_list("atc_code", "name")) == [("N05BA04", "oxazepam")]


def test_one_malformed_atc_code_shows_the_row_error_and_imports_nothing(curator_client):
    factories.MedicineFactory(name="oxazepam", atc_code="N05BA04")
    content = GOOD + b"N05B04,broken\n"

    response = upload(curator_client, "medicine", "medicines.csv", content, "csv")

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    html = response.content.decode()
    assert escape("Not a valid ATC code: N05B04.") in html
    assert "N05B04" in html
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 4
    assert Medicine.objects.count() == 1
