"""The consult page in the browser: lines are added and removed without a reload and
without errors for lines not filled in yet; errors that were fixed go; the check's
summary stays in sight, in a bar at the top of a phone and in the panel on a desktop;
a consult started by mistake is deleted after a page that asks."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Locator, Page, expect

from gutbrain.models import Level, Nutrient
from practice.forms import LineForm
from practice.models import Consult
from tests.browser.conftest import TIMEOUT_MS, assert_accessible, level_label, nl, sign_in
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    PracticeMemberFactory,
    SupplementLineFactory,
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture
def consult(knowledge_base, practitioner) -> Consult:
    """Magnesium saved for a client on an MAO inhibitor (magnesium: take apart)."""
    member = PracticeMemberFactory(user=practitioner)
    client = ClientFactory(practitioner=practitioner, practice=member.practice)
    ClientMedicationFactory(client=client, atc_code="N06AF03", name="fenelzine")
    consult = ConsultFactory(client=client)
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="magnesium"))
    return consult


@pytest.fixture
def long_consult(consult) -> Consult:
    """Eight lines, tryptophan (advised against with the MAO inhibitor) among them: the
    last line is far below the check panel on a phone."""
    slugs = ["tryptophan", "zinc", "saffron", "rhodiola", "theanine", "glutamine", "melatonin"]
    for order, slug in enumerate(slugs, start=2):
        SupplementLineFactory(
            consult=consult, nutrient=Nutrient.objects.get(slug=slug), order=order
        )
    return consult


def field_label(name: str) -> re.Pattern:
    with translation.override("nl"):
        label = str(LineForm.base_fields[name].label)
    return re.compile("^" + re.escape(label))


def line(page: Page, number: int) -> Locator:
    return page.get_by_role("group", name=nl("Line %(number)s") % {"number": number}, exact=True)


def open_consult(page: Page, consult: Consult) -> None:
    sign_in(page, consult.practitioner, reverse("practice:consult-detail", args=[consult.pk]))
    # Set on this document only: a reload or a navigation would lose it.
    page.evaluate("window.notReloaded = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.notReloaded === true"), "the page was reloaded"


def test_three_lines_are_added_without_a_reload_and_checked_live(page: Page, consult):
    open_consult(page, consult)
    # One saved line and the empty one the page offers.
    expect(page.locator("[data-line]")).to_have_count(2)
    add = page.get_by_role("button", name=nl("Add a line"))
    for _click in range(3):
        add.click()
    expect(page.locator("[data-line]")).to_have_count(5)
    assert_not_reloaded(page)
    expect(page.locator("#id_lines-TOTAL_FORMS")).to_have_value("5")
    # Focus went to the new line, and nothing was shown as wrong.
    expect(line(page, 5).get_by_label(field_label("nutrient"))).to_be_focused()
    expect(page.locator(".field-error, .error-summary")).to_have_count(0)

    # An added line is checked live like the others.
    line(page, 5).get_by_label(field_label("nutrient")).select_option(label="Tryptofaan")
    panel = page.get_by_role("complementary", name=nl("Interaction check"))
    tryptophan = panel.locator(".check-item").filter(has_text="Tryptofaan")
    expect(tryptophan.locator(".check-heading .level")).to_have_text(level_label(Level.AVOID))
    # Its form select was narrowed to tryptophan's forms (htmx on the cloned line).
    forms = line(page, 5).get_by_label(field_label("form")).locator("option")
    expect(forms.filter(has_text="Magnesium")).to_have_count(0)
    expect(page.locator("#check-busy")).to_be_hidden()
    assert_accessible(page)

    # Removing a new line takes it out; the lines after it move up one number.
    line(page, 3).get_by_role("button", name=nl("Remove this line")).click()
    expect(page.locator("[data-line]")).to_have_count(4)
    expect(page.locator("#id_lines-TOTAL_FORMS")).to_have_value("4")
    expect(line(page, 4).get_by_label(field_label("nutrient"))).to_have_value("tryptophan")

    # Removing the saved line folds it away, with an undo; the check follows.
    magnesium = panel.locator(".check-item").filter(has_text="Magnesium")
    line(page, 1).get_by_role("button", name=nl("Remove this line")).click()
    expect(line(page, 1).get_by_role("button", name=nl("Undo"))).to_be_focused()
    expect(magnesium).to_have_count(0)
    line(page, 1).get_by_role("button", name=nl("Undo")).click()
    expect(magnesium).to_have_count(1)
    line(page, 1).get_by_role("button", name=nl("Remove this line")).click()
    expect(magnesium).to_have_count(0)
    assert_not_reloaded(page)

    line(page, 4).get_by_label(field_label("dose_amount")).fill("500")
    page.get_by_role("button", name=nl("Save consult")).first.click()
    expect(
        page.get_by_role("status").filter(has_text=nl("The consult has been saved."))
    ).to_be_visible()
    assert list(consult.lines.values_list("nutrient__slug", flat=True)) == ["tryptophan"]


def test_an_error_goes_as_soon_as_it_is_corrected(page: Page, consult):
    open_consult(page, consult)
    line(page, 2).get_by_label(field_label("nutrient")).select_option(label="Zink")
    page.get_by_role("button", name=nl("Save consult")).first.click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    dose = line(page, 2).get_by_label(field_label("dose_amount"))
    expect(dose).to_have_attribute("aria-invalid", "true")

    dose.fill("15")
    expect(dose).not_to_have_attribute("aria-invalid", "true")
    expect(line(page, 2).locator(".field-error")).to_have_count(0)
    expect(summary).to_have_count(0)
    assert_accessible(page)


def phone_page(browser: Browser, live_server, viewport: dict) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def in_viewport(page: Page, locator: Locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= -1 and box["y"] + box["height"] <= height + 1


def test_the_summary_stays_at_the_top_of_a_phone_after_scrolling_to_the_last_line(
    browser: Browser, live_server, long_consult
):
    page = phone_page(browser, live_server, PHONE)
    try:
        open_consult(page, long_consult)
        page.locator("[data-line]").last.scroll_into_view_if_needed()
        bar = page.get_by_role("region", name=nl("Summary of the interaction check"))
        expect(bar).to_be_visible()
        assert in_viewport(page, bar)
        assert bar.bounding_box()["y"] < 2  # stuck to the top
        expect(bar.locator(".check-worst")).to_contain_text(level_label(Level.AVOID))
        expect(bar.locator(".check-worst")).to_contain_text("Tryptofaan")
        expect(bar).to_contain_text("Magnesium")
        # The panel itself is far below.
        panel = page.get_by_role("complementary", name=nl("Interaction check"))
        assert not in_viewport(page, panel)

        # It follows the live check: removing tryptophan changes the worst level.
        line(page, 2).get_by_role("button", name=nl("Remove this line")).click()
        expect(bar.locator(".check-worst")).not_to_contain_text("Tryptofaan")
        page.locator("[data-line]").last.scroll_into_view_if_needed()
        assert in_viewport(page, bar)
        assert_accessible(page)
    finally:
        page.context.close()


def test_on_a_desktop_the_panel_stays_beside_the_lines_and_scrolls_to_its_last_finding(
    browser: Browser, live_server, long_consult
):
    page = phone_page(browser, live_server, DESKTOP)
    try:
        open_consult(page, long_consult)
        bar = page.get_by_role("region", name=nl("Summary of the interaction check"))
        expect(bar).to_be_hidden()
        page.locator("[data-line]").last.scroll_into_view_if_needed()
        panel = page.get_by_role("complementary", name=nl("Interaction check"))
        assert in_viewport(page, panel)
        summary = panel.locator(".check-summary")
        expect(summary).to_contain_text(level_label(Level.AVOID))
        # Scrolled within the panel, the last finding comes into view and the summary
        # stays at the panel's top.
        last_item = panel.locator(".check-item").last
        last_item.scroll_into_view_if_needed()
        assert in_viewport(page, last_item)
        assert in_viewport(page, summary)
        assert summary.bounding_box()["y"] <= last_item.bounding_box()["y"]
        assert_accessible(page)
    finally:
        page.context.close()


def test_a_consult_started_by_mistake_is_deleted_after_a_page_that_asks(
    page: Page, knowledge_base, practitioner
):
    member = PracticeMemberFactory(user=practitioner)
    client = ClientFactory(practitioner=practitioner, practice=member.practice)
    consult = ConsultFactory(client=client)
    open_consult(page, consult)
    page.get_by_role("link", name=nl("Delete this consult")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(client.full_name)
    assert Consult.objects.filter(pk=consult.pk).exists()
    assert_accessible(page)
    page.get_by_role("button", name=nl("Delete the consult")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.full_name)
    expect(page.get_by_role("status")).to_be_visible()
    assert not Consult.objects.filter(pk=consult.pk).exists()


def test_the_dashboard_tells_two_consults_of_one_day_apart(page: Page, consult):
    ConsultFactory(client=consult.client, date=consult.date)  # started again, left empty
    sign_in(page, consult.practitioner)
    table = page.get_by_role("table", name=nl("Consults of your clients, newest first"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(nl("Nothing to check"))
    expect(rows.nth(1).locator(".level")).to_have_text(level_label(Level.SEPARATE_INTAKE))
    expect(rows.nth(1)).to_contain_text(nl("Not issued"))
    assert_accessible(page)
