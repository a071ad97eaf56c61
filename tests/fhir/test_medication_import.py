"""`POST /api/v1/clients/{id}/medications/fhir/`: a FHIR medication list into the
client's medicines, each entry added or skipped for a reason; input that is not valid FHIR
is refused whole."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from practice.models import AccessLogEntry, ClientMedication
from tests.factories import ClientFactory
from tests.fhir.conftest import FHIR_JSON

ATC = "http://www.whocc.no/atc"
G_STANDAARD = "urn:oid:2.16.840.1.113883.2.4.4.7"


def statement(code: str | None = None, *, system: str = ATC, status: str = "active", **extra):
    coding = [{"system": system, "code": code}] if code else []
    return {
        "resourceType": "MedicationStatement",
        "status": status,
        "subject": {"display": "Sanne"},
        "medicationCodeableConcept": {"coding": coding, "text": extra.pop("text", "middel")},
        **extra,
    }


def bundle(*resources) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": resource} for resource in resources],
    }


def post(api, client, document, content_type: str = "application/json"):
    return api.post(
        f"/api/v1/clients/{client.pk}/medications/fhir/",
        json.dumps(document),
        content_type=content_type,
    )


@pytest.fixture
def pieter(knowledge_base, anna, practice):
    """Another client of Anna's, without medicines."""
    return ClientFactory(practitioner=anna, practice=practice, first_name="Pieter")


def medicines(client) -> list[tuple[str, str, list]]:
    return [
        (m.atc_code, m.name, m.intake_times)
        for m in ClientMedication.objects.filter(client=client).order_by("atc_code")
    ]


def test_a_clients_exported_medicines_import_into_another_client_as_they_were(
    anna_api, sanne, pieter, first_version
):
    exported = anna_api.get(f"/api/v1/clients/{sanne.pk}/fhir/").json()

    response = post(anna_api, pieter, exported, FHIR_JSON)

    assert response.status_code == 200
    assert medicines(pieter) == medicines(sanne)
    assert medicines(pieter) == [
        ("H03AA01", "levothyroxine", ["07:30"]),
        ("N06AF03", "fenelzine", ["morning"]),
    ]
    body = response.json()
    assert body["added"] == [
        {"atc_code": "N06AF03", "name": "fenelzine"},
        {"atc_code": "H03AA01", "name": "levothyroxine"},
    ]
    kinds = [e["resource"]["resourceType"] for e in exported["entry"]]
    reasons = {s["index"]: s["reason"] for s in body["skipped"]}
    for index, kind in enumerate(kinds):
        if kind != "MedicationStatement":
            assert reasons[index] == "unsupported_resource_type"
    # The own supplements are nutrients or texts, not ATC-coded medicines.
    assert sorted(r for r in reasons.values() if r != "unsupported_resource_type") == [
        "not_atc_coded",
        "not_atc_coded",
    ]


def test_each_entry_that_is_not_added_says_why(anna_api, sanne, pieter):
    document = bundle(
        statement("N05BA04", text="oxazepam"),  # 0: added
        statement("14326507", system=G_STANDAARD),  # 1: a G-Standaard code only
        statement("N05BA"),  # 2: a group, not a substance
        {"resourceType": "Patient"},  # 3
        statement("N05BA04"),  # 4: the same as 0
        statement("N06AB06", status="stopped"),  # 5
        statement("N06AB06", status="completed"),  # 6
        statement("N06AB06", status="entered-in-error"),  # 7
        statement("N06AB06", status="not-taken"),  # 8
        statement(None, text="iets zonder code"),  # 9
    )

    body = post(anna_api, pieter, document).json()

    assert body == {
        "added": [{"atc_code": "N05BA04", "name": "oxazepam"}],
        "skipped": [
            {"index": 1, "reason": "not_atc_coded"},
            {"index": 2, "reason": "invalid_atc_code"},
            {"index": 3, "reason": "unsupported_resource_type"},
            {"index": 4, "reason": "duplicate"},
            {"index": 5, "reason": "not_active"},
            {"index": 6, "reason": "not_active"},
            {"index": 7, "reason": "not_active"},
            {"index": 8, "reason": "not_active"},
            {"index": 9, "reason": "not_atc_coded"},
        ],
    }


