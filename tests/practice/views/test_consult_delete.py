"""Deleting a consult started by mistake: a page that asks, then a POST. A consult with
saved lines or issued protocols is kept (409), and every step is in the access log."""

import pytest
from django.urls import reverse

from gutbrain.models import Indication, Nutrient
from practice.models import AccessLogEntry, Consult
from practice.protocols import issue_protocol
from tests.factories import SupplementLineFactory
from tests.practice.views.texts import nl


def url(consult: Consult) -> str:
    return reverse("practice:consult-delete", args=[consult.pk])


def logged(count: int = 1) -> list[tuple]:
    """The newest entries, oldest first: (username, action, outcome, type, id, client)."""
    entries = AccessLogEntry.objects.order_by("-pk")[:count]
    return [
        (e.username, e.action, e.outcome, e.record_type, e.record_id, e.client_id)
        for e in reversed(entries)
    ]


@pytest.fixture
def with_line(knowledge_base, consult):
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="magnesium"))
    return consult


def test_it_redirects_anonymous_users_to_the_login_page(client, consult):
    response = client.get(url(consult))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_page_asks_first_and_says_what_goes_with_it(
    web, knowledge_base, consult, django_assert_num_queries
):
    consult.notes = "Per ongeluk aangemaakt."
    consult.save()
    consult.complaints.set(Indication.objects.filter(slug="stress"))
    # Queries: session, user, the practitioner group, the consult with its client, its
    # complaints, whether it has protocols, whether it has lines, the access log's newest
    # hash and the new entry.
    with django_assert_num_queries(9):
        response = web.get(url(consult))
    assert response.status_code == 200
    content = response.content.decode()
    assert nl("Delete the consult") in content
    assert nl("the consult's notes.") in content
    assert 'method="post"' in content
    assert Consult.objects.filter(pk=consult.pk).exists()
    client_id = consult.client_id
    assert logged() == [("practitioner", "read", "allowed", "consult", str(consult.pk), client_id)]


def test_posting_deletes_it_and_logs_the_deletion(web, consult):
    pk, client = consult.pk, consult.client
    response = web.post(url(consult), follow=True)
    assert response.redirect_chain == [(client.get_absolute_url(), 302)]
    assert nl("The consult of %(date)s has been deleted.", date="2 november 2026") in (
        response.content.decode()
    )
    assert not Consult.objects.filter(pk=pk).exists()
    # The deletion, then the client page the browser was sent to.
    assert logged(2) == [
        ("practitioner", "delete", "allowed", "consult", str(pk), client.pk),
        ("practitioner", "read", "allowed", "client", str(client.pk), client.pk),
    ]


def test_a_consult_with_saved_lines_is_kept(web, with_line):
    response = web.post(url(with_line))
    assert response.status_code == 409
    assert nl("This consult is not deleted.") in response.content.decode()
    assert Consult.objects.filter(pk=with_line.pk).exists()
    assert logged() == [
        ("practitioner", "read", "allowed", "consult", str(with_line.pk), with_line.client_id)
    ]


def test_the_page_of_a_consult_with_lines_says_why_and_offers_no_button(web, with_line):
    response = web.get(url(with_line))
    assert response.status_code == 200
    content = response.content.decode()
    assert nl("This consult is not deleted.") in content
    assert 'method="post"' not in content.split("<main")[1]


def test_an_issued_consult_is_kept(web, with_line, practitioner):
    issue_protocol(consult=with_line, issued_by=practitioner)
    with_line.lines.all().delete()  # even without its lines now, it was issued
    response = web.post(url(with_line))
    assert response.status_code == 409
    assert nl("Protocols have been issued from this consult: it is kept.") in (
        response.content.decode()
    )
    assert Consult.objects.filter(pk=with_line.pk).exists()


def test_a_colleague_gets_404_and_the_attempt_is_logged(colleague_web, consult):
    assert colleague_web.post(url(consult)).status_code == 404
    assert Consult.objects.filter(pk=consult.pk).exists()
    assert logged() == [
        ("colleague", "delete", "refused", "consult", str(consult.pk), consult.client_id)
    ]


def test_the_consult_page_offers_deletion_only_while_it_can_be_deleted(
    web, knowledge_base, consult
):
    consult_url = reverse("practice:consult-detail", args=[consult.pk])
    assert url(consult) in web.get(consult_url).content.decode()
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="zinc"))
    assert url(consult) not in web.get(consult_url).content.decode()
