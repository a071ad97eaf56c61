"""The practice API writes every access to a client record to the access log, refused
attempts included, on the channel `api`."""

import pytest

from practice.models import AccessLogEntry, Client, Consult, Protocol
from tests.factories import ClientFactory, ConsultFactory


def logged(count: int = 1) -> list[tuple]:
    """The newest entries, oldest first: (username, action, outcome, record type, record
    id, client id)."""
    entries = AccessLogEntry.objects.order_by("-pk")[:count]
    return [
        (e.username, e.action, e.outcome, e.record_type, e.record_id, e.client_id)
        for e in reversed(entries)
    ]


@pytest.fixture
def api(owner, api_as):
    return api_as(owner)


def test_reading_a_client_is_logged_on_the_api_channel(api, sanne):
    api.get(f"/api/v1/clients/{sanne.pk}/", REMOTE_ADDR="198.51.100.4")
    entry = AccessLogEntry.objects.get()
    assert logged() == [("practitioner", "read", "allowed", "client", str(sanne.pk), sanne.pk)]
    assert (entry.channel, entry.ip_address, entry.user_agent) == (
        "api",
        "198.51.100.4",
        "Testclient/1.0",
    )


def test_adding_changing_and_deleting_a_client_are_logged(api, owner, practice):
    response = api.post(
        "/api/v1/clients/",
        {"first_name": "Eva", "last_name": "Smit", "date_of_birth": "1990-01-01"},
        format="json",
    )
    pk = response.json()["id"]
    api.patch(f"/api/v1/clients/{pk}/", {"phone": "06-1"}, format="json")
    assert api.delete(f"/api/v1/clients/{pk}/").status_code == 204
    assert not Client.objects.filter(pk=pk).exists()
    assert logged(3) == [
        ("practitioner", "create", "allowed", "client", str(pk), pk),
        ("practitioner", "update", "allowed", "client", str(pk), pk),
        ("practitioner", "delete", "allowed", "client", str(pk), pk),
    ]


def test_a_colleagues_attempts_are_logged_as_refused(colleague, api_as, sanne):
    api = api_as(colleague)
    assert api.get(f"/api/v1/clients/{sanne.pk}/").status_code == 404
    assert api.patch(f"/api/v1/clients/{sanne.pk}/", {}, format="json").status_code == 404
    assert api.delete(f"/api/v1/clients/{sanne.pk}/").status_code == 404
    assert [entry[1:3] for entry in logged(3)] == [
        ("read", "refused"),
        ("update", "refused"),
        ("delete", "refused"),
    ]
    assert {entry[5] for entry in logged(3)} == {sanne.pk}


def test_a_client_that_does_not_exist_is_logged_as_not_found(api, owner):
    assert api.get("/api/v1/clients/999/").status_code == 404
    assert logged() == [("practitioner", "read", "not_found", "client", "999", None)]


def test_an_id_that_is_no_number_is_logged_as_not_found(api, owner):
    assert api.get("/api/v1/consults/abc/").status_code == 404
    assert logged() == [("practitioner", "read", "not_found", "consult", "abc", None)]


def test_consults_are_logged_when_read_checked_changed_and_deleted(api, sanne, knowledge_base):
    consult = ConsultFactory(client=sanne)
    base = f"/api/v1/consults/{consult.pk}/"
    api.get(base)
    api.get(f"{base}check/")
    api.patch(base, {"notes": "Beter geslapen."}, format="json")
    assert api.delete(base).status_code == 204
    assert [entry[1] for entry in logged(4)] == ["read", "read", "update", "delete"]
    assert {entry[3:] for entry in logged(4)} == {("consult", str(consult.pk), sanne.pk)}


def test_adding_a_consult_is_logged(api, sanne):
    response = api.post("/api/v1/consults/", {"client": sanne.pk}, format="json")
    consult = Consult.objects.get(pk=response.json()["id"])
    assert logged() == [("practitioner", "create", "allowed", "consult", str(consult.pk), sanne.pk)]


def test_issuing_a_protocol_is_logged_as_its_creation(api, consult):
    assert (
        api.post(f"/api/v1/consults/{consult.pk}/protocols/", {}, format="json").status_code == 201
    )
    protocol = Protocol.objects.get()
    assert logged() == [
        ("practitioner", "create", "allowed", "protocol", str(protocol.pk), consult.client_id)
    ]


def test_an_assistant_reading_a_protocol_and_its_pdf_is_logged(assistant, api_as, protocol):
    api = api_as(assistant)
    api.get(f"/api/v1/protocols/{protocol.pk}/")
    api.get(f"/api/v1/protocols/{protocol.pk}/pdf/")
    client_id = protocol.consult.client_id
    assert logged(2) == [
        ("assistant", "read", "allowed", "protocol", str(protocol.pk), client_id),
        ("assistant", "print", "allowed", "protocol_pdf", str(protocol.pk), client_id),
    ]


def test_the_pdf_of_someone_elses_protocol_is_refused_and_logged(other_assistant, api_as, protocol):
    assert api_as(other_assistant).get(f"/api/v1/protocols/{protocol.pk}/pdf/").status_code == 404
    assert logged() == [
        (
            "other-assistant",
            "print",
            "refused",
            "protocol_pdf",
            str(protocol.pk),
            protocol.consult.client_id,
        )
    ]


def test_an_assistant_reading_contact_details_is_logged(assistant, api_as, sanne):
    api_as(assistant).get(f"/api/v1/client-contacts/{sanne.pk}/")
    assert logged() == [("assistant", "read", "allowed", "client", str(sanne.pk), sanne.pk)]


def test_an_export_is_logged(api, sanne):
    api.get(f"/api/v1/clients/{sanne.pk}/export/")
    assert logged() == [("practitioner", "export", "allowed", "client", str(sanne.pk), sanne.pk)]


def test_lists_are_not_logged_record_by_record(api, sanne):
    ClientFactory(practitioner=sanne.practitioner, practice=sanne.practice)
    api.get("/api/v1/clients/")
    assert not AccessLogEntry.objects.exists()
