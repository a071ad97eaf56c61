"""`GET /healthz`, for the load balancer: 200 while the database answers, 503 only when it
does not, the cache's state in the body. No login, no data, no session, no rate limit.
(Redis up and down: tests/reliability/test_redis_cache.py.)"""

import pytest
from django.test import Client

from practice.models import AccessLogEntry
from tests.reliability.test_database_unavailable import unreachable

URL = "/healthz"


def test_it_answers_200_without_a_login_and_asks_the_database_once(
    client, db, django_assert_num_queries
):
    # SELECT 1; no session, no user
    with django_assert_num_queries(1):
        response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "not_configured"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_it_answers_503_while_the_database_cannot_be_reached(db):
    client = Client(raise_request_exception=False)

    response = unreachable(lambda: client.get(URL))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "unavailable",
        "database": "down",
        "cache": "not_configured",
    }


def test_it_answers_head_requests_too(client, db):
    assert client.head(URL).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_refuses_writes(method, db):
    # A POST without a CSRF token: 405 all the same, the view has nothing to protect.
    client = Client(enforce_csrf_checks=True)
    assert getattr(client, method)(URL).status_code == 405


def test_it_is_never_rate_limited(client, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            scope: "1/minute" for scope in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        },
    }
    settings.LOGIN_RATE = "1/minute"

    assert {client.get(URL).status_code for _ in range(5)} == {200}


def test_a_logged_in_user_gets_the_same_and_nothing_is_logged(client, practitioner):
    client.force_login(practitioner)
    entries = AccessLogEntry.objects.count()

    response = client.get(URL)

    assert response.status_code == 200
    assert set(response.json()) == {"status", "database", "cache"}
    assert AccessLogEntry.objects.count() == entries
