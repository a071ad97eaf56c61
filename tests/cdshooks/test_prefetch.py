"""Where a call's patient data comes from: its prefetch; a key that is missing from the EHR's
registered FHIR server (a real server on loopback), with the call's access token; from
nowhere else. Medicines that can be had neither way: 412."""

import pytest

from cdshooks.fetch import MAX_RESPONSE_BYTES
from cdshooks.models import CallOutcome, CdsCall
from tests.cdshooks.conftest import (
    PATIENT,
    SIGN,
    bundle,
    hook_call,
    nutrient_order,
    pregnancy,
    statement,
)

TOKEN = "opaque-fhir-access-token-42"
PHENELZINE = statement("N06AF03", "fenelzine")
MEDICATIONS = "/fhir/MedicationStatement"
OBSERVATIONS = "/fhir/Observation"


@pytest.fixture(autouse=True)
def _knowledge(knowledge_base):
    pass


def _body(fhir_server, orders=("tryptophan",), prefetch=None, **top) -> dict:
    top.setdefault("fhirServer", fhir_server.base_url)
    top.setdefault(
        "fhirAuthorization",
        {
            "access_token": TOKEN,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/MedicationStatement.read patient/Observation.read",
            "subject": "gutbrain",
        },
    )
    return hook_call(
        SIGN,
        tuple(nutrient_order(slug) for slug in orders),
        prefetch=prefetch if prefetch is not None else {"pregnancy": None, "breastfeeding": None},
        **top,
    )


def test_missing_medicines_are_fetched_from_the_registered_server_with_the_calls_token(
    call, rsa_ehr, fhir_server
):
    fhir_server.routes[MEDICATIONS] = bundle(PHENELZINE)

    response = call(SIGN, _body(fhir_server), ehr=rsa_ehr)

    assert response.status_code == 200, response.json()
    assert [card["indicator"] for card in response.json()["cards"]] == ["critical"]
    assert fhir_server.requests == [
        (f"{MEDICATIONS}?patient={PATIENT}", f"Bearer {TOKEN}"),
    ]
    assert CdsCall.objects.get().fetched is True


def test_missing_observations_are_fetched_with_the_templates_query(call, rsa_ehr, fhir_server):
    fhir_server.routes[OBSERVATIONS] = bundle(pregnancy())

    response = call(
        SIGN,
        _body(fhir_server, orders=("saffron",), prefetch={"medications": None}),
        ehr=rsa_ehr,
    )

    assert [card["indicator"] for card in response.json()["cards"]] == ["critical"]
    assert [path for path, _ in fhir_server.requests] == [
        f"{OBSERVATIONS}?patient={PATIENT}&code=http%3A%2F%2Floinc.org%7C82810-3",
        f"{OBSERVATIONS}?patient={PATIENT}&code=http%3A%2F%2Floinc.org%7C63895-7",
    ]


