"""practice.services.consult_update with `seen_revisions`: no lost update when two people edit."""

import pytest

from practice.models import Consult
from practice.services import ConsultChanged, ConsultGone, consult_update


def test_it_writes_and_counts_the_revision_up_when_the_revision_is_current(sannes_consult):
    consult_update(consult=sannes_consult, seen_revisions={1}, fields={"notes": "Eerste."})

    assert Consult.objects.values_list("notes", "revision").get(pk=sannes_consult.pk) == (
        "Eerste.",
        2,
    )
    assert sannes_consult.revision == 2


def test_it_refuses_a_writer_who_loaded_an_older_revision(sannes_consult):
    stale = Consult.objects.get(pk=sannes_consult.pk)
    consult_update(consult=sannes_consult, seen_revisions={1}, fields={"notes": "Eerste."})

    with pytest.raises(ConsultChanged) as refused:
        consult_update(
            consult=stale, seen_revisions={stale.revision}, fields={"notes": "Tweede."}, lines=[]
        )

    assert refused.value.current_revision == 2
    sannes_consult.refresh_from_db()
    assert (sannes_consult.notes, sannes_consult.revision) == ("Eerste.", 2)
    assert sannes_consult.lines.count() == 2


def test_without_a_revision_a_stale_writer_keeps_the_fields_they_leave_alone(sannes_consult):
    stale = Consult.objects.get(pk=sannes_consult.pk)
    consult_update(consult=sannes_consult, seen_revisions=None, fields={"notes": "Eerste."})

    consult_update(consult=stale, seen_revisions=None, fields={"pregnant": True})

    sannes_consult.refresh_from_db()
    assert (sannes_consult.notes, sannes_consult.pregnant) == ("Eerste.", True)
    assert sannes_consult.revision == 3


def test_every_save_of_a_consult_counts_the_revision_up(sannes_consult):
    sannes_consult.notes = "Via de admin."
    sannes_consult.save()
    sannes_consult.save(update_fields=["notes"])

    assert Consult.objects.get(pk=sannes_consult.pk).revision == 3


def test_a_consult_deleted_meanwhile_is_gone(sannes_consult):
    Consult.objects.filter(pk=sannes_consult.pk).delete()

    with pytest.raises(ConsultGone):
        consult_update(consult=sannes_consult, seen_revisions=None, fields={"notes": "Te laat."})
