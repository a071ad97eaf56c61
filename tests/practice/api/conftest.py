"""The practice API's cast: API clients for every user of the shared cast, their
practice, and helpers to give a practitioner a client and a consult."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
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


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def practice(practitioner) -> Practice:
    """The practitioner's practice; the colleague works elsewhere."""
    return PracticeMemberFactory(user=practitioner).practice


@pytest.fixture
def colleagues_practice(colleague) -> Practice:
    return PracticeMemberFactory(user=colleague, practice=PracticeFactory(name="Elders")).practice


@pytest.fixture
def colleague_api(colleague, colleagues_practice) -> APIClient:
    return _api(colleague)


@pytest.fixture
def outsider_api(outsider) -> APIClient:
    return _api(outsider)


@pytest.fixture
def curator_api(curator) -> APIClient:
    return _api(curator)


@pytest.fixture
def anonymous_api() -> APIClient:
    return APIClient()


@pytest.fixture
def make_client(practice) -> Callable[..., Client]:
    """A client treated by `practitioner` (the practitioner by default)."""

    def make(practitioner: User, **fields) -> Client:
        fields.setdefault("practice", practice)
        return ClientFactory(practitioner=practitioner, **fields)

    return make


def sanne_of(practitioner: User, practice: Practice) -> Client:
    """The practitioner's client, on an MAO inhibitor (phenelzine)."""
    client = ClientFactory(
        practitioner=practitioner,
        practice=practice,
        first_name="Sanne",
        last_name="Mulder",
        client_number="00007",
    )
    ClientMedicationFactory(client=client, atc_code="N06AF03", name="fenelzine")
    return client


@pytest.fixture
def sanne(practitioner, practice) -> Client:
    return sanne_of(practitioner, practice)


@pytest.fixture
def colleagues_client(make_client, colleague, colleagues_practice) -> Client:
    return make_client(
        colleague, practice=colleagues_practice, first_name="Kees", last_name="Bakker"
    )


def consult_with_lines(client: Client, *slugs: str, **fields) -> Consult:
    """A consult of `client` with a line per nutrient slug of the knowledge base."""
    consult = ConsultFactory(client=client, **fields)
    for order, slug in enumerate(slugs, start=1):
        SupplementLineFactory(
            consult=consult,
            nutrient=Nutrient.objects.get(slug=slug),
            dose_amount=Decimal("200"),
            order=order,
        )
    return consult


@pytest.fixture
def make_consult() -> Callable[..., Consult]:
    return consult_with_lines


def sannes_consult_of(sanne: Client) -> Consult:
    """Magnesium (bisglycinate) and tryptophan: the check separates the one and advises
    against the other, with Sanne's MAO inhibitor."""
    consult = consult_with_lines(sanne, "magnesium", "tryptophan")
    line = consult.lines.get(nutrient__slug="magnesium")
    line.form = NutrientForm.objects.get(nutrient__slug="magnesium", slug="bisglycinate")
    line.save()
    return consult


@pytest.fixture
def sannes_consult(knowledge_base, sanne) -> Consult:
    return sannes_consult_of(sanne)


def protocol_of(sannes_consult: Consult, practitioner: User) -> Protocol:
    """Version 1 of Sanne's protocol, issued with a reason for tryptophan."""
    return issue(
        consult=sannes_consult,
        issued_by=practitioner,
        acknowledgements=[AcknowledgementInput("tryptophan", "Overlegd met de psychiater.")],
    )


@pytest.fixture
def protocol(sannes_consult, practitioner) -> Protocol:
    return protocol_of(sannes_consult, practitioner)


@pytest.fixture
def reissue(protocol) -> Callable[..., Protocol]:
    """More versions of `protocol` for `consult`, sharing its snapshot and stored PDF:
    cheap rows for tests that need many protocols but not many PDF renderings."""

    def make(consult: Consult, count: int) -> list[Protocol]:
        start = consult.protocols.count() + 1
        return [
            Protocol.objects.create(
                consult=consult,
                version=version,
                issued_by=protocol.issued_by,
                snapshot=protocol.snapshot,
                worst_level=protocol.worst_level,
                pdf=protocol.pdf.name,
                pdf_sha256=protocol.pdf_sha256,
            )
            for version in range(start, start + count)
        ]

    return make
