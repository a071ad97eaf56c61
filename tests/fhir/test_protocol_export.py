"""`GET /api/v1/protocols/{id}/fhir/`: one issued protocol as a FHIR R4 Bundle, built
from its snapshot alone."""

import datetime
import json
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from practice.fhir import codes
from practice.models import AccessLogEntry, Protocol
from tests.factories import ConsultFactory, PracticeMemberFactory, UserFactory
from tests.fhir.conftest import FHIR_JSON, REASON, by_url, resources, validated

SCHEMA1 = Path(__file__).parents[1] / "practice" / "data" / "schema1_snapshot.json"


def export(api, protocol) -> dict:
    response = api.get(f"/api/v1/protocols/{protocol.pk}/fhir/")
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    return response.json()


def test_it_holds_the_plan_its_issues_and_who_and_what_they_concern(anna_api, first_version):
    body = export(anna_api, first_version)

    validated(body)
    assert body["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in body["entry"]]
    assert kinds == [
        "Patient",
        "Organization",
        "Practitioner",
        *["MedicationStatement"] * 4,
        "CarePlan",
        *["DetectedIssue"] * 4,
    ]
    (plan,) = resources(body, "CarePlan")
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    assert "replaces" not in plan
    assert [a["detail"]["status"] for a in plan["activity"]] == ["scheduled", "scheduled"]
    assert sorted(i["severity"] for i in resources(body, "DetectedIssue")) == [
        "high",
        "low",
        "low",
        "moderate",
    ]


def test_it_is_built_from_the_snapshot_not_the_record_as_it_is_now(anna_api, sanne, first_version):
    sanne.first_name, sanne.client_number = "Susanne", "00099"
    sanne.save()
    sanne.medications.all().delete()
    sanne.practice.agb_code = "90009999"
    sanne.practice.save()
    first_version.consult.lines.all().delete()

    body = export(anna_api, first_version)

    (patient,) = resources(body, "Patient")
    assert patient["name"] == [{"use": "official", "text": "Sanne Mulder"}]
    assert patient["identifier"][0]["value"] == "00042"
    assert patient["birthDate"] == "1985-03-14"
    (organization,) = resources(body, "Organization")
    assert organization["identifier"][0]["value"] == "90001234"
    codes_taken = {
        s["medicationCodeableConcept"]["coding"][0]["code"]
        for s in resources(body, "MedicationStatement")
        if s["medicationCodeableConcept"].get("coding")
    }
    assert codes_taken == {"N06AF03", "H03AA01", "zinc"}
    (plan,) = resources(body, "CarePlan")
    assert len(plan["activity"]) == 2


def test_a_replaced_version_is_revoked_and_the_next_names_it(
    anna_api, first_version, second_version
):
    first = resources(export(anna_api, first_version), "CarePlan")[0]
    second = resources(export(anna_api, second_version), "CarePlan")[0]

    assert first["status"] == "revoked"
    assert second["status"] == "active"
    assert second["replaces"] == [
        {
            "identifier": {
                "system": codes.protocol_system(first_version.consult.client.practice_id),
                "value": f"{first_version.consult_id}-v1",
            },
            "display": "Versie 1",
        }
    ]
    assert first["identifier"] == [second["replaces"][0]["identifier"]]


def test_the_acknowledged_reason_is_the_mitigation_of_the_avoid_issue(anna_api, first_version):
    body = export(anna_api, first_version)

    (avoid,) = [i for i in resources(body, "DetectedIssue") if i["severity"] == "high"]
    assert avoid["mitigation"][0]["action"]["text"] == REASON
    statements = by_url(body)
    implicated = [statements[ref["reference"]] for ref in avoid["implicated"]]
    assert [s["medicationCodeableConcept"]["coding"][0]["code"] for s in implicated] == ["N06AF03"]
    assert implicated[0]["status"] == "active"
    assert implicated[0]["dateAsserted"]


def test_its_full_urls_are_those_of_the_client_export(anna_api, sanne, first_version):
    protocol = export(anna_api, first_version)
    record = export_client(anna_api, sanne)

    shared = {"Patient", "Organization", "Practitioner", "CarePlan", "DetectedIssue"}
    urls = {e["fullUrl"] for e in protocol["entry"] if e["resource"]["resourceType"] in shared}
    assert urls <= {e["fullUrl"] for e in record["entry"]}


def export_client(api, client) -> dict:
    return api.get(f"/api/v1/clients/{client.pk}/fhir/").json()


def test_a_protocol_of_snapshot_schema_1_exports_too(anna_api, sanne, anna):
    snapshot = json.loads(SCHEMA1.read_text())
    consult = ConsultFactory(client=sanne, date=datetime.date(2025, 11, 19))
    protocol = Protocol.objects.create(
        consult=consult,
        version=1,
        issued_by=anna,
        snapshot=snapshot,
        worst_level="avoid",
        pdf="protocols/old.pdf",
        pdf_sha256="0" * 64,
    )

    body = export(anna_api, protocol)

    validated(body)
    (plan,) = resources(body, "CarePlan")
    assert plan["activity"][0]["detail"]["dailyAmount"]["value"] == 800  # 4E+2 twice a day
    assert {
        s["medicationCodeableConcept"]["text"] for s in resources(body, "MedicationStatement")
    } == {
        "Tranylcypromine",
        "Sertraline",
    }


def test_an_assistant_of_the_practitioner_may_export_it_as_they_may_read_it(
    first_version, practice, anna
):
    assistant = UserFactory(username="assistent")
    assistant.groups.add(Group.objects.get_or_create(name="assistant")[0])
    PracticeMemberFactory(user=assistant, practice=practice).assists.add(anna)
    api = APIClient()
    api.force_authenticate(assistant)

    assert api.get(f"/api/v1/protocols/{first_version.pk}/").status_code == 200
    assert export(api, first_version)["type"] == "collection"


def test_the_export_is_logged_as_an_export_of_the_protocol(anna_api, first_version, sanne):
    export(anna_api, first_version)

    entry = AccessLogEntry.objects.latest("seq")
    assert (entry.action, entry.outcome, entry.record_type) == ("export", "allowed", "protocol")
    assert (entry.record_id, entry.client_id) == (str(first_version.pk), sanne.pk)


def test_another_practitioner_gets_404_logged_as_refused(colleague, first_version, sanne):
    api = APIClient()
    api.force_authenticate(colleague)

    response = api.get(f"/api/v1/protocols/{first_version.pk}/fhir/")

    assert response.status_code == 404
    assert response["Content-Type"] == FHIR_JSON
    entry = AccessLogEntry.objects.latest("seq")
    assert (entry.action, entry.outcome, entry.record_type, entry.client_id) == (
        "export",
        "refused",
        "protocol",
        sanne.pk,
    )


def test_no_such_protocol_is_404_logged_as_not_found(anna_api, first_version):
    response = anna_api.get(f"/api/v1/protocols/{first_version.pk + 100}/fhir/")

    assert response.status_code == 404
    assert AccessLogEntry.objects.latest("seq").outcome == "not_found"


def test_the_export_reads_in_a_fixed_number_of_queries(anna_api, first_version):
    export(anna_api, first_version)  # the user's roles, read once per request's user object
    with CaptureQueriesContext(connection) as queries:
        export(anna_api, first_version)

    # The protocol with consult and client; whether a later version exists; the access
    # log's newest entry and the insert.
    assert len(queries) == 4
