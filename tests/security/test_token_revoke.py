"""DELETE /api/v1/auth/token/: a token ends itself, and only itself; admins delete any."""

from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD, api_token

URL = "/api/v1/auth/token/"


def test_it_ends_only_the_token_it_is_called_with(api_client, practitioner, colleague):
    token = api_token(practitioner)
    other_device = api_token(practitioner)
    colleagues = api_token(colleague)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api_client.delete(URL)

    assert response.status_code == 204
    assert AuthToken.objects.count() == 2
    for kept in (other_device, colleagues):
        assert (
            APIClient().get("/api/v1/nutrients/", HTTP_AUTHORIZATION=f"Token {kept}").status_code
            == 200
        )


def test_the_ended_token_no_longer_authenticates(api_client, practitioner):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(practitioner)}")
    api_client.delete(URL)

    response = api_client.get("/api/v1/nutrients/")

    assert response.status_code == 401


def test_logging_in_again_gives_a_new_token(api_client, practitioner):
    old = api_token(practitioner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    api_client.delete(URL)

    response = api_client.post(URL, {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"] != old


def test_it_answers_401_to_anonymous_users(api_client, practitioner):
    api_token(practitioner)

    response = api_client.delete(URL)

    assert response.status_code == 401
    assert AuthToken.objects.count() == 1


def test_a_session_ends_no_token(practitioner):
    api_token(practitioner)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(practitioner)
    client.get("/accounts/password/")  # any page with a form sets the CSRF cookie

    response = client.delete(URL, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)

    assert response.status_code == 401
    assert AuthToken.objects.count() == 1


def test_an_admin_deletes_a_token_in_the_admin(admin_client, practitioner):
    stored, _token = AuthToken.objects.create(user=practitioner)

    response = admin_client.post(f"/admin/knox/authtoken/{stored.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not AuthToken.objects.exists()


def test_a_practitioner_cannot_reach_the_token_admin(practitioner):
    client = Client()
    client.force_login(practitioner)

    assert client.get("/admin/knox/authtoken/").status_code == 302


def test_the_schema_documents_revocation(served_schema):
    schema = served_schema()

    operation = schema["paths"][URL]["delete"]

    assert {"204", "401", "429"} <= set(operation["responses"])
    assert operation["security"] == [{"tokenAuth": []}]
    assert "requestBody" not in operation
