"""/accounts/password/: staff change their own password under Django's validators."""

import pytest

from tests.factories import PASSWORD

URL = "/accounts/password/"
STRONG = "Ginger-Kefir-Walnut-93"


@pytest.fixture
def logged_in(english, practitioner):
    english.force_login(practitioner)
    return english


def change(client, new: str, old: str = PASSWORD):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("kort12", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("8734619052", "This password is entirely numeric."),
        ("practitioner1", "The password is too similar to the username."),
    ],
)
def test_it_refuses_a_weak_password(logged_in, practitioner, weak, message):
    response = change(logged_in, weak)

    assert response.status_code == 200
    assert message in response.context["form"].errors["new_password2"]
    practitioner.refresh_from_db()
    assert practitioner.check_password(PASSWORD)


def test_it_refuses_a_wrong_old_password(logged_in, practitioner):
    response = change(logged_in, STRONG, old="not-my-password")

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    practitioner.refresh_from_db()
    assert practitioner.check_password(PASSWORD)


def test_it_changes_to_a_strong_password_and_keeps_the_session(logged_in, practitioner):
    response = change(logged_in, STRONG)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    practitioner.refresh_from_db()
    assert practitioner.check_password(STRONG)
    assert logged_in.get("/clients/").status_code == 200


def test_it_shows_the_password_rules(logged_in):
    response = logged_in.get(URL)

    assert response.status_code == 200
    assert "Your password must contain at least 8 characters." in response.content.decode()


def test_it_sends_anonymous_users_to_the_login_page(english, db):
    response = english.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password/"


def test_every_page_links_to_it(logged_in):
    html = logged_in.get("/kennisbank/").content.decode()

    assert f'href="{URL}"' in html
