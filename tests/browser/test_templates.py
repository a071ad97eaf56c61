"""Protocol templates in the browser: a practitioner renames one and adds a line without a
reload; deleting one asks first, on a page that says plainly when the whole practice
uses it."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from practice.forms import LineForm, SaveTemplateForm
from practice.models import ProtocolTemplate
from tests.browser.conftest import assert_accessible, nl, sign_in
from tests.factories import PracticeMemberFactory
from tests.practice.views.conftest import make_template


@pytest.fixture
def member(knowledge_base, practitioner):
    """A practice admin (so she shares templates) with one template of her own."""
    member = PracticeMemberFactory(user=practitioner, is_practice_admin=True)
    make_template(practitioner, member.practice, "Slaap", lines=[("melatonin", "1")])
    return member


def field_label(form_class: type, name: str) -> re.Pattern:
    with translation.override("nl"):
        label = str(form_class.base_fields[name].label)
    return re.compile("^" + re.escape(label))


def named(message: str, name: str) -> str:
    return nl(message) % {"name": name}


def open_templates(page: Page, member) -> None:
    sign_in(page, member.user, "/templates/")
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Protocol templates"))


def test_a_template_is_renamed_and_given_a_line_without_a_reload(page: Page, member):
    open_templates(page, member)
    page.get_by_role("link", name=named("Edit “%(name)s”", "Slaap")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        named("Edit the template “%(name)s”", "Slaap")
    )
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")

    page.get_by_label(field_label(SaveTemplateForm, "name")).fill("Slaap en stress")
    page.get_by_label(field_label(SaveTemplateForm, "shared")).check()
    # The template's line and the empty one the page offers; one more, filled in.
    page.get_by_role("button", name=nl("Add a line")).click()
    third = page.get_by_role("group", name=nl("Line %(number)s") % {"number": 3}, exact=True)
    third.get_by_label(field_label(LineForm, "nutrient")).select_option(label="Magnesium")
    third.get_by_label(field_label(LineForm, "dose_amount")).fill("300")
    assert page.evaluate("window.notReloaded === true")
    page.get_by_role("button", name=nl("Save template")).first.click()

    saved = named("The template “%(name)s” has been saved.", "Slaap en stress")
    expect(page.get_by_role("status").filter(has_text=saved)).to_be_visible()
    item = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Slaap en stress")
    )
    expect(item).to_contain_text("Magnesium: 300 mg")
    expect(item).to_contain_text(nl("shared with the practice"))
    template = ProtocolTemplate.objects.get()
    assert template.shared
    assert list(template.lines.values_list("nutrient__slug", flat=True)) == [
        "melatonin",
        "magnesium",
    ]
    assert_accessible(page)


def test_deleting_a_shared_template_asks_first_and_says_it_is_shared(page: Page, member):
    ProtocolTemplate.objects.update(shared=True)
    open_templates(page, member)
    page.get_by_role("link", name=named("Delete “%(name)s”", "Slaap")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        named("Delete the template “%(name)s”?", "Slaap")
    )
    expect(page.get_by_text(nl("This template is shared with the whole practice."))).to_be_visible()
    assert ProtocolTemplate.objects.exists()
    assert_accessible(page)

    # Cancel goes back and keeps it; deleting from the page removes it.
    page.get_by_role("link", name=nl("Cancel")).click()
    expect(page.get_by_role("heading", name="Slaap")).to_be_visible()
    page.get_by_role("link", name=named("Delete “%(name)s”", "Slaap")).click()
    page.get_by_role("button", name=nl("Delete the template")).click()

    deleted = named("The template “%(name)s” has been deleted.", "Slaap")
    expect(page.get_by_role("status").filter(has_text=deleted)).to_be_visible()
    expect(page.get_by_role("heading", name="Slaap")).to_have_count(0)
    assert not ProtocolTemplate.objects.exists()
