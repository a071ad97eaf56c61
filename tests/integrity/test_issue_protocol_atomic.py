"""`issue_protocol` stores a PDF and writes the protocol with its acknowledgements: when
either part fails, neither is left behind."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from gutbrain.models import Nutrient
from practice.models import Acknowledgement, Consult, Protocol
from practice.protocols import AcknowledgementInput
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    PracticeMemberFactory,
    SupplementLineFactory,
    UserFactory,
    issue,
)

REASON = [AcknowledgementInput("tryptophan", "Overlegd met de psychiater.")]


@pytest.fixture
def consult(knowledge_base, practitioner) -> Consult:
    """Magnesium and tryptophan for a client on an MAO inhibitor: issuing needs a reason,
    which makes an acknowledgement row."""
    practice = PracticeMemberFactory(user=practitioner).practice
    client = ClientFactory(practitioner=practitioner, practice=practice)
    ClientMedicationFactory(client=client, atc_code="N06AF03", name="fenelzine")
    consult = ConsultFactory(client=client)
    for order, slug in enumerate(["magnesium", "tryptophan"], start=1):
        SupplementLineFactory(
            consult=consult,
            nutrient=Nutrient.objects.get(slug=slug),
            dose_amount=Decimal("200"),
            order=order,
        )
    return consult


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_when_the_pdf_cannot_be_stored_nothing_is_written(consult, practitioner, settings):
    # A file where the protocols' folder should be: the storage cannot make the folder.
    # (A folder without write permission would do too, but not for root, as in CI.)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "protocols").write_text("not a folder")

    with pytest.raises(OSError):
        issue(consult=consult, issued_by=practitioner, acknowledgements=REASON)

    assert not Protocol.objects.exists()
    assert not Acknowledgement.objects.exists()
    assert stored_files() == ["protocols"]


def test_after_a_failed_store_the_next_issue_is_version_1(consult, practitioner, settings):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "protocols").write_text("not a folder")
    with pytest.raises(OSError):
        issue(consult=consult, issued_by=practitioner, acknowledgements=REASON)
    (media / "protocols").unlink()

    protocol = issue(consult=consult, issued_by=practitioner, acknowledgements=REASON)

    assert protocol.version == 1
    assert Acknowledgement.objects.get().protocol == protocol
    assert stored_files() == [protocol.pdf.name]


def test_when_the_rows_are_refused_no_pdf_is_left_behind(consult):
    # The issuing account is deleted (by an administrator) while the request is on its
    # way: the PDF renders, the protocol row is refused.
    issuer = UserFactory(username="waarnemer")
    User.objects.filter(pk=issuer.pk).delete()

    with pytest.raises(ValidationError):
        issue(consult=consult, issued_by=issuer, acknowledgements=REASON)

    assert not Protocol.objects.exists()
    assert not Acknowledgement.objects.exists()
    assert stored_files() == []
