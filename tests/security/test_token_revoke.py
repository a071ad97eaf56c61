"""DELETE /api/v1/auth/token/: the caller revokes their own token; admins delete any."""

from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD

URL = "/api/v1/auth/token/"


def test_it_deletes_the_callers_token(api_client, practitioner, colleague):
    token = Token.objects.create(user=practitioner)
    other = Token.objects.create(user=colleague)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.delete(URL)

    assert response.status_code == 204
    assert list(Token.objects.all()) == [other]


def test_the_revoked_token_no_longer_authenticates(api_client, practitioner):
    token = Token.objects.create(user=practitioner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api_client.delete(URL)

    response = api_client.get("/api/v1/nutrients/")

    assert response.status_code == 401


def test_logging_in_again_gives_a_new_token(api_client, practitioner):
    old = Token.objects.create(user=practitioner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {old.key}")
    api_client.delete(URL)

    response = api_client.post(URL, {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"] != old.key


def test_it_answers_204_when_there_is_no_token(practitioner_api):
    assert practitioner_api.delete(URL).status_code == 204


def test_it_answers_401_to_anonymous_users(api_client, practitioner):
    Token.objects.create(user=practitioner)

    response = api_client.delete(URL)

    assert response.status_code == 401
    assert Token.objects.count() == 1


def test_a_session_revokes_with_its_csrf_token(practitioner):
    Token.objects.create(user=practitioner)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(practitioner)

    assert client.delete(URL).status_code == 403
    assert Token.objects.count() == 1

    client.get("/accounts/password/")  # any page with a form sets the CSRF cookie
    response = client.delete(URL, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)

    assert response.status_code == 204
    assert not Token.objects.exists()


def test_an_admin_deletes_a_token_in_the_admin(admin_client, practitioner):
    token = Token.objects.create(user=practitioner)

    response = admin_client.post(
        f"/admin/authtoken/tokenproxy/{practitioner.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Token.objects.filter(key=token.key).exists()


def test_a_practitioner_cannot_reach_the_token_admin(practitioner):
    client = Client()
    client.force_login(practitioner)

    assert client.get("/admin/authtoken/tokenproxy/").status_code == 302


def test_the_schema_documents_revocation(practitioner_api):
    schema = practitioner_api.get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"][URL]["delete"]

    assert {"204", "401", "403", "429"} <= set(operation["responses"])
    assert {"tokenAuth": []} in operation["security"]
    assert "requestBody" not in operation
