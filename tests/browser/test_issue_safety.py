"""Issuing issues exactly what the therapist saw checked, in the browser.

While the consult form holds unsaved changes (here: "pregnant" ticked), the issue button
is disabled and says why; saving enables it again. When the check changes behind the
page's back (a colleague adds the client's MAO inhibitor), issuing answers with the
fresh check and a plain notice, and no protocol is issued."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from gutbrain.models import Level, Nutrient
from practice.forms import ConsultForm
from practice.models import Protocol
from tests.browser.conftest import assert_accessible, level_label, nl, sign_in
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    PracticeMemberFactory,
    SupplementLineFactory,
)


@pytest.fixture
def consult(knowledge_base, practitioner):
    """Tryptophan for a client on no medicines: nothing advises against it yet."""
    member = PracticeMemberFactory(user=practitioner)
    client = ClientFactory(practitioner=practitioner, practice=member.practice)
    consult = ConsultFactory(client=client)
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="tryptophan"))
    return consult


def pregnant_label() -> str:
    with translation.override("nl"):
        return str(ConsultForm.base_fields["pregnant"].label)


def test_unsaved_changes_disable_the_issue_button_until_saved(page: Page, consult):
    sign_in(page, consult.practitioner, reverse("practice:consult-detail", args=[consult.pk]))
    issue = page.locator("#issue-button")
    unsaved = page.locator("#issue-unsaved")
    expect(issue).to_be_enabled()
    expect(unsaved).to_be_hidden()

    page.get_by_label(pregnant_label(), exact=True).check()

    expect(issue).to_be_disabled()
    expect(unsaved).to_be_visible()
    expect(issue).to_have_attribute("aria-describedby", "issue-unsaved")
    assert_accessible(page)

    # Undoing the change makes the form clean again.
    page.get_by_label(pregnant_label(), exact=True).uncheck()
    expect(issue).to_be_enabled()
    expect(unsaved).to_be_hidden()

    page.get_by_label(pregnant_label(), exact=True).check()
    page.get_by_role("button", name=nl("Save consult")).first.click()
    saved = page.get_by_role("status").filter(has_text=nl("The consult has been saved."))
    expect(saved).to_be_visible()
    expect(page.locator("#issue-button")).to_be_enabled()
    expect(page.locator("#issue-unsaved")).to_be_hidden()
    assert Protocol.objects.count() == 0


def test_a_check_changed_behind_the_page_answers_409_and_issues_nothing(page: Page, consult):
    sign_in(page, consult.practitioner, reverse("practice:consult-detail", args=[consult.pk]))
    panel = page.get_by_role("complementary", name=nl("Interaction check"))
    tryptophan = panel.locator(".check-item").filter(has_text="Tryptofaan")
    expect(tryptophan.locator(".check-heading .level")).not_to_have_text(level_label(Level.AVOID))

    # Meanwhile the client's MAO inhibitor is recorded (by a colleague, or the API).
    ClientMedicationFactory(client=consult.client, atc_code="N06AF03", name="fenelzine")

    with page.expect_response(
        lambda r: r.url.endswith(reverse("practice:consult-issue", args=[consult.pk]))
    ) as answer:
        page.locator("#issue-button").click()

    assert answer.value.status == 409
    notice = page.locator("#check-changed")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "alert")
    # The page shows the check as it is now: tryptophan is advised against, and
    # issuing asks for the written reason.
    panel = page.get_by_role("complementary", name=nl("Interaction check"))
    expect(
        panel.locator(".check-item").filter(has_text="Tryptofaan").locator(".check-heading .level")
    ).to_have_text(level_label(Level.AVOID))
    expect(
        page.get_by_label(
            nl("Why do you advise %(nutrient)s, although it is advised against?")
            % {"nutrient": "Tryptofaan"}
        )
    ).to_be_visible()
    assert Protocol.objects.count() == 0
    assert_accessible(page)
