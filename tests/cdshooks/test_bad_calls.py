"""Calls that are not what the specification or FHIR says: 400 naming the field, never a
500; an unknown service 404, another method 405; all JSON."""

import json

import pytest
from rest_framework.test import APIClient

from cdshooks.models import CallOutcome, CdsCall
from tests.cdshooks.conftest import SIGN, hook_call, nutrient_order

DEEP = b'{"a": ' * 100_000 + b"1" + b"}" * 100_000


@pytest.fixture(autouse=True)
def _knowledge(knowledge_base):
    pass


def _post(ehr, raw: bytes, service: str = SIGN, **meta):
    return APIClient().post(
        f"/cds-services/{service}",
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ehr.token(service)}",
        **meta,
    )


def test_a_deeply_nested_body_is_400(ec_ehr):
    response = _post(ec_ehr, DEEP, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"detail": "The body nests lists and objects more than 64 deep."}
    assert CdsCall.objects.get().outcome == CallOutcome.BAD_REQUEST


def test_a_refused_token_is_answered_before_the_body_is_read(rsa_ehr):
    response = APIClient().post(
        f"/cds-services/{SIGN}",
        DEEP,
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer not-a-jwt",
    )

    assert response.status_code == 401
    assert not CdsCall.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda body: body.pop("context"), "context"),
        (lambda body: body.update(hookInstance=""), "hookInstance"),
        (lambda body: body["context"].pop("patientId"), "context.patientId"),
        (lambda body: body["context"].update(patientId="../../Patient"), "context.patientId"),
        (lambda body: body["context"].pop("draftOrders"), "context.draftOrders"),
        (lambda body: body["context"].update(draftOrders=[]), "context.draftOrders"),
        (
            lambda body: body["context"].update(draftOrders={"resourceType": "Patient", "id": "x"}),
            "context.draftOrders",
        ),
        (
            lambda body: body["context"]["draftOrders"]["entry"][0]["resource"].pop(
                "medicationCodeableConcept"
            ),
            "context.draftOrders",
        ),
        (
            lambda body: body["context"]["draftOrders"].update(resourceType="Nonsense"),
            "context.draftOrders",
        ),
        (lambda body: body.update(prefetch=[]), "prefetch"),
        (lambda body: body["prefetch"].update(medications="yes"), "prefetch.medications"),
        (
            lambda body: body["prefetch"].update(
                pregnancy={"resourceType": "Observation", "status": "final"}
            ),
            "prefetch.pregnancy",
        ),
    ],
)
def test_a_call_with_a_field_that_is_not_valid_is_400_naming_it(call, ec_ehr, change, field):
    body = hook_call(SIGN, (nutrient_order("zinc"),))
    change(body)

    response = call(SIGN, body, ehr=ec_ehr)

    assert response.status_code == 400
    assert list(response.json()) == [field], response.json()
    assert all(isinstance(m, str) and m for m in response.json()[field])


def test_fhir_validation_says_what_is_wrong(call, ec_ehr):
    body = hook_call(SIGN, (nutrient_order("zinc"),))
    body["context"]["draftOrders"]["entry"][0]["resource"]["status"] = 42

    response = call(SIGN, body, ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en")

    message = response.json()["context.draftOrders"][0]
    assert message.startswith("Not a valid FHIR Bundle: entry.0.resource")
    assert "status" in message


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"null"])
def test_a_body_that_is_not_an_object_is_400(ec_ehr, raw):
    response = _post(ec_ehr, raw)

    assert response.status_code == 400


def test_a_body_that_is_not_json_is_400(ec_ehr):
    response = _post(ec_ehr, b"{nope")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_a_form_is_415(ec_ehr):
    response = APIClient().post(
        f"/cds-services/{SIGN}",
        {"hook": "order-sign"},
        format="multipart",
        HTTP_AUTHORIZATION=f"Bearer {ec_ehr.token()}",
    )

    assert response.status_code == 415


def test_an_unknown_service_is_404_json(ec_ehr):
    response = APIClient().post(
        "/cds-services/no-such-service",
        json.dumps(hook_call()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ec_ehr.token('no-such-service')}",
    )

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_path_no_service_matches_is_404_json(db):
    response = APIClient().get("/cds-services/a/b")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_methods_are_405_whoever_asks(db, method):
    response = getattr(APIClient(), method)(f"/cds-services/{SIGN}")

    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