def test_a_medicine_the_client_already_takes_is_a_duplicate_and_kept_as_it_was(anna_api, sanne):
    body = post(anna_api, sanne, bundle(statement("N06AF03", text="Nardil"))).json()

    assert body == {"added": [], "skipped": [{"index": 0, "reason": "duplicate"}]}
    assert ("N06AF03", "fenelzine", ["morning"]) in medicines(sanne)


def test_the_medicines_already_there_are_kept(anna_api, sanne):
    post(anna_api, sanne, bundle(statement("N05BA04", text="oxazepam")))

    assert [m[0] for m in medicines(sanne)] == ["H03AA01", "N05BA04", "N06AF03"]


def test_a_prescription_counts_and_one_that_is_not_in_force_does_not(anna_api, pieter):
    def request(code: str, status: str) -> dict:
        return {
            "resourceType": "MedicationRequest",
            "status": status,
            "intent": "order",
            "subject": {"display": "Pieter"},
            "medicationCodeableConcept": {"coding": [{"system": ATC, "code": code}]},
            "dosageInstruction": [{"timing": {"repeat": {"when": ["HS"]}}}],
        }

    body = post(
        anna_api,
        pieter,
        bundle(
            request("N05CF02", "active"),
            request("N05CD07", "cancelled"),
            request("N05BA01", "draft"),
        ),
    ).json()

    assert body["added"] == [{"atc_code": "N05CF02", "name": "zolpidem"}]
    assert body["skipped"] == [
        {"index": 1, "reason": "not_active"},
        {"index": 2, "reason": "not_active"},
    ]
    assert medicines(pieter) == [("N05CF02", "zolpidem", ["bedtime"])]


def test_one_statement_alone_is_a_list_of_one(anna_api, pieter):
    body = post(anna_api, pieter, statement("n05ba04", text="Oxazepam 10 mg")).json()

    assert body == {"added": [{"atc_code": "N05BA04", "name": "Oxazepam 10 mg"}], "skipped": []}


def test_a_referenced_medication_is_read_contained_or_in_the_bundle(anna_api, pieter):
    contained = statement(
        None,
        medicationReference={"reference": "#m1"},
        contained=[
            {
                "resourceType": "Medication",
                "id": "m1",
                "code": {"coding": [{"system": ATC, "code": "N06AB06", "display": "sertraline"}]},
            }
        ],
    )
    del contained["medicationCodeableConcept"]
    referring = statement(None, medicationReference={"reference": "Medication/m2"})
    del referring["medicationCodeableConcept"]
    document = bundle(
        contained,
        referring,
        {
            "resourceType": "Medication",
            "id": "m2",
            "code": {"coding": [{"system": ATC, "code": "N06AX11"}], "text": "Mirtazapine 15mg"},
        },
    )

    body = post(anna_api, pieter, document).json()

    assert body["added"] == [
        {"atc_code": "N06AB06", "name": "sertraline"},
        {"atc_code": "N06AX11", "name": "Mirtazapine 15mg"},
    ]
    assert body["skipped"] == [{"index": 2, "reason": "unsupported_resource_type"}]


def test_a_medicine_outside_the_reference_list_without_a_name_is_named_by_its_code(
    anna_api, pieter
):
    document = statement("A11CC05")
    del document["medicationCodeableConcept"]["text"]

    body = post(anna_api, pieter, document).json()

    assert body["added"] == [{"atc_code": "A11CC05", "name": "A11CC05"}]


def test_more_intake_times_than_a_medicine_may_have_are_left_unknown(anna_api, pieter):
    times = [f"{hour:02d}:00:00" for hour in range(7, 15)]
    document = statement("N05BA04", dosage=[{"timing": {"repeat": {"timeOfDay": times}}}])

    post(anna_api, pieter, document)

    assert medicines(pieter) == [("N05BA04", "middel", [])]


