"""The staff and admin login pages: at most DJANGO_LOGIN_RATE posts per address (20 a
minute by default), then 429 with Retry-After and a page saying how long to wait."""

import ipaddress

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD

PAGES = ["/accounts/login/", "/admin/login/"]


@pytest.fixture
def login_rate(settings):
    """Sets the login rate on a fresh throttle history."""

    def set_rate(rate: str) -> None:
        settings.LOGIN_RATE = rate

    cache.clear()
    yield set_rate
    cache.clear()


def spray(client, url: str, times: int, **extra):
    """One wrong password for a new username each time: no lockout ever sees a second."""
    for n in range(times):
        response = client.post(url, {"username": f"user{n}", "password": "Zomer2026!"}, **extra)
    return response


@pytest.mark.parametrize("url", PAGES)
def test_the_twenty_first_login_in_a_minute_answers_429_with_retry_after(
    login_rate, english, practitioner, url
):
    login_rate("20/minute")
    assert spray(english, url, 20).status_code == 200

    response = english.post(url, {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert "Too many logins" in html
    assert f"Try again in {response['Retry-After']} seconds." in html
    assert 'name="password"' not in html
    assert "_auth_user_id" not in english.session


def test_the_staff_and_admin_pages_count_together(login_rate, english, db):
    login_rate("4/minute")
    spray(english, "/accounts/login/", 2)
    spray(english, "/admin/login/", 2)

    assert spray(english, "/accounts/login/", 1).status_code == 429


def test_showing_the_page_is_not_counted(login_rate, english, practitioner):
    login_rate("2/minute")
    for _ in range(5):
        assert english.get("/accounts/login/").status_code == 200

    response = english.post("/accounts/login/", {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 302


def test_the_rate_is_per_address(login_rate, english, client, practitioner):
    login_rate("3/minute")
    spray(english, "/accounts/login/", 3, REMOTE_ADDR="192.0.2.1")
    assert spray(english, "/accounts/login/", 1, REMOTE_ADDR="192.0.2.1").status_code == 429

    response = client.post(
        "/accounts/login/",
        {"username": "practitioner", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.2",
    )

    assert response.status_code == 302


def test_a_forged_forwarded_for_is_still_the_same_address(login_rate, english, db):
    login_rate("3/minute")
    for n in range(3):
        spray(english, "/accounts/login/", 1, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = spray(english, "/accounts/login/", 1, HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == 429


def test_behind_a_trusted_proxy_it_counts_the_client(login_rate, settings, english, client, db):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.2"),)
    login_rate("3/minute")
    behind = {"REMOTE_ADDR": "10.0.0.2"}
    spray(english, "/accounts/login/", 3, HTTP_X_FORWARDED_FOR="203.0.113.9", **behind)

    again = spray(english, "/accounts/login/", 1, HTTP_X_FORWARDED_FOR="203.0.113.9", **behind)
    other = spray(client, "/accounts/login/", 1, HTTP_X_FORWARDED_FOR="203.0.113.10", **behind)

    assert again.status_code == 429
    assert other.status_code == 200


def test_the_page_is_in_dutch_by_default(login_rate, client, db):
    login_rate("1/minute")
    spray(client, "/accounts/login/", 1)

    response = spray(client, "/accounts/login/", 1)

    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Te veel inlogpogingen" in html
