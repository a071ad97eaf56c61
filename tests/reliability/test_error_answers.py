"""Errors of the API are JSON (`{"detail": …}`), Django's own 404 and 500 included; the
staff pages keep Django's pages (issue #12)."""

import json
import sys

from django.db.utils import OperationalError
from django.test import RequestFactory

from gutbrain.errors import RETRY_AFTER_SECONDS, server_error


def answer_while_raising(path: str, exception: Exception):
    """The site's `handler500` for `path`, called as Django calls it: while handling
    `exception`."""
    request = RequestFactory().get(path)
    try:
        raise exception
    except type(exception):
        assert sys.exc_info()[1] is exception
        return server_error(request)


def test_an_unknown_api_url_answers_json_404(client):
    response = client.get("/api/v1/no-such-endpoint/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Niet gevonden."}


def test_an_unknown_staff_url_answers_a_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_answers_json_500():
    response = answer_while_raising("/api/v1/nutrients/", ZeroDivisionError())

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {"detail"}


def test_a_server_error_on_a_staff_page_answers_djangos_page():
    response = answer_while_raising("/", ZeroDivisionError())

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_database_outage_met_outside_a_view_answers_503():
    """A middleware loading the session meets the outage before any view runs."""
    response = answer_while_raising("/api/v1/nutrients/", OperationalError("connection refused"))

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert set(json.loads(response.content)) == {"detail"}
