"""Edits in the admin and imports both leave a record on the object's history page."""

from gutbrain.models import Nutrient
from tests import factories
from tests.gutbrain.admin.browser import admin_url, confirm, form_data, upload


def test_editing_a_nutrient_records_who_changed_what(curator_client, curator):
    nutrient = factories.NutrientFactory(slug="lemon-balm", name_nl="Melisse")
    url = admin_url("nutrient", "change", nutrient.pk)
    data = form_data(curator_client.get(url), form_id="nutrient_form")
    data["name_nl"] = ["Citroenmelisse"]

    response = curator_client.post(url, data)

    assert response.status_code == 302
    latest = nutrient.history.latest()
    assert (latest.history_type, latest.name_nl, latest.history_user) == (
        "~",
        "Citroenmelisse",
        curator,
    )
    page = curator_client.get(admin_url("nutrient", "history", nutrient.pk))
    assert page.status_code == 200
    assert "Citroenmelisse" in page.content.decode()
    assert [record.name_nl for record in page.context["page_obj"]] == ["Citroenmelisse", "Melisse"]


def test_an_import_records_the_curator_and_the_file_in_the_history(curator_client, curator):
    nutrient = factories.NutrientFactory(slug="saffron", name_nl="Safraan", name_en="Saffron")
    content = b"slug,name_nl,name_en,kind\nsaffron,Saffraan,Saffron,herb\n"
    preview = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")

    confirm(curator_client, preview, "nutrient")

    nutrient.refresh_from_db()
    assert nutrient.name_nl == "Saffraan"
    latest = nutrient.history.latest()
    assert latest.history_user == curator
    assert latest.history_change_reason == "Imported from nutrienten.csv"
    page = curator_client.get(admin_url("nutrient", "history", nutrient.pk))
    html = page.content.decode()
    assert "Imported from nutrienten.csv" in html
    assert "Saffraan" in html


def test_importing_an_unchanged_row_adds_no_history(curator_client):
    nutrient = factories.NutrientFactory(slug="saffron", name_nl="Saffraan", name_en="Saffron")
    content = b"slug,name_nl,name_en,kind\nsaffron,Saffraan,Saffron,herb\n"
    preview = upload(curator_client, "nutrient", "nutrienten.csv", content, "csv")
    assert [row.import_type for row in preview.context["result"].rows] == ["skip"]

    confirm(curator_client, preview, "nutrient")

    assert nutrient.history.count() == 1
    assert Nutrient.objects.get().name_nl == "Saffraan"
