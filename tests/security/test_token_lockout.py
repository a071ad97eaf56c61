"""POST /api/v1/auth/token/: five failed logins lock the username out here too (429)."""

from django.test import Client
from knox.models import AuthToken

from tests.factories import PASSWORD

URL = "/api/v1/auth/token/"


def fail(api_client, times: int, username: str = "practitioner", **extra):
    for _ in range(times):
        response = api_client.post(URL, {"username": username, "password": "wrong"}, **extra)
    return response


def test_four_failures_leave_the_right_password_working(api_client, practitioner):
    assert fail(api_client, 4).status_code == 400

    response = api_client.post(URL, {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 200


def test_the_fifth_failure_answers_429_with_the_time_to_wait(api_client, practitioner):
    assert fail(api_client, 4).status_code == 400

    response = fail(api_client, 1, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    assert response.json()["detail"].startswith(
        "This account is locked after too many failed logins."
    )


def test_a_locked_out_user_gets_no_token_even_with_the_right_password(api_client, practitioner):
    fail(api_client, 5)

    response = api_client.post(URL, {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 429
    assert not AuthToken.objects.exists()


def test_json_bodies_count_as_failures_too(api_client, practitioner):
    for _ in range(5):
        api_client.post(URL, {"username": "practitioner", "password": "wrong"}, format="json")

    response = api_client.post(
        URL, {"username": "practitioner", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 429


def test_failures_here_lock_the_staff_login_too(api_client, practitioner):
    fail(api_client, 5)

    response = Client().post("/accounts/login/", {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 429


def test_failures_on_the_staff_login_lock_the_token_endpoint_too(api_client, practitioner):
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "practitioner", "password": "wrong"})

    response = api_client.post(URL, {"username": "practitioner", "password": PASSWORD})

    assert response.status_code == 429


def test_the_lock_is_per_username(api_client, practitioner, colleague):
    fail(api_client, 5)

    response = api_client.post(URL, {"username": "colleague", "password": PASSWORD})

    assert response.status_code == 200


def test_the_schema_documents_the_lockout(served_schema):
    schema = served_schema()

    responses = schema["paths"][URL]["post"]["responses"]

    assert "locked out" in responses["429"]["description"]
    assert "Retry-After" in responses["429"]["headers"]
