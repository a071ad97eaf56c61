"""`medications[].intake_times` in /api/v1/clients/: written on create, PUT and PATCH as
part of each whole medicine, refused naming the field and the item, and documented."""

import pytest
from django.utils import translation

from practice.models import Client, ClientMedication
from tests.factories import MedicineFactory
from tests.schema import generated_schema

URL = "/api/v1/clients/"
NOT_A_TIME = (
    'Not a moment or a clock time: "25:00". Give morning, midday, evening, bedtime or a time '
    "from 00:00 to 23:59, such as 21:00."
)


@pytest.fixture(autouse=True)
def _no_language_left_behind():
    """A request in English leaves English active in the thread (LocaleMiddleware never
    deactivates); the tests that run next expect none."""
    yield
    translation.deactivate()


def body(**extra) -> dict:
    return {"first_name": "Sanne", "last_name": "Mulder", "date_of_birth": "1985-03-14", **extra}


def url(client: Client) -> str:
    return f"{URL}{client.pk}/"


@pytest.fixture
def levothyroxine(db):
    return MedicineFactory(atc_code="H03AA01", name="levothyroxine")


def test_a_new_client_gets_the_times_of_each_medicine(practitioner_api, practice, levothyroxine):
    response = practitioner_api.post(
        URL,
        body(medications=[{"atc_code": "H03AA01", "intake_times": ["morning", "21:00"]}]),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["medications"] == [
        {"atc_code": "H03AA01", "name": "levothyroxine", "intake_times": ["morning", "21:00"]}
    ]
    assert ClientMedication.objects.get().intake_times == ["morning", "21:00"]


def test_left_out_the_times_are_not_known(practitioner_api, practice, levothyroxine):
    response = practitioner_api.post(
        URL, body(medications=[{"atc_code": "H03AA01"}]), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["medications"][0]["intake_times"] == []


@pytest.mark.parametrize("method", ["put", "patch"])
def test_an_update_replaces_the_medicines_with_their_times(practitioner_api, sanne, method):
    medications = [{"atc_code": "N06AF03", "name": "fenelzine", "intake_times": ["evening"]}]

    response = getattr(practitioner_api, method)(
        url(sanne), body(medications=medications), format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["medications"] == medications
    assert sanne.medications.get().intake_times == ["evening"]


def test_a_patch_item_without_times_is_whole_so_its_times_become_unknown(practitioner_api, sanne):
    sanne.medications.update(intake_times=["morning"])

    response = practitioner_api.patch(
        url(sanne), {"medications": [{"atc_code": "N06AF03", "name": "fenelzine"}]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert sanne.medications.get().intake_times == []


def test_a_patch_without_medications_keeps_their_times(practitioner_api, sanne):
    sanne.medications.update(intake_times=["morning"])

    response = practitioner_api.patch(url(sanne), {"phone": "06-12345678"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["medications"][0]["intake_times"] == ["morning"]


def test_a_wrong_time_is_a_400_naming_the_field_and_the_item(practitioner_api, practice):
    medications = [
        {"atc_code": "N06AF03", "name": "fenelzine", "intake_times": ["morning"]},
        {"atc_code": "N05BA04", "name": "oxazepam", "intake_times": ["bedtime", "25:00"]},
    ]

    response = practitioner_api.post(
        URL, body(medications=medications), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"medications": {"1": {"intake_times": [NOT_A_TIME]}}}
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("times", "messages"),
    [
        (["21:00", "21:00"], ['Listed more than once: "21:00".']),
        (
            ["06:00", "08:00", "10:00", "12:00", "14:00", "16:00", "18:00"],
            ["At most 6 intake times; this lists 7."],
        ),
        ("morning", ["Give a list of moments and clock times."]),
        (
            [8],
            [
                "Not a moment or a clock time: 8. Give morning, midday, evening, bedtime or a "
                "time from 00:00 to 23:59, such as 21:00."
            ],
        ),
        (None, ["This field may not be null."]),
    ],
)
def test_other_wrong_times_are_refused_and_change_nothing(practitioner_api, sanne, times, messages):
    sanne.medications.update(intake_times=["morning"])
    medications = [{"atc_code": "N06AF03", "name": "fenelzine", "intake_times": times}]

    response = practitioner_api.patch(
        url(sanne), {"medications": medications}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"medications": {"0": {"intake_times": messages}}}
    assert sanne.medications.get().intake_times == ["morning"]


def test_the_message_is_dutch_by_default(practitioner_api, practice):
    medications = [{"atc_code": "N05BA04", "name": "oxazepam", "intake_times": ["25:00"]}]

    response = practitioner_api.post(URL, body(medications=medications), format="json")

    [message] = response.json()["medications"]["0"]["intake_times"]
    assert message.startswith('Geen moment of kloktijd: "25:00".')


# The OpenAPI schema -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict:
    return generated_schema()


def test_the_schema_gives_the_moments_and_the_pattern_of_a_clock_time(schema):
    field = schema["components"]["schemas"]["Medication"]["properties"]["intake_times"]

    assert field["type"] == "array"
    assert (field["maxItems"], field["uniqueItems"]) == (6, True)
    assert field["items"] == {
        "oneOf": [
            {"type": "string", "enum": ["morning", "midday", "evening", "bedtime"]},
            {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        ]
    }
    # Optional when sending a medicine; always there in the answer.
    assert "intake_times" not in schema["components"]["schemas"]["MedicationRequest"]["required"]
    assert "intake_times" in schema["components"]["schemas"]["Medication"]["required"]


def test_the_schema_describes_the_default_clock_times(schema):
    description = schema["paths"]["/api/v1/clients/"]["post"]["description"]

    for text in ("`morning`", "08:00", "12:30", "18:00", "22:00", "10:30", "15:30"):
        assert text in description


def test_the_schemas_example_of_a_wrong_time_is_the_real_answer(schema, practitioner_api, practice):
    responses = schema["paths"]["/api/v1/clients/"]["post"]["responses"]
    example = responses["400"]["content"]["application/json"]["examples"]["NotAnIntakeTime"]
    medications = [{"atc_code": "N05BA04", "name": "oxazepam", "intake_times": ["25:00"]}]

    response = practitioner_api.post(
        URL, body(medications=medications), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.json() == example["value"]
