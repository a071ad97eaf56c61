"""The API's rate limits: a burst and a sustained rate per user, a tight rate per address
on the token endpoint. The test settings make them unreachable; these tests set their own."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import PASSWORD

LIST = "/api/v1/nutrients/"
TOKEN = "/api/v1/auth/token/"
GENEROUS = "100000/minute"


@pytest.fixture
def rates(settings):
    """Sets some rates (the rest stay out of reach) on a fresh throttle history."""

    def set_rates(**rates: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                scope: rates.get(scope, GENEROUS)
                for scope in ("burst", "sustained", "anon", "token")
            },
        }

    cache.clear()
    yield set_rates
    cache.clear()


def test_a_user_past_the_burst_rate_gets_429_for_the_rest_of_the_minute(rates, practitioner_api):
    rates(burst="3/minute")
    for _ in range(3):
        assert practitioner_api.get(LIST).status_code == 200

    response = practitioner_api.get(LIST, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")


def test_a_user_past_the_sustained_rate_waits_up_to_an_hour(rates, practitioner_api):
    rates(sustained="4/hour")
    for _ in range(4):
        assert practitioner_api.get(LIST).status_code == 200

    response = practitioner_api.get(LIST)

    assert response.status_code == 429
    assert 60 < int(response["Retry-After"]) <= 3600


def test_the_rate_is_per_user(rates, practitioner_api, colleague):
    rates(burst="2/minute")
    practitioner_api.get(LIST)
    practitioner_api.get(LIST)
    assert practitioner_api.get(LIST).status_code == 429

    other = APIClient()
    other.force_authenticate(colleague)

    assert other.get(LIST).status_code == 200


def test_the_token_endpoint_has_its_own_tighter_rate(rates, api_client, practitioner_api):
    rates(token="3/minute")
    for _ in range(3):
        api_client.post(TOKEN, {"username": "nobody", "password": "wrong"})

    response = api_client.post(TOKEN, {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 429
    assert "Retry-After" in response
    assert practitioner_api.get(LIST).status_code == 200


def test_the_token_rate_counts_per_address(rates, api_client, practitioner):
    rates(token="2/minute")
    api_client.post(TOKEN, {"username": "a", "password": "b"}, REMOTE_ADDR="192.0.2.1")
    api_client.post(TOKEN, {"username": "a", "password": "b"}, REMOTE_ADDR="192.0.2.1")

    response = api_client.post(
        TOKEN, {"username": "practitioner", "password": PASSWORD}, REMOTE_ADDR="192.0.2.2"
    )

    assert response.status_code == 200


@pytest.fixture
def schema(served_schema) -> dict:
    return served_schema()


def test_the_schema_documents_429_with_retry_after_on_every_operation(schema):
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]

    assert len(operations) > 10
    for path, method, operation in operations:
        response = operation["responses"].get("429")
        assert response, f"{method} {path}"
        assert "Retry-After" in response["headers"], f"{method} {path}"
