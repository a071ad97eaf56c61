"""/api/v1/schema/: the OpenAPI 3 description integrators generate clients from."""

from collections.abc import Iterator

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

URL = "/api/v1/schema/"
CHECK = "/api/v1/interaction-check/"


@pytest.fixture
def schema(served_schema) -> dict:
    return served_schema()


def test_it_serves_json_when_asked(practitioner_api, served_schema):
    response = practitioner_api.get(URL, {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response.json() == served_schema()


def test_it_is_valid_openapi_3(schema):
    validate_schema(schema)

    assert schema["openapi"].startswith("3.")


def test_it_serves_yaml_by_default(practitioner_api):
    response = practitioner_api.get(URL)

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "gutbrain API"


KNOWLEDGE_BASE = [
    "/api/v1/nutrients/",
    "/api/v1/nutrients/{slug}/",
    "/api/v1/indications/",
    "/api/v1/indications/{slug}/",
    "/api/v1/medicine-classes/",
    "/api/v1/medicine-classes/{slug}/",
    "/api/v1/medicines/",
    "/api/v1/medicines/{atc_code}/",
    "/api/v1/evidence/",
    "/api/v1/evidence/{id}/",
    "/api/v1/interactions/",
    "/api/v1/interactions/{id}/",
    "/api/v1/topics/",
    "/api/v1/topics/{slug}/",
    "/api/v1/references/",
    "/api/v1/references/{number}/",
]


def test_it_documents_every_endpoint(schema):
    assert {"/api/v1/auth/token/", CHECK, *KNOWLEDGE_BASE} <= set(schema["paths"])


def test_it_documents_the_checks_request(schema):
    operation = schema["paths"][CHECK]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]
    component = schema["components"]["schemas"][request["$ref"].rsplit("/", 1)[1]]

    assert set(component["properties"]) == {"nutrients", "atc_codes", "pregnant", "breastfeeding"}
    assert component["required"] == ["nutrients"]
    assert component["properties"]["pregnant"]["type"] == "boolean"
    assert operation["requestBody"]["content"]["application/json"]["examples"]


def test_it_documents_the_checks_400_and_401(schema):
    responses = schema["paths"][CHECK]["post"]["responses"]

    assert {"200", "400", "401"} <= set(responses)
    error = responses["400"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schema["components"]["schemas"][error.rsplit("/", 1)[1]]["properties"]) >= {
        "nutrients",
        "atc_codes",
        "pregnant",
        "breastfeeding",
        "non_field_errors",
    }


def test_it_documents_the_levels_as_one_enum_most_serious_first(schema):
    components = schema["components"]["schemas"]

    assert components["LevelEnum"]["enum"] == [
        "avoid",
        "consult",
        "monitor",
        "separate_intake",
        "no_data",
        "none_known",
        "clear",
    ]
    level_ref = {"allOf": [{"$ref": "#/components/schemas/LevelEnum"}]}
    assert (
        level_ref.items()
        <= components["InteractionCheckResult"]["properties"]["worst_level"].items()
    )
    assert level_ref.items() <= components["NutrientResult"]["properties"]["level"].items()
    assert level_ref.items() <= components["Finding"]["properties"]["level"].items()


def test_it_documents_400_401_and_404_on_lists_and_details(schema):
    for path in KNOWLEDGE_BASE:
        is_list = "{" not in path
        expected = {"200", "401", "404"} | ({"400"} if is_list else set())
        assert expected <= set(schema["paths"][path]["get"]["responses"]), path


def test_the_token_endpoint_is_documented_as_public(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]

    assert "security" not in operation
    assert "security" not in schema
    assert {"200", "400"} <= set(operation["responses"])


def test_it_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))


def _operations(schema: dict) -> Iterator[tuple[str, dict]]:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def _takes_a_body(name: str, operation: dict) -> bool:
    return "requestBody" in operation or name.split(" ")[0] in {"POST", "PUT", "PATCH"}


def test_every_request_body_is_json_only(schema):
    content_types = {
        name: list(operation["requestBody"]["content"])
        for name, operation in _operations(schema)
        if "requestBody" in operation
    }

    # JSON first; a media type of its own for JSON of a standard may follow
    # (`application/fhir+json`).
    not_json_only = {
        name: types
        for name, types in content_types.items()
        if types[0] != "application/json" or not all(t.endswith("json") for t in types)
    }

    assert "POST /api/v1/clients/" in content_types
    assert not_json_only == {}


def test_every_write_documents_415_for_a_body_that_is_not_json(schema):
    writes = {
        name: operation for name, operation in _operations(schema) if _takes_a_body(name, operation)
    }

    assert {
        "POST /api/v1/auth/token/",
        "POST /api/v1/clients/",
        "PATCH /api/v1/consults/{id}/",
    } <= set(writes)
    assert [name for name, operation in writes.items() if "415" not in operation["responses"]] == []
    # The same error body as the other errors: `{"detail": "..."}`.
    for name, operation in writes.items():
        body = operation["responses"]["415"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Error"}, name


@pytest.mark.parametrize("component", ["Finding", "Interaction"])
def test_it_documents_the_client_texts_and_their_placeholder(schema, component):
    properties = schema["components"]["schemas"][component]["properties"]

    for name in ["client_advice", "client_advice_nl", "client_advice_en"]:
        assert properties[name]["type"] == "string", name
        assert properties[name]["readOnly"] is True, name
    assert "{medicines}" in properties["client_advice_nl"]["description"]
    assert "{medicines}" in properties["client_advice_en"]["description"]
