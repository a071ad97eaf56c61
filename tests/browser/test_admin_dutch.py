"""The admin in the browser, as a curator sees it in Dutch: gutbrain's own name, Dutch labels
on the interaction list and form, the import page and its preview; each page passes the
accessibility scan."""

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from gutbrain.resources import InteractionResource
from tests.browser.conftest import assert_accessible, nl, sign_in


@pytest.fixture
def curator_page(page: Page, knowledge_base, curator) -> Page:
    sign_in(page, curator)
    return page


def interactions_csv(tmp_path, change: str) -> str:
    """The interaction table as the export writes it, with magnesium's English advice
    changed."""
    rows = list(csv.DictReader(io.StringIO(InteractionResource().export().csv)))
    for row in rows:
        if row["nutrient"] == "magnesium":
            row["advice_en"] = change
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "interacties.csv"
    path.write_text(out.getvalue())
    return str(path)


def test_a_curator_goes_from_the_landing_page_to_the_dutch_admin(curator_page: Page):
    page = curator_page
    page.get_by_role("navigation", name=nl("Main")).get_by_role(
        "link", name=nl("Administration")
    ).click()

    expect(page).to_have_title("Overzicht | gutbrain-beheer")
    expect(page.locator("#site-name")).to_have_text("gutbrain-beheer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht")
    assert_accessible(page)

    page.get_by_role("link", name="Interacties", exact=True).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Selecteer interactie om te wijzigen")
    headers = page.locator("#result_list thead th")
    expect(headers.nth(1)).to_contain_text("Nutriënt")
    expect(headers.nth(3)).to_contain_text("Medicijngroep")
    expect(page.locator("#changelist-filter")).to_contain_text("Op medicijngroep")
    # Long class names wrap: every column of the table stays inside its box.
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
    assert_accessible(page)

    page.get_by_role("link", name="Magnesium", exact=True).first.click()

    expect(page.get_by_label("Nutriënt:")).to_be_visible()
    expect(page.get_by_text("Medicijngroep:", exact=True)).to_be_visible()
    expect(page.get_by_text("Referenties:", exact=True)).to_be_visible()
    assert_accessible(page)


def test_a_curator_imports_a_file_through_the_dutch_import_page(curator_page: Page, tmp_path):
    page = curator_page
    page.goto("/admin/gutbrain/interaction/")
    page.get_by_role("link", name="Importeren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Importeren")
    expect(page.get_by_text("Deze import leest de volgende velden:")).to_be_visible()
    page.get_by_label("Te importeren bestand:").set_input_files(
        interactions_csv(tmp_path, "Take magnesium two hours before or four hours after.")
    )
    page.get_by_label("Bestandsformaat:").select_option(label="csv")
    assert_accessible(page)
    page.get_by_role("button", name="Uploaden en bekijken").click()

    expect(page.get_by_role("heading", name="Voorbeeld")).to_be_visible()
    preview = page.get_by_role("region", name="Voorbeeld")
    expect(preview.locator("tr.update")).to_have_count(1)
    expect(preview.locator("tr.update")).to_contain_text("Bijwerken")
    # The file's columns keep their names.
    expect(preview.locator("thead")).to_contain_text("advice_en")
    assert_accessible(page)
    page.get_by_role("button", name="Import bevestigen").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Import klaar (interacties): 0 nieuw, 1 bijgewerkt"
    )
