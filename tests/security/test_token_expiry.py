"""API tokens end: DJANGO_TOKEN_HOURS (10) after they were issued; at most 10 live ones
per user; only their hashes are stored."""

from datetime import timedelta

from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD

TOKEN = "/api/v1/auth/token/"
LIST = "/api/v1/nutrients/"
CREDENTIALS = {"username": "practitioner", "password": PASSWORD}


def obtain(api_client) -> str:
    response = api_client.post(TOKEN, CREDENTIALS)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def using(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_works_until_ten_hours_after_it_was_issued(api_client, practitioner):
    token = obtain(api_client)
    stored = AuthToken.objects.get()
    assert timedelta(hours=9, minutes=59) < stored.expiry - timezone.now() <= timedelta(hours=10)

    AuthToken.objects.update(expiry=timezone.now() + timedelta(seconds=5))
    assert using(token).get(LIST).status_code == 200

    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert using(token).get(LIST).status_code == 401
    assert not AuthToken.objects.exists()  # knox removes it


def test_the_lifetime_follows_the_setting(settings, api_client, practitioner):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(hours=2)}

    obtain(api_client)

    remaining = AuthToken.objects.get().expiry - timezone.now()
    assert timedelta(hours=1, minutes=59) < remaining <= timedelta(hours=2)


def test_using_a_token_does_not_extend_it(api_client, practitioner):
    token = obtain(api_client)
    expiry = AuthToken.objects.get().expiry

    using(token).get(LIST)

    assert AuthToken.objects.get().expiry == expiry


def test_the_eleventh_live_token_is_refused(api_client, practitioner):
    tokens = [obtain(api_client) for _ in range(10)]

    response = api_client.post(TOKEN, CREDENTIALS, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("You hold the most API tokens allowed at once.")
    assert AuthToken.objects.count() == 10
    assert using(tokens[-1]).get(LIST).status_code == 200


def test_an_ended_or_expired_token_makes_room(api_client, practitioner):
    tokens = [obtain(api_client) for _ in range(10)]
    using(tokens[0]).delete(TOKEN)
    assert api_client.post(TOKEN, CREDENTIALS).status_code == 200

    AuthToken.objects.filter(pk=AuthToken.objects.order_by("created").first().pk).update(
        expiry=timezone.now() - timedelta(seconds=1)
    )

    assert api_client.post(TOKEN, CREDENTIALS).status_code == 200
    assert AuthToken.objects.count() == 10


def test_a_token_from_before_knox_no_longer_authenticates(api_client, practitioner):
    # DRF's own tokens were 40 hex characters kept in the clear.
    response = using("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b").get(LIST)

    assert response.status_code == 401


def test_the_schema_documents_the_expiry_and_the_limit(served_schema):
    schema = served_schema()

    login = schema["paths"][TOKEN]["post"]
    answer = schema["components"]["schemas"]["Token"]

    assert set(answer["required"]) == {"token", "expiry"}
    assert answer["properties"]["expiry"]["format"] == "date-time"
    assert {"200", "400", "403", "429"} <= set(login["responses"])
    assert "10 hours" in login["description"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
