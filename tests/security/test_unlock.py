"""An administrator unlocks a locked-out username: in the admin (django-axes' access
attempts) or with `manage.py axes_reset_username`."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def locked_out(practitioner) -> None:
    for _ in range(5):
        Client().post(LOGIN, {"username": "practitioner", "password": "wrong"})
    assert log_in().status_code == 429


def log_in():
    return Client().post(LOGIN, {"username": "practitioner", "password": PASSWORD})


def test_the_admin_lists_the_locked_out_username(admin_client, locked_out):
    response = admin_client.get("/admin/axes/accessattempt/", {"locked_out": "yes"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert "practitioner" in response.content.decode()


def test_deleting_the_attempt_in_the_admin_unlocks_the_username(admin_client, locked_out):
    attempt = AccessAttempt.objects.get(username="practitioner")

    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert log_in().status_code == 302


def test_the_command_unlocks_the_username(locked_out):
    call_command("axes_reset_username", "practitioner", verbosity=0)

    assert log_in().status_code == 302


def test_a_practitioner_cannot_reach_the_lockouts(client, practitioner, locked_out):
    client.force_login(practitioner)

    response = client.get("/admin/axes/accessattempt/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
