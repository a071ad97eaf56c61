"""The cast of the fuzz tests: the practice API's cast (Anna, `practitioner`, with her
client Sanne on an MAO inhibitor, Sanne's consult with two supplement lines and its
issued protocol), made once per module, and a media folder per module for the stored PDFs.

Rendering the protocol's PDF was most of each test's setup. The cast is made in a
transaction around the module's tests (`module_transaction`), and each test runs in a
savepoint of it that is rolled back after the test: each test finds the cast as it was
made, whatever the test before it changed (an erased client, a new version of the
protocol). The fixtures below hand each test its own copies of the rows.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from practice.models import Client, Consult, Practice, Protocol
from tests.conftest import make_practitioner
from tests.factories import PracticeMemberFactory
from tests.practice.api.conftest import protocol_of, sanne_of, sannes_consult_of


@pytest.fixture(scope="module", autouse=True)
def _media_root(module_media_root) -> None:
    """Issued PDFs go to a fresh folder per module, where the cast's PDF is stored."""


@pytest.fixture(autouse=True)
def _knowledge_base_only_when_asked() -> None:
    """Every test here finds the knowledge base, which the cast's consult uses: it cannot
    be emptied under it."""


@dataclass(frozen=True)
class Cast:
    practitioner: int
    sanne: int
    consult: int
    protocol: int


@pytest.fixture(scope="module")
def cast(module_transaction, django_db_blocker) -> Cast:
    with django_db_blocker.unblock():
        practitioner = make_practitioner()
        sanne = sanne_of(practitioner, PracticeMemberFactory(user=practitioner).practice)
        consult = sannes_consult_of(sanne)
        protocol = protocol_of(consult, practitioner)
    return Cast(practitioner.pk, sanne.pk, consult.pk, protocol.pk)


@pytest.fixture
def practitioner(cast, db) -> User:
    return User.objects.get(pk=cast.practitioner)


@pytest.fixture
def practice(practitioner) -> Practice:
    return practitioner.practice_member.practice


@pytest.fixture
def sanne(cast, db) -> Client:
    return Client.objects.get(pk=cast.sanne)


@pytest.fixture
def sannes_consult(cast, knowledge_base) -> Consult:
    return Consult.objects.get(pk=cast.consult)


@pytest.fixture
def protocol(cast, db) -> Protocol:
    return Protocol.objects.get(pk=cast.protocol)
