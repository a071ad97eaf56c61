"""The whole staff workflow in Dutch, in the browser: a practitioner adds a client with
their medicines, holds a consult started from a protocol template, sees the live check
advise against tryptophan, issues the protocol with a written reason, and opens it and its
PDF. Every staff page on the way passes the accessibility scan."""

import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from gutbrain.models import Level, Nutrient, NutrientForm
from practice.forms import ClientForm, LineForm, MedicationForm, NewConsultForm, SaveTemplateForm
from practice.models import DoseUnit, ProtocolTemplate, TemplateLine
from tests.browser.conftest import assert_accessible, level_label, login, nl
from tests.factories import PracticeMemberFactory

TEMPLATE_NAME = "Stress en darm"
REASON = "Fenelzine wordt afgebouwd; de behandelend psychiater stemt in met tryptofaan."


@pytest.fixture
def member(knowledge_base, practitioner):
    """The practitioner, in a practice, with a protocol template of their own."""
    member = PracticeMemberFactory(user=practitioner)
    template = ProtocolTemplate.objects.create(
        name=TEMPLATE_NAME, owner=practitioner, practice=member.practice
    )
    TemplateLine.objects.create(
        template=template,
        nutrient=Nutrient.objects.get(slug="magnesium"),
        form=NutrientForm.objects.get(slug="bisglycinate"),
        dose_amount=Decimal("300"),
        dose_unit=DoseUnit.MG,
    )
    return member


def field_label(form_class: type, name: str) -> re.Pattern:
    """The Dutch label of a form field, as the start of the input's accessible name (the
    page may add "(required)" after it)."""
    with translation.override("nl"):
        label = str(form_class.base_fields[name].label)
    return re.compile("^" + re.escape(label))


def group(page: Page, legend: str) -> Locator:
    """A fieldset by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def numbered(message: str, number: int) -> str:
    return nl(message) % {"number": number}


def message(page: Page, text: str) -> Locator:
    """The status message (Django's messages framework) with this text."""
    return page.get_by_role("status").filter(has_text=text)


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_a_practitioner_issues_a_protocol_with_an_acknowledged_warning(page: Page, member):
    login(page, member.user)
    assert_accessible(page)

    # The client list, empty, and the new client's form.
    page.get_by_role("navigation", name=nl("Main")).get_by_role("link", name=nl("Clients")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Clients"))
    assert_accessible(page)
    page.get_by_role("link", name=nl("New client"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("New client"))
    assert_accessible(page)

    page.get_by_label(field_label(ClientForm, "first_name")).fill("Sanne")
    page.get_by_label(field_label(ClientForm, "last_name")).fill("Mulder")
    page.get_by_label(field_label(ClientForm, "date_of_birth")).fill("1985-03-14")
    first = group(page, numbered("Medicine %(number)s", 1))
    # Typed with its code, under its Dutch name: not the list's "phenelzine".
    first.get_by_label(field_label(MedicationForm, "medicine")).fill("fenelzine")
    first.get_by_label(field_label(MedicationForm, "atc_code")).fill("N06AF03")
    page.get_by_role("button", name=nl("Add client")).click()

    # The client's page; the second medicine is added by editing (one empty row a time).
    expect(page.get_by_role("heading", level=1)).to_have_text("Sanne Mulder")
    page.get_by_role("link", name=nl("Edit client")).click()
    second = group(page, numbered("Medicine %(number)s", 2))
    # Picked from the reference list the way the datalist offers it.
    second.get_by_label(field_label(MedicationForm, "medicine")).fill("oxazepam (N05BA04)")
    page.get_by_role("button", name=nl("Save client")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sanne Mulder")
    medicines = page.get_by_role("region", name=nl("Medicines"), exact=True)
    expect(medicines.get_by_role("listitem")).to_have_count(2)
    # Saved again through the form, the typed name stays: not renamed to "phenelzine".
    expect(medicines.get_by_role("listitem").filter(has_text="N06AF03")).to_contain_text(
        "fenelzine"
    )
    expect(medicines.get_by_role("listitem").filter(has_text="N05BA04")).to_contain_text("oxazepam")
    assert_accessible(page)

    # A consult from the template: magnesium is in it already.
    page.get_by_label(field_label(NewConsultForm, "template")).select_option(label=TEMPLATE_NAME)
    page.get_by_role("button", name=nl("Start consult")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sanne Mulder")
    line_one = group(page, numbered("Line %(number)s", 1))
    expect(line_one.get_by_label(field_label(LineForm, "nutrient"))).to_have_value("magnesium")
    check_panel = page.get_by_role("complementary", name=nl("Interaction check"))
    expect(check_panel).to_contain_text("Magnesium")
    assert_accessible(page)

    # Tryptophan with an MAO inhibitor: the check warns as soon as it is chosen.
    line_two = group(page, numbered("Line %(number)s", 2))
    line_two.get_by_label(field_label(LineForm, "nutrient")).select_option(label="Tryptofaan")
    tryptophan = check_panel.get_by_role("listitem").filter(has_text="Tryptofaan")
    expect(tryptophan.locator(".level").first).to_have_text(level_label(Level.AVOID))
    expect(tryptophan).to_contain_text("MAO-remmers")
    expect(tryptophan).to_contain_text("(N06AF03)")
    expect(tryptophan).to_contain_text("afgeraden")
    # htmx swapped the panel in: the page itself was not posted.
    expect(page.get_by_text(nl("Not saved yet"), exact=False)).to_have_count(0)
    # Scan the settled page, with the "Checking…" note hidden again.
    expect(page.locator("#check-busy")).to_be_hidden()
    assert_accessible(page)

    line_two.get_by_label(field_label(LineForm, "dose_amount")).fill("500")
    page.get_by_role("button", name=nl("Save consult")).first.click()
    expect(message(page, nl("The consult has been saved."))).to_be_visible()

    # Issuing needs a written reason for the nutrient advised against.
    reason = page.get_by_label(
        nl("Why do you advise %(nutrient)s, although it is advised against?")
        % {"nutrient": "Tryptofaan"}
    )
    issue = page.get_by_role("button", name=nl("Issue protocol"))
    issued = nl("Protocol version %(version)s has been issued.") % {"version": 1}
    issue.click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(message(page, issued)).to_have_count(0)
    assert_accessible(page)

    reason.fill(REASON)
    issue.click()

    expect(message(page, issued)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/protocols/\d+/$"))
    expect(page.get_by_role("table").get_by_role("rowheader")).to_contain_text(
        ["Magnesium", "Tryptofaan"]
    )
    acknowledged = page.get_by_role("region", name=nl("Advised against, yet advised"))
    expect(acknowledged).to_contain_text("Tryptofaan")
    expect(acknowledged).to_contain_text(REASON)
    assert_accessible(page)

    pdf_link = page.get_by_role("link", name=nl("PDF"), exact=True)
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "Sanne Mulder" in text
    assert "Tryptofaan" in text
    assert REASON in text

    # The consult's lines, kept as a template of its own for the next client.
    page.get_by_role("link", name=nl("Back to the consult")).click()
    page.get_by_label(field_label(SaveTemplateForm, "name")).fill("Stress, stemming en MAO")
    page.get_by_role("button", name=nl("Save as a template")).click()
    saved = nl("Saved as the template “%(name)s”.") % {"name": "Stress, stemming en MAO"}
    expect(message(page, saved)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Protocol templates"))
    new_template = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Stress, stemming en MAO")
    )
    expect(new_template).to_contain_text("Tryptofaan")
    assert_accessible(page)
