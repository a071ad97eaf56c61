"""A curator deleting a knowledge-base object that practices use learns how many of their
records use it, never which: no client, consult, dose or acknowledgement's reason appears
on the delete pages (one object, or the list's "delete selected"), and nothing is linked.
(Issue #11, finding 1; the role matrix walks every other admin page.)"""

from decimal import Decimal

import pytest
from django.urls import reverse

from gutbrain.models import Indication, Nutrient
from practice.models import Acknowledgement, Protocol, ProtocolTemplate, TemplateLine
from tests.factories import SupplementLineFactory

REASON = "Cees A. 14 wk zwanger, depressie; overlegd met de huisarts."
# What of the practice's records may not reach a curator: Sanne's name and number, the
# acknowledgement's reason, the template's name and the doses of its lines and the consult's.
SECRETS = ("Sanne", "Mulder", "00042", "Cees", "zwanger", "Stress en darm", "437.50", "437,50")


@pytest.fixture
def magnesium(knowledge_base) -> Nutrient:
    return Nutrient.objects.get(slug="magnesium")


@pytest.fixture
def in_use(magnesium, protocol: Protocol, template: ProtocolTemplate) -> None:
    """Magnesium in a line of the issued consult, a template line and an acknowledgement;
    the first indication among the consult's and the template's complaints."""
    consult = protocol.consult
    SupplementLineFactory(consult=consult, nutrient=magnesium, dose_amount=Decimal("437.50"))
    TemplateLine.objects.create(
        template=template, nutrient=magnesium, dose_amount=Decimal("437.50"), dose_unit="mg"
    )
    Acknowledgement.objects.create(
        protocol=protocol, nutrient=magnesium, reason=REASON, acknowledged_by=protocol.issued_by
    )
    indication = Indication.objects.order_by("pk").first()
    consult.complaints.add(indication)
    template.complaints.add(indication)


@pytest.fixture
def browser(curator, web_as):
    browser = web_as(curator)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


def delete_page(model: str, pk: int) -> str:
    return reverse(f"admin:gutbrain_{model}_delete", args=[pk])


def delete_selected(browser, model: str, *pks: int):
    """The confirmation page of the list's "delete selected" action."""
    return browser.post(
        reverse(f"admin:gutbrain_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in pks]},
    )


def shown(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def assert_no_practice_records(content: str) -> None:
    assert [secret for secret in SECRETS if secret in content] == []
    assert "/admin/practice/" not in content


def test_a_nutrient_in_use_cannot_be_deleted_and_its_users_are_counted(browser, magnesium, in_use):
    content = shown(browser.get(delete_page("nutrient", magnesium.pk)))

    assert_no_practice_records(content)
    assert (
        'Nutrient "Magnesium" cannot be deleted: used in 1 acknowledgement, '
        "2 supplement lines and 1 template line." in content
    )


def test_the_sentence_is_dutch_for_a_dutch_curator(browser, magnesium, in_use):
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"

    content = shown(browser.get(delete_page("nutrient", magnesium.pk)))

    assert (
        'Nutriënt "Magnesium" kan niet worden verwijderd: gebruikt in 1 sjabloonregel, '
        "2 supplementregels en 1 verantwoording." in content
    )


def test_the_delete_selected_action_counts_them_too(browser, magnesium, in_use):
    other = Nutrient.objects.exclude(pk=magnesium.pk).order_by("pk").first()

    content = shown(delete_selected(browser, "nutrient", magnesium.pk, other.pk))

    assert_no_practice_records(content)
    assert (
        "Deleting the selected nutrients is not possible: used in 1 acknowledgement, "
        "2 supplement lines and 1 template line." in content
    )


def test_a_nutrient_in_use_is_not_deleted_when_confirmed(browser, magnesium, in_use):
    response = browser.post(delete_page("nutrient", magnesium.pk), {"post": "yes"})

    assert response.status_code == 200
    assert Nutrient.objects.filter(pk=magnesium.pk).exists()


def test_an_indication_among_complaints_counts_the_consults_it_is_removed_from(browser, in_use):
    indication = Indication.objects.order_by("pk").first()

    for response in (
        browser.get(delete_page("indication", indication.pk)),
        delete_selected(browser, "indication", indication.pk),
    ):
        content = shown(response)
        assert_no_practice_records(content)
        assert "relationship" not in content
        assert "Links with 1 consult" in content
        assert "Links with 1 protocol template" in content


def test_the_knowledge_base_a_deletion_takes_along_is_still_named_and_linked(browser, magnesium):
    form = magnesium.forms.order_by("pk").first()

    content = shown(browser.get(delete_page("nutrient", magnesium.pk)))

    assert reverse("admin:gutbrain_nutrientform_change", args=[form.pk]) in content
    assert str(form) in content
