"""`GET /api/v1/clients/{id}/fhir/`: the client's record as a FHIR R4 Bundle. Every
resource is read back with fhir.resources' R4B models, which do not check code values:
the codes are asserted one by one."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override
from rest_framework.test import APIClient

from practice.fhir import codes
from practice.fhir.export import SEVERITY, finding_words
from practice.models import AccessAction, AccessLogEntry, AccessOutcome, Protocol
from tests.fhir.conftest import FHIR_JSON, REASON, by_url, resources, validated

ATC = "http://www.whocc.no/atc"
AGB = "http://fhir.nl/fhir/NamingSystem/agb-z"
UCUM = "http://unitsofmeasure.org"


def same_time(fhir: str, iso: str) -> bool:
    return datetime.datetime.fromisoformat(fhir) == datetime.datetime.fromisoformat(iso)


def export(api, client) -> dict:
    response = api.get(f"/api/v1/clients/{client.pk}/fhir/")
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    return response.json()


@pytest.fixture
def body(anna_api, sanne, second_version) -> dict:
    return export(anna_api, sanne)


def test_it_is_a_valid_collection_bundle_with_urn_uuid_full_urls(body):
    validated(body)

    assert body["resourceType"] == "Bundle"
    assert body["type"] == "collection"
    assert body["language"] == "nl"
    for entry in body["entry"]:
        assert entry["fullUrl"].startswith("urn:uuid:")
        uuid.UUID(entry["fullUrl"].removeprefix("urn:uuid:"))
        assert "id" not in entry["resource"]
    assert len({e["fullUrl"] for e in body["entry"]}) == len(body["entry"])
    kinds = [e["resource"]["resourceType"] for e in body["entry"]]
    assert kinds == [
        "Patient",
        "Organization",
        "Practitioner",
        *["MedicationStatement"] * 4,
        "CarePlan",
        *["DetectedIssue"] * 4,
        "CarePlan",
        *["DetectedIssue"] * 4,
    ]


def test_the_patient_has_name_birth_date_and_the_client_number_of_the_practice(body, sanne):
    (patient,) = resources(body, "Patient")

    assert patient["name"] == [
        {"use": "official", "text": "Sanne Mulder", "family": "Mulder", "given": ["Sanne"]}
    ]
    assert patient["birthDate"] == "1985-03-14"
    assert "gender" not in patient  # the record does not hold it
    assert patient["identifier"] == [
        {
            "use": "usual",
            "system": f"https://gutbrain.nl/fhir/NamingSystem/practice-{sanne.practice_id}"
            "/client-number",
            "value": "00042",
        }
    ]
    organization = by_url(body)[patient["managingOrganization"]["reference"]]
    assert organization["resourceType"] == "Organization"


def test_the_practice_and_the_practitioner_carry_their_agb_codes(body):
    (organization,) = resources(body, "Organization")
    (practitioner,) = resources(body, "Practitioner")

    assert organization["identifier"] == [{"system": AGB, "value": "90001234"}]
    assert organization["name"] == "Praktijk De Darm-Hersen-As"
    assert {"system": "phone", "value": "030-1234567"} in organization["telecom"]
    assert practitioner["identifier"] == [{"system": AGB, "value": "12345678"}]
    assert practitioner["name"][0]["text"] == "Anna de Vries"


def test_each_medicine_is_an_atc_coded_statement_with_its_intake_times(body):
    statements = {
        s["medicationCodeableConcept"]["text"]: s for s in resources(body, "MedicationStatement")
    }

    fenelzine = statements["fenelzine"]
    assert fenelzine["status"] == "active"
    assert fenelzine["medicationCodeableConcept"]["coding"] == [
        {"system": ATC, "code": "N06AF03", "display": "fenelzine"}
    ]
    assert fenelzine["dosage"] == [
        {
            "text": "'s ochtends",
            "timing": {
                "repeat": {"frequency": 1, "period": 1, "periodUnit": "d", "when": ["MORN"]}
            },
        }
    ]
    levothyroxine = statements["levothyroxine"]
    assert levothyroxine["dosage"][0]["timing"]["repeat"]["timeOfDay"] == ["07:30:00"]
    assert levothyroxine["dosage"][0]["text"] == "7.30 uur"


def test_an_own_supplement_is_coded_as_a_nutrient_when_it_is_one_and_a_text_else(body):
    statements = {
        s["medicationCodeableConcept"]["text"]: s for s in resources(body, "MedicationStatement")
    }

    assert statements["Zink"]["medicationCodeableConcept"]["coding"] == [
        {
            "system": "https://gutbrain.nl/fhir/CodeSystem/nutrient",
            "code": "zinc",
            "display": "Zink",
        }
    ]
    assert "coding" not in statements["Visolie"]["medicationCodeableConcept"]
    assert statements["Visolie"]["dosage"] == [{"text": "1 capsule"}]


def test_each_issued_version_is_a_care_plan_the_newest_active(body, first_version, second_version):
    first, second = resources(body, "CarePlan")
    urls = {id(resource): url for url, resource in by_url(body).items()}
    consult = first_version.consult_id

    assert [plan["intent"] for plan in (first, second)] == ["plan", "plan"]
    assert first["status"] == "revoked"
    assert second["status"] == "active"
    assert "replaces" not in first
    assert second["replaces"] == [
        {
            "reference": urls[id(first)],
            "identifier": {
                "system": codes.protocol_system(first_version.consult.client.practice_id),
                "value": f"{consult}-v1",
            },
        }
    ]
    assert second["identifier"][0]["value"] == f"{consult}-v2"
    assert second["title"] == "Supplementenadvies voor Sanne Mulder, versie 2"
    assert same_time(second["created"], second_version.snapshot["issued_at"])
    assert by_url(body)[second["author"]["reference"]]["resourceType"] == "Practitioner"
    assert second["note"] == [{"text": "Niet gecontroleerd (niet in de kennisbank): Visolie"}]


def test_each_line_is_a_scheduled_activity_with_its_daily_amount_and_timing(body):
    plan = resources(body, "CarePlan")[1]
    magnesium, tryptophan = (activity["detail"] for activity in plan["activity"])

    assert magnesium["status"] == "scheduled"
    assert magnesium["productCodeableConcept"] == {
        "coding": [
            {
                "system": "https://gutbrain.nl/fhir/CodeSystem/nutrient",
                "code": "magnesium",
                "display": "Magnesium",
            }
        ],
        "text": "Magnesium (Bisglycinaat)",
    }
    assert magnesium["dailyAmount"] == {"value": 600, "unit": "mg", "system": UCUM, "code": "mg"}
    assert magnesium["scheduledTiming"] == {
        "repeat": {
            "boundsDuration": {"value": 8, "unit": "weken", "system": UCUM, "code": "wk"},
            "frequency": 2,
            "period": 1,
            "periodUnit": "d",
        },
        "code": {"text": "'s avonds"},
    }
    assert magnesium["description"].startswith("Magnesium (Bisglycinaat): 300 mg, ")
    assert tryptophan["dailyAmount"]["value"] == 2.5
    assert tryptophan["dailyAmount"]["code"] == "{capsule}"
    assert "boundsDuration" not in tryptophan["scheduledTiming"]["repeat"]
    assert tryptophan["scheduledTiming"]["code"] == {"text": "voor het slapengaan"}


def test_each_finding_is_a_detected_issue_of_the_mapped_severity(body, second_version):
    plan = resources(body, "CarePlan")[1]
    issues = [by_url(body)[ref["reference"]] for ref in plan["supportingInfo"]]
    statements = {
        url: r["medicationCodeableConcept"]["text"]
        for url, r in by_url(body).items()
        if r["resourceType"] == "MedicationStatement"
    }
    findings = [
        (result["nutrient"], finding)
        for result in second_version.snapshot["check"]["results"]
        for finding in result["findings"]
    ]

    with override("nl"):
        expected_details = [finding_words(finding)[1] for _, finding in findings]
    assert [issue["detail"] for issue in issues[: len(findings)]] == expected_details
    by_level = {
        finding["level"]: issue
        for (_, finding), issue in zip(findings, issues[: len(findings)], strict=True)
    }
    assert by_level["avoid"]["severity"] == "high"
    assert by_level["separate_intake"]["severity"] == "low"
    for issue in issues:
        assert issue["status"] == "final"
        assert same_time(issue["identifiedDateTime"], second_version.snapshot["issued_at"])
        assert by_url(body)[issue["patient"]["reference"]]["resourceType"] == "Patient"
    avoid = by_level["avoid"]
    assert avoid["code"]["coding"] == [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "DRG",
            "display": "Drug Interaction Alert",
        }
    ]
    assert avoid["code"]["text"] == "Tryptofaan: afgeraden"
    assert [statements[ref["reference"]] for ref in avoid["implicated"]] == ["fenelzine"]
    assert avoid["mitigation"] == [
        {
            "action": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                        "code": "1",
                        "display": "Therapy Appropriate",
                    }
                ],
                "text": REASON,
            },
            "date": avoid["mitigation"][0]["date"],
            "author": plan["author"],
        }
    ]
    assert same_time(avoid["mitigation"][0]["date"], second_version.snapshot["issued_at"])
    assert "mitigation" not in by_level["separate_intake"]


def test_nothing_recorded_on_an_own_supplement_is_a_low_issue_not_silence(body):
    plan = resources(body, "CarePlan")[1]
    issues = [by_url(body)[ref["reference"]] for ref in plan["supportingInfo"]]
    statements = {url: r for url, r in by_url(body).items()}

    (zinc,) = [issue for issue in issues if issue["code"]["text"].startswith("Zink")]
    assert zinc["severity"] == "low"
    assert "coding" not in zinc["code"]
    with override("nl"):
        assert zinc["detail"] == finding_words(None)[1]
    (implicated,) = zinc["implicated"]
    assert statements[implicated["reference"]]["medicationCodeableConcept"]["text"] == "Zink"


def test_severity_follows_the_issue_for_every_level():
    assert SEVERITY == {
        "avoid": "high",
        "consult": "moderate",
        "monitor": "low",
        "separate_intake": "low",
        "no_data": "low",
    }


def test_a_medicine_stopped_since_a_protocol_is_a_completed_statement(
    anna_api, sanne, first_version
):
    sanne.medications.filter(atc_code="N06AF03").delete()

    body = export(anna_api, sanne)

    validated(body)
    statements = {
        s["medicationCodeableConcept"]["coding"][0]["code"]: s
        for s in resources(body, "MedicationStatement")
        if "coding" in s["medicationCodeableConcept"]
    }
    assert statements["H03AA01"]["status"] == "active"
    assert statements["N06AF03"]["status"] == "completed"


def test_the_same_record_exports_the_same_full_urls(anna_api, sanne, first_version):
    first = [e["fullUrl"] for e in export(anna_api, sanne)["entry"]]
    second = [e["fullUrl"] for e in export(anna_api, sanne)["entry"]]

    assert first == second


def test_texts_follow_the_request_language_and_codes_do_not(anna_api, sanne, first_version):
    response = anna_api.get(f"/api/v1/clients/{sanne.pk}/fhir/", headers={"accept-language": "en"})
    body = response.json()

    assert body["language"] == "en"
    plan = resources(body, "CarePlan")[0]
    assert plan["title"] == "Supplement advice for Sanne Mulder, version 1"
    assert plan["activity"][0]["detail"]["scheduledTiming"]["code"] == {"text": "in the evening"}
    assert plan["activity"][0]["detail"]["productCodeableConcept"]["coding"][0]["code"] == (
        "magnesium"
    )


def test_a_client_without_protocols_exports_who_they_are_and_what_they_take(anna_api, sanne):
    body = export(anna_api, sanne)

    validated(body)
    assert not resources(body, "CarePlan")
    assert len(resources(body, "MedicationStatement")) == 4


def test_the_export_is_logged_like_the_json_export(anna_api, sanne, anna):
    export(anna_api, sanne)

    entry = AccessLogEntry.objects.latest("seq")
    assert (entry.action, entry.outcome, entry.record_type) == ("export", "allowed", "client")
    assert (entry.client_id, entry.user_id) == (sanne.pk, anna.pk)
    assert entry.channel == "api"
    assert entry.path == f"/api/v1/clients/{sanne.pk}/fhir/"


def test_another_practitioner_gets_404_and_the_attempt_is_logged(colleague, sanne):
    api = APIClient()
    api.force_authenticate(colleague)

    response = api.get(f"/api/v1/clients/{sanne.pk}/fhir/")

    assert response.status_code == 404
    assert response["Content-Type"] == FHIR_JSON
    assert list(response.json()) == ["detail"]
    entry = AccessLogEntry.objects.latest("seq")
    assert (entry.action, entry.outcome, entry.client_id) == (
        AccessAction.EXPORT,
        AccessOutcome.REFUSED,
        sanne.pk,
    )


def test_the_answer_is_fhir_json_whatever_accept_asks_for(anna_api, sanne):
    response = anna_api.get(f"/api/v1/clients/{sanne.pk}/fhir/", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON


def test_anonymous_gets_401_as_json(api_client, sanne):
    response = api_client.get(f"/api/v1/clients/{sanne.pk}/fhir/")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_the_export_reads_in_a_fixed_number_of_queries(anna_api, sanne, second_version):
    export(anna_api, sanne)  # the user's roles, read once per request's user object
    with CaptureQueriesContext(connection) as queries:
        export(anna_api, sanne)

    # The client with practice, practitioner and membership; medicines; own supplements
    # with their nutrients; the protocols; the access log's newest entry and the insert.
    assert len(queries) == 6
    more_protocols(second_version, 3)
    with CaptureQueriesContext(connection) as queries:
        export(anna_api, sanne)
    assert len(queries) == 6


def more_protocols(protocol, count: int) -> None:
    """Further versions of `protocol`'s consult, sharing its snapshot and stored PDF."""
    for version in range(protocol.version + 1, protocol.version + 1 + count):
        Protocol.objects.create(
            consult=protocol.consult,
            version=version,
            issued_by=protocol.issued_by,
            snapshot={**protocol.snapshot, "version": version, "previous_version": version - 1},
            worst_level=protocol.worst_level,
            pdf=protocol.pdf.name,
            pdf_sha256=protocol.pdf_sha256,
        )