def test_a_call_naming_another_fhir_server_is_not_fetched_from(call, rsa_ehr, fhir_server):
    fhir_server.routes[MEDICATIONS] = bundle(PHENELZINE)
    elsewhere = fhir_server.base_url.replace("/fhir", "/other-fhir")

    response = call(
        SIGN, _body(fhir_server, fhirServer=elsewhere), ehr=rsa_ehr, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 412
    assert "other than the registered one" in response.json()["detail"]
    assert fhir_server.requests == []
    assert CdsCall.objects.get().outcome == CallOutcome.NO_MEDICINES


def test_an_ehr_without_a_registered_server_is_never_fetched_for(call, ec_ehr, fhir_server):
    fhir_server.routes[MEDICATIONS] = bundle(PHENELZINE)

    response = call(SIGN, _body(fhir_server), ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 412
    assert "no registered FHIR server" in response.json()["detail"]
    assert fhir_server.requests == []


def test_without_fhir_authorization_missing_medicines_are_412(call, rsa_ehr, fhir_server):
    body = _body(fhir_server)
    del body["fhirAuthorization"]

    response = call(SIGN, body, ehr=rsa_ehr, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 412
    assert response.json() == {
        "detail": "The patient's medicines were not in the call and could not be fetched: "
        "the call carries no fhirAuthorization."
    }
    assert fhir_server.requests == []


def test_null_medicines_mean_none_and_are_not_fetched(call, rsa_ehr, fhir_server):
    response = call(
        SIGN,
        _body(
            fhir_server, prefetch={"medications": None, "pregnancy": None, "breastfeeding": None}
        ),
        ehr=rsa_ehr,
    )

    assert response.json() == {"cards": []}
    assert fhir_server.requests == []


def test_an_operation_outcome_in_place_of_the_medicines_is_fetched_again(
    call, rsa_ehr, fhir_server
):
    fhir_server.routes[MEDICATIONS] = bundle(PHENELZINE)
    failed = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "timeout"}],
    }

    response = call(
        SIGN,
        _body(
            fhir_server, prefetch={"medications": failed, "pregnancy": None, "breastfeeding": None}
        ),
        ehr=rsa_ehr,
    )

    assert [card["indicator"] for card in response.json()["cards"]] == ["critical"]
    assert len(fhir_server.requests) == 1


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (500, "the FHIR server answered 500"),
        (401, "the FHIR server answered 401"),
        (b"not json", "not JSON"),
        (b"[" * 200 + b"]" * 200, "nests too deep"),
        (b" " * (MAX_RESPONSE_BYTES + 1), "larger than"),
        (bundle({"resourceType": "MedicationStatement", "status": "active"}), "FHIR"),
    ],
)
def test_a_server_that_fails_makes_missing_medicines_412(
    call, rsa_ehr, fhir_server, answer, reason
):
    fhir_server.routes[MEDICATIONS] = answer

    response = call(SIGN, _body(fhir_server), ehr=rsa_ehr, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 412
    assert reason in response.json()["detail"]


def test_the_server_is_not_reached_twice_with_the_same_deadline_spent(
    call, rsa_ehr, fhir_server, settings
):
    """Pages are followed while they stay on the registered server, a few at most."""
    base = fhir_server.base_url
    fhir_server.routes[MEDICATIONS] = bundle(
        link=[{"relation": "next", "url": f"{base}/page-2"}],
    )
    fhir_server.routes["/fhir/page-2"] = bundle(PHENELZINE)

    response = call(SIGN, _body(fhir_server), ehr=rsa_ehr)

    assert [card["indicator"] for card in response.json()["cards"]] == ["critical"]
    assert [path for path, _ in fhir_server.requests] == [
        f"{MEDICATIONS}?patient={PATIENT}",
        "/fhir/page-2",
    ]


def test_a_next_page_on_another_server_is_not_followed(call, rsa_ehr, fhir_server):
    fhir_server.routes[MEDICATIONS] = bundle(
        link=[{"relation": "next", "url": "https://attacker.example/fhir/page-2"}],
    )

    response = call(SIGN, _body(fhir_server), ehr=rsa_ehr, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 412
    assert "not on the registered server" in response.json()["detail"]
    assert len(fhir_server.requests) == 1


def test_a_search_of_endless_pages_stops(call, rsa_ehr, fhir_server):
    fhir_server.routes[MEDICATIONS] = bundle(
        link=[{"relation": "next", "url": f"{fhir_server.base_url}/MedicationStatement"}],
    )

    response = call(SIGN, _body(fhir_server), ehr=rsa_ehr, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 412
    assert "more than 5 pages" in response.json()["detail"]
    assert len(fhir_server.requests) == 5


def test_a_prefetch_with_more_pages_is_completed_from_the_server(call, rsa_ehr, fhir_server):
    fhir_server.routes["/fhir/page-2"] = bundle(PHENELZINE)
    first = bundle(link=[{"relation": "next", "url": f"{fhir_server.base_url}/page-2"}])

    response = call(
        SIGN,
        _body(
            fhir_server, prefetch={"medications": first, "pregnancy": None, "breastfeeding": None}
        ),
        ehr=rsa_ehr,
    )

    assert [card["indicator"] for card in response.json()["cards"]] == ["critical"]


def test_an_unknown_pregnancy_is_checked_as_no_and_said_in_a_card(call, ec_ehr, fhir_server):
    body = _body(fhir_server, orders=("saffron",), prefetch={"medications": None})

    response = call(SIGN, body, ehr=ec_ehr, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    cards = response.json()["cards"]
    assert [(card["indicator"], card["summary"]) for card in cards] == [
        ("info", "Pregnancy and breastfeeding unknown: not checked")
    ]
    assert "the EHR has no registered FHIR server" in cards[0]["detail"]


@pytest.mark.parametrize(
    ("authorization", "field"),
    [
        ("a token", "fhirAuthorization"),
        ({"token_type": "Bearer"}, "fhirAuthorization.access_token"),
        (
            {"access_token": "a\r\nX-Evil: 1", "token_type": "Bearer"},
            "fhirAuthorization.access_token",
        ),
        ({"access_token": "t", "token_type": "MAC"}, "fhirAuthorization.token_type"),
    ],
)
def test_a_malformed_fhir_authorization_is_400(call, rsa_ehr, fhir_server, authorization, field):
    response = call(SIGN, _body(fhir_server, fhirAuthorization=authorization), ehr=rsa_ehr)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert fhir_server.requests == []


def test_a_next_page_that_climbs_out_of_the_base_url_is_not_followed(call, rsa_ehr, fhir_server):
    fhir_server.routes[MEDICATIONS] = bundle(
        link=[{"relation": "next", "url": f"{fhir_server.base_url}/../admin/"}],
    )

    response = call(SIGN, _body(fhir_server), ehr=rsa_ehr)

    assert response.status_code == 412
    assert len(fhir_server.requests) == 1
