"""The cast of the CDS Hooks tests: two EHRs with real keys, tokens they sign, FHIR data as
EHRs send it, and a FHIR server of an EHR on loopback.

- `rsa_ehr`: registered with an RSA key, signs RS384, with a FHIR server (`fhir_server`);
- `ec_ehr`: registered with an EC P-384 key, signs ES384, without a FHIR server;
- `call(service, body, ehr=…, token=…)`: a call as an EHR makes it, with a fresh token;
- `fhir_server`: a real HTTP server in a thread (ports 8630-8639) that answers FHIR
  searches from `routes` and records every request it gets, with its `Authorization`.
"""

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from cdshooks.auth import service_url
from cdshooks.models import CdsClient
from practice.fhir.codes import (
    ATC_SYSTEM,
    LOINC_BREASTFEEDING_STATUS,
    LOINC_PREGNANCY_STATUS,
    LOINC_SYSTEM,
    nutrient_system,
)

PORTS = range(8630, 8640)
SIGN = "gutbrain-order-sign"
SELECT = "gutbrain-order-select"
PATIENT = "pat-1288992"


def _pem(private_key) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


@pytest.fixture(scope="session")
def other_rsa_key() -> rsa.RSAPrivateKey:
    """A key nobody registered: a forger's."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Ehr:
    client: CdsClient
    key: object
    algorithm: str

    @property
    def issuer(self) -> str:
        return self.client.issuer

    def token(self, service: str = SIGN, *, claims=None, headers=None, key=None, algorithm=None):
        """A token as the EHR signs it for `service`; `claims` and `headers` change or (as
        None) remove what it would send."""
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": service_url(service),
            "exp": now + 300,
            "iat": now,
            "jti": str(uuid.uuid4()),
        }
        for name, value in (claims or {}).items():
            if value is None:
                payload.pop(name, None)
            else:
                payload[name] = value
        # PyJWT leaves out a header given as None.
        header = {"kid": "key-1", "typ": "JWT", **(headers or {})}
        if header["kid"] is None:
            del header["kid"]
        return jwt.encode(
            payload, key or self.key, algorithm=algorithm or self.algorithm, headers=header
        )


@pytest.fixture
def rsa_ehr(db, rsa_key, fhir_server) -> Ehr:
    client = CdsClient.objects.create(
        name="Huisartsensysteem",
        issuer="https://ehr.example.nl/",
        public_key=_pem(rsa_key),
        fhir_server=fhir_server.base_url,
    )
    return Ehr(client, rsa_key, "RS384")


@pytest.fixture
def ec_ehr(db, ec_key) -> Ehr:
    client = CdsClient.objects.create(
        name="Ziekenhuis-EPD", issuer="https://epd.ziekenhuis.example/", public_key=_pem(ec_key)
    )
    return Ehr(client, ec_key, "ES384")


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after() -> Iterator[None]:
    """A request asking for English leaves English active in the thread (the locale
    middleware activates, nothing deactivates): later tests in this process expect Dutch."""
    yield
    translation.deactivate()


@pytest.fixture
def call() -> Callable[..., object]:
    """POSTs a call of a service as an EHR does: JSON, its token (a fresh one unless
    given), and the given headers (`HTTP_ACCEPT_LANGUAGE="en"`)."""

    def make(service: str, body: dict, *, ehr: Ehr | None = None, token: str | None = None, **meta):
        if token is None and ehr is not None:
            token = ehr.token(service)
        if token is not None:
            meta["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return APIClient().post(f"/cds-services/{service}", body, format="json", **meta)

    return make


# FHIR data ------------------------------------------------------------------------------


def bundle(*resources: dict, kind: str = "searchset", **extra) -> dict:
    return {
        "resourceType": "Bundle",
        "type": kind,
        "entry": [{"resource": resource} for resource in resources],
        **extra,
    }


def draft_orders(*resources: dict) -> dict:
    """`context.draftOrders` as the specification's examples write it: without `type`."""
    return {"resourceType": "Bundle", "entry": [{"resource": r} for r in resources]}


def nutrient_order(slug: str, *, order_id: str | None = None, display: str = "") -> dict:
    """A MedicationRequest of a nutrient, coded in the nutrient code system."""
    coding = {"system": nutrient_system(), "code": slug}
    if display:
        coding["display"] = display
    return {
        "resourceType": "MedicationRequest",
        "id": order_id or f"order-{slug}",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": f"Patient/{PATIENT}"},
        "medicationCodeableConcept": {"coding": [coding]},
    }


