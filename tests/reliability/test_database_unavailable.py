"""While the database cannot be reached, every answer is 503 with `Retry-After`: JSON
under `/api/`, a Dutch page for the staff (issue #12). Nothing is mocked: the request runs
in a thread of its own, whose connection points where no database can be opened, as a
worker's does while PostgreSQL is stopped; the test's own connection is untouched, and
the next request finds the database again."""

import threading
from collections.abc import Callable

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import Client
from rest_framework.test import APIClient

from gutbrain.errors import RETRY_AFTER_SECONDS


def unreachable(request: Callable[[], HttpResponse]) -> HttpResponse:
    """`request()`'s answer, made on a connection to a database that cannot be opened: a
    SQLite file in a folder that does not exist, a PostgreSQL socket likewise."""
    answers: list[HttpResponse] = []
    failures: list[BaseException] = []

    def run() -> None:
        connection = connections["default"]  # this thread's own
        connection.settings_dict = {
            **connection.settings_dict,
            "NAME": "/nonexistent/gutbrain.sqlite3"
            if connection.vendor == "sqlite"
            else connection.settings_dict["NAME"],
            "HOST": "/nonexistent",
        }
        try:
            answers.append(request())
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert failures == []
    return answers[0]


@pytest.fixture
def staff_client(practitioner) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(practitioner)
    return client


def test_the_api_answers_json_503_with_retry_after(practitioner_api):
    practitioner_api.raise_request_exception = False

    response = unreachable(lambda: practitioner_api.get("/api/v1/nutrients/"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "detail": "De database is even niet beschikbaar. Probeer het zo opnieuw."
    }


def test_an_anonymous_api_request_answers_the_same(db):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = unreachable(lambda: client.get("/api/v1/nutrients/"))

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "detail" in response.json()


def test_the_staff_pages_answer_a_dutch_page_with_retry_after(staff_client):
    response = unreachable(lambda: staff_client.get("/"))

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Het systeem is even niet beschikbaar" in response.content.decode()


def test_the_app_recovers_by_itself(staff_client, practitioner_api):
    unreachable(lambda: staff_client.get("/"))

    assert staff_client.get("/").status_code == 200
    assert practitioner_api.get("/api/v1/nutrients/").status_code == 200
