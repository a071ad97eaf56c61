"""When a client takes each medicine: `ClientMedication.intake_times`, written through the
services and the client form, and shown on the client's page."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from practice import services
from practice.models import Client, ClientMedication
from tests.factories import ClientMedicationFactory, MedicineFactory
from tests.practice.views import conftest as views_cast
from tests.practice.views.formdata import client_data

# The practice pages' cast, shared rather than copied.
practice = views_cast.practice
member = views_cast.member
sanne = views_cast.sanne
web = views_cast.web


def invalid(times) -> list[str]:
    medication = ClientMedicationFactory.build(intake_times=times)
    with override("en"):
        with pytest.raises(ValidationError) as caught:
            medication.full_clean(exclude=["client"])
        return caught.value.message_dict["intake_times"]


# The model --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "times",
    [[], ["morning"], ["morning", "midday", "evening", "bedtime"], ["00:00", "23:59", "07:30"]],
)
def test_moments_and_clock_times_are_intake_times(db, times):
    medication = ClientMedicationFactory.build(intake_times=times)
    medication.full_clean(exclude=["client"])


def test_unknown_times_are_an_empty_list_by_default(db):
    assert ClientMedicationFactory().intake_times == []


@pytest.mark.parametrize(
    ("item", "named"),
    [
        ("24:00", '"24:00"'),
        ("7:30", '"7:30"'),
        ("08:60", '"08:60"'),
        ("08:00 ", '"08:00 "'),
        ("breakfast", '"breakfast"'),
        ("mid_morning", '"mid_morning"'),
        ("", '""'),
        (800, "800"),
        (None, "null"),
    ],
)
def test_anything_else_is_refused_naming_the_item(db, item, named):
    assert invalid(["morning", item]) == [
        f"Not a moment or a clock time: {named}. Give morning, midday, evening, bedtime or "
        "a time from 00:00 to 23:59, such as 21:00."
    ]


def test_a_time_listed_twice_is_refused(db):
    assert invalid(["morning", "21:00", "21:00"]) == ['Listed more than once: "21:00".']


def test_more_than_six_times_are_refused(db):
    times = ["06:00", "08:00", "10:00", "12:00", "14:00", "16:00", "18:00"]
    assert invalid(times) == ["At most 6 intake times; this lists 7."]


def test_it_must_be_a_list(db):
    assert invalid("morning") == ["Give a list of moments and clock times."]


def test_the_dutch_message_names_the_item(db):
    medication = ClientMedicationFactory.build(intake_times=["25:00"])
    with pytest.raises(ValidationError) as caught:
        medication.full_clean(exclude=["client"])
    assert caught.value.message_dict["intake_times"] == [
        'Geen moment of kloktijd: "25:00". Geef morning, midday, evening, bedtime of een tijd '
        "van 00:00 tot 23:59, zoals 21:00."
    ]


# The write path -------------------------------------------------------------------------


def test_the_services_store_the_times(sanne):
    services.client_update(
        client=sanne,
        medications=[services.MedicationInput("H03AA01", "levothyroxine", ["morning", "21:00"])],
    )
    assert ClientMedication.objects.get().intake_times == ["morning", "21:00"]


def test_the_services_refuse_a_wrong_time_and_keep_the_old_list(sanne):
    ClientMedicationFactory(client=sanne, intake_times=["morning"])

    with override("en"):
        with pytest.raises(ValidationError) as caught:
            services.client_update(
                client=sanne,
                medications=[services.MedicationInput("N05BA04", "oxazepam", ["8u"])],
            )
        [message] = caught.value.message_dict["medications"]

    assert message.startswith('Row 1, intake times: Not a moment or a clock time: "8u".')
    assert ClientMedication.objects.get().intake_times == ["morning"]


# The client form ------------------------------------------------------------------------


def form_url(client: Client) -> str:
    return reverse("practice:client-update", args=[client.pk])


@pytest.fixture
def oxazepam(db):
    return MedicineFactory(name="oxazepam", atc_code="N05BA04")


def post(web, client: Client, **row) -> object:
    """The client form with one medicine, oxazepam, in the row the form shows first (the
    saved one, if there is one)."""
    medication = {"medicine": "oxazepam (N05BA04)", "atc_code": "", **row}
    data = client_data(
        client_number="00042",
        medications=[medication],
        medications_initial=client.medications.count(),
    )
    return web.post(form_url(client), data)


def test_the_form_combines_the_moments_and_typed_times_in_the_order_of_the_day(
    web, sanne, oxazepam
):
    response = post(web, sanne, intake_moments=["bedtime", "morning"], other_times="13.00, 7.30")

    assert response.status_code == 302
    assert ClientMedication.objects.get().intake_times == ["07:30", "morning", "13:00", "bedtime"]


def test_the_form_shows_the_saved_times_and_sends_them_back_unchanged(web, sanne, oxazepam):
    ClientMedicationFactory(
        client=sanne, medicine=oxazepam, intake_times=["morning", "13:00", "bedtime"]
    )

    content = web.get(form_url(sanne)).content.decode()

    ticked = re.findall(r'name="medications-0-intake_moments" value="(\w+)"[^>]* checked>', content)
    assert ticked == ["morning", "bedtime"]
    assert 'value="13:00"' in content
    assert escape("'s ochtends (8.00 uur)") in content
    # Saving the form as it was shown keeps the times.
    response = post(web, sanne, intake_moments=["morning", "bedtime"], other_times="13:00")
    assert response.status_code == 302
    assert ClientMedication.objects.get().intake_times == ["morning", "13:00", "bedtime"]


@pytest.mark.parametrize("typed", ["21.00 uur", "21:00", "21.00;", "9.00 en 21.00"])
def test_a_therapist_types_times_as_they_write_them(web, sanne, oxazepam, typed):
    assert post(web, sanne, other_times=typed).status_code == 302
    assert "21:00" in ClientMedication.objects.get().intake_times


def test_nothing_ticked_or_typed_means_not_known(web, sanne, oxazepam):
    assert post(web, sanne).status_code == 302
    assert ClientMedication.objects.get().intake_times == []


def test_a_typed_time_that_is_not_one_is_refused_by_name(web, sanne, oxazepam):
    ClientMedicationFactory(client=sanne, medicine=oxazepam, intake_times=["morning"])

    response = post(web, sanne, other_times="7.30, 25.00")

    assert response.status_code == 200
    assert (
        escape(
            "Geen kloktijd: 25.00. Schrijf een tijd als 7.30 of 21.00, meerdere tijden gescheiden "
            "door komma's."
        )
        in response.content.decode()
    )
    assert ClientMedication.objects.get().intake_times == ["morning"]


def test_more_than_six_times_in_the_form_are_refused(web, sanne, oxazepam):
    response = post(
        web,
        sanne,
        intake_moments=["morning", "midday", "evening", "bedtime"],
        other_times="7.00, 9.00, 11.00",
    )

    assert response.status_code == 200
    assert "Hoogstens 6 innametijden; dit zijn er 7." in response.content.decode()
    assert not ClientMedication.objects.exists()


# The client's page ------------------------------------------------------------------------


def test_the_clients_page_shows_the_times_in_dutch(web, sanne):
    ClientMedicationFactory(client=sanne, intake_times=["21:00", "morning"])
    ClientMedicationFactory(client=sanne, atc_code="H03AA01", name="levothyroxine", intake_times=[])

    content = web.get(reverse("practice:client-detail", args=[sanne.pk])).content.decode()

    times = escape("'s ochtends, 21.00 uur")
    assert f"N05BA04</span> – {times}</li>" in content
    assert 'H03AA01</span> <span class="muted">– innametijden niet bekend</span>' in content
