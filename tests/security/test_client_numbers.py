"""Client numbers are letters, digits and hyphens (issue #11, finding 9), whichever way
they are written (the model, the staff form, the API), and no file name is built from
one: a protocol's PDF is named by ids, so that a number saved before the rule (say
`../../tmp/x`) cannot send it elsewhere or stop it from being issued."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import translation

from gutbrain.models import Nutrient
from practice import services
from practice.models import Client
from practice.protocols import issue_protocol
from tests.factories import ClientFactory, PracticeMemberFactory
from tests.practice.views.formdata import client_data

MESSAGE = "A client number has only letters, digits and hyphens (-), such as 00042 or AB-17."
REFUSED = [
    "../../tmp/x",
    "a/b",
    "a\\b",
    "00\n42",
    "00\r42",
    "00042\n",
    'ab"c',
    "a'b",
    "a b",
    "a;b",
    "a%00b",
    "a\x00b",
    "ë12",
    "12.3",
]
ACCEPTED = ["00042", "AB-17", "2026-001", "c-0042", "-"]


@pytest.fixture
def practice(practitioner):
    return PracticeMemberFactory(user=practitioner).practice


@pytest.fixture
def sanne(practice, practitioner) -> Client:
    return ClientFactory(practitioner=practitioner, practice=practice, client_number="00042")


@pytest.fixture
def web(practitioner) -> WebClient:
    browser = WebClient(headers={"accept-language": "en"})
    browser.force_login(practitioner)
    return browser


@pytest.mark.parametrize("number", REFUSED)
def test_the_model_refuses_anything_but_letters_digits_and_hyphens(sanne, number):
    sanne.client_number = number

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            sanne.full_clean()

        assert refused.value.message_dict["client_number"] == [MESSAGE]


@pytest.mark.parametrize("number", ACCEPTED)
def test_the_model_takes_letters_digits_and_hyphens(sanne, number):
    sanne.client_number = number

    sanne.full_clean()


@pytest.mark.parametrize("number", ["../../tmp/x", "00\r\n42", 'a"b'])
def test_the_api_answers_400_naming_client_number(practitioner_api, practice, number):
    response = practitioner_api.post(
        "/api/v1/clients/",
        {
            "client_number": number,
            "first_name": "Sanne",
            "last_name": "Mulder",
            "date_of_birth": "1985-03-14",
        },
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert response.json() == {"client_number": [MESSAGE]}
    assert not Client.objects.exists()


def test_the_api_refuses_a_bad_number_on_an_update(practitioner_api, sanne):
    response = practitioner_api.patch(
        f"/api/v1/clients/{sanne.pk}/",
        {"client_number": "x/../y"},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert response.json() == {"client_number": [MESSAGE]}
    sanne.refresh_from_db()
    assert sanne.client_number == "00042"


def test_the_staff_form_shows_the_error_beside_the_number(web, practice):
    response = web.post(reverse("practice:client-create"), client_data(client_number="../x"))

    assert response.status_code == 200
    assert response.context["form"].errors["client_number"] == [MESSAGE]
    assert not Client.objects.exists()


def test_the_write_function_refuses_it_too(practice, practitioner):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            services.client_create(
                practitioner=practitioner,
                practice=practice,
                client_number="../../tmp/x",
                first_name="Sanne",
                last_name="Mulder",
                date_of_birth=datetime.date(1985, 3, 14),
            )

        assert refused.value.message_dict == {"client_number": [MESSAGE]}
    assert not Client.objects.exists()


def issue(client: Client, practitioner):
    consult = services.consult_create(
        client=client,
        practitioner=practitioner,
        lines=[
            services.LineInput(
                nutrient=Nutrient.objects.get(slug="magnesium"),
                dose_amount=Decimal("200"),
                dose_unit="mg",
            )
        ],
    )
    return issue_protocol(consult=consult, issued_by=practitioner, acknowledgements=[])


def test_a_protocol_pdf_is_named_by_ids_only(
    knowledge_base, sanne, practitioner, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    protocol = issue(sanne, practitioner)

    consult = protocol.consult
    assert Path(protocol.pdf.name).name == f"protocol-{sanne.pk}-{consult.pk}-v1.pdf"
    assert "00042" not in protocol.pdf.name


def test_a_number_saved_before_the_rule_is_kept_and_its_protocols_are_issued(
    knowledge_base, sanne, practitioner, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    Client.objects.filter(pk=sanne.pk).update(client_number="../../tmp/x")  # as before
    sanne.refresh_from_db()

    protocol = issue(sanne, practitioner)

    stored = Path(protocol.pdf.path).resolve()
    assert stored.is_relative_to((tmp_path / "media").resolve())
    assert stored.name == f"protocol-{sanne.pk}-{protocol.consult_id}-v1.pdf"
    assert protocol.snapshot["client"]["client_number"] == "../../tmp/x"


def test_a_number_saved_before_the_rule_is_asked_to_be_corrected_on_the_next_save(web, sanne):
    Client.objects.filter(pk=sanne.pk).update(client_number="00 42")

    response = web.post(
        reverse("practice:client-update", args=[sanne.pk]),
        client_data(client_number="00 42", last_name="de Wit"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["client_number"] == [MESSAGE]
    sanne.refresh_from_db()
    assert sanne.last_name != "de Wit"
