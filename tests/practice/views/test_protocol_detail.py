"""An issued protocol's page: from its snapshot, with the PDF, the consult and versions."""

import pytest
from django.urls import reverse

from gutbrain.models import Nutrient
from practice.models import Protocol
from practice.protocols import issue_protocol
from tests.factories import ClientMedicationFactory, SupplementLineFactory


def url(protocol: Protocol) -> str:
    return reverse("practice:protocol-detail", args=[protocol.pk])


@pytest.fixture
def protocol(knowledge_base, consult, practitioner):
    ClientMedicationFactory(client=consult.client, atc_code="N05BA04", name="oxazepam")
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="magnesium"))
    return issue_protocol(consult=consult, issued_by=practitioner)


def test_it_redirects_anonymous_users_to_the_login_page(client, protocol):
    response = client.get(url(protocol))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_colleague_gets_404_for_another_practitioners_protocol(colleague_web, protocol):
    assert colleague_web.get(url(protocol)).status_code == 404


def test_it_shows_the_snapshot_with_links_in_a_fixed_number_of_queries(
    web, protocol, practitioner, django_assert_num_queries
):
    issue_protocol(consult=protocol.consult, issued_by=practitioner)
    # Queries: session, user, the practitioner group, the protocol with consult, client
    # and issuer, the access log's newest hash and the new entry, the consult's versions
    # with their issuers.
    with django_assert_num_queries(7):
        response = web.get(url(protocol))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("practice:protocol-pdf", args=[protocol.pk]) in content
    assert reverse("practice:protocol-print", args=[protocol.pk]) in content
    assert protocol.consult.get_absolute_url() in content
    assert [v.version for v in response.context["versions"]] == [2, 1]
    assert 'class="level level-separate-intake"' in content
    assert "oxazepam (N05BA04)" in content


def test_it_shows_what_was_issued_not_what_the_consult_says_now(web, protocol):
    protocol.consult.lines.update(nutrient=Nutrient.objects.get(slug="saffron"))
    Nutrient.objects.filter(slug="magnesium").update(name_nl="Magnesium (hernoemd)")
    content = web.get(url(protocol)).content.decode()
    assert "Saffraan" not in content
    assert "hernoemd" not in content
    assert "Magnesium" in content
