"""The cast of the FHIR tests: Anna (`practitioner`, AGB 12345678) of a practice with an
AGB code, her client Sanne on an MAO inhibitor (in the morning) and levothyroxine (at
07:30), who takes zinc (a nutrient the interaction table holds nothing on) and fish oil
(not in the knowledge base) on her own, and Sanne's consult: magnesium bisglycinate
twice a day in the evening for 8 weeks, and tryptophan at bedtime, which the check
advises against with the MAO inhibitor. Version 1 of its protocol is issued with a
reason for tryptophan; version 2 after the magnesium dose changed.

Helpers read a bundle as a receiving system would: every resource validated with
fhir.resources' R4B model of its type, and every reference resolved in the bundle."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from rest_framework.test import APIClient

from gutbrain.models import Nutrient, NutrientForm
from practice.models import Client, Consult, Practice, Protocol
from practice.protocols import AcknowledgementInput
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    PracticeFactory,
    PracticeMemberFactory,
    SupplementLineFactory,
    issue,
)

FHIR_JSON = "application/fhir+json"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Issued PDFs go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def practice(db) -> Practice:
    return PracticeFactory(agb_code="90001234")


@pytest.fixture
def anna(practitioner, practice) -> User:
    PracticeMemberFactory(user=practitioner, practice=practice, agb_code="12345678")
    return practitioner


@pytest.fixture
def sanne(knowledge_base, anna, practice) -> Client:
    client = ClientFactory(
        practitioner=anna,
        practice=practice,
        client_number="00042",
        first_name="Sanne",
        last_name="Mulder",
        date_of_birth=datetime.date(1985, 3, 14),
    )
    ClientMedicationFactory(
        client=client, atc_code="N06AF03", name="fenelzine", intake_times=["morning"]
    )
    ClientMedicationFactory(
        client=client, atc_code="H03AA01", name="levothyroxine", intake_times=["07:30"]
    )
    client.own_supplements.create(name="Zink", nutrient=Nutrient.objects.get(slug="zinc"))
    client.own_supplements.create(name="Visolie", dose="1 capsule")
    return client


@pytest.fixture
def consult(sanne) -> Consult:
    consult = ConsultFactory(client=sanne, date=datetime.date(2026, 11, 2))
    SupplementLineFactory(
        consult=consult,
        nutrient=Nutrient.objects.get(slug="magnesium"),
        form=NutrientForm.objects.get(nutrient__slug="magnesium", slug="bisglycinate"),
        dose_amount=Decimal("200"),
        frequency="twice_daily",
        timing="evening",
        duration_weeks=8,
        order=1,
    )
    SupplementLineFactory(
        consult=consult,
        nutrient=Nutrient.objects.get(slug="tryptophan"),
        dose_amount=Decimal("2.5"),
        dose_unit="capsule",
        frequency="once_daily",
        timing="bedtime",
        duration_weeks=None,
        order=2,
    )
    return consult


REASON = "Overlegd met de psychiater; de MAO-remmer wordt afgebouwd."


@pytest.fixture
def first_version(consult, anna) -> Protocol:
    return issue(
        consult=consult,
        issued_by=anna,
        acknowledgements=[AcknowledgementInput("tryptophan", REASON)],
    )


@pytest.fixture
def second_version(first_version, consult, anna) -> Protocol:
    consult.lines.filter(nutrient__slug="magnesium").update(dose_amount=Decimal("300"))
    return issue(
        consult=consult,
        issued_by=anna,
        acknowledgements=[AcknowledgementInput("tryptophan", REASON)],
    )


@pytest.fixture
def anna_api(anna) -> APIClient:
    client = APIClient()
    client.force_authenticate(anna)
    return client


def validated(body: dict) -> Bundle:
    """The bundle as fhir.resources' R4B models read it, each entry's resource by the
    model of its own type too; every reference in it names an entry of it."""
    bundle = Bundle.model_validate(body)
    full_urls = {entry["fullUrl"] for entry in body["entry"]}
    for entry in body["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        for reference in references(resource):
            assert reference in full_urls, f"{reference} of {resource['resourceType']}"
    return bundle


def references(value) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            yield value["reference"]
        for child in value.values():
            yield from references(child)
    elif isinstance(value, list):
        for child in value:
            yield from references(child)


def resources(body: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in body["entry"] if e["resource"]["resourceType"] == kind]


def by_url(body: dict) -> dict[str, dict]:
    return {entry["fullUrl"]: entry["resource"] for entry in body["entry"]}
