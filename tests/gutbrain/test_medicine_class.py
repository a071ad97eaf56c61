"""`MedicineClass`: the brochure's prefixes and the editors' additions, kept apart; an
addition needs its reason, in the model and in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import override

from gutbrain.models import MedicineClass

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with override("en"):
        yield


def _class(**fields) -> MedicineClass:
    return MedicineClass(
        slug="sedatives",
        name_nl="Kalmeringsmiddelen",
        name_en="Sedatives",
        atc_prefixes="N05",
        **fields,
    )


def test_saving_normalises_the_editors_prefixes_like_the_brochures():
    medicine_class = _class(editor_prefixes=" n03ae;N03AA ,, ", editor_note_nl="Reden.")
    medicine_class.save()

    medicine_class.refresh_from_db()
    assert medicine_class.editor_prefixes == "N03AE, N03AA"


def test_it_lists_the_brochures_the_editors_and_all_its_own_prefixes_once():
    medicine_class = _class(editor_prefixes="N03AE, N05, R06AD02", editor_note_nl="Reden.")

    assert medicine_class.prefix_list == ["N05"]
    assert medicine_class.editor_prefix_list == ["N03AE", "N05", "R06AD02"]
    assert medicine_class.own_prefix_list == ["N05", "N03AE", "R06AD02"]


def test_a_class_without_additions_needs_no_note():
    medicine_class = _class()

    medicine_class.full_clean()
    assert medicine_class.editor_prefix_list == []
    assert medicine_class.own_prefix_list == ["N05"]


def test_additions_without_a_dutch_note_are_refused_on_the_note():
    medicine_class = _class(editor_prefixes="N03AE", editor_note_en="Clonazepam.")

    with pytest.raises(ValidationError) as refused:
        medicine_class.full_clean()

    assert refused.value.message_dict == {
        "editor_note_nl": [
            "Give the reason for the editors' additions in the editors' note (Dutch)."
        ]
    }


def test_the_database_refuses_additions_without_a_note():
    with pytest.raises(IntegrityError):
        _class(editor_prefixes="N03AE").save()
