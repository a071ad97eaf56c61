"""Anonymous visitors reach nothing but the login pages, the token endpoint, the language
switch, the health check and static files: every URL pattern of the project and every
operation of the API schema, asked for without logging in, with the owner's records as the
ids.

The staff pages answer with a redirect to the login page, the admin's pages with one to
the admin's login page, the API with 401.
"""

import pytest
from django.test import Client as WebClient
from rest_framework.test import APIClient

from practice.models import AccessLogEntry
from tests.access.routes import (
    WRITE_METHODS,
    all_routes,
    concrete_path,
    schema_operations,
)
from tests.access.test_role_matrix import ADMIN_INDEX, ADMIN_LOGIN, LOGIN, REDIRECT, describe

# What an anonymous visitor gets from the few pages open to them: (GET, POST).
OPEN = {
    "accounts/login/": (200, 200),
    "admin/login/": (200, 200),
    "i18n/setlang/": (REDIRECT, REDIRECT),
    # Logging out when logged out shows nothing and changes nothing.
    "accounts/logout/": (405, LOGIN),
    "admin/logout/": (ADMIN_INDEX, ADMIN_INDEX),
    # CDS Hooks: discovery is open to anyone; a call answers 401 without an EHR's token.
    "cds-services": (200, 405),
    "cds-services/<slug:id>": (405, 401),
    # The load balancer's health check: no login, no data (gutbrain.health).
    "healthz": (200, 405),
}
TOKEN = "/api/v1/auth/token/"


def test_every_staff_page_and_admin_page_sends_anonymous_visitors_to_log_in(world):
    wrong = []
    for route in all_routes():
        if route.is_api:
            continue
        path = concrete_path(route.key, *world.values(route.key))
        shut = ADMIN_LOGIN if route.is_admin else LOGIN
        for method, expected in zip(
            ("get", "post"), OPEN.get(route.key, (shut, shut)), strict=True
        ):
            got = describe(getattr(WebClient(), method)(path))
            if got != expected:
                wrong.append(f"{method.upper()} {path}: expected {expected!r}, got {got!r}")
    assert not wrong, "\n".join(wrong)


def test_every_api_route_answers_anonymous_requests_with_401(world):
    wrong = []
    for route in all_routes():
        if not route.is_api:
            continue
        path = concrete_path(route.key, *world.values(route.key))
        for method in ("get", *WRITE_METHODS):
            if path == TOKEN and method == "post":
                continue  # logging in: the next test
            got = getattr(APIClient(), method)(path).status_code
            if got != 401:
                wrong.append(f"{method.upper()} {path}: {got}")
    assert not wrong, "\n".join(wrong)


def test_every_schema_operation_but_logging_in_answers_anonymous_requests_with_401(world):
    answers = {
        operation.key: getattr(APIClient(), operation.method)(
            world.api_path(operation.path), {}, format="json"
        ).status_code
        for operation in schema_operations()
    }
    assert answers.pop(f"POST {TOKEN}") == 400  # no credentials: refused, nothing given
    assert answers.pop("GET /cds-services") == 200  # CDS Hooks discovery: open to anyone
    assert {key: code for key, code in answers.items() if code != 401} == {}
    assert len(answers) >= 40


def test_nothing_an_anonymous_visitor_does_reaches_the_access_log(world):
    before = AccessLogEntry.objects.count()
    for path in (f"/clients/{world.client.pk}/", f"/protocols/{world.protocol.pk}/pdf/"):
        WebClient().get(path)
    APIClient().get(f"/api/v1/clients/{world.client.pk}/")
    assert AccessLogEntry.objects.count() == before


@pytest.fixture
def static_files_served(settings):
    """What `collectstatic` and WhiteNoise do in production, without collecting."""
    settings.WHITENOISE_USE_FINDERS = True


def test_static_files_are_served_to_anonymous_visitors(static_files_served):
    response = WebClient().get("/static/css/practice.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
