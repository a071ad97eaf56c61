"""manage.py cds_client add / list / remove."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cdshooks.models import CdsClient
from tests.cdshooks.conftest import _pem

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("cds_client", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def pem_file(tmp_path, ec_key):
    path = tmp_path / "ehr.pem"
    path.write_text(_pem(ec_key))
    return path


def test_add_registers_an_ehr_and_names_the_urls_its_tokens_must_name(pem_file):
    output = _run(
        "add",
        "Ziekenhuis-EPD",
        "--issuer",
        "https://epd.example/",
        "--public-key",
        str(pem_file),
        "--fhir-server",
        "https://epd.example/fhir/",
    )

    client = CdsClient.objects.get()
    assert (client.name, client.issuer, client.algorithms, client.fhir_server) == (
        "Ziekenhuis-EPD",
        "https://epd.example/",
        "ES384",
        "https://epd.example/fhir",
    )
    assert "http://127.0.0.1:8000/cds-services/gutbrain-order-sign" in output


def test_list_and_remove(pem_file):
    _run("add", "EPD", "--issuer", "https://epd.example/", "--public-key", str(pem_file))

    assert "https://epd.example/\tES384\tno FHIR server\tactive" in _run("list")
    _run("remove", "https://epd.example/")
    assert not CdsClient.objects.exists()
    with pytest.raises(CommandError, match="No EHR"):
        _run("remove", "https://epd.example/")


def test_add_refuses_a_second_ehr_with_the_same_issuer(pem_file):
    _run("add", "EPD", "--issuer", "https://epd.example/", "--public-key", str(pem_file))

    with pytest.raises(CommandError, match="registered already"):
        _run("add", "EPD 2", "--issuer", "https://epd.example/", "--public-key", str(pem_file))


def test_add_refuses_what_is_not_a_public_key_and_writes_nothing(tmp_path):
    path = tmp_path / "key.pem"
    path.write_text("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")

    with pytest.raises(CommandError, match="public_key"):
        _run("add", "EPD", "--issuer", "https://epd.example/", "--public-key", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        _run("add", "EPD", "--issuer", "x", "--public-key", str(tmp_path / "missing.pem"))
    assert not CdsClient.objects.exists()


def test_add_refuses_algorithms_the_key_cannot_sign_with(pem_file):
    with pytest.raises(CommandError, match="algorithms"):
        _run(
            "add",
            "EPD",
            "--issuer",
            "https://epd.example/",
            "--public-key",
            str(pem_file),
            "--algorithms",
            "RS384",
        )
