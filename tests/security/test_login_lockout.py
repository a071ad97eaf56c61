"""/accounts/login/: five failed logins for a username from one address lock that username
out at that address (django-axes); its user still logs in from their own."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.utils import timezone

from tests.factories import PASSWORD

URL = "/accounts/login/"


def fail(client, times: int, username: str = "practitioner", **extra):
    for _ in range(times):
        response = client.post(URL, {"username": username, "password": "wrong"}, **extra)
    return response


def log_in(client, username: str = "practitioner", **extra):
    return client.post(URL, {"username": username, "password": PASSWORD}, **extra)


def test_four_failures_leave_the_right_password_working(english, practitioner):
    assert fail(english, 4).status_code == 200

    response = log_in(english)

    assert response.status_code == 302
    assert english.session["_auth_user_id"] == str(practitioner.pk)


def test_the_fifth_failure_answers_the_lockout_page(english, practitioner):
    assert fail(english, 4).status_code == 200

    response = fail(english, 1)

    assert response.status_code == 429
    html = response.content.decode()
    assert 'name="password"' not in html
    assert "Account locked" in html
    assert "After 5 failed attempts to log in" in html
    assert "The lock lifts by itself 30 minutes after the last attempt." in html


def test_a_locked_out_user_is_refused_even_with_the_right_password(english, practitioner):
    fail(english, 5)

    response = log_in(english)

    assert response.status_code == 429
    assert "_auth_user_id" not in english.session


def test_the_lock_holds_at_that_address_in_another_browser(english, client, practitioner):
    fail(english, 5, REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Firefox")

    response = log_in(client, REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Chromium")

    assert response.status_code == 429


def test_a_strangers_guesses_do_not_lock_the_user_out_of_their_own_address(
    english, client, practitioner
):
    fail(english, 5, REMOTE_ADDR="192.0.2.10")
    assert log_in(english, REMOTE_ADDR="192.0.2.10").status_code == 429

    response = log_in(client, REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(practitioner.pk)


def test_the_lock_is_per_username(english, practitioner, colleague):
    fail(english, 5)

    assert log_in(english, "colleague").status_code == 302


def test_unknown_usernames_are_locked_out_too(english, db):
    assert fail(english, 5, username="nobody").status_code == 429


def test_a_successful_login_starts_the_count_again(english, practitioner):
    fail(english, 4)
    assert log_in(english).status_code == 302
    english.post("/accounts/logout/")

    assert fail(english, 4).status_code == 200
    assert log_in(english).status_code == 302


def test_the_lock_lifts_half_an_hour_after_the_last_failure(english, practitioner):
    fail(english, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    assert log_in(english).status_code == 302


def test_a_failure_during_the_lock_does_not_extend_it(english, practitioner):
    fail(english, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))

    assert fail(english, 1).status_code == 429
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 5
    assert attempt.attempt_time < timezone.now() - timedelta(minutes=28)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))

    assert log_in(english).status_code == 302


def test_it_keeps_no_tried_password(english, practitioner):
    english.post(URL, {"username": "practitioner", "password": "Secret-Guess-7"})

    attempt = AccessAttempt.objects.get()
    assert attempt.username == "practitioner"
    assert "Secret-Guess-7" not in attempt.post_data


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_lockout_page_is_in_the_users_language(client, practitioner, language):
    fail(client, 5, HTTP_ACCEPT_LANGUAGE=language)

    response = log_in(client, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 429
    assert f'<html lang="{language}">' in response.content.decode()
