"""The write functions of `practice.services`: atomic, validated with `full_clean()`."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from practice.models import Client, Consult, SupplementLine
from practice.services import (
    LineInput,
    MedicationInput,
    client_add_medications,
    client_create,
    consult_create,
    consult_update,
)
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    MedicineFactory,
    NutrientFactory,
    NutrientFormFactory,
    PracticeFactory,
    SupplementLineFactory,
    UserFactory,
)


@pytest.fixture
def magnesium(db):
    return NutrientFactory(slug="magnesium")


@pytest.fixture
def citrate(magnesium):
    return NutrientFormFactory(nutrient=magnesium, slug="citrate")


@pytest.fixture
def tryptophan(db):
    return NutrientFactory(slug="tryptophan")


def test_a_bad_second_line_leaves_no_consult(magnesium, citrate, tryptophan):
    client = ClientFactory()
    lines = [
        LineInput(nutrient=magnesium, form=citrate, dose_amount=Decimal("200"), dose_unit="mg"),
        LineInput(nutrient=tryptophan, form=citrate, dose_amount=Decimal("500"), dose_unit="mg"),
    ]

    with pytest.raises(ValidationError) as exc:
        consult_create(client=client, practitioner=client.practitioner, lines=lines)

    [message] = exc.value.message_dict["lines"]
    assert message.startswith(gettext("Row %(number)s") % {"number": 2})
    assert not Consult.objects.exists()
    assert not SupplementLine.objects.exists()


def test_a_line_of_an_unpublished_nutrient_is_refused(db):
    client = ClientFactory()
    draft = NutrientFactory(slug="draft-herb", is_published=False)

    with pytest.raises(ValidationError) as exc:
        consult_create(
            client=client,
            practitioner=client.practitioner,
            lines=[LineInput(nutrient=draft, dose_amount=Decimal("1"), dose_unit="mg")],
        )

    assert list(exc.value.message_dict) == ["lines"]
    assert not Consult.objects.exists()


def test_an_update_with_a_bad_line_keeps_the_old_lines_and_fields(magnesium, tryptophan):
    line = SupplementLineFactory(nutrient=magnesium)
    consult = line.consult

    with pytest.raises(ValidationError):
        consult_update(
            consult=consult,
            fields={"notes": "Gewijzigd."},
            lines=[LineInput(nutrient=tryptophan, dose_amount=Decimal("0"), dose_unit="mg")],
        )

    consult.refresh_from_db()
    assert consult.notes == ""
    assert list(consult.lines.values_list("nutrient__slug", flat=True)) == ["magnesium"]


def test_lines_are_numbered_in_the_order_given(magnesium, tryptophan):
    client = ClientFactory()
    consult = consult_create(
        client=client,
        practitioner=client.practitioner,
        lines=[
            LineInput(nutrient=tryptophan, dose_amount=Decimal("500"), dose_unit="mg"),
            LineInput(nutrient=magnesium, dose_amount=Decimal("200"), dose_unit="mg"),
        ],
    )

    assert [(line.order, line.nutrient.slug) for line in consult.lines.all()] == [
        (1, "tryptophan"),
        (2, "magnesium"),
    ]


def test_an_unknown_field_is_a_programming_error(magnesium):
    consult = SupplementLineFactory(nutrient=magnesium).consult

    with pytest.raises(TypeError):
        consult_update(consult=consult, fields={"pregnent": True})


def test_a_medicine_of_the_reference_list_is_linked_and_named(db):
    oxazepam = MedicineFactory(atc_code="N05BA04", name="oxazepam")

    client = client_create(
        practitioner=UserFactory(),
        practice=PracticeFactory(),
        first_name="Sanne",
        last_name="Mulder",
        date_of_birth=datetime.date(1985, 3, 14),
        medications=[MedicationInput(atc_code=" n05ba04 ")],
    )

    [medication] = client.medications.all()
    assert (medication.atc_code, medication.name, medication.medicine) == (
        "N05BA04",
        "oxazepam",
        oxazepam,
    )


def test_added_medicines_join_those_on_the_list(db):
    MedicineFactory(atc_code="N05BA04", name="oxazepam")
    client = ClientFactory()
    ClientMedicationFactory(client=client, atc_code="H03AA01", name="levothyroxine")

    client_add_medications(
        client=client,
        medications=[
            MedicationInput(atc_code="N05BA04"),
            MedicationInput(atc_code="A11CC05", name="colecalciferol", intake_times=["morning"]),
        ],
    )

    assert list(client.medications.order_by("atc_code").values_list("atc_code", "name")) == [
        ("A11CC05", "colecalciferol"),
        ("H03AA01", "levothyroxine"),
        ("N05BA04", "oxazepam"),
    ]


def test_a_medicine_already_on_the_list_is_not_added_again_and_nothing_is(db):
    client = ClientFactory()
    ClientMedicationFactory(client=client, atc_code="H03AA01", name="levothyroxine")

    with pytest.raises(ValidationError) as refused:
        client_add_medications(
            client=client,
            medications=[
                MedicationInput(atc_code="A11CC05", name="colecalciferol"),
                MedicationInput(atc_code="H03AA01", name="Thyrax"),
            ],
        )

    assert "medications" in refused.value.message_dict
    assert list(client.medications.values_list("atc_code", "name")) == [
        ("H03AA01", "levothyroxine")
    ]


def test_the_first_generated_client_number_of_a_practice_is_00001(db):
    client = client_create(
        practitioner=UserFactory(),
        practice=PracticeFactory(),
        first_name="Sanne",
        last_name="Mulder",
        date_of_birth=datetime.date(1985, 3, 14),
    )

    assert client.client_number == "00001"
    assert Client.objects.get().client_number == "00001"
