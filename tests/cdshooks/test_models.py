"""The registration of an EHR (its key checked whichever way it is saved) and the token ids
kept against replays."""

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cdshooks.models import CdsClient, UsedTokenId
from tests.cdshooks.conftest import _pem

pytestmark = pytest.mark.django_db


def _client(pem: str, **fields) -> CdsClient:
    return CdsClient(**{"name": "EPD", "issuer": "https://epd.example/", **fields}, public_key=pem)


def test_an_rsa_key_defaults_to_rs384_and_a_p384_key_to_es384(rsa_key, ec_key):
    rsa_client = _client(_pem(rsa_key))
    rsa_client.save()
    ec_client = _client(_pem(ec_key), issuer="https://other.example/")
    ec_client.save()

    assert (rsa_client.algorithms, ec_client.algorithms) == ("RS384", "ES384")


def test_algorithms_must_fit_the_key(rsa_key):
    with pytest.raises(ValidationError) as error:
        _client(_pem(rsa_key), algorithms="RS384, es384").save()

    assert "ES384" in error.value.message_dict["algorithms"][0]
    assert not CdsClient.objects.exists()


def test_rs256_may_be_allowed_besides(rsa_key):
    client = _client(_pem(rsa_key), algorithms="rs384,RS256")
    client.save()

    assert client.allowed_algorithms == ["RS384", "RS256"]


@pytest.mark.parametrize(
    "pem",
    [
        "not a key",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
        "x" * 20_000,
    ],
)
def test_a_text_that_is_no_public_key_is_refused_on_save(pem):
    with pytest.raises(ValidationError) as error:
        _client(pem).save()

    assert "public_key" in error.value.message_dict


def test_weak_and_unsupported_keys_are_refused():
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    edwards = ed25519.Ed25519PrivateKey.generate()
    koblitz = ec.generate_private_key(ec.SECP256K1())

    for key in (weak, edwards, koblitz):
        pem = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        with pytest.raises(ValidationError):
            _client(pem).save()


def test_a_private_key_is_refused(rsa_key):
    private = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()

    with pytest.raises(ValidationError):
        _client(private).save()


@pytest.mark.parametrize(
    "url",
    [
        "http://ehr.example.nl/fhir",
        "ftp://ehr.example.nl/fhir",
        "https://ehr.example.nl/fhir?x=1",
        "https://user:pw@ehr.example.nl/fhir",
        "fhir.example.nl",
    ],
)
def test_the_fhir_server_is_https_or_this_machine(rsa_key, url):
    with pytest.raises(ValidationError) as error:
        _client(_pem(rsa_key), fhir_server=url).save()

    assert "fhir_server" in error.value.message_dict


def test_a_fhir_server_is_kept_without_its_trailing_slash(rsa_key):
    client = _client(_pem(rsa_key), fhir_server="https://ehr.example.nl/fhir/")
    client.save()

    assert client.fhir_server == "https://ehr.example.nl/fhir"


def test_an_issuer_is_registered_once(rsa_key, ec_key):
    _client(_pem(rsa_key)).save()

    with pytest.raises(ValidationError):
        _client(_pem(ec_key)).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        CdsClient.objects.bulk_create([_client(_pem(ec_key))])


def test_a_token_id_is_claimed_once_and_expired_ones_are_removed():
    now = timezone.now()
    UsedTokenId.objects.create(issuer="a", jti="old", expires_at=now - timedelta(seconds=1))
    later = now + timedelta(minutes=5)

    assert UsedTokenId.objects.claim(issuer="a", jti="1", expires_at=later) is True
    assert UsedTokenId.objects.claim(issuer="a", jti="1", expires_at=later) is False
    assert UsedTokenId.objects.claim(issuer="b", jti="1", expires_at=later) is True
    assert sorted(UsedTokenId.objects.values_list("issuer", "jti")) == [("a", "1"), ("b", "1")]
