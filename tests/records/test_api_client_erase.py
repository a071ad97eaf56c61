"""POST /api/v1/clients/{id}/erase/"""

import pytest
from django.core.files.storage import default_storage
from django.utils.dateparse import parse_datetime

from practice.models import AccessLogEntry, Client, Consult, ErasureRecord, Protocol

REASON = "Schriftelijk verzoek van de cliënt, ontvangen 20 november 2026."


def url(client) -> str:
    return f"/api/v1/clients/{client.pk}/erase/"


def test_it_erases_the_record_and_answers_with_the_erasure_record(
    practitioner_api, sanne, practice, protocol, django_capture_on_commit_callbacks
):
    client_id = sanne.pk

    with django_capture_on_commit_callbacks(execute=True):
        response = practitioner_api.post(url(sanne), {"reason": REASON}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    erasure = ErasureRecord.objects.get()
    assert body == {
        "id": erasure.pk,
        "former_client_id": client_id,
        "practice": practice.pk,
        "erased_by": "practitioner",
        "erased_at": body["erased_at"],
        "reason": REASON,
        "removed": erasure.removed,
    }
    assert parse_datetime(body["erased_at"]) == erasure.erased_at
    assert not Client.objects.filter(pk=client_id).exists()
    assert not Consult.objects.filter(client_id=client_id).exists()
    assert not Protocol.objects.exists()
    assert not default_storage.exists(protocol.pdf.name)


def test_the_erasure_is_logged_in_the_access_log(practitioner_api, practitioner, sanne):
    client_id = sanne.pk

    practitioner_api.post(url(sanne), {"reason": REASON}, format="json")

    entry = AccessLogEntry.objects.get(action="erase")
    assert (entry.client_id, entry.record_id, entry.user_id, entry.outcome) == (
        client_id,
        str(client_id),
        practitioner.pk,
        "allowed",
    )


def test_the_access_log_keeps_its_entries_of_the_erased_client(practitioner_api, sanne):
    client_id = sanne.pk
    practitioner_api.get(f"/api/v1/clients/{client_id}/export/")

    practitioner_api.post(url(sanne), {"reason": REASON}, format="json")

    assert list(
        AccessLogEntry.objects.filter(client_id=client_id)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["export", "erase"]


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_it_refuses_an_erasure_without_a_reason(practitioner_api, sanne, protocol, body):
    response = practitioner_api.post(url(sanne), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    assert Client.objects.filter(pk=sanne.pk).exists()
    assert Protocol.objects.filter(pk=protocol.pk).exists()
    assert not ErasureRecord.objects.exists()


def test_it_refuses_unknown_fields(practitioner_api, sanne):
    response = practitioner_api.post(url(sanne), {"reason": REASON, "confirm": 1}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["confirm"]
    assert Client.objects.filter(pk=sanne.pk).exists()


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_treating_practitioner(
    request, user_api, sanne, protocol
):
    api = request.getfixturevalue(user_api)

    response = api.post(url(sanne), {"reason": REASON}, format="json")

    assert response.status_code == 404
    assert Client.objects.filter(pk=sanne.pk).exists()
    assert Protocol.objects.filter(pk=protocol.pk).exists()
    assert not ErasureRecord.objects.exists()
    assert AccessLogEntry.objects.get(action="erase").outcome == "refused"


def test_a_superuser_may_erase_any_client(admin_api, admin_user, sanne):
    response = admin_api.post(url(sanne), {"reason": REASON}, format="json")

    assert response.status_code == 200
    assert ErasureRecord.objects.get().erased_by == admin_user


def test_it_refuses_anonymous_users(anonymous_api, sanne):
    assert anonymous_api.post(url(sanne), {"reason": REASON}, format="json").status_code == 401
    assert Client.objects.filter(pk=sanne.pk).exists()


def test_an_erased_client_is_gone_for_good(practitioner_api, sanne):
    practitioner_api.post(url(sanne), {"reason": REASON}, format="json")

    assert practitioner_api.get(f"/api/v1/clients/{sanne.pk}/").status_code == 404
    assert practitioner_api.post(url(sanne), {"reason": REASON}, format="json").status_code == 404
