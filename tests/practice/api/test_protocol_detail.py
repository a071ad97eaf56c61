"""GET /api/v1/protocols/{id}/ (and the methods it refuses)."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.utils import timezone

from gutbrain.models import Nutrient
from practice.models import ClientSupplement
from practice.protocols import AcknowledgementInput, build_snapshot, check_consult
from tests.factories import SupplementLineFactory
from tests.schema import generated_schema

SCHEMA_1_SNAPSHOT = Path(__file__).parents[1] / "data" / "schema1_snapshot.json"


def url(protocol) -> str:
    return f"/api/v1/protocols/{protocol.pk}/"


def test_it_shows_the_protocol_with_its_snapshot(practitioner_api, protocol, sannes_consult):
    response = practitioner_api.get(url(protocol))

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": protocol.pk,
        "url": f"http://testserver{url(protocol)}",
        "pdf_url": f"http://testserver{url(protocol)}pdf/",
        "consult": sannes_consult.pk,
        "version": 1,
        "issued_at": body["issued_at"],
        "issued_by": "practitioner",
        "worst_level": "avoid",
        "pdf_sha256": protocol.pdf_sha256,
        "snapshot": protocol.snapshot,
    }
    assert body["snapshot"]["client"]["name"] == "Sanne Mulder"
    assert body["snapshot"]["acknowledgements"][0]["reason"] == "Overlegd met de psychiater."


def test_the_snapshot_does_not_follow_later_changes_of_the_consult(
    practitioner_api, protocol, sannes_consult
):
    practitioner_api.patch(
        f"/api/v1/consults/{sannes_consult.pk}/",
        {"supplements": [{"nutrient": "saffron", "dose_amount": "30", "dose_unit": "mg"}]},
    )

    snapshot = practitioner_api.get(url(protocol)).json()["snapshot"]

    assert [line["nutrient"] for line in snapshot["lines"]] == ["magnesium", "tryptophan"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_an_issued_protocol_cannot_be_changed_or_deleted(practitioner_api, protocol, method):
    response = getattr(practitioner_api, method)(url(protocol), {"version": 7})

    assert response.status_code == 405
    protocol.refresh_from_db()
    assert protocol.version == 1


@pytest.mark.parametrize("user_api", ["colleague_api", "outsider_api", "curator_api"])
def test_it_answers_404_to_everyone_but_the_practitioner(request, user_api, protocol):
    assert request.getfixturevalue(user_api).get(url(protocol)).status_code == 404


def test_it_answers_404_for_a_protocol_that_does_not_exist(practitioner_api, db):
    assert practitioner_api.get("/api/v1/protocols/999999/").status_code == 404


def test_it_answers_401_to_anonymous_users(anonymous_api, protocol):
    assert anonymous_api.get(url(protocol)).status_code == 401


def test_it_shows_a_protocol_in_a_fixed_number_of_queries(
    practitioner_api, protocol, django_assert_num_queries
):
    # 1 the token with its user, 2 the user's tokens (knox), 3 the user's groups, 4 the protocol
    # with who issued it and its consult, 5 the access log's newest hash, 6 the new entry
    with django_assert_num_queries(6):
        practitioner_api.get(url(protocol))


# The snapshot as the OpenAPI schema documents it (`ProtocolSnapshot`) ---------------------


def _strict(schema):
    """An OpenAPI 3.0 schema as JSON Schema (`nullable` as a null type), and strict: an
    object's keys that its schema does not name are refused, so nothing goes undocumented."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    strict = {key: _strict(value) for key, value in schema.items() if key != "nullable"}
    if "properties" in strict:
        strict.setdefault("additionalProperties", False)
    if schema.get("nullable"):
        if "type" in strict:
            strict["type"] = [strict["type"], "null"]
        else:
            strict = {"anyOf": [{"type": "null"}, strict]}
    return strict


@pytest.fixture(scope="module")
def documented() -> jsonschema.Draft202012Validator:
    components = generated_schema()["components"]["schemas"]
    return jsonschema.Draft202012Validator(
        {
            "$ref": "#/components/schemas/ProtocolSnapshot",
            "components": {"schemas": _strict(components)},
        }
    )


def test_the_snapshot_is_what_the_schema_documents(documented, protocol):
    assert protocol.snapshot["schema"] == 2

    documented.validate(protocol.snapshot)


def test_a_later_version_with_changes_and_own_supplements_is_too(
    documented, protocol, sannes_consult, sanne, practitioner
):
    ClientSupplement.objects.create(client=sanne, name="Visolie", dose="1 capsule")
    ClientSupplement.objects.create(
        client=sanne, name="Saffraan", nutrient=Nutrient.objects.get(slug="saffron")
    )
    sannes_consult.lines.filter(nutrient__slug="tryptophan").delete()
    sannes_consult.lines.filter(nutrient__slug="magnesium").update(dose_amount=Decimal("300"))
    SupplementLineFactory(
        consult=sannes_consult, nutrient=Nutrient.objects.get(slug="zinc"), duration_weeks=None
    )

    snapshot = build_snapshot(
        consult=sannes_consult,
        version=2,
        issued_by=practitioner,
        issued_at=timezone.now(),
        result=check_consult(sannes_consult),
        acknowledgements=[AcknowledgementInput("saffron", "Overlegd.")],
        previous=protocol.snapshot,
    )

    assert {change["change"] for change in snapshot["changes"]} == {"added", "stopped", "changed"}
    assert snapshot["check"]["not_checked"] == [
        {"name": "Visolie", "reason": "not_in_knowledge_base"}
    ]
    documented.validate(json.loads(json.dumps(snapshot)))


def test_a_schema_1_snapshot_is_what_the_schema_documents(documented):
    oldest = json.loads(SCHEMA_1_SNAPSHOT.read_text())
    # Issue #9 added these while the schema was still 1.
    later = copy.deepcopy(oldest)
    later["own_supplements"] = [{"name": "Visolie", "nutrient": None, "dose": ""}]
    later["check"] |= {"digest": "0" * 64, "medicines": [], "not_checked": []}
    for result in later["check"]["results"]:
        result["source"] = "protocol"

    documented.validate(oldest)
    documented.validate(later)


def test_an_undocumented_key_of_the_snapshot_would_show(documented, protocol):
    changed = copy.deepcopy(protocol.snapshot)
    changed["lines"][0]["colour"] = "blue"

    with pytest.raises(jsonschema.ValidationError):
        documented.validate(changed)
