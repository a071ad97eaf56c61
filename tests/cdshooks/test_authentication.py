"""Who may call a service: a registered EHR, with a token it signed for that service, once.

Real keys, real signatures (RS384 and ES384); everything else is 401 with a JSON `detail`
saying what was wrong, and nothing is checked or logged as a call.
"""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest

from cdshooks.auth import service_url
from cdshooks.models import CdsCall, UsedTokenId
from tests.cdshooks.conftest import SELECT, SIGN, hook_call, nutrient_order

BODY = hook_call(SIGN, (nutrient_order("magnesium"),))


@pytest.fixture(autouse=True)
def _knowledge(knowledge_base):
    pass


@pytest.mark.parametrize("ehr_name", ["rsa_ehr", "ec_ehr"])
def test_a_registered_ehr_is_answered_with_rs384_and_es384(request, call, ehr_name):
    ehr = request.getfixturevalue(ehr_name)

    response = call(SIGN, BODY, ehr=ehr)

    assert response.status_code == 200, response.json()
    assert ehr.algorithm in ("RS384", "ES384")


def test_the_aud_may_be_a_list_holding_the_services_url(call, ec_ehr):
    token = ec_ehr.token(claims={"aud": ["https://elsewhere.example/", service_url(SIGN)]})

    assert call(SIGN, BODY, token=token).status_code == 200


def _refused(response, words: str) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == 'Bearer realm="cds-services"'
    assert words in response.json()["detail"], response.json()


def test_a_call_without_a_token_is_401(call, rsa_ehr):
    response = call(SIGN, BODY, HTTP_ACCEPT_LANGUAGE="en")

    _refused(response, "Authentication credentials were not provided.")


def test_a_token_sent_as_a_knox_token_is_401(call, rsa_ehr):
    response = call(
        SIGN, BODY, HTTP_AUTHORIZATION=f"Token {rsa_ehr.token()}", HTTP_ACCEPT_LANGUAGE="en"
    )

    _refused(response, "Authorization: Bearer <JWT>")


def test_a_bad_signature_is_401(call, rsa_ehr, other_rsa_key):
    token = rsa_ehr.token(key=other_rsa_key)

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "signature")


def test_a_token_for_another_service_is_401(call, rsa_ehr):
    token = rsa_ehr.token(SELECT)

    response = call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en")

    _refused(response, f"aud must be this service's URL, http://127.0.0.1:8000/cds-services/{SIGN}")


def test_the_aud_is_the_configured_base_url_not_the_requests_host(call, rsa_ehr, settings):
    settings.CDS_BASE_URL = "https://cds.gutbrain.nl"
    token = rsa_ehr.token(claims={"aud": f"http://testserver/cds-services/{SIGN}"})

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "aud")
    good = rsa_ehr.token(claims={"aud": f"https://cds.gutbrain.nl/cds-services/{SIGN}"})
    assert call(SIGN, BODY, token=good).status_code == 200


def test_an_expired_token_is_401(call, rsa_ehr):
    now = int(time.time())
    token = rsa_ehr.token(claims={"iat": now - 600, "exp": now - 120})

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "expired")


def test_a_replayed_token_is_401_the_second_time(call, ec_ehr):
    token = ec_ehr.token()

    assert call(SIGN, BODY, token=token).status_code == 200
    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "used before")
    assert CdsCall.objects.count() == 1


def test_the_same_jti_of_another_ehr_is_its_own(call, rsa_ehr, ec_ehr):
    assert call(SIGN, BODY, token=rsa_ehr.token(claims={"jti": "abc"})).status_code == 200

    assert call(SIGN, BODY, token=ec_ehr.token(claims={"jti": "abc"})).status_code == 200


def test_a_token_valid_for_more_than_an_hour_is_401(call, rsa_ehr):
    token = rsa_ehr.token(claims={"exp": int(time.time()) + 2 * 3600})

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "more than an hour")


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"kid": None}, "must name its key (kid)"),
        ({"kid": ""}, "must name its key (kid)"),
        ({"typ": "JOSE"}, "typ JWT"),
        ({"typ": None}, "typ JWT"),
    ],
)
def test_a_header_without_kid_or_with_another_typ_is_401(call, rsa_ehr, headers, words):
    token = rsa_ehr.token(headers=headers)

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), words)


