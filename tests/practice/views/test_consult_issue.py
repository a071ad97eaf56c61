"""Issuing the consult's protocol from the consult page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext, override

from gutbrain.models import Nutrient
from practice.models import Acknowledgement, Consult, Protocol
from practice.protocols import check_consult
from tests.factories import ClientMedicationFactory, SupplementLineFactory


def url(consult: Consult) -> str:
    return reverse("practice:consult-issue", args=[consult.pk])


def seen(consult: Consult, data: dict | None = None) -> dict:
    """The issue form as the consult page sends it: with the digest of the check shown."""
    try:
        digest = check_consult(Consult.objects.get(pk=consult.pk)).digest
    except ValidationError:
        digest = ""
    return {"check_digest": digest, **(data or {})}


@pytest.fixture
def tryptophan_on_maoi(knowledge_base, consult):
    """Tryptophan with an MAO inhibitor: advised against."""
    ClientMedicationFactory(client=consult.client, atc_code="N06AF03", name="fenelzine")
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="magnesium"))
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="tryptophan"))
    return consult


def test_it_redirects_anonymous_users_to_the_login_page(client, consult):
    response = client.post(url(consult))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Protocol.objects.exists()


def test_a_colleague_gets_404_for_another_practitioners_consult(colleague_web, tryptophan_on_maoi):
    data = {"reason_tryptophan": "Overlegd."}
    assert colleague_web.post(url(tryptophan_on_maoi), data).status_code == 404
    assert not Protocol.objects.exists()


def test_the_consult_page_asks_a_reason_for_each_nutrient_advised_against(web, tryptophan_on_maoi):
    response = web.get(tryptophan_on_maoi.get_absolute_url())
    content = response.content.decode()
    assert 'name="reason_tryptophan"' in content
    assert 'name="reason_magnesium"' not in content
    assert '<label for="id_reason_tryptophan">' in content


def test_without_a_reason_nothing_is_issued_and_the_nutrient_is_named(web, tryptophan_on_maoi):
    response = web.post(
        url(tryptophan_on_maoi), seen(tryptophan_on_maoi, {"reason_tryptophan": "  "})
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="issue-errors"' in content
    assert 'href="#id_reason_tryptophan"' in content
    assert "Tryptofaan" in content
    assert not Protocol.objects.exists()


def test_a_reason_for_a_nutrient_the_form_did_not_ask_about_is_refused_by_name(
    web, tryptophan_on_maoi
):
    # The check changed since the page was shown: the form lacks the field, the domain
    # refuses, and the page names the nutrient.
    tryptophan_on_maoi.lines.filter(nutrient__slug="magnesium").delete()
    SupplementLineFactory(consult=tryptophan_on_maoi, nutrient=Nutrient.objects.get(slug="saffron"))
    tryptophan_on_maoi.pregnant = True
    tryptophan_on_maoi.save()
    response = web.post(
        url(tryptophan_on_maoi),
        seen(tryptophan_on_maoi, {"reason_tryptophan": "Overlegd met de arts."}),
    )
    assert response.status_code == 200
    assert "Saffraan" in response.content.decode()
    assert not Protocol.objects.exists()


def test_with_a_reason_the_protocol_is_issued_and_shown(web, tryptophan_on_maoi, practitioner):
    response = web.post(
        url(tryptophan_on_maoi),
        seen(tryptophan_on_maoi, {"reason_tryptophan": "Overlegd met de psychiater."}),
    )
    protocol = Protocol.objects.get()
    assert response.status_code == 302
    assert response.url == protocol.get_absolute_url()
    assert protocol.version == 1
    assert protocol.issued_by == practitioner
    acknowledgement = Acknowledgement.objects.get()
    assert acknowledgement.nutrient.slug == "tryptophan"
    assert acknowledgement.reason == "Overlegd met de psychiater."


def test_a_consult_without_findings_to_acknowledge_is_issued_at_once(web, knowledge_base, consult):
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="saffron"))
    response = web.post(url(consult), seen(consult))
    assert response.status_code == 302
    # Saffron's "no interactions known" is said of medicines; this client takes none.
    assert Protocol.objects.get().worst_level == "clear"


def test_a_consult_without_lines_is_not_issued(web, knowledge_base, consult):
    response = web.post(url(consult), seen(consult))
    assert response.status_code == 200
    with override("nl"):
        expected = gettext("A protocol needs at least one supplement line.")
    assert expected in response.content.decode()
    assert not Protocol.objects.exists()


def test_a_changed_check_is_409_and_issues_nothing(web, tryptophan_on_maoi):
    data = seen(tryptophan_on_maoi, {"reason_tryptophan": "Overlegd met de psychiater."})
    ClientMedicationFactory(client=tryptophan_on_maoi.client, atc_code="N05BA04", name="oxazepam")

    response = web.post(url(tryptophan_on_maoi), data)

    assert response.status_code == 409
    content = response.content.decode()
    assert 'id="check-changed"' in content
    assert "oxazepam" in content
    assert "Overlegd met de psychiater." in content
    assert not Protocol.objects.exists()


def test_the_physician_page_checkbox_is_ticked_and_its_choice_is_kept(web, tryptophan_on_maoi):
    page = web.get(reverse("practice:consult-detail", args=[tryptophan_on_maoi.pk]))
    assert page.context["issue_form"]["include_physician_page"].value() is True
    assert 'name="include_physician_page"' in page.content.decode()

    web.post(
        url(tryptophan_on_maoi),
        seen(
            tryptophan_on_maoi,
            {"reason_tryptophan": "Overlegd met de psychiater.", "include_physician_page": "on"},
        ),
    )
    web.post(
        url(tryptophan_on_maoi),
        seen(tryptophan_on_maoi, {"reason_tryptophan": "Overlegd met de psychiater."}),
    )

    assert [p.snapshot["include_physician_page"] for p in Protocol.objects.order_by("version")] == [
        True,
        False,
    ]


def test_a_changed_check_keeps_the_physician_page_choice(web, tryptophan_on_maoi):
    data = seen(tryptophan_on_maoi, {"reason_tryptophan": "Overlegd met de psychiater."})
    ClientMedicationFactory(client=tryptophan_on_maoi.client, atc_code="N05BA04", name="oxazepam")

    response = web.post(url(tryptophan_on_maoi), data)

    assert response.status_code == 409
    assert response.context["issue_form"]["include_physician_page"].value() is False
