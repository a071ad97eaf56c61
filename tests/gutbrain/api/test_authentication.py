"""Every endpoint but the token endpoint needs an authenticated user."""

import pytest
from django.test import Client

from tests.factories import api_token

ENDPOINTS = [
    ("get", "/api/v1/"),
    ("get", "/api/v1/schema/"),
    ("get", "/api/v1/schema/?format=json"),
    ("get", "/api/v1/docs/"),
    ("get", "/api/v1/docs/?script="),
    ("get", "/api/v1/nutrients/"),
    ("get", "/api/v1/nutrients/ashwagandha/"),
    ("get", "/api/v1/indications/"),
    ("get", "/api/v1/indications/stress/"),
    ("get", "/api/v1/medicine-classes/"),
    ("get", "/api/v1/medicine-classes/sedatives/"),
    ("get", "/api/v1/medicines/"),
    ("get", "/api/v1/medicines/N05BA04/"),
    ("get", "/api/v1/evidence/"),
    ("get", "/api/v1/evidence/1/"),
    ("get", "/api/v1/interactions/"),
    ("get", "/api/v1/interactions/1/"),
    ("get", "/api/v1/topics/"),
    ("get", "/api/v1/topics/serotonin/"),
    ("get", "/api/v1/references/"),
    ("get", "/api/v1/references/42/"),
    ("post", "/api/v1/interaction-check/"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_it_answers_401_to_anonymous_users(api_client, ashwagandha, method, url):
    response = getattr(api_client, method)(url, {"nutrients": ["ashwagandha"]}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_it_answers_401_for_a_wrong_token(api_client, ashwagandha):
    response = api_client.get("/api/v1/nutrients/", HTTP_AUTHORIZATION="Token not-a-token")

    assert response.status_code == 401


def test_it_accepts_a_token(api_client, practitioner, ashwagandha):
    token = api_token(practitioner)

    response = api_client.get("/api/v1/nutrients/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200


def test_it_accepts_a_session_of_the_staff_pages(client, practitioner, ashwagandha):
    client.force_login(practitioner)

    response = client.get("/api/v1/nutrients/")

    assert response.status_code == 200


def test_a_session_needs_a_csrf_token_to_check(practitioner, ashwagandha):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)

    response = client.post(
        "/api/v1/interaction-check/",
        {"nutrients": ["ashwagandha"]},
        content_type="application/json",
    )

    assert response.status_code == 403
