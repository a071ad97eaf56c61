"""Fuzzes every operation of the API against its own OpenAPI schema (schemathesis).

The schema is drf-spectacular's, as `/api/v1/schema/` serves it; the requests go to the
WSGI application in-process, as Anna (`practitioner`) with her API token, over a database
holding the knowledge base, her practice, her client Sanne, Sanne's consult with two
supplement lines and its issued protocol. A path parameter is either one of those rows or
whatever schemathesis generates, so that both the found and the not-found answers come up.

Every answer must be documented: no 500, a documented status code and content type, a body
and headers as the schema describes them, 405 with `Allow` for a method the schema does
not list (PUT, PATCH and DELETE on protocols), and an `Allow` on OPTIONS that lists exactly
the documented methods. Bounded and reproducible: a fixed seed, derandomized generation, no
example database, a few examples per operation (`MAX_EXAMPLES`), and each of the coverage
phase's scenarios sent at most twice (`COVERAGE_REPEATS`).

Select with `pytest -m fuzz`; `-k "consults"` narrows it to the operations on consults.
"""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from schemathesis import checks

from gutbrain import models as kb
from gutbrain.wsgi import application
from practice.models import Client, Consult, Protocol
from tests.schema import generated_schema

pytestmark = pytest.mark.fuzz

# Enough to reach the found, not-found and refused answers of every operation in about a
# minute and a half on one CPU; raise it locally to dig deeper.
MAX_EXAMPLES = 10
# The coverage phase sends each of its scenarios ("phone: Incorrect type", "email: String
# larger than maxLength", ...) with several values: a number, a boolean, an array, null,
# an object for a wrong type. They take the same path through the API (the field's
# validation, a 400 naming it); more than two of one scenario added half of the requests
# and nothing the checks had not seen.
COVERAGE_REPEATS = 2
SENT: Counter[tuple[str, str]] = Counter()

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261127,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        # Each operation is tested on its own set of records; sequences of calls are not.
        "phases": {"stateful": {"enabled": False}},
    }
)
SCHEMA = schemathesis.openapi.from_dict(generated_schema(), config=CONFIG)
SCHEMA.app = application

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.unsupported_method,
    checks.allow_header_conformance,
]

# Real values for the test that is running, set by the `records` fixture and read by the
# hooks below while the test generates its requests: the path parameters of real rows by
# operation path, body fields by name (a consult's `client`), `If-Match` values.
REAL_PATH_PARAMETERS: dict[str, dict[str, Any]] = {}
REAL_BODY_FIELDS: dict[str, Any] = {}
REAL_IF_MATCH: list[str] = []


@SCHEMA.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any]
) -> st.SearchStrategy:
    """The path parameters of a real row, or the generated ones."""
    real = REAL_PATH_PARAMETERS.get(context.operation.path)
    if real is None:
        return st.just(path_parameters)
    return st.sampled_from([real, path_parameters])


@SCHEMA.hook
def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy:
    """The generated body, or the same with real values in the fields that hold one."""
    if not isinstance(body, dict) or not body.keys() & REAL_BODY_FIELDS.keys():
        return st.just(body)
    real = {name: value for name, value in REAL_BODY_FIELDS.items() if name in body}
    return st.sampled_from([{**body, **real}, body])


@SCHEMA.hook
def flatmap_headers(
    context: schemathesis.HookContext, headers: dict[str, Any] | None
) -> st.SearchStrategy:
    """The generated headers, or the same with an `If-Match` that means something."""
    if not any(parameter.name == "If-Match" for parameter in context.operation.headers):
        return st.just(headers)
    return st.sampled_from(
        [headers, *({**(headers or {}), "If-Match": value} for value in REAL_IF_MATCH)]
    )


@pytest.fixture
def records(
    knowledge_base, sanne: Client, sannes_consult: Consult, protocol: Protocol
) -> Iterator[None]:
    """A real row for every path parameter of the schema."""
    client = {"id": sanne.pk}
    consult = {"id": sannes_consult.pk}
    issued = {"id": protocol.pk}
    topic = kb.Topic.objects.filter(is_published=True).first()
    by_path = {
        "/nutrients/{slug}/": {"slug": "magnesium"},
        "/indications/{slug}/": {"slug": "stress"},
        "/medicine-classes/{slug}/": {"slug": "sedatives"},
        "/medicines/{atc_code}/": {"atc_code": "N05BA04"},
        "/evidence/{id}/": {"id": kb.EvidenceSummary.objects.first().pk},
        "/interactions/{id}/": {"id": kb.Interaction.objects.first().pk},
        "/topics/{slug}/": {"slug": topic.slug},
        "/references/{number}/": {"number": kb.Reference.objects.first().number},
        "/clients/{id}/": client,
        "/clients/{id}/access-log/": client,
        "/clients/{id}/export/": client,
        "/clients/{id}/erase/": client,
        "/clients/{id}/fhir/": client,
        "/clients/{id}/medications/fhir/": client,
        "/client-contacts/{id}/": client,
        "/consults/{id}/": consult,
        "/consults/{id}/check/": consult,
        "/consults/{id}/protocols/": consult,
        "/protocols/{id}/": issued,
        "/protocols/{id}/pdf/": issued,
        "/protocols/{id}/fhir/": issued,
    }
    REAL_PATH_PARAMETERS.update({f"/api/v1{path}": value for path, value in by_path.items()})
    # CDS Hooks sits at the root: a service that exists (the practitioner's token is no
    # EHR's, so 401), and whatever schemathesis makes up (404).
    REAL_PATH_PARAMETERS["/cds-services/{id}"] = {"id": "gutbrain-order-sign"}
    REAL_BODY_FIELDS["client"] = sanne.pk
    # A version of the consult that is no longer current (412), and any version.
    REAL_IF_MATCH.extend([f'"{sannes_consult.pk}.0"', "*"])
    yield
    REAL_PATH_PARAMETERS.clear()
    REAL_BODY_FIELDS.clear()
    REAL_IF_MATCH.clear()


@pytest.fixture
def _test_transaction_kept() -> Iterator[None]:
    """The requests go through Django's WSGI handler, which closes the database connection
    when a request starts and finishes, and with it the test's transaction (PostgreSQL).
    Django's test client leaves the connection open; so do these requests."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_every_path_with_a_parameter_has_a_real_row(records):
    paths = {result.ok().path for result in SCHEMA.get_all_operations()}

    assert sorted(path for path in paths if "{" in path and path not in REAL_PATH_PARAMETERS) == []


@SCHEMA.parametrize()
# Each operation starts from the records as they were made (tests/fuzz/conftest.py): its
# examples share them, and what one example changes (an erased client) the next one sees,
# as a second request of a client would.
# How fast examples are generated depends on the machine's load, not on the API.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_answer_is_the_documented_one(
    case, records, practitioner: User, _test_transaction_kept
):
    if case.meta is not None and case.meta.phase.name == "coverage":
        scenario = (case.operation.label, getattr(case.meta.phase.data, "description", ""))
        SENT[scenario] += 1
        if SENT[scenario] > COVERAGE_REPEATS:
            return
    # A new token for each request: `DELETE /auth/token/` ends the one it is sent with.
    AuthToken.objects.filter(user=practitioner).delete()
    _stored, token = AuthToken.objects.create(user=practitioner)

    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
