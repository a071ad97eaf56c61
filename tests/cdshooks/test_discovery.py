"""GET /cds-services: the discovery document, open to anyone."""

from rest_framework.test import APIClient

URL = "/cds-services"
PREFETCH = {
    "medications": "MedicationStatement?patient={{context.patientId}}",
    "pregnancy": "Observation?patient={{context.patientId}}&code=http://loinc.org|82810-3",
    "breastfeeding": "Observation?patient={{context.patientId}}&code=http://loinc.org|63895-7",
}


def test_it_lists_the_two_services_with_their_hooks_and_prefetch_templates(db):
    response = APIClient().get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    services = response.json()["services"]
    assert [(s["id"], s["hook"]) for s in services] == [
        ("gutbrain-order-select", "order-select"),
        ("gutbrain-order-sign", "order-sign"),
    ]
    for service in services:
        assert service["prefetch"] == PREFETCH
        assert service["title"]
        assert service["description"]
        assert set(service) == {"hook", "title", "description", "id", "prefetch"}


def test_it_needs_no_token_and_reads_nothing_from_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = APIClient().get(URL)

    assert response.status_code == 200


def test_it_speaks_dutch_by_default_and_english_when_asked(db):
    dutch = APIClient().get(URL).json()["services"][0]["title"]
    english = APIClient().get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["services"][0]["title"]

    assert english == "Supplement interactions (gutbrain)"
    assert dutch != english


def test_it_answers_other_methods_with_405(db):
    assert APIClient().post(URL, {}, format="json").status_code == 405
