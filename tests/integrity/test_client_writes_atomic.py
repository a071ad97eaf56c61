"""`client_create` and `client_update` write several tables; an error midway leaves none of
it behind. (Refusals before the first write are in tests/practice/.)"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from practice.models import Client, ClientMedication, ClientSupplement
from practice.services import (
    MedicationInput,
    OwnSupplementInput,
    client_create,
    client_update,
)
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    MedicineFactory,
    PracticeFactory,
    UserFactory,
)

GOOD_MEDICINES = [
    MedicationInput(atc_code="N05BA04"),
    MedicationInput(atc_code="N06AB06", name="sertraline"),
]
# A class of medicines, not a medicine: refused by the row's full_clean(), after the client
# row has been saved.
NOT_A_MEDICINE = MedicationInput(atc_code="N06A", name="antidepressiva")


@pytest.fixture
def oxazepam(db):
    return MedicineFactory(atc_code="N05BA04", name="oxazepam")


def create(**extra) -> Client:
    return client_create(
        practitioner=UserFactory(username="practitioner"),
        practice=PracticeFactory(),
        first_name="Sanne",
        last_name="Mulder",
        date_of_birth=datetime.date(1985, 3, 14),
        **extra,
    )


def test_a_bad_third_medicine_leaves_no_client_and_no_medicine(oxazepam):
    with pytest.raises(ValidationError) as exc:
        create(medications=[*GOOD_MEDICINES, NOT_A_MEDICINE])

    [message] = exc.value.message_dict["medications"]
    assert message.startswith(gettext("Row %(number)s") % {"number": 3})
    assert not Client.objects.exists()
    assert not ClientMedication.objects.exists()


def test_a_bad_own_supplement_after_the_medicines_were_written_leaves_nothing(oxazepam):
    with pytest.raises(ValidationError) as exc:
        create(
            medications=GOOD_MEDICINES,
            own_supplements=[OwnSupplementInput(name="Visolie"), OwnSupplementInput(name="  ")],
        )

    assert list(exc.value.message_dict) == ["own_supplements"]
    assert not Client.objects.exists()
    assert not ClientMedication.objects.exists()
    assert not ClientSupplement.objects.exists()


def test_a_refused_client_does_not_use_up_a_client_number(oxazepam):
    with pytest.raises(ValidationError):
        create(medications=[*GOOD_MEDICINES, NOT_A_MEDICINE])

    assert create(medications=GOOD_MEDICINES).client_number == "00001"


def test_an_update_with_a_bad_third_medicine_keeps_the_old_medicines_and_fields(oxazepam):
    client = ClientFactory(first_name="Sanne", notes="Oud.")
    ClientMedicationFactory(client=client, atc_code="N06AF03", name="fenelzine")

    with pytest.raises(ValidationError):
        client_update(
            client=client,
            fields={"first_name": "Sanna", "notes": "Nieuw."},
            medications=[*GOOD_MEDICINES, NOT_A_MEDICINE],
        )

    client.refresh_from_db()
    assert (client.first_name, client.notes) == ("Sanne", "Oud.")
    assert list(client.medications.values_list("atc_code", "name")) == [("N06AF03", "fenelzine")]


def test_an_update_with_a_bad_own_supplement_keeps_the_new_medicines_out(oxazepam):
    client = ClientFactory()
    ClientMedicationFactory(client=client, atc_code="N06AF03", name="fenelzine")
    ClientSupplement.objects.create(client=client, name="Visolie")

    with pytest.raises(ValidationError):
        client_update(
            client=client,
            medications=GOOD_MEDICINES,
            own_supplements=[OwnSupplementInput(name="x" * 151)],
        )

    assert list(client.medications.values_list("atc_code", flat=True)) == ["N06AF03"]
    assert list(client.own_supplements.values_list("name", flat=True)) == ["Visolie"]