def text_order(text: str, *, order_id: str = "order-text") -> dict:
    return {
        "resourceType": "MedicationRequest",
        "id": order_id,
        "status": "draft",
        "intent": "order",
        "subject": {"reference": f"Patient/{PATIENT}"},
        "medicationCodeableConcept": {"text": text},
    }


def medicine_order(atc_code: str, name: str, *, order_id: str = "order-medicine") -> dict:
    return {
        "resourceType": "MedicationRequest",
        "id": order_id,
        "status": "draft",
        "intent": "order",
        "subject": {"reference": f"Patient/{PATIENT}"},
        "medicationCodeableConcept": {
            "coding": [{"system": ATC_SYSTEM, "code": atc_code, "display": name}]
        },
    }


def statement(atc_code: str | None, name: str, *, status: str = "active") -> dict:
    """A MedicationStatement of a medicine, with its ATC code (None: text only)."""
    concept: dict = {"text": name}
    if atc_code:
        concept["coding"] = [{"system": ATC_SYSTEM, "code": atc_code, "display": name}]
    return {
        "resourceType": "MedicationStatement",
        "status": status,
        "subject": {"reference": f"Patient/{PATIENT}"},
        "medicationCodeableConcept": concept,
    }


def observation(loinc_code: str, answer: tuple[str, str], *, when: str = "2026-11-02") -> dict:
    system, code = answer
    return {
        "resourceType": "Observation",
        "status": "final",
        "subject": {"reference": f"Patient/{PATIENT}"},
        "code": {"coding": [{"system": LOINC_SYSTEM, "code": loinc_code}]},
        "effectiveDateTime": when,
        "valueCodeableConcept": {"coding": [{"system": system, "code": code}]},
    }


PREGNANT = ("http://loinc.org", "LA15173-0")
NOT_PREGNANT = ("http://loinc.org", "LA26683-5")
BREASTFEEDING = ("http://loinc.org", "LA29252-6")


def pregnancy(answer=PREGNANT, **kwargs) -> dict:
    return observation(LOINC_PREGNANCY_STATUS, answer, **kwargs)


def breastfeeding(answer=BREASTFEEDING, **kwargs) -> dict:
    return observation(LOINC_BREASTFEEDING_STATUS, answer, **kwargs)


def hook_call(
    service: str = SIGN, orders: tuple[dict, ...] = (), *, selections=None, prefetch=None, **top
) -> dict:
    """A call's body: the orders as draft orders, the prefetch as given (by default the
    patient takes nothing and is neither pregnant nor breastfeeding)."""
    context: dict = {
        "userId": "Practitioner/example",
        "patientId": PATIENT,
        "draftOrders": draft_orders(*orders),
    }
    if service == SELECT:
        context["selections"] = (
            selections
            if selections is not None
            else [f"{o['resourceType']}/{o['id']}" for o in orders]
        )
    body = {
        "hook": "order-select" if service == SELECT else "order-sign",
        "hookInstance": str(uuid.uuid4()),
        "context": context,
        "prefetch": (
            prefetch
            if prefetch is not None
            else {"medications": None, "pregnancy": None, "breastfeeding": None}
        ),
    }
    body.update(top)
    return body


# The EHR's FHIR server ------------------------------------------------------------------


@dataclass
class FhirServer:
    """A FHIR server on loopback: `routes` maps a path (`/fhir/MedicationStatement`) to the
    JSON it answers (or a status code); `requests` records (path with query, Authorization)."""

    base_url: str = ""
    routes: dict[str, object] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def answer(self, path: str) -> tuple[int, bytes]:
        route = self.routes.get(path.split("?", 1)[0])
        if route is None:
            return 404, b'{"resourceType": "OperationOutcome", "issue": []}'
        if isinstance(route, int):
            return route, b"{}"
        if isinstance(route, bytes):
            return 200, route
        return 200, json.dumps(route).encode()


def _handler(server_state: FhirServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server_state.requests.append((self.path, self.headers.get("Authorization", "")))
            status, body = server_state.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def _fhir_http_server() -> Iterator[tuple[ThreadingHTTPServer, FhirServer]]:
    state = FhirServer()
    server = None
    for port in PORTS:  # another test process may hold one
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), _handler(state))
            break
        except OSError:
            continue
    assert server is not None, f"no free port in {PORTS}"
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, state
    server.shutdown()
    server.server_close()


@pytest.fixture
def fhir_server(_fhir_http_server) -> Iterator[FhirServer]:
    _server, state = _fhir_http_server
    state.routes.clear()
    state.requests.clear()
    yield state
    state.routes.clear()
    state.requests.clear()
