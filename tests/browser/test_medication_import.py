"""The FHIR import of a medication list in the browser, in Dutch, on a desktop (1366 px)
and a phone (390 px): from the client's page to the preview (what is added, what not and
why, how to add a G-Standaard entry by hand) and the confirmation. Each page passes the
accessibility scan, has no sideways scroll, and is kept as a screenshot in the test's
folder for a look."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from practice.models import ClientMedication
from tests.browser.conftest import TIMEOUT_MS, assert_accessible, nl, sign_in
from tests.factories import ClientFactory, ClientMedicationFactory, PracticeMemberFactory
from tests.fhir.test_medication_import import G_STANDAARD, bundle, statement

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

LIST = bundle(
    statement(
        "N06AB06",
        text="Sertraline 50 mg filmomhulde tablet",
        dosage=[{"timing": {"repeat": {"when": ["MORN"]}}}],
    ),
    statement(
        "N05CF02",
        text="Zolpidem 10 mg",
        dosage=[{"timing": {"repeat": {"when": ["HS"], "timeOfDay": ["22:30:00"]}}}],
    ),
    statement("14326507", system=G_STANDAARD, text="Oxazepam 10 mg tablet"),
    statement("H03AA01", text="Levothyroxine 50 microgram"),
    statement("N06AF03", status="stopped", text="Nardil 15 mg"),
    {"resourceType": "Patient"},
)


@pytest.fixture
def sanne(knowledge_base, practitioner):
    member = PracticeMemberFactory(user=practitioner)
    client = ClientFactory(
        practitioner=practitioner, practice=member.practice, first_name="Sanne", last_name="Mulder"
    )
    ClientMedicationFactory(client=client, atc_code="H03AA01", name="levothyroxine")
    return client


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_list_is_previewed_and_added(
    browser: Browser, live_server, sanne, practitioner, tmp_path: Path, viewport: str
):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport=VIEWPORTS[viewport]
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    upload = tmp_path / "medicatieoverzicht.json"
    upload.write_text(json.dumps(LIST))
    try:
        sign_in(page, practitioner, f"/clients/{sanne.pk}/")
        page.get_by_role("link", name=nl("Import a medication list (FHIR)")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            nl("Import the medicines of %(name)s") % {"name": "Sanne Mulder"}
        )
        no_sideways_scroll(page)
        assert_accessible(page)
        page.screenshot(path=tmp_path / f"upload-{viewport}.png", full_page=True)

        page.locator("input[type=file]").set_input_files(upload)
        page.get_by_role("button", name=nl("Show what would be added")).click()

        added = page.get_by_role("table").filter(has_text="Sertraline")
        expect(added).to_contain_text("N06AB06")
        expect(added).to_contain_text("'s ochtends")
        expect(added).to_contain_text("voor het slapengaan, 22.30 uur")
        skipped = page.get_by_role("table").filter(has_text="Oxazepam 10 mg tablet")
        expect(skipped).to_contain_text(nl("no ATC code (for instance a G-Standaard code only)"))
        expect(skipped).to_contain_text(
            nl("already on the client's medicines, or earlier in this list")
        )
        expect(skipped).to_contain_text(
            nl("no longer taken (stopped, completed or entered in error)")
        )
        expect(
            page.get_by_text(nl("Medicines without an ATC code: add them by hand."))
        ).to_be_visible()
        no_sideways_scroll(page)
        assert_accessible(page)
        page.screenshot(path=tmp_path / f"preview-{viewport}.png", full_page=True)
        assert ClientMedication.objects.filter(client=sanne).count() == 1

        page.get_by_role("button", name="2 medicijnen toevoegen").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Sanne Mulder")
        expect(page.get_by_role("status")).to_contain_text(
            "2 medicijnen zijn toegevoegd aan de medicijnen van de cliënt."
        )
        page.screenshot(path=tmp_path / f"added-{viewport}.png", full_page=True)
        assert sorted(
            ClientMedication.objects.filter(client=sanne).values_list("atc_code", flat=True)
        ) == ["H03AA01", "N05CF02", "N06AB06"]
    finally:
        context.close()
