"""practice.records.erase_client: erasure of a client's record on their request."""

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from gutbrain.models import Indication, Nutrient
from practice.models import (
    Acknowledgement,
    Client,
    ClientMedication,
    ClientSupplement,
    Consult,
    ErasureRecord,
    Protocol,
    SupplementLine,
)
from practice.records import erase_client
from tests.factories import ClientMedicationFactory, SupplementLineFactory

REASON = "Schriftelijk verzoek van de cliënt, ontvangen 20 november 2026."


def counts(client_id: int) -> dict[str, int]:
    """How many rows of every practice model belong to the client."""
    complaints = Consult.complaints.through.objects
    return {
        "clients": Client.objects.filter(pk=client_id).count(),
        "medications": ClientMedication.objects.filter(client_id=client_id).count(),
        "own_supplements": ClientSupplement.objects.filter(client_id=client_id).count(),
        "consults": Consult.objects.filter(client_id=client_id).count(),
        "complaints": complaints.filter(consult__client_id=client_id).count(),
        "lines": SupplementLine.objects.filter(consult__client_id=client_id).count(),
        "protocols": Protocol.objects.filter(consult__client_id=client_id).count(),
        "acknowledgements": Acknowledgement.objects.filter(
            protocol__consult__client_id=client_id
        ).count(),
    }


@pytest.fixture
def full_record(sanne, sannes_consult, protocol):
    """Sanne with a medicine, an own supplement, a consult with complaints and lines, and
    an issued protocol with an acknowledgement."""
    ClientSupplement.objects.create(client=sanne, name="Visolie", dose="1 capsule")
    sannes_consult.complaints.set(Indication.objects.filter(slug="stress"))
    return sanne


@pytest.fixture
def other_client(make_client, practitioner):
    """Another client of Anna's, who keeps everything."""
    client = make_client(practitioner, first_name="Kees", last_name="Bakker")
    ClientMedicationFactory(client=client)
    SupplementLineFactory(consult__client=client, nutrient=Nutrient.objects.get(slug="zinc"))
    return client


def test_it_removes_everything_held_on_the_client(
    full_record, other_client, practitioner, protocol, django_capture_on_commit_callbacks
):
    client_id = full_record.pk
    assert counts(client_id) == {
        "clients": 1,
        "medications": 1,
        "own_supplements": 1,
        "consults": 1,
        "complaints": 1,
        "lines": 2,
        "protocols": 1,
        "acknowledgements": 1,
    }
    others = counts(other_client.pk)

    with django_capture_on_commit_callbacks(execute=True):
        erase_client(client=full_record, erased_by=practitioner, reason=REASON)

    assert set(counts(client_id).values()) == {0}
    assert counts(other_client.pk) == others
    assert not default_storage.exists(protocol.pdf.name)


def test_it_keeps_a_record_of_the_erasure_without_personal_data(
    full_record, practitioner, practice
):
    client_id = full_record.pk

    erase_client(client=full_record, erased_by=practitioner, reason=f"  {REASON} ")

    erasure = ErasureRecord.objects.get()
    assert erasure.former_client_id == client_id
    assert erasure.practice == practice
    assert erasure.erased_by == practitioner
    assert erasure.reason == REASON
    assert erasure.erased_at is not None
    assert erasure.removed["practice.Client"] == 1
    assert erasure.removed["practice.SupplementLine"] == 2
    assert erasure.removed["practice.Protocol"] == 1
    assert erasure.removed["practice.Acknowledgement"] == 1
    kept = json.dumps(
        {f.attname: str(getattr(erasure, f.attname)) for f in ErasureRecord._meta.fields}
    )
    for personal in ("Sanne", "Mulder", "00007", "1985", "fenelzine"):
        assert personal not in kept


def test_the_pdf_files_stay_until_the_erasure_has_committed(
    full_record, practitioner, protocol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        erase_client(client=full_record, erased_by=practitioner, reason=REASON)
        assert default_storage.exists(protocol.pdf.name)

    assert len(callbacks) == 1
    callbacks[0]()
    assert not default_storage.exists(protocol.pdf.name)


def test_it_removes_the_admin_history_that_names_the_client(
    full_record, other_client, practitioner, sannes_consult
):
    def log(obj) -> LogEntry:
        return LogEntry.objects.create(
            user=practitioner,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
        )

    log(full_record), log(sannes_consult)
    kept = log(other_client)

    erase_client(client=full_record, erased_by=practitioner, reason=REASON)

    assert list(LogEntry.objects.all()) == [kept]


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_an_erasure_without_a_reason(full_record, practitioner, reason):
    before = counts(full_record.pk)

    with pytest.raises(ValidationError) as refused:
        erase_client(client=full_record, erased_by=practitioner, reason=reason)

    assert list(refused.value.message_dict) == ["reason"]
    assert counts(full_record.pk) == before
    assert not ErasureRecord.objects.exists()


def test_an_error_midway_leaves_the_whole_record_in_place(
    full_record, practitioner, practice, protocol, django_capture_on_commit_callbacks
):
    # An erasure record already holding the client's id makes the last step fail, after
    # everything else has been deleted.
    ErasureRecord.objects.create(
        practice=practice, former_client_id=full_record.pk, erased_by=practitioner, reason="x"
    )
    before = counts(full_record.pk)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        erase_client(client=full_record, erased_by=practitioner, reason=REASON)

    assert counts(full_record.pk) == before
    assert callbacks == []
    assert default_storage.exists(protocol.pdf.name)
    assert ErasureRecord.objects.count() == 1


def test_issued_protocols_still_refuse_to_be_deleted_one_by_one(protocol):
    with pytest.raises(ValidationError):
        protocol.delete()

    assert Protocol.objects.filter(pk=protocol.pk).exists()
