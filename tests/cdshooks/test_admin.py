"""The EHRs in the admin: a superuser registers one, with its key checked; nobody else sees
them (the role matrix walks every page with every role)."""

import pytest
from django.test import Client

from cdshooks.models import CdsClient
from tests.cdshooks.conftest import _pem

ADD = "/admin/cdshooks/cdsclient/add/"


@pytest.fixture
def superuser_browser(admin_user) -> Client:
    browser = Client()
    browser.force_login(admin_user)
    return browser


def _form(**fields) -> dict:
    return {
        "name": "Ziekenhuis-EPD",
        "issuer": "https://epd.example/",
        "algorithms": "",
        "fhir_server": "https://epd.example/fhir/",
        "is_active": "on",
        **fields,
    }


def test_a_superuser_registers_an_ehr(superuser_browser, ec_key):
    response = superuser_browser.post(ADD, _form(public_key=_pem(ec_key)))

    assert response.status_code == 302
    client = CdsClient.objects.get()
    assert (client.algorithms, client.fhir_server) == ("ES384", "https://epd.example/fhir")


def test_the_form_names_what_is_wrong_with_the_key(superuser_browser, rsa_key):
    response = superuser_browser.post(
        ADD,
        _form(public_key=_pem(rsa_key), algorithms="ES384"),
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert response.status_code == 200
    assert "Niet mogelijk met deze sleutel: ES384" in response.content.decode()
    assert not CdsClient.objects.exists()

    response = superuser_browser.post(ADD, _form(public_key="geen sleutel"))

    assert "Geen publieke sleutel in PEM-vorm" in response.content.decode()


def test_a_curator_does_not_see_the_ehrs(curator):
    browser = Client()
    browser.force_login(curator)

    assert "cdshooks" not in browser.get("/admin/").content.decode()
    assert browser.get("/admin/cdshooks/cdsclient/").status_code == 403
