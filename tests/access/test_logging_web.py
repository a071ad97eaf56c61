"""The staff pages write every access to a client record to the access log, refused
attempts included: who, what, which record and client, the outcome, from where."""

import pytest
from django.urls import reverse

from practice.models import AccessLogEntry, Client, Protocol
from practice.protocols import check_consult
from tests.practice.views.formdata import client_data, consult_data, line


def logged(count: int = 1) -> list[tuple]:
    """The newest entries, oldest first: (username, action, outcome, record type, record
    id, client id)."""
    entries = AccessLogEntry.objects.order_by("-pk")[:count]
    return [
        (e.username, e.action, e.outcome, e.record_type, e.record_id, e.client_id)
        for e in reversed(entries)
    ]


@pytest.fixture
def web(owner, web_as):
    return web_as(owner)


def test_opening_a_client_is_logged_with_where_it_came_from(web, sanne):
    web.get(reverse("practice:client-detail", args=[sanne.pk]), REMOTE_ADDR="192.0.2.7")
    entry = AccessLogEntry.objects.get()
    assert logged() == [("practitioner", "read", "allowed", "client", str(sanne.pk), sanne.pk)]
    assert (entry.channel, entry.ip_address, entry.user_agent, entry.path) == (
        "web",
        "192.0.2.7",
        "Testbrowser/1.0",
        f"/clients/{sanne.pk}/",
    )


def test_an_assistant_opening_the_contact_details_is_logged(assistant, web_as, sanne):
    web_as(assistant).get(reverse("practice:client-detail", args=[sanne.pk]))
    assert logged() == [("assistant", "read", "allowed", "client", str(sanne.pk), sanne.pk)]


def test_a_colleague_trying_a_client_is_logged_as_refused_with_the_client(colleague, web_as, sanne):
    response = web_as(colleague).get(reverse("practice:client-detail", args=[sanne.pk]))
    assert response.status_code == 404
    assert logged() == [("colleague", "read", "refused", "client", str(sanne.pk), sanne.pk)]


def test_an_assistant_of_someone_else_is_logged_as_refused(other_assistant, web_as, sanne):
    response = web_as(other_assistant).get(reverse("practice:client-detail", args=[sanne.pk]))
    assert response.status_code == 404
    assert logged() == [("other-assistant", "read", "refused", "client", str(sanne.pk), sanne.pk)]


def test_a_client_that_does_not_exist_is_logged_as_not_found(web, owner):
    assert web.get(reverse("practice:client-detail", args=[999])).status_code == 404
    assert logged() == [("practitioner", "read", "not_found", "client", "999", None)]


def test_opening_the_edit_form_is_a_read_and_saving_it_an_update(web, sanne):
    url = reverse("practice:client-update", args=[sanne.pk])
    web.get(url)
    assert web.post(url, client_data(client_number="00042", first_name="Sanna")).status_code == 302
    assert logged(2) == [
        ("practitioner", "read", "allowed", "client", str(sanne.pk), sanne.pk),
        ("practitioner", "update", "allowed", "client", str(sanne.pk), sanne.pk),
    ]


def test_an_assistant_trying_to_change_a_client_is_refused_and_logged(assistant, web_as, sanne):
    url = reverse("practice:client-update", args=[sanne.pk])
    assert web_as(assistant).post(url, client_data(first_name="Sanna")).status_code == 404
    assert logged() == [("assistant", "update", "refused", "client", str(sanne.pk), sanne.pk)]
    sanne.refresh_from_db()
    assert sanne.first_name == "Sanne"


def test_adding_a_client_is_logged(web, owner):
    web.post(reverse("practice:client-create"), client_data(last_name="Visser"))
    client = Client.objects.get(last_name="Visser")
    assert logged() == [("practitioner", "create", "allowed", "client", str(client.pk), client.pk)]


def test_starting_a_consult_is_logged(web, sanne, template):
    response = web.post(reverse("practice:consult-create", args=[sanne.pk]), {"template": ""})
    consult = sanne.consults.get()
    assert response.url == consult.get_absolute_url()
    assert logged() == [("practitioner", "create", "allowed", "consult", str(consult.pk), sanne.pk)]


def test_opening_and_saving_a_consult_are_logged(web, consult):
    url = reverse("practice:consult-detail", args=[consult.pk])
    web.get(url)
    web.post(url, consult_data(lines=[line("magnesium")]))
    client_id = consult.client_id
    assert logged(2) == [
        ("practitioner", "read", "allowed", "consult", str(consult.pk), client_id),
        ("practitioner", "update", "allowed", "consult", str(consult.pk), client_id),
    ]


def test_a_colleague_saving_a_consult_is_refused_and_logged(colleague, web_as, consult):
    url = reverse("practice:consult-detail", args=[consult.pk])
    assert web_as(colleague).post(url, consult_data()).status_code == 404
    assert logged() == [
        ("colleague", "update", "refused", "consult", str(consult.pk), consult.client_id)
    ]


def test_the_live_check_is_a_read_of_the_consult(web, consult):
    web.post(
        reverse("practice:consult-check", args=[consult.pk]),
        consult_data(action="", lines=[line("zinc")]),
    )
    assert logged() == [
        ("practitioner", "read", "allowed", "consult", str(consult.pk), consult.client_id)
    ]


def test_issuing_a_protocol_is_logged_as_its_creation(web, consult):
    digest = check_consult(consult).digest
    web.post(reverse("practice:consult-issue", args=[consult.pk]), {"check_digest": digest})
    protocol = Protocol.objects.get()
    assert logged() == [
        ("practitioner", "create", "allowed", "protocol", str(protocol.pk), consult.client_id)
    ]


def test_saving_a_consult_as_a_template_reads_the_consult(web, consult):
    web.post(reverse("practice:consult-save-template", args=[consult.pk]), {"name": "Slaap"})
    assert logged() == [
        ("practitioner", "read", "allowed", "consult", str(consult.pk), consult.client_id)
    ]


@pytest.mark.parametrize(
    ("name", "action", "record_type"),
    [
        ("practice:protocol-detail", "read", "protocol"),
        ("practice:protocol-print", "print", "protocol"),
        ("practice:protocol-pdf", "print", "protocol_pdf"),
    ],
)
def test_reading_and_printing_a_protocol_are_logged(
    assistant, web_as, protocol, name, action, record_type
):
    web_as(assistant).get(reverse(name, args=[protocol.pk]))
    client_id = protocol.consult.client_id
    assert logged() == [("assistant", action, "allowed", record_type, str(protocol.pk), client_id)]


def test_printing_someone_elses_protocol_is_refused_and_logged(other_assistant, web_as, protocol):
    response = web_as(other_assistant).get(reverse("practice:protocol-pdf", args=[protocol.pk]))
    assert response.status_code == 404
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
