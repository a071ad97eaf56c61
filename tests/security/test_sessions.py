"""Sessions end after 30 minutes without a request, and logging out ends them everywhere:
the staff pages, the admin and the API's session authentication."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gutbrain.sessions import RENEWED_AT
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


def log_in(client, username: str = "practitioner") -> None:
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_lasts_30_minutes_from_the_login(client, practitioner):
    log_in(client)

    remaining = stored_session(client).expire_date - timezone.now()

    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def age_last_renewal(client, seconds: int) -> None:
    """Make the session's last renewal `seconds` old, its expiry 5 minutes away."""
    session = client.session
    session[RENEWED_AT] = int(time.time()) - seconds
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))


def test_a_request_a_minute_after_the_last_renewal_renews_the_session(client, practitioner):
    log_in(client)
    age_last_renewal(client, seconds=61)

    assert client.get("/clients/").status_code == 200

    remaining = stored_session(client).expire_date - timezone.now()
    assert remaining > timedelta(minutes=29)


def test_requests_within_a_minute_of_the_last_renewal_do_not_write_the_session(
    client, practitioner
):
    log_in(client)
    age_last_renewal(client, seconds=10)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/clients/").status_code == 200

    writes = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("SELECT")

    remaining = stored_session(client).expire_date - timezone.now()
    assert remaining < timedelta(minutes=6)


def test_an_idle_session_has_expired(client, practitioner):
    log_in(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/clients/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_an_idle_session_no_longer_reaches_the_api(client, practitioner):
    log_in(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assert client.get("/api/v1/nutrients/").status_code == 401


def test_the_session_cookie_ends_with_the_browser(client, practitioner):
    log_in(client)

    cookie = client.cookies["sessionid"]

    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


def test_logging_out_ends_the_session_for_pages_admin_and_api(client, db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    log_in(client, "boss")
    assert client.get("/api/v1/nutrients/").status_code == 200
    assert client.get("/admin/").status_code == 200

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not Session.objects.exists()
    assert client.get("/clients/").status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.get("/api/v1/nutrients/").status_code == 401


def test_a_stolen_session_cookie_is_useless_after_logout(client, practitioner):
    log_in(client)
    thief = Client()
    thief.cookies["sessionid"] = client.cookies["sessionid"].value
    assert thief.get("/api/v1/nutrients/").status_code == 200

    client.post(LOGOUT)

    assert thief.get("/api/v1/nutrients/").status_code == 401
    assert thief.get("/clients/").status_code == 302


def test_the_admins_log_out_ends_the_session_too(admin_client):
    response = admin_client.post("/admin/logout/")

    assert response.status_code in {200, 302}
    assert admin_client.get("/admin/").status_code == 302
    assert not Session.objects.exists()


def test_logging_out_takes_a_post(client, practitioner):
    log_in(client)

    assert client.get(LOGOUT).status_code == 405
    assert client.get("/clients/").status_code == 200


def test_the_navigation_logs_out_by_post(client, practitioner):
    log_in(client)

    html = client.get("/clients/").content.decode()

    assert f'<form method="post" action="{LOGOUT}"' in html
