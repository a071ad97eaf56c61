"""GET /api/v1/clients/{id}/export/"""

import datetime
import hashlib

import jsonschema
import pytest
from django.utils.dateparse import parse_datetime

from gutbrain.models import Indication, Nutrient
from practice.models import AccessLogEntry, ClientSupplement
from practice.pdf import files
from tests.factories import SupplementLineFactory


def url(client) -> str:
    return f"/api/v1/clients/{client.pk}/export/"


@pytest.fixture
def full_record(sanne, sannes_consult, protocol):
    """Sanne with an own supplement, complaints at her consult and an issued protocol."""
    ClientSupplement.objects.create(
        client=sanne, name="Visolie", nutrient=Nutrient.objects.get(slug="zinc"), dose="1"
    )
    sannes_consult.complaints.set(Indication.objects.filter(slug__in=["stress", "sleep-problems"]))
    return sanne


def test_it_exports_everything_held_on_the_client(practitioner_api, full_record, protocol):
    response = practitioner_api.get(url(full_record))

    assert response.status_code == 200
    body = response.json()
    assert body["format_version"] == 1
    assert parse_datetime(body["exported_at"]) is not None
    assert body["practice"]["name"] == full_record.practice.name
    client = body["client"]
    assert client["id"] == full_record.pk
    assert (client["client_number"], client["first_name"], client["last_name"]) == (
        "00007",
        "Sanne",
        "Mulder",
    )
    assert client["date_of_birth"] == "1985-03-14"
    assert client["practitioner"] == {"username": "practitioner", "name": "Anna de Vries"}
    assert parse_datetime(client["created_at"]) is not None
    assert body["medications"] == [
        {"atc_code": "N06AF03", "name": "fenelzine", "from_reference_list": False}
    ]
    assert body["own_supplements"] == [{"name": "Visolie", "nutrient": "zinc", "dose": "1"}]

    [consult] = body["consults"]
    assert consult["date"] == "2026-11-02"
    assert [c["slug"] for c in consult["complaints"]] == ["sleep-problems", "stress"]
    assert [(line["nutrient"], line["form"]) for line in consult["lines"]] == [
        ("magnesium", "bisglycinate"),
        ("tryptophan", None),
    ]
    assert consult["lines"][0]["dose_amount"] == "200"

    [issued] = consult["protocols"]
    assert issued["version"] == 1
    assert issued["snapshot"] == protocol.snapshot
    assert issued["pdf_sha256"] == hashlib.sha256(files.read(protocol)).hexdigest()
    assert [(a["nutrient"], a["reason"]) for a in issued["acknowledgements"]] == [
        ("tryptophan", "Overlegd met de psychiater.")
    ]
    assert issued["acknowledgements"][0]["acknowledged_by"]["username"] == "practitioner"


def test_the_export_is_what_the_openapi_schema_documents(
    practitioner_api, full_record, served_schema
):
    body = practitioner_api.get(url(full_record)).json()

    schema = served_schema()
    operation = schema["paths"]["/api/v1/clients/{id}/export/"]["get"]
    documented = operation["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(body, as_json_schema(documented))
    example = operation["responses"]["200"]["content"]["application/json"]["examples"]
    for value in example.values():
        jsonschema.validate(value["value"], as_json_schema(documented))


def as_json_schema(schema):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type."""
    if isinstance(schema, dict):
        converted = {k: as_json_schema(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable"):
            converted["type"] = [schema["type"], "null"]
        return converted
    if isinstance(schema, list):
        return [as_json_schema(item) for item in schema]
    return schema


def test_the_export_is_logged_in_the_access_log(practitioner_api, practitioner, sanne):
    practitioner_api.get(url(sanne))

    entry = AccessLogEntry.objects.get(action="export")
    assert (entry.client_id, entry.user_id, entry.outcome, entry.channel) == (
        sanne.pk,
        practitioner.pk,
        "allowed",
        "api",
    )


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_treating_practitioner(request, user_api, sanne):
    api = request.getfixturevalue(user_api)

    assert api.get(url(sanne)).status_code == 404
    assert AccessLogEntry.objects.get(action="export").outcome == "refused"


def test_a_superuser_may_export_any_client(admin_api, sanne):
    response = admin_api.get(url(sanne))

    assert response.status_code == 200
    assert response.json()["client"]["id"] == sanne.pk


def test_it_refuses_anonymous_users(anonymous_api, sanne):
    assert anonymous_api.get(url(sanne)).status_code == 401


@pytest.mark.parametrize("consults", [1, 4])
def test_it_exports_in_a_fixed_number_of_queries_whatever_the_number_of_consults(
    practitioner_api, sanne, make_consult, protocol, reissue, consults, django_assert_num_queries
):
    for day in range(1, consults + 1):
        consult = make_consult(sanne, "saffron", date=datetime.date(2026, 10, day))
        consult.complaints.set(Indication.objects.filter(slug="stress"))
        SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="zinc"))
        reissue(consult, 2)
    # Queries: the token with its user; the user's tokens (knox); the user's roles; the client with
    # practice and practitioner; then its medicines, own supplements, consults with their
    # practitioner, their complaints, their lines, their protocols with who issued them, and the
    # protocols' acknowledgements; the access log's newest hash and the new entry.
    with django_assert_num_queries(13):
        response = practitioner_api.get(url(sanne))
    assert response.status_code == 200
    assert len(response.json()["consults"]) == consults + 1
