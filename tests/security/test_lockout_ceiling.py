"""The ceiling per username: guesses spread over many addresses, five each, lock the
username at every address once DJANGO_LOCKOUT_USERNAME_CEILING failures (100 by default)
fall within the cool-off."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def spread_guesses(addresses: int, username: str = "practitioner") -> None:
    """Five wrong passwords from each of `addresses` addresses: each locks its own pair."""
    for n in range(addresses):
        for _ in range(5):
            Client().post(
                LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=f"10.9.{n}.1"
            )


def log_in(address: str = "192.0.2.50"):
    return Client().post(
        LOGIN, {"username": "practitioner", "password": PASSWORD}, REMOTE_ADDR=address
    )


def test_the_ceiling_locks_at_exactly_its_number_of_failures(settings, practitioner):
    settings.LOCKOUT_USERNAME_CEILING = 10
    spread_guesses(1)
    for _ in range(4):
        Client().post(LOGIN, {"username": "practitioner", "password": "x"}, REMOTE_ADDR="10.8.0.1")
    assert log_in().status_code == 302  # 9 failures: the user's own address still works
    Client().post("/accounts/logout/")

    Client().post(LOGIN, {"username": "practitioner", "password": "x"}, REMOTE_ADDR="10.8.0.1")

    assert log_in().status_code == 429


def test_by_default_the_hundredth_failure_locks_the_username_everywhere(practitioner):
    assert settings.LOCKOUT_USERNAME_CEILING == 100
    spread_guesses(20)  # 100 failures, five from each of 20 addresses

    response = log_in()

    assert response.status_code == 429
    assert "Account geblokkeerd" in response.content.decode()


def test_the_ceiling_holds_for_the_token_endpoint_and_the_admin_too(
    settings, api_client, practitioner
):
    settings.LOCKOUT_USERNAME_CEILING = 10
    spread_guesses(2)
    credentials = {"username": "practitioner", "password": PASSWORD}

    assert api_client.post(TOKEN, credentials, REMOTE_ADDR="192.0.2.50").status_code == 429
    assert Client().post("/admin/login/", credentials, REMOTE_ADDR="192.0.2.50").status_code == 429


def test_the_ceiling_is_per_username(settings, colleague, practitioner):
    settings.LOCKOUT_USERNAME_CEILING = 10
    spread_guesses(2)

    response = Client().post(
        LOGIN, {"username": "colleague", "password": PASSWORD}, REMOTE_ADDR="192.0.2.50"
    )

    assert response.status_code == 302


def test_failures_during_the_lock_do_not_count(settings, practitioner):
    settings.LOCKOUT_USERNAME_CEILING = 10
    spread_guesses(1)
    for _ in range(20):  # the same address, locked: not counted
        Client().post(
            LOGIN, {"username": "practitioner", "password": "wrong"}, REMOTE_ADDR="10.9.0.1"
        )

    assert AccessAttempt.objects.get().failures_since_start == 5
    assert log_in().status_code == 302


def test_the_ceiling_lifts_with_the_cool_off(settings, practitioner):
    settings.LOCKOUT_USERNAME_CEILING = 10
    spread_guesses(2)
    assert log_in().status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=31))

    assert log_in().status_code == 302


def test_an_administrator_lifts_it_with_axes_reset_username(settings, practitioner):
    settings.LOCKOUT_USERNAME_CEILING = 10
    spread_guesses(2)
    assert log_in().status_code == 429

    call_command("axes_reset_username", "practitioner", verbosity=0)

    assert log_in().status_code == 302
