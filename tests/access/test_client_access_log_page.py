"""The client's access log in the staff pages: the latest entries on the client's page,
and the whole log on its own page, for the treating practitioner and superusers."""

import pytest
from django.urls import reverse

from practice import accesslog
from practice.models import AccessAction, AccessLogEntry


def url(client) -> str:
    return reverse("practice:client-access-log", args=[client.pk])


@pytest.fixture
def refused_attempt(request_by, colleague, sanne):
    return accesslog.record(
        request_by(colleague), action=AccessAction.PRINT, obj=sanne, outcome="refused"
    )


def test_the_clients_page_shows_the_latest_entries_and_links_to_all(
    web_as, owner, sanne, refused_attempt
):
    response = web_as(owner).get(reverse("practice:client-detail", args=[sanne.pk]))
    entries = list(response.context["access_log"])
    # This very visit comes first.
    assert [(e.username, e.action) for e in entries] == [
        ("practitioner", "read"),
        ("colleague", "print"),
    ]
    content = response.content.decode()
    assert url(sanne) in content
    assert "colleague" in content


def test_the_clients_page_shows_at_most_ten_entries(web_as, owner, request_by, sanne):
    for _ in range(12):
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    response = web_as(owner).get(reverse("practice:client-detail", args=[sanne.pk]))
    assert len(response.context["access_log"]) == 10


def test_the_log_page_lists_every_entry_of_the_client_newest_first(
    web_as, owner, request_by, sanne, pieter, refused_attempt
):
    accesslog.record(request_by(owner), action=AccessAction.READ, obj=pieter)
    response = web_as(owner).get(url(sanne))
    assert response.status_code == 200
    reading = AccessLogEntry.objects.latest("seq")  # this visit, a read of the client
    assert (reading.action, reading.client_id) == ("read", sanne.pk)
    assert [e.pk for e in response.context["page"].object_list] == [
        reading.pk,
        refused_attempt.pk,
    ]


def test_the_log_page_is_paginated(web_as, owner, request_by, sanne):
    for _ in range(50):
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    browser = web_as(owner)
    # 50 entries and this visit; then the second page's visit too.
    assert len(browser.get(url(sanne)).context["page"].object_list) == 50
    assert len(browser.get(url(sanne) + "?page=2").context["page"].object_list) == 2


def test_a_superuser_sees_the_log_page(web_as, superuser, sanne, refused_attempt):
    assert web_as(superuser).get(url(sanne)).status_code == 200


@pytest.mark.parametrize("role", ["colleague", "assistant", "curator"])
def test_anyone_else_gets_404_and_the_attempt_is_logged(web_as, request, sanne, role):
    user = request.getfixturevalue(role)
    assert web_as(user).get(url(sanne)).status_code == 404
    attempt = AccessLogEntry.objects.get()
    assert (attempt.user_id, attempt.outcome, attempt.client_id) == (user.pk, "refused", sanne.pk)


def test_the_log_page_reads_in_a_fixed_number_of_queries(
    web_as, owner, request_by, sanne, django_assert_num_queries
):
    browser = web_as(owner)
    for _ in range(30):
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    # Queries: session, user, the practitioner group, the client, the log's newest entry
    # and this visit's, the count of its entries, the page of entries.
    with django_assert_num_queries(8):
        assert browser.get(url(sanne)).status_code == 200
