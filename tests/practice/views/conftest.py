"""The practice pages' cast: Anna (`practitioner`) in a practice with her client Sanne;
Bram (`colleague`) in the same practice with a client of his own."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client as WebClient

from gutbrain.models import Nutrient
from practice.models import ProtocolTemplate, TemplateLine
from tests.factories import (
    ClientFactory,
    ConsultFactory,
    PracticeFactory,
    PracticeMemberFactory,
)


@pytest.fixture
def practice(db):
    return PracticeFactory()


@pytest.fixture
def member(practitioner, practice):
    return PracticeMemberFactory(user=practitioner, practice=practice)


@pytest.fixture
def colleague_member(colleague, practice):
    return PracticeMemberFactory(user=colleague, practice=practice)


@pytest.fixture
def sanne(member, practitioner, practice):
    return ClientFactory(
        practitioner=practitioner,
        practice=practice,
        client_number="00042",
        first_name="Sanne",
        last_name="Mulder",
        date_of_birth=datetime.date(1985, 3, 14),
    )


@pytest.fixture
def colleagues_client(colleague_member, colleague, practice):
    return ClientFactory(
        practitioner=colleague, practice=practice, first_name="Pieter", last_name="Bakker"
    )


@pytest.fixture
def consult(sanne):
    return ConsultFactory(client=sanne, date=datetime.date(2026, 11, 2))


@pytest.fixture
def web(practitioner) -> WebClient:
    """The browser of the practitioner, logged in."""
    browser = WebClient()
    browser.force_login(practitioner)
    return browser


@pytest.fixture
def colleague_web(colleague, colleague_member) -> WebClient:
    browser = WebClient()
    browser.force_login(colleague)
    return browser


@pytest.fixture
def outsider_web(outsider) -> WebClient:
    browser = WebClient()
    browser.force_login(outsider)
    return browser


def make_template(owner, practice, name: str, *, shared: bool = False, lines=()):
    """A protocol template with `lines` as (nutrient slug, dose in mg)."""
    template = ProtocolTemplate.objects.create(
        name=name, owner=owner, practice=practice, shared=shared
    )
    for order, (slug, dose) in enumerate(lines, start=1):
        TemplateLine.objects.create(
            template=template,
            nutrient=Nutrient.objects.get(slug=slug),
            dose_amount=Decimal(dose),
            dose_unit="mg",
            order=order,
        )
    return template
