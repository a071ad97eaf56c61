"""The admin in Dutch, the default, and in English when English is chosen: gutbrain's own
name, fields the models leave unnamed, the import, export and history pages. The columns
of the files themselves stay as the file format has them."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from gutbrain.models import Interaction, Medicine
from tests.factories import ClientFactory, PracticeFactory
from tests.gutbrain.admin.browser import admin_url, confirm, export, form_data, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def dutch(curator) -> Client:
    web = Client()
    web.force_login(curator)
    return web


@pytest.fixture
def english(curator) -> Client:
    web = Client(headers={"accept-language": "en"})
    web.force_login(curator)
    return web


@pytest.fixture
def magnesium_row(knowledge_base) -> Interaction:
    return Interaction.objects.get(
        nutrient__slug="magnesium", target=Interaction.Target.ANY_MEDICINE
    )


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def column_headers(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r'<div class="text">(.*?)</div>', html, re.DOTALL)
    ]


def labels(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r"<label[^>]*>(.*?)</label>", html, re.DOTALL)
    ]


def test_the_admin_is_gutbrains_not_djangos(dutch, english):
    html = html_of(dutch.get(reverse("admin:index")))

    assert "<title>Overzicht | gutbrain-beheer</title>" in html
    assert '<a href="/admin/">gutbrain-beheer</a>' in html
    assert "Django" not in html
    assert "gutbrain administration" in html_of(english.get(reverse("admin:index")))


def test_the_app_lists_hidden_column_headers_are_dutch(dutch):
    html = html_of(dutch.get(reverse("admin:index")))

    assert "Soort gegevens" in html
    assert "Model name" not in html


def test_a_change_list_heads_unnamed_fields_and_their_filters_in_dutch(dutch, magnesium_row):
    html = html_of(dutch.get(admin_url("interaction", "changelist")))

    assert column_headers(html)[1:4] == ["Nutriënt", "Geldt voor", "Medicijngroep"]
    assert "Op medicijngroep" in " ".join(html.split())
    assert "Medicine class" not in html and "By medicine class" not in html


def test_a_change_list_is_english_when_english_is_chosen(english, magnesium_row):
    html = html_of(english.get(admin_url("interaction", "changelist")))

    assert column_headers(html)[1:4] == ["Nutrient", "Applies to", "Medicine class"]
    assert "By medicine class" in " ".join(html.split())


def test_a_change_form_labels_every_field_in_dutch(dutch, magnesium_row):
    html = html_of(dutch.get(admin_url("interaction", "change", magnesium_row.pk)))

    assert {"Nutriënt:", "Medicijngroep:", "Referenties:", "Advies (Nederlands):"} <= set(
        labels(html)
    )
    assert not {"Nutrient:", "Medicine class:", "References:"} & set(labels(html))


def test_inline_rows_label_their_fields_in_dutch(dutch, magnesium_row):
    html = html_of(dutch.get(admin_url("nutrient", "change", magnesium_row.nutrient_id)))

    assert "Medicijngroep" in html
    assert "Referenties" in html
    assert not {"Medicine class:", "References:"} & set(labels(html))


def test_the_revert_page_of_a_version_is_dutch(dutch, magnesium_row):
    magnesium_row.advice_en = "Take magnesium apart from medicines."
    magnesium_row.save()
    version = magnesium_row.history.latest()

    html = html_of(
        dutch.get(
            reverse(
                "admin:gutbrain_interaction_simple_history",
                args=[magnesium_row.pk, version.history_id],
            )
        )
    )

    assert "Klik hieronder op ‘Terugzetten’" in html
    assert 'value="Terugzetten"' in html
    assert {"Nutriënt:", "Medicijngroep:"} <= set(labels(html))


def test_a_history_page_is_dutch(dutch, magnesium_row):
    magnesium_row.advice_en = "Take magnesium apart from medicines."
    magnesium_row.save()

    html = html_of(dutch.get(admin_url("interaction", "history", magnesium_row.pk)))

    assert "Kies hieronder een datum om een eerdere versie" in html
    assert ">Actie</th>" in html and ">Reden van de wijziging</th>" in html
    assert "Gewijzigd" in html
    assert re.search(r"1\s+versie\b", html)


def test_a_row_without_history_says_so_in_dutch(dutch, knowledge_base):
    medicine = Medicine.objects.first()  # loaddata writes no history

    html = html_of(dutch.get(admin_url("medicine", "history", medicine.pk)))

    assert "Dit object heeft geen wijzigingsgeschiedenis." in html


def test_the_import_page_is_dutch_and_keeps_the_files_columns(dutch, english):
    html = html_of(dutch.get(admin_url("interaction", "import")))

    assert "Deze import leest de volgende velden:" in html
    assert "nutrient, target, medicine_class, level, advice_nl" in html
    assert set(labels(html)) >= {"Te importeren bestand:", "Bestandsformaat:"}
    assert 'value="Uploaden en bekijken"' in html
    assert 'value="Upload and preview"' in html_of(english.get(admin_url("interaction", "import")))


def test_the_import_preview_and_its_message_are_dutch(dutch, magnesium_row):
    rows = list(csv.DictReader(io.StringIO(export(dutch, "interaction", "csv").content.decode())))
    changed = next(row for row in rows if row["nutrient"] == "magnesium")
    changed["advice_en"] = "Take magnesium two hours before or four hours after medicines."
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)

    preview = upload(dutch, "interaction", "interacties.csv", out.getvalue().encode(), "csv")

    html = html_of(preview)
    assert '<h2 id="import-preview-title">Voorbeeld</h2>' in html
    assert "Hieronder ziet u wat er geïmporteerd wordt" in html
    assert 'value="Import bevestigen"' in html
    assert "Bijwerken" in html and "Overgeslagen" in html
    assert "<th>advice_en</th>" in html  # the file's own column
    done = confirm(dutch, preview, "interaction")
    page = html_of(dutch.get(done.url))
    assert "Import klaar (interacties): 0 nieuw, 1 bijgewerkt, 0 verwijderd en" in page


def test_the_export_page_names_each_column_in_words_and_as_the_file_heads_it(dutch):
    html = html_of(dutch.get(admin_url("interaction", "export")))

    assert "Advies (Nederlands) (advice_nl)" in html
    assert "Medicijngroep (medicine_class)" in html
    assert 'value="Exporteren"' in html
    assert "Verzenden" not in html


def test_the_exported_file_keeps_its_column_headers(dutch, magnesium_row):
    response = export(dutch, "interaction", "csv")

    header = response.content.decode().splitlines()[0]
    assert header.startswith("nutrient,target,medicine_class,level,advice_nl,advice_en")


def test_the_practice_admin_labels_relations_in_dutch(admin_user):
    web = Client()
    web.force_login(admin_user)
    sanne = ClientFactory(practice=PracticeFactory())

    consult_form = html_of(web.get(reverse("admin:practice_consult_add")))
    client_form = html_of(web.get(reverse("admin:practice_client_change", args=[sanne.pk])))

    assert {"Cliënt:", "Behandelaar:"} <= set(labels(consult_form))
    assert not {"Client:", "Practitioner:"} & set(labels(consult_form))
    assert "Behandelaar:" in labels(client_form)


def test_admin_dates_are_day_first_in_english_too(admin_user):
    web = Client(headers={"accept-language": "en"})
    web.force_login(admin_user)
    sanne = ClientFactory(practice=PracticeFactory(), date_of_birth=datetime.date(1988, 5, 17))

    html = html_of(web.get(reverse("admin:practice_client_change", args=[sanne.pk])))

    assert 'value="17-05-1988"' in html
    assert "05/17/1988" not in html


def test_a_form_posted_back_with_a_dutch_date_keeps_it(admin_user, practitioner):
    web = Client()
    web.force_login(admin_user)
    sanne = ClientFactory(practice=PracticeFactory(), practitioner=practitioner)
    url = reverse("admin:practice_client_change", args=[sanne.pk])
    data = form_data(web.get(url), form_id="client_form")
    data["date_of_birth"] = ["02-12-1990"]

    assert web.post(url, data).status_code == 302
    sanne.refresh_from_db()
    assert sanne.date_of_birth.isoformat() == "1990-12-02"
