"""The CDS Hooks endpoints in the OpenAPI schema, beside the API's."""

import pytest


@pytest.fixture
def schema(served_schema) -> dict:
    return served_schema()


def test_discovery_is_documented_as_public(schema):
    operation = schema["paths"]["/cds-services"]["get"]

    assert "security" not in operation
    assert operation["tags"] == ["CDS Hooks"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CdsDiscovery"
    }


def test_a_call_is_documented_with_its_jwt_its_answers_and_errors(schema):
    operation = schema["paths"]["/cds-services/{id}"]["post"]

    assert operation["security"] == [{"cdsHooksJWT": []}]
    assert schema["components"]["securitySchemes"]["cdsHooksJWT"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schema["components"]["securitySchemes"]["cdsHooksJWT"]["description"],
    }
    assert {"200", "400", "401", "404", "412", "415", "429"} <= set(operation["responses"])
    card = schema["components"]["schemas"]["CdsCard"]
    assert set(card["properties"]) == {"summary", "indicator", "detail", "source"}
    indicator = card["properties"]["indicator"]
    enum = (
        indicator.get("enum")
        or schema["components"]["schemas"][indicator["allOf"][0]["$ref"].rsplit("/", 1)[1]]["enum"]
    )
    assert enum == ["info", "warning", "critical"]
