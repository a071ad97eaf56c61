"""Every write and its access-log entry are one transaction, and a read that cannot be
logged is not answered (issue #12, finding 3).

The access log is made to refuse every new entry with a database trigger, as a full or
failing log table would: a write must then leave nothing behind (before, the record was
committed before its entry was written, and a kill between the two left a protocol with
no entry), and a read must fail instead of showing the record unlogged. The tests run in
autocommit, as requests do in production (`transaction=True`).
"""

import pytest
from django.db import connection
from django.urls import reverse

from practice.models import AccessLogEntry, Client, Consult, ErasureRecord, Protocol
from practice.protocols import check_consult
from tests.practice.views.formdata import client_data, consult_data, line

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFUSED = "access log refused for the test"


@pytest.fixture
def log_refuses_entries(db):
    """A trigger that refuses every new access-log entry, dropped afterwards (a
    transactional test's flush empties tables, it does not drop triggers)."""
    table = AccessLogEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_log() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{REFUSED}'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse_log BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_log()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse_log BEFORE INSERT ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER test_refuse_log ON {table}")
            cursor.execute("DROP FUNCTION test_refuse_log()")
        else:
            cursor.execute("DROP TRIGGER test_refuse_log")


def refusing(browser):
    """Answers a server error as a browser would see it, instead of raising it."""
    browser.raise_request_exception = False
    return browser


@pytest.fixture
def web(web_as, owner):
    return refusing(web_as(owner))


@pytest.fixture
def api(api_as, owner):
    return refusing(api_as(owner))


def snapshot() -> tuple:
    """What the database holds of the records the tests write."""
    return (
        list(Client.objects.order_by("pk").values_list("pk", "first_name", "phone")),
        list(Consult.objects.order_by("pk").values_list("pk", "notes", "revision")),
        Protocol.objects.count(),
        ErasureRecord.objects.count(),
        AccessLogEntry.objects.count(),
    )


def failed(response) -> bool:
    return response.status_code >= 500


# Writes on the staff pages --------------------------------------------------------------


def test_adding_a_client_is_not_saved_when_it_cannot_be_logged(web, owner, log_refuses_entries):
    before = snapshot()
    assert failed(web.post(reverse("practice:client-create"), client_data(last_name="Visser")))
    assert snapshot() == before


def test_changing_a_client_is_not_saved_when_it_cannot_be_logged(web, sanne, log_refuses_entries):
    before = snapshot()
    url = reverse("practice:client-update", args=[sanne.pk])
    assert failed(web.post(url, client_data(client_number="00042", first_name="Sanna")))
    assert snapshot() == before


def test_a_new_consult_is_not_saved_when_it_cannot_be_logged(web, sanne, log_refuses_entries):
    before = snapshot()
    url = reverse("practice:consult-create", args=[sanne.pk])
    assert failed(web.post(url, {"template": ""}))
    assert snapshot() == before


def test_a_consult_change_is_not_saved_when_it_cannot_be_logged(web, consult, log_refuses_entries):
    before = snapshot()
    url = reverse("practice:consult-detail", args=[consult.pk])
    data = consult_data(lines=[line("magnesium")], notes="Anders")
    assert failed(web.post(url, data))
    assert snapshot() == before


def test_a_protocol_is_not_issued_when_it_cannot_be_logged(
    web, consult, tmp_path, log_refuses_entries
):
    before = snapshot()
    digest = check_consult(consult).digest
    url = reverse("practice:consult-issue", args=[consult.pk])
    assert failed(web.post(url, {"check_digest": digest, "include_physician_page": "on"}))
    assert snapshot() == before
    assert not list((tmp_path / "media").rglob("*.pdf")), "no file without its protocol"


def test_an_erasure_does_not_happen_when_it_cannot_be_logged(web, sanne, log_refuses_entries):
    before = snapshot()
    url = reverse("practice:client-erase", args=[sanne.pk])
    assert failed(web.post(url, {"reason": "Op verzoek", "confirm_client_number": "00042"}))
    assert snapshot() == before


# Writes through the API -----------------------------------------------------------------


def test_api_writes_are_not_saved_when_they_cannot_be_logged(
    api, sanne, consult, log_refuses_entries
):
    before = snapshot()
    writes = [
        api.post(
            "/api/v1/clients/",
            {"first_name": "Eva", "last_name": "Smit", "date_of_birth": "1990-01-01"},
            format="json",
        ),
        api.patch(f"/api/v1/clients/{sanne.pk}/", {"phone": "06-1"}, format="json"),
        api.post("/api/v1/consults/", {"client": sanne.pk, "date": "2026-11-03"}, format="json"),
        api.patch(f"/api/v1/consults/{consult.pk}/", {"notes": "Anders"}, format="json"),
        api.post(f"/api/v1/consults/{consult.pk}/protocols/", {}, format="json"),
        api.delete(f"/api/v1/consults/{consult.pk}/"),
        api.post(f"/api/v1/clients/{sanne.pk}/erase/", {"reason": "Op verzoek"}, format="json"),
    ]
    assert [r.status_code for r in writes if not failed(r)] == []
    assert snapshot() == before


# Reads ----------------------------------------------------------------------------------


def test_a_read_that_cannot_be_logged_is_not_answered(web, api, sanne, log_refuses_entries):
    pages = [
        web.get(reverse("practice:client-detail", args=[sanne.pk])),
        web.get(reverse("practice:client-export", args=[sanne.pk])),
        api.get(f"/api/v1/clients/{sanne.pk}/"),
        api.get(f"/api/v1/clients/{sanne.pk}/export/"),
    ]
    assert [r.status_code for r in pages if not failed(r)] == []
    assert not any(b"Mulder" in r.content for r in pages)
