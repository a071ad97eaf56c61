"""`GET /api/v1/clients/{id}/access-log/`: a client's access log, newest first, for the
treating practitioner and superusers."""

import pytest

from practice import accesslog
from practice.models import AccessAction, AccessLogEntry


def url(client) -> str:
    return f"/api/v1/clients/{client.pk}/access-log/"


@pytest.fixture
def history(request_by, owner, colleague, sanne, pieter):
    """Three entries about Sanne (one refused) and one about Pieter."""
    return [
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne),
        accesslog.record(request_by(owner), action=AccessAction.UPDATE, obj=sanne),
        accesslog.record(request_by(colleague), action=AccessAction.READ, obj=pieter),
        accesslog.record(
            request_by(colleague, REMOTE_ADDR="192.0.2.66"),
            action=AccessAction.READ,
            obj=sanne,
            outcome="refused",
        ),
    ]


def test_the_treating_practitioner_gets_the_clients_entries_newest_first(
    api_as, owner, sanne, history
):
    body = api_as(owner).get(url(sanne)).json()
    reading = AccessLogEntry.objects.latest("seq")  # this reading of the log, logged first
    assert body["count"] == 4
    assert [entry["id"] for entry in body["results"]] == [
        reading.pk,
        history[3].pk,
        history[1].pk,
        history[0].pk,
    ]
    newest = body["results"][1]
    assert newest == {
        "id": history[3].pk,
        "at": newest["at"],
        "user_id": history[3].user_id,
        "username": "colleague",
        "action": "read",
        "outcome": "refused",
        "channel": "web",
        "record_type": "client",
        "record_id": str(sanne.pk),
        "client_id": sanne.pk,
        "ip_address": "192.0.2.66",
        "user_agent": "",
        "path": "/clients/1/",
        "seq": history[3].seq,
        "previous_hash": history[2].hash,
        "hash": history[3].hash,
        "hash_scheme": "hmac-sha256",
    }


def test_a_superuser_gets_it_too(api_as, superuser, sanne, history):
    assert api_as(superuser).get(url(sanne)).json()["count"] == 4


@pytest.mark.parametrize("role", ["colleague", "assistant", "other_assistant", "curator"])
def test_anyone_else_gets_404_and_the_attempt_is_logged(api_as, request, sanne, history, role):
    user = request.getfixturevalue(role)
    response = api_as(user).get(url(sanne))
    assert response.status_code == 404
    attempt = AccessLogEntry.objects.order_by("-pk").first()
    assert (attempt.user_id, attempt.action, attempt.outcome, attempt.client_id) == (
        user.pk,
        "read",
        "refused",
        sanne.pk,
    )


def test_anonymous_users_get_401(api_as, sanne, history):
    assert api_as(None).get(url(sanne)).status_code == 401


def test_it_is_paginated(api_as, owner, request_by, sanne):
    for _ in range(55):
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    api = api_as(owner)
    first = api.get(url(sanne)).json()
    assert (first["count"], len(first["results"])) == (56, 50)  # and this reading
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 7  # and this reading
    assert api.get(url(sanne) + "?page=3").status_code == 404


def test_reading_the_log_is_logged_as_a_read_of_the_client(api_as, owner, sanne, history):
    api_as(owner).get(url(sanne))
    assert AccessLogEntry.objects.count() == len(history) + 1
    reading = AccessLogEntry.objects.latest("seq")
    assert (reading.user_id, reading.action, reading.client_id, reading.channel) == (
        owner.pk,
        "read",
        sanne.pk,
        "api",
    )


def test_it_answers_in_a_fixed_number_of_queries(
    api_as, owner, request_by, sanne, history, django_assert_num_queries
):
    api = api_as(owner)
    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 the client,
    # 5-6 the log's newest entry and this reading's, 7 the count of its entries, 8 the page
    with django_assert_num_queries(8):
        api.get(url(sanne))
    for _ in range(20):
        accesslog.record(request_by(owner), action=AccessAction.READ, obj=sanne)
    with django_assert_num_queries(8):
        # 3 entries, the first reading, 20 more and this reading
        assert len(api.get(url(sanne)).json()["results"]) == 25