@pytest.mark.parametrize(
    "document",
    [
        bundle(statement("N05BA04", status=5)),  # status must be a code
        bundle({"resourceType": "MedicationStatement", "status": "active"}),  # no subject
        bundle({"resourceType": "NoSuchResource"}),
        bundle({"resourceType": 5}),
        {"resourceType": "Bundle", "entry": []},  # a bundle needs its type
        {"resourceType": "Patient"},
        {"entry": []},
        {"resourceType": ["Bundle"]},
        [statement("N05BA04")],
        "Bundle",
        bundle(statement("N05BA04", unknownField=1)),
    ],
    ids=[
        "bad status",
        "no subject",
        "unknown type",
        "type not a string",
        "no bundle type",
        "not a medication list",
        "no resourceType",
        "resourceType not a string",
        "a list",
        "a string",
        "unknown field",
    ],
)
def test_input_that_is_not_valid_fhir_is_a_400_and_nothing_is_written(anna_api, pieter, document):
    before = AccessLogEntry.objects.count()

    response = post(anna_api, pieter, document)

    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)
    assert medicines(pieter) == []
    # The client was reached and nothing of it changed: one read, no update.
    entry = AccessLogEntry.objects.latest("seq")
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.action, entry.outcome, entry.client_id) == ("read", "allowed", pieter.pk)


def test_the_validation_message_names_where_the_problem_is(anna_api, pieter):
    document = bundle(statement("N05BA04"), statement("N05BA01", status=5))

    response = post(anna_api, pieter, document)

    assert response.json()["detail"].startswith("Geen geldige FHIR R4: entry[1].resource.status: ")
    assert medicines(pieter) == []


def test_a_bundle_of_more_than_500_entries_is_refused_unread(anna_api, pieter):
    response = post(anna_api, pieter, bundle(*[statement("N05BA04")] * 501))

    assert response.status_code == 400
    assert "500" in response.json()["detail"]
    assert medicines(pieter) == []


def test_500_entries_are_read(anna_api, pieter):
    response = post(anna_api, pieter, bundle(*[statement("N05BA04")] * 500))

    assert response.status_code == 200
    assert len(response.json()["skipped"]) == 499


def test_json_nested_deeper_than_the_parser_takes_is_a_400(anna_api, pieter):
    deep = (
        b'{"resourceType": "Bundle", "type": "collection", "x": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}"
    )

    for content_type in ("application/json", FHIR_JSON):
        response = anna_api.post(
            f"/api/v1/clients/{pieter.pk}/medications/fhir/", deep, content_type=content_type
        )
        assert response.status_code == 400
        assert "64" in response.json()["detail"]
    assert medicines(pieter) == []


def test_a_form_body_is_refused(anna_api, pieter):
    response = anna_api.post(
        f"/api/v1/clients/{pieter.pk}/medications/fhir/", {"a": "b"}, format="multipart"
    )

    assert response.status_code == 415


def test_the_import_is_logged_as_a_change_of_the_client(anna_api, pieter, anna):
    post(anna_api, pieter, statement("N05BA04"))

    entry = AccessLogEntry.objects.latest("seq")
    assert (entry.action, entry.outcome, entry.record_type) == ("update", "allowed", "client")
    assert (entry.client_id, entry.user_id, entry.channel) == (pieter.pk, anna.pk, "api")


def test_another_practitioner_gets_404_logged_as_refused_and_nothing_is_added(colleague, pieter):
    api = APIClient()
    api.force_authenticate(colleague)

    response = post(api, pieter, statement("N05BA04"))

    assert response.status_code == 404
    assert medicines(pieter) == []
    entry = AccessLogEntry.objects.latest("seq")
    assert (entry.action, entry.outcome, entry.client_id) == ("update", "refused", pieter.pk)


def statements_run(queries) -> int:
    return sum(1 for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")))


@pytest.mark.parametrize("count", [1, 3])
def test_the_import_costs_nine_queries_and_three_a_medicine(anna_api, pieter, count):
    codes = ["N05BA04", "N06AB06", "N05CF02"][:count]
    document = bundle(*[statement(code) for code in codes], statement("1", system=G_STANDAARD))
    anna_api.get(f"/api/v1/clients/{pieter.pk}/")  # the user's roles, read once
    with CaptureQueriesContext(connection) as queries:
        post(anna_api, pieter, document)

    # The client; its row locked; the codes it takes; the reference list's names; then
    # `client_add_medications`: the reference list, for each medicine `full_clean()`'s
    # three (the client, the reference medicine, the unique code), one insert, the
    # client's `updated_at`; the access log's newest entry and its insert.
    assert statements_run(queries) == 9 + 3 * count
