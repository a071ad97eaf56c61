"""Every write of the API takes JSON only: a form or multipart body answers 415, and
nothing is written (a CDS Hooks call, sent with an EHR's token, is logged as refused, and
its token cannot be used again: that is all).

A form cannot carry the nested lists the API takes, and DRF read those it could not parse
as empty: a client sent with two medicines in a multipart body was stored as taking none.
"""

import json
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from rest_framework.test import APIClient

from practice.models import AccessLogEntry, AccessLogStart, Client, Consult
from tests.factories import PASSWORD, ehr_token
from tests.schema import generated_schema

SCHEMA = generated_schema()
# Every operation that takes a body: those with a request body, and any POST, PUT or PATCH.
WRITES = [
    f"{method.upper()} {path}"
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if "requestBody" in operation or method in {"post", "put", "patch"}
]
FORM = "application/x-www-form-urlencoded"
CDS_SERVICE = "gutbrain-order-sign"
# What a refused CDS Hooks call leaves: its log entry and its token's id.
CDS_BOOKKEEPING = {"cdshooks.CdsCall", "cdshooks.UsedTokenId"}
URL = "/api/v1/clients/"
CLIENT = {"first_name": "Sanne", "last_name": "Mulder", "date_of_birth": "1985-03-14"}
PHENELZINE = {"atc_code": "N06AF03", "name": "fenelzine"}
OXAZEPAM = {"atc_code": "N05BA04", "name": "oxazepam"}


def encode(body: dict, content_type: str) -> str | bytes:
    if content_type == FORM:
        return urlencode(body, doseq=True)
    return encode_multipart(BOUNDARY, body)


def every_row() -> dict[str, list[dict]]:
    """Every row of every table but the access log, to compare before and after a
    request: the log gains the request's one entry (a read of the record it reached)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model not in (AccessLogEntry, AccessLogStart)
    }


@pytest.fixture
def consult(sanne, make_consult) -> Consult:
    return make_consult(sanne)


@pytest.fixture
def bodies(sanne: Client) -> dict[str, dict]:
    """A body for each write, as a generated client sends it in a form: a list as repeated
    fields, or a list of objects as JSON in one field."""
    consult = {"client": sanne.pk, "date": "2026-11-27", "notes": "Slaapt slecht."}
    return {
        "POST /api/v1/auth/token/": {"username": "practitioner", "password": PASSWORD},
        "POST /api/v1/interaction-check/": {"nutrients": ["magnesium"], "atc_codes": ["N06AF03"]},
        "POST /api/v1/clients/": CLIENT,
        "PUT /api/v1/clients/{id}/": CLIENT,
        "PATCH /api/v1/clients/{id}/": {"notes": "Slaapt slecht."},
        "POST /api/v1/clients/{id}/erase/": {"reason": "Schriftelijk verzoek, 20 november."},
        "POST /api/v1/clients/{id}/medications/fhir/": {
            "resourceType": "MedicationStatement",
            "status": "active",
        },
        "POST /api/v1/consults/": consult,
        "PUT /api/v1/consults/{id}/": consult,
        "PATCH /api/v1/consults/{id}/": {"notes": "Slaapt beter."},
        "POST /api/v1/consults/{id}/protocols/": {
            "acknowledgements": json.dumps([{"nutrient": "tryptophan", "reason": "Overlegd."}])
        },
        "POST /cds-services/{id}": {"hook": "order-sign", "hookInstance": "x", "context": "{}"},
    }


def test_the_walk_reaches_the_writes_of_both_apis():
    assert "POST /api/v1/clients/" in WRITES
    assert "POST /api/v1/auth/token/" in WRITES


@pytest.mark.parametrize("content_type", [MULTIPART_CONTENT, FORM], ids=["multipart", "form"])
@pytest.mark.parametrize("write", WRITES)
def test_a_write_refuses_a_body_that_is_not_json_and_writes_nothing(
    practitioner_api, sanne, consult, bodies, write, content_type
):
    assert write in bodies, f"Give {write} a body in `bodies`."
    method, path = write.split(" ")
    # The ids of real records: the request would pass routing and permissions.
    real_ids = {"clients": sanne.pk, "consults": consult.pk}
    client = practitioner_api
    if path.startswith("/cds-services/"):  # a call of an EHR, with its token
        url = path.replace("{id}", CDS_SERVICE)
        client = APIClient(headers={"Authorization": f"Bearer {ehr_token(CDS_SERVICE)}"})
    else:
        url = path.replace("{id}", str(real_ids.get(path.split("/")[3])))
    before, logged = every_row(), AccessLogEntry.objects.count()

    response = client.generic(
        method, url, encode(bodies[write], content_type), content_type=content_type
    )

    assert response.status_code == 415, response.content
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]
    after = every_row()
    for label in CDS_BOOKKEEPING:
        before.pop(label), after.pop(label)
    assert after == before
    if "{id}" in path and path.startswith("/api/"):  # a record reached, unchanged: one read
        entry = AccessLogEntry.objects.latest("seq")
        assert AccessLogEntry.objects.count() == logged + 1
        assert (entry.action, entry.outcome) == ("read", "allowed")
    else:
        assert AccessLogEntry.objects.count() == logged


def test_a_multipart_client_is_refused_not_stored_without_medicines(practitioner_api, practice):
    # As a generated client sends a list of objects in a multipart body: a part per item,
    # each holding the item as JSON. DRF read the list as empty.
    response = practitioner_api.post(
        URL,
        {**CLIENT, "medications": [json.dumps(PHENELZINE), json.dumps(OXAZEPAM)]},
        format="multipart",
    )

    assert response.status_code == 415
    assert not Client.objects.exists()


def test_the_same_client_as_json_is_stored_with_both_medicines(practitioner_api, practice):
    response = practitioner_api.post(
        URL, {**CLIENT, "medications": [PHENELZINE, OXAZEPAM]}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert sorted(Client.objects.get().medications.values_list("atc_code", flat=True)) == [
        "N05BA04",
        "N06AF03",
    ]