@pytest.mark.parametrize("claim", ["iss", "aud", "exp", "iat", "jti"])
def test_a_token_without_a_required_claim_is_401(call, rsa_ehr, claim):
    token = rsa_ehr.token(claims={claim: None})

    response = call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en")

    _refused(response, "iss" if claim == "iss" else claim)


def test_an_unknown_issuer_is_401(call, rsa_ehr):
    token = rsa_ehr.token(claims={"iss": "https://stranger.example/"})

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "not a registered EHR")


def test_an_inactive_ehr_is_401(call, rsa_ehr):
    rsa_ehr.client.is_active = False
    rsa_ehr.client.save()

    _refused(call(SIGN, BODY, ehr=rsa_ehr, HTTP_ACCEPT_LANGUAGE="en"), "not a registered EHR")


def test_an_unsigned_token_alg_none_is_401(call, rsa_ehr):
    now = int(time.time())
    claims = {
        "iss": rsa_ehr.issuer,
        "aud": service_url(SIGN),
        "exp": now + 300,
        "iat": now,
        "jti": "unsigned",
    }
    token = jwt.encode(claims, None, algorithm="none", headers={"kid": "k", "typ": "JWT"})

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "algorithm")
    assert not UsedTokenId.objects.filter(jti="unsigned").exists()


def _hs256(claims: dict, secret: bytes) -> str:
    """An HS256 token made by hand: PyJWT refuses to sign with a PEM key as the secret."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signed = ".".join(
        part(json.dumps(value).encode())
        for value in ({"alg": "HS256", "typ": "JWT", "kid": "k"}, claims)
    )
    signature = hmac.new(secret, signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{part(signature)}"


def test_a_token_signed_with_a_shared_secret_is_401(call, rsa_ehr):
    """HS256 with the public key as the secret: the classic confusion of algorithms."""
    now = int(time.time())
    claims = {"iss": rsa_ehr.issuer, "aud": service_url(SIGN), "exp": now + 60, "iat": now}
    token = _hs256({**claims, "jti": "hs"}, rsa_ehr.client.public_key.encode())

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "algorithm")


def test_an_algorithm_the_ehr_is_not_registered_for_is_401(call, rsa_ehr):
    token = rsa_ehr.token(algorithm="RS256")

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "registered to sign with")


def test_an_iat_in_the_future_is_401(call, rsa_ehr):
    token = rsa_ehr.token(claims={"iat": int(time.time()) + 600})

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), "future")


@pytest.mark.parametrize(
    "token", ["not-a-jwt", "a.b.c", "x" * 9000, "eyJhbGciOiJSUzM4NCJ9.e30.sig"]
)
def test_garbage_and_overlong_tokens_are_401(call, rsa_ehr, token):
    response = call(SIGN, BODY, token=token)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_the_token_takes_five_queries_of_a_first_call(call, ec_ehr, django_assert_num_queries):
    """The EHR; expired token ids removed; this token's id (inside a savepoint: three).
    Then the call's own: the nutrients' names; the table's version and the table (read
    afresh: five); the call's log entry."""
    body = hook_call(SIGN, (nutrient_order("magnesium"),))
    token = ec_ehr.token()

    with django_assert_num_queries(5 + 1 + 6 + 1):
        assert call(SIGN, body, token=token).status_code == 200


@pytest.mark.parametrize(
    ("claims", "words"),
    [
        ({"iss": "https://ehr.example.nl/\x00"}, "issuer"),
        ({"jti": "a\x00b"}, "jti"),
        ({"jti": "x" * 256}, "jti"),
        ({"jti": 42}, "JWT ID must be a string"),
        ({"exp": "soon"}, "exp"),
    ],
)
def test_claims_the_database_could_not_hold_are_401_not_500(call, rsa_ehr, claims, words):
    token = rsa_ehr.token(claims=claims)

    _refused(call(SIGN, BODY, token=token, HTTP_ACCEPT_LANGUAGE="en"), words)
