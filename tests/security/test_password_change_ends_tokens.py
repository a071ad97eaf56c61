"""A change of a user's password ends every API token and every other session of that
user, whichever way the password was changed."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD, api_token

STRONG = "Ginger-Kefir-Walnut-93"
LIST = "/api/v1/nutrients/"


def using(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def other_session(practitioner) -> Client:
    """The practitioner logged in on another computer."""
    browser = Client()
    assert (
        browser.post(
            "/accounts/login/", {"username": "practitioner", "password": PASSWORD}
        ).status_code
        == 302
    )
    return browser


def test_the_staff_page_ends_every_token_and_every_other_session(
    practitioner, colleague, other_session
):
    tokens = [api_token(practitioner), api_token(practitioner)]
    colleagues = api_token(colleague)
    browser = Client()
    browser.force_login(practitioner)

    response = browser.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )

    assert response.status_code == 302
    assert [using(token).get(LIST).status_code for token in tokens] == [401, 401]
    assert other_session.get("/clients/").status_code == 302
    assert other_session.get(LIST).status_code == 401
    assert browser.get("/clients/").status_code == 200  # the session that changed it
    assert using(colleagues).get(LIST).status_code == 200


def test_the_admin_ends_every_token_and_session(admin_client, practitioner, other_session):
    token = api_token(practitioner)

    response = admin_client.post(
        f"/admin/auth/user/{practitioner.pk}/password/",
        {"usable_password": "true", "password1": STRONG, "password2": STRONG},
    )

    assert response.status_code == 302
    assert using(token).get(LIST).status_code == 401
    assert other_session.get("/clients/").status_code == 302


def test_set_password_anywhere_ends_every_token(practitioner):
    token = api_token(practitioner)
    user = User.objects.get(username="practitioner")

    user.set_password(STRONG)
    user.save()

    assert not AuthToken.objects.exists()
    assert using(token).get(LIST).status_code == 401


def test_an_unusable_password_ends_every_token(practitioner):
    api_token(practitioner)
    user = User.objects.get(username="practitioner")

    user.set_unusable_password()
    user.save(update_fields=["password"])

    assert not AuthToken.objects.exists()


def test_changepassword_ends_every_token(practitioner, monkeypatch):
    api_token(practitioner)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": STRONG)

    call_command("changepassword", "practitioner", stdout=io.StringIO())

    assert not AuthToken.objects.exists()


def test_other_changes_to_the_user_keep_the_tokens(practitioner, colleague):
    token = api_token(practitioner)
    user = User.objects.get(username="practitioner")
    user.first_name = "Annemarie"
    user.save()
    user.last_login = None
    user.save(update_fields=["last_login"])

    Client().post("/accounts/login/", {"username": "practitioner", "password": PASSWORD})

    assert using(token).get(LIST).status_code == 200
