"""One client address for the API's rate limits, the lockouts and the access log: a new
X-Forwarded-For per request no longer makes a new client."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache

from practice.models import AccessLogEntry
from tests.factories import PASSWORD, ClientFactory, PracticeMemberFactory

TOKEN = "/api/v1/auth/token/"
LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"


@pytest.fixture
def token_rate(settings):
    """The token endpoint's default rate, 10 a minute, on a fresh throttle history."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "token": "10/minute",
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def behind_a_proxy(settings):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network(PROXY),)


def guess(api_client, n: int, **extra):
    return api_client.post(TOKEN, {"username": f"guess{n}", "password": "wrong"}, **extra)


def test_forty_token_guesses_with_a_new_forwarded_for_each_are_throttled(
    token_rate, api_client, db
):
    answers = [
        guess(api_client, n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(40)
    ]

    assert answers == [400] * 10 + [429] * 30


def test_behind_a_trusted_proxy_each_client_is_counted_apart(
    token_rate, behind_a_proxy, api_client, practitioner
):
    for n in range(10):
        forged = f"192.0.2.{n}, 203.0.113.9"  # the client writes the left part
        assert (
            guess(api_client, n, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged).status_code == 400
        )

    throttled = guess(api_client, 10, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    other_client = api_client.post(
        TOKEN,
        {"username": "practitioner", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )

    assert throttled.status_code == 429
    assert other_client.status_code == 200


def test_the_lockout_counts_the_client_behind_the_proxy(behind_a_proxy, client, practitioner):
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "practitioner", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
        )

    locked = client.post(
        LOGIN,
        {"username": "practitioner", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    own_address = client.post(
        LOGIN,
        {"username": "practitioner", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )

    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    assert locked.status_code == 429
    assert own_address.status_code == 302


def test_the_access_log_keeps_the_client_behind_the_proxy(
    behind_a_proxy, practitioner, practitioner_api
):
    member = PracticeMemberFactory(user=practitioner)
    record = ClientFactory(practitioner=practitioner, practice=member.practice)

    response = practitioner_api.get(
        f"/api/v1/clients/{record.pk}/",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9",
    )

    assert response.status_code == 200
    assert AccessLogEntry.objects.get().ip_address == "203.0.113.9"
