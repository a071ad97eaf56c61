"""Passwords are hashed with Argon2 in production; PBKDF2 hashes made before keep working
and are re-hashed at the next login. (The test settings use a fast hasher; these tests
use the production list.)"""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.test import RequestFactory, override_settings

import gutbrain.settings as production
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_a_new_password_is_hashed_with_argon2():
    user = UserFactory()
    user.set_password("een-lang-wachtwoord-2026")
    user.save()

    assert user.password.startswith("argon2$argon2id$")


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_an_older_pbkdf2_hash_still_logs_in_and_is_upgraded():
    user = UserFactory()
    user.password = make_password("een-lang-wachtwoord-2026", hasher="pbkdf2_sha256")
    user.save()

    request = RequestFactory().post("/accounts/login/")
    assert (
        authenticate(request, username=user.username, password="een-lang-wachtwoord-2026") == user
    )
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
