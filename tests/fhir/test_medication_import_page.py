"""The client's page offers the FHIR import as an upload with a preview: what would be
added, what not and why, in Dutch; nothing is written until the therapist confirms."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient

from practice.models import AccessLogEntry, ClientMedication
from tests.factories import ClientFactory
from tests.fhir.test_medication_import import G_STANDAARD, bundle, statement


@pytest.fixture
def pieter(knowledge_base, anna, practice):
    return ClientFactory(practitioner=anna, practice=practice, first_name="Pieter")


@pytest.fixture
def browser(anna) -> WebClient:
    browser = WebClient()
    browser.force_login(anna)
    return browser


def page(client) -> str:
    return f"/clients/{client.pk}/medications/import/"


def upload(content: bytes, name: str = "medicatie.json") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="application/json")}


LIST = bundle(
    statement("N05BA04", text="Oxazepam 10 mg", dosage=[{"timing": {"repeat": {"when": ["HS"]}}}]),
    statement("14326507", system=G_STANDAARD, text="Sertraline 50 mg tablet"),
    statement("N06AB06", status="stopped", text="Sertraline 50 mg"),
)


def test_the_client_page_links_to_the_import(browser, pieter):
    content = browser.get(f"/clients/{pieter.pk}/").content.decode()

    assert f'href="{page(pieter)}"' in content
    assert "Medicatieoverzicht inlezen (FHIR)" in content


def test_the_page_asks_for_a_file_and_logs_a_read(browser, pieter):
    response = browser.get(page(pieter))

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()
    entry = AccessLogEntry.objects.latest("seq")
    assert (entry.action, entry.client_id, entry.channel) == ("read", pieter.pk, "web")


def test_the_preview_says_what_would_be_added_and_why_the_rest_not_and_writes_nothing(
    browser, pieter
):
    response = browser.post(page(pieter), upload(json.dumps(LIST).encode()))

    assert response.status_code == 200
    result = response.context["result"]
    assert [(a.atc_code, a.name, a.intake_times) for a in result.added] == [
        ("N05BA04", "Oxazepam 10 mg", ("bedtime",))
    ]
    assert [(s.index, s.reason.value) for s in result.skipped] == [
        (1, "not_atc_coded"),
        (2, "not_active"),
    ]
    content = response.content.decode()
    assert "Oxazepam 10 mg" in content
    assert "voor het slapengaan" in content
    assert "geen ATC-code (bijvoorbeeld alleen een G-Standaard-code)" in content
    assert "wordt niet meer gebruikt (gestopt, afgerond of foutief ingevoerd)" in content
    assert "Sertraline 50 mg tablet" in content
    # How to add the G-Standaard entries by hand, and where.
    assert "met de hand" in content
    assert f'href="/clients/{pieter.pk}/edit/"' in content
    assert "1 medicijn toevoegen" in content
    assert not ClientMedication.objects.filter(client=pieter).exists()
    assert AccessLogEntry.objects.latest("seq").action == "read"


def test_confirming_adds_what_the_preview_showed_and_logs_a_change(browser, pieter):
    preview = browser.post(page(pieter), upload(json.dumps(LIST).encode()))
    document = preview.context["confirm"]["document"].value()

    response = browser.post(f"{page(pieter)}?step=confirm", {"document": document})

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{pieter.pk}/"
    assert list(
        ClientMedication.objects.filter(client=pieter).values_list("atc_code", "intake_times")
    ) == [("N05BA04", ["bedtime"])]
    entry = AccessLogEntry.objects.latest("seq")
    assert (entry.action, entry.client_id) == ("update", pieter.pk)
    follow = browser.get(response["Location"]).content.decode()
    assert "1 medicijn is toegevoegd aan de medicijnen van de cliënt." in follow


def test_confirming_twice_adds_nothing_more(browser, pieter):
    document = json.dumps(LIST)
    browser.post(f"{page(pieter)}?step=confirm", {"document": document})

    response = browser.post(f"{page(pieter)}?step=confirm", {"document": document}, follow=True)

    assert ClientMedication.objects.filter(client=pieter).count() == 1
    assert "Er is niets toegevoegd" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "JSON parse error"),
        (b"[" * 1000 + b"]" * 1000, "meer dan 64 diep"),
        (json.dumps(bundle(statement("N05BA04", status=5))).encode(), "entry[0].resource.status"),
        (json.dumps({"resourceType": "Patient"}).encode(), "MedicationStatement"),
        ("{}".encode("utf-16"), "UTF-8"),
    ],
    ids=["not JSON", "too deep", "not valid FHIR", "not a medication list", "not UTF-8"],
)
def test_a_file_that_is_not_a_fhir_medication_list_is_refused_with_the_reason(
    browser, pieter, content, message
):
    response = browser.post(page(pieter), upload(content))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["result"] is None
    assert not ClientMedication.objects.filter(client=pieter).exists()


def test_a_file_too_large_is_refused_before_it_is_read(browser, pieter):
    content = b" " * (1024 * 1024) + b"{}"

    response = browser.post(page(pieter), upload(content))

    assert response.status_code == 400
    assert "groter dan" in response.content.decode()


def test_a_post_without_a_file_names_the_missing_file(browser, pieter):
    response = browser.post(page(pieter))

    assert response.status_code == 400
    assert response.context["errors"]


def test_a_confirmation_without_the_list_changes_nothing(browser, pieter):
    response = browser.post(f"{page(pieter)}?step=confirm", {"document": "{"})

    assert response.status_code == 400
    assert not ClientMedication.objects.filter(client=pieter).exists()


def test_another_practitioner_gets_404(colleague, pieter):
    browser = WebClient()
    browser.force_login(colleague)

    assert browser.get(page(pieter)).status_code == 404
    assert browser.post(f"{page(pieter)}?step=confirm", {"document": "{}"}).status_code == 404
    entry = AccessLogEntry.objects.latest("seq")
    assert (entry.action, entry.outcome) == ("update", "refused")
