"""What an assistant sees of a client at the client's page: the contact details and the
issued protocols; never the notes, the medicines or the consults."""

import pytest
from django.urls import reverse

from practice.protocols import issue_protocol


def url(client) -> str:
    return reverse("practice:client-detail", args=[client.pk])


def test_the_assistant_sees_the_contact_details_and_the_issued_protocols(
    web_as, assistant, sanne, protocol
):
    response = web_as(assistant).get(url(sanne))
    assert response.status_code == 200
    assert response.templates[0].name == "practice/client_contact.html"
    content = response.content.decode()
    for shown in ("Sanne Mulder", "00042", "sanne@example.nl", "06-12345678", "Dorpsstraat 1"):
        assert shown in content
    assert reverse("practice:protocol-pdf", args=[protocol.pk]) in content


def test_the_assistant_sees_no_notes_medicines_or_consults(web_as, assistant, sanne, protocol):
    content = web_as(assistant).get(url(sanne)).content.decode()
    assert "Slaapt slecht" not in content  # the client's notes
    assert "oxazepam" not in content  # medicines
    assert "Stress op het werk" not in content  # the consult's notes
    assert reverse("practice:consult-detail", args=[protocol.consult_id]) not in content
    assert reverse("practice:client-update", args=[sanne.pk]) not in content


def test_an_assistant_of_another_practitioner_gets_404(web_as, other_assistant, sanne):
    assert web_as(other_assistant).get(url(sanne)).status_code == 404


def test_a_curator_gets_404(web_as, curator, sanne):
    assert web_as(curator).get(url(sanne)).status_code == 404


@pytest.mark.parametrize("versions", [1, 4])
def test_it_reads_in_a_fixed_number_of_queries(
    web_as, assistant, owner, protocol, versions, django_assert_num_queries
):
    for _ in range(versions - 1):
        issue_protocol(consult=protocol.consult, issued_by=owner)
    browser = web_as(assistant)
    # Queries: session, user, the user's roles (one query for every access helper), the
    # client with the practitioner, the access log's newest hash and the new entry, the
    # protocols.
    with django_assert_num_queries(7):
        response = browser.get(url(protocol.consult.client))
    assert len(response.context["protocols"]) == versions
