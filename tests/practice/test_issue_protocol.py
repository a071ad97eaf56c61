"""Issuing a protocol: the acknowledgement rule, versions, and immutability."""

import io
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gutbrain.models import FoodSource, Interaction, Nutrient, NutrientForm
from practice.models import Acknowledgement, Protocol, SupplementLine
from practice.pdf import files
from practice.protocols import AcknowledgementInput, UnacknowledgedAvoid, issue_protocol
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    PracticeMemberFactory,
    SupplementLineFactory,
)


@pytest.fixture
def consult(knowledge_base, practitioner):
    PracticeMemberFactory(user=practitioner)
    client = ClientFactory(
        practitioner=practitioner,
        practice=practitioner.practice_member.practice,
        first_name="Sanne",
        last_name="Mulder",
    )
    ClientMedicationFactory(client=client, atc_code="N06AF03", name="fenelzine")
    consult = ConsultFactory(client=client)
    SupplementLineFactory(
        consult=consult,
        nutrient=Nutrient.objects.get(slug="magnesium"),
        form=NutrientForm.objects.get(nutrient__slug="magnesium", slug="bisglycinate"),
        dose_amount=Decimal("200"),
        order=1,
    )
    SupplementLineFactory(
        consult=consult, nutrient=Nutrient.objects.get(slug="tryptophan"), dose_amount=500, order=2
    )
    return consult


def pdf_text(protocol: Protocol) -> str:
    reader = pypdf.PdfReader(io.BytesIO(files.read(protocol)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_an_avoid_finding_blocks_issuing_until_acknowledged(consult, practitioner):
    with pytest.raises(UnacknowledgedAvoid) as exc:
        issue_protocol(consult=consult, issued_by=practitioner)
    assert exc.value.nutrients == ["tryptophan"]
    assert not Protocol.objects.exists()


def test_an_acknowledgement_needs_a_written_reason(consult, practitioner):
    with pytest.raises(ValidationError):
        issue_protocol(
            consult=consult,
            issued_by=practitioner,
            acknowledgements=[AcknowledgementInput("tryptophan", "   ")],
        )
    assert not Protocol.objects.exists()


def test_an_acknowledgement_of_a_nutrient_not_in_the_consult_is_refused(consult, practitioner):
    with pytest.raises(ValidationError):
        issue_protocol(
            consult=consult,
            issued_by=practitioner,
            acknowledgements=[
                AcknowledgementInput("tryptophan", "Overlegd met huisarts."),
                AcknowledgementInput("saffron", "Niet in dit consult."),
            ],
        )
    assert not Protocol.objects.exists()


def test_issuing_snapshots_the_check_and_keeps_the_reason(consult, practitioner):
    protocol = issue_protocol(
        consult=consult,
        issued_by=practitioner,
        acknowledgements=[AcknowledgementInput("tryptophan", "Overlegd met de psychiater.")],
    )

    assert protocol.version == 1
    assert protocol.worst_level == "avoid"
    snap = protocol.snapshot
    assert snap["client"]["name"] == "Sanne Mulder"
    assert [line["nutrient"] for line in snap["lines"]] == ["magnesium", "tryptophan"]
    assert snap["lines"][0]["form"] == "bisglycinate"
    levels = {r["nutrient"]: r["level"] for r in snap["check"]["results"]}
    assert levels == {"magnesium": "separate_intake", "tryptophan": "avoid"}
    assert snap["acknowledgements"][0]["reason"] == "Overlegd met de psychiater."
    (ack,) = Acknowledgement.objects.filter(protocol=protocol)
    assert ack.reason == "Overlegd met de psychiater."
    assert ack.acknowledged_by == practitioner


def test_the_stored_pdf_shows_the_client_the_lines_and_the_override(consult, practitioner):
    protocol = issue_protocol(
        consult=consult,
        issued_by=practitioner,
        acknowledgements=[AcknowledgementInput("tryptophan", "Overlegd met de psychiater.")],
    )
    text = pdf_text(protocol)
    assert "Sanne Mulder" in text
    assert "Magnesium" in text and "Tryptofaan" in text
    assert "Overlegd met de psychiater." in text


def test_versions_count_up_per_consult(consult, practitioner):
    ack = [AcknowledgementInput("tryptophan", "Overlegd.")]
    first = issue_protocol(consult=consult, issued_by=practitioner, acknowledgements=ack)
    second = issue_protocol(consult=consult, issued_by=practitioner, acknowledgements=ack)
    other = ConsultFactory(client=consult.client)
    SupplementLineFactory(consult=other, nutrient=Nutrient.objects.get(slug="probiotics"))
    third = issue_protocol(consult=other, issued_by=practitioner)
    assert (first.version, second.version, third.version) == (1, 2, 1)


def test_an_issued_protocol_does_not_change_when_consult_and_knowledge_base_do(
    consult, practitioner
):
    protocol = issue_protocol(
        consult=consult,
        issued_by=practitioner,
        acknowledgements=[AcknowledgementInput("tryptophan", "Overlegd.")],
    )
    snapshot = protocol.snapshot
    pdf_bytes = files.read(protocol)

    # The consult changes ...
    consult.lines.filter(nutrient__slug="magnesium").update(dose_amount=Decimal("999"))
    consult.client.first_name = "Veranderd"
    consult.client.save()
    # ... and so does the knowledge base.
    Nutrient.objects.filter(slug="magnesium").update(name_nl="Magnesium (nieuw)")
    Interaction.objects.filter(nutrient__slug="magnesium").update(advice_nl="Nieuw advies.")
    FoodSource.objects.filter(nutrient__slug="glutamine").delete()

    reloaded = Protocol.objects.get(pk=protocol.pk)
    assert reloaded.snapshot == snapshot
    assert files.read(reloaded) == pdf_bytes


def test_a_saved_protocol_refuses_to_change_or_be_deleted(consult, practitioner):
    protocol = issue_protocol(
        consult=consult,
        issued_by=practitioner,
        acknowledgements=[AcknowledgementInput("tryptophan", "Overlegd.")],
    )
    protocol.worst_level = "clear"
    with pytest.raises(ValidationError):
        protocol.save()
    with pytest.raises(ValidationError):
        protocol.delete()
    assert Protocol.objects.get(pk=protocol.pk).worst_level == "avoid"


def test_a_consult_without_lines_cannot_be_issued(practitioner, knowledge_base):
    consult = ConsultFactory(client=ClientFactory(practitioner=practitioner))
    with pytest.raises(ValidationError):
        issue_protocol(consult=consult, issued_by=practitioner)


def test_the_database_refuses_a_form_of_another_nutrient(consult):
    citrate = NutrientForm.objects.get(nutrient__slug="magnesium", slug="citrate")
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplementLine.objects.create(
            consult=consult,
            nutrient=Nutrient.objects.get(slug="saffron"),
            form=citrate,
            dose_amount=Decimal("30"),
            dose_unit="mg",
        )


def test_the_database_refuses_a_dose_of_zero(consult):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplementLine.objects.create(
            consult=consult,
            nutrient=Nutrient.objects.get(slug="saffron"),
            dose_amount=Decimal("0"),
            dose_unit="mg",
        )
