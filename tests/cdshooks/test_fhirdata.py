"""Reading FHIR data, without a database: which observations say pregnant or breastfeeding,
which resources are medicines, what an order names."""

import pytest

from cdshooks.fhirdata import (
    BREASTFEEDING,
    PREGNANT,
    InvalidData,
    Medications,
    NutrientNames,
    medicines_in,
    nutrients_ordered,
    observed_state,
    parse_resource,
    resources_of,
)
from practice.fhir.codes import LOINC_BREASTFEEDING_STATUS, LOINC_PREGNANCY_STATUS
from tests.cdshooks.conftest import BREASTFEEDING as BREASTFEEDING_ANSWER
from tests.cdshooks.conftest import (
    NOT_PREGNANT,
    bundle,
    draft_orders,
    nutrient_order,
    pregnancy,
    statement,
    text_order,
)

NAMES = NutrientNames(
    slugs=frozenset({"tryptophan", "saffron"}),
    by_name={"tryptofaan": "tryptophan", "tryptophan": "tryptophan", "saffraan": "saffron"},
)


def _pregnant(*observations: dict) -> bool:
    resources = resources_of(parse_resource(bundle(*observations), "x"))
    return observed_state(resources, loinc_code=LOINC_PREGNANCY_STATUS, answers=PREGNANT)


@pytest.mark.parametrize(
    ("answer", "pregnant"),
    [
        (("http://loinc.org", "LA15173-0"), True),
        (("http://snomed.info/sct", "77386006"), True),
        (("http://loinc.org", "LA26683-5"), False),
        (("http://snomed.info/sct", "60001007"), False),
        (("http://loinc.org", "LA4489-6"), False),  # unknown
        (("http://example.org/other", "LA15173-0"), False),
    ],
)
def test_the_answers_that_mean_pregnant(answer, pregnant):
    assert _pregnant(pregnancy(answer)) is pregnant


def test_a_boolean_value_counts_too():
    observation = pregnancy()
    del observation["valueCodeableConcept"]
    observation["valueBoolean"] = True

    assert _pregnant(observation) is True


def test_the_latest_observation_counts():
    assert (
        _pregnant(pregnancy(when="2025-01-01"), pregnancy(NOT_PREGNANT, when="2026-01-01")) is False
    )
    assert _pregnant(pregnancy(NOT_PREGNANT, when="2025-06"), pregnancy(when="2026")) is True


def test_observations_entered_in_error_or_of_another_code_do_not_count():
    wrong = {**pregnancy(), "status": "entered-in-error"}
    other = pregnancy()
    other["code"]["coding"][0]["code"] = LOINC_BREASTFEEDING_STATUS

    assert _pregnant(wrong, other) is False


def test_breastfeeding_has_its_own_answers():
    observation = {**pregnancy(BREASTFEEDING_ANSWER)}
    observation["code"] = {
        "coding": [{"system": "http://loinc.org", "code": LOINC_BREASTFEEDING_STATUS}]
    }
    resources = resources_of(parse_resource(observation, "x"))

    assert observed_state(resources, loinc_code=LOINC_BREASTFEEDING_STATUS, answers=BREASTFEEDING)


def test_medicines_come_from_atc_codes_active_statements_and_references():
    medication = {
        "resourceType": "Medication",
        "id": "med-1",
        "code": {"coding": [{"system": "http://www.whocc.no/atc", "code": "n06ab06"}]},
    }
    by_reference = {
        "resourceType": "MedicationStatement",
        "status": "active",
        "subject": {"reference": "Patient/1"},
        "medicationReference": {"reference": "Medication/med-1"},
    }
    resources = resources_of(
        parse_resource(
            bundle(
                statement("N06AF03", "fenelzine"),
                statement("N05BA04", "oxazepam", status="completed"),
                statement("N06AF", "a group, not a substance"),
                by_reference,
                medication,
            ),
            "x",
        )
    )

    medicines = medicines_in(resources, Medications(resources, {}))

    assert medicines.names == {"N06AF03": "fenelzine", "N06AB06": ""}
    assert medicines.unread == ["a group, not a substance"]


def test_what_orders_name():
    orders = draft_orders(
        nutrient_order("tryptophan"),
        nutrient_order("kurkuma"),
        text_order("Saffraan", order_id="a"),
        text_order("Paracetamol", order_id="b"),
        {
            "resourceType": "MedicationRequest",
            "id": "c",
            "status": "draft",
            "intent": "order",
            "subject": {"reference": "Patient/1"},
            "medicationCodeableConcept": {
                "coding": [{"system": "http://www.whocc.no/atc", "code": "J01CA04"}],
                "text": "amoxicilline",
            },
        },
        {
            "resourceType": "NutritionOrder",
            "id": "d",
            "status": "draft",
            "intent": "order",
            "patient": {"reference": "Patient/1"},
            "dateTime": "2026-12-03",
            "supplement": [{"productName": "Tryptophan 500 mg"}, {"productName": "tryptophan"}],
        },
    )
    draft = parse_resource(orders, "x")

    named = nutrients_ordered(resources_of(draft), draft, NAMES)

    assert [(n.label, n.slug, n.code) for n in named] == [
        ("tryptophan", "tryptophan", ""),
        ("kurkuma", None, "kurkuma"),
        ("Saffraan", "saffron", ""),
        ("Paracetamol", None, ""),
        ("Tryptophan 500 mg", None, ""),
        ("tryptophan", "tryptophan", ""),
    ]


def test_a_bundle_without_type_is_a_collection_and_other_bad_data_is_invalid():
    assert parse_resource({"resourceType": "Bundle"}, "x").type == "collection"
    for data in ({}, [], {"resourceType": "Coding"}, {"resourceType": "Nope"}):
        with pytest.raises(InvalidData):
            parse_resource(data, "x")


def test_a_withdrawn_order_names_nothing():
    cancelled = {**nutrient_order("tryptophan"), "status": "cancelled"}
    draft = parse_resource(draft_orders(cancelled), "x")

    assert nutrients_ordered(resources_of(draft), draft, NAMES) == []
