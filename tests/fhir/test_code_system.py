"""`GET /api/v1/fhir/CodeSystem/nutrient`: the knowledge base's nutrients as the FHIR code
system every export codes nutrients in."""

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from rest_framework.test import APIClient

from gutbrain.models import Nutrient
from practice.fhir import codes
from tests.fhir.conftest import FHIR_JSON

URL = "/api/v1/fhir/CodeSystem/nutrient"


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def body(knowledge_base, curator) -> dict:
    response = as_user(curator).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    return response.json()


def test_it_is_a_complete_code_system_at_the_nutrient_system_url(body):
    CodeSystem.model_validate(body)

    assert body["resourceType"] == "CodeSystem"
    assert body["url"] == codes.nutrient_system() == "https://gutbrain.nl/fhir/CodeSystem/nutrient"
    assert body["status"] == "active"
    assert body["content"] == "complete"
    assert body["caseSensitive"] is True
    assert body["count"] == len(body["concept"])


def test_its_codes_are_the_published_nutrients_slugs_with_dutch_and_english_names(body):
    published = Nutrient.objects.published().order_by("slug")

    assert [c["code"] for c in body["concept"]] == [n.slug for n in published]
    saffron = next(c for c in body["concept"] if c["code"] == "saffron")
    assert saffron["display"] == "Saffraan"
    assert saffron["designation"] == [
        {"language": "nl", "value": "Saffraan"},
        {"language": "en", "value": "Saffron"},
    ]


def test_an_unpublished_nutrient_is_not_a_code(knowledge_base, curator):
    Nutrient.objects.filter(slug="saffron").update(is_published=False)

    concepts = as_user(curator).get(URL).json()["concept"]

    assert "saffron" not in {c["code"] for c in concepts}


def test_the_display_follows_the_request_language(knowledge_base, curator):
    body = as_user(curator).get(URL, headers={"accept-language": "en"}).json()

    assert body["language"] == "en"
    assert next(c for c in body["concept"] if c["code"] == "saffron")["display"] == "Saffron"


def test_its_url_is_the_canonical_base_of_the_setting(knowledge_base, curator, settings):
    settings.FHIR_CANONICAL_BASE = "https://fhir.example.nl/gutbrain"

    body = as_user(curator).get(URL).json()

    assert body["url"] == "https://fhir.example.nl/gutbrain/CodeSystem/nutrient"


def test_the_exports_code_nutrients_in_it(knowledge_base, curator, anna_api, first_version):
    system = as_user(curator).get(URL).json()
    bundle = anna_api.get(f"/api/v1/protocols/{first_version.pk}/fhir/").json()

    codes_in_system = {c["code"] for c in system["concept"]}
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] != "CarePlan":
            continue
        for activity in entry["resource"]["activity"]:
            (coding,) = activity["detail"]["productCodeableConcept"]["coding"]
            assert coding["system"] == system["url"]
            assert coding["code"] in codes_in_system


def test_every_logged_in_user_may_read_it_and_anonymous_visitors_not(
    knowledge_base, outsider, api_client
):
    assert as_user(outsider).get(URL).status_code == 200
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response["Content-Type"] == FHIR_JSON
