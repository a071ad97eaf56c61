"""/api/v1/schema/ as client generators read it: names and titles that do not depend on
the request's language, a binary PDF, `anyOf` for blank-allowed strings, every field of an
answer that is always there `required`, a typed snapshot, no name that clashes with the
generated package's own classes. (tests/api_client/ generates a client and runs it.)"""

from collections.abc import Iterator

import pytest

BLANK = {"type": "string", "maxLength": 0}
# The classes and modules of a package made by openapi-python-client.
GENERATOR_NAMES = {"Client", "AuthenticatedClient", "Response", "Unset", "File", "Errors"}
# Error answers: a field's messages are there only when the field has some.
ERROR_COMPONENTS = {"InteractionCheckError", "IssueProtocolError", "TokenError"}


@pytest.fixture
def schema(served_schema) -> dict:
    return served_schema("nl")


def _nodes(node, path: str = "") -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, f"{path}/{index}")


def _without_descriptions(node):
    if isinstance(node, dict):
        return {
            key: _without_descriptions(value)
            for key, value in node.items()
            if not (key == "description" and isinstance(value, str))
        }
    if isinstance(node, list):
        return [_without_descriptions(value) for value in node]
    return node


def test_it_is_the_same_in_dutch_and_english_but_for_the_descriptions(served_schema):
    dutch = served_schema("nl")
    english = served_schema("en")

    assert _without_descriptions(dutch) == _without_descriptions(english)
    components = dutch["components"]["schemas"]
    assert components["Evidence"]["properties"]["certainty"]["title"] == "Certainty (GRADE)"
    assert components["KindEnum"]["description"].startswith("* `mineral` - mineraal\n")
    assert english["components"]["schemas"]["KindEnum"]["description"].startswith(
        "* `mineral` - mineral\n"
    )


def test_a_filters_choices_are_the_fields_enum(schema):
    parameters = schema["paths"]["/api/v1/nutrients/"]["get"]["parameters"]

    assert {p["name"]: p["schema"] for p in parameters}["kind"] == {
        "$ref": "#/components/schemas/KindEnum"
    }


def test_no_component_is_named_like_a_class_of_the_generated_package(schema):
    components = set(schema["components"]["schemas"])

    assert not components & GENERATOR_NAMES
    assert {"PracticeClient", "PracticeClientRequest", "PaginatedPracticeClientList"} <= components


def test_the_pdf_is_a_binary_file(schema):
    answer = schema["paths"]["/api/v1/protocols/{id}/pdf/"]["get"]["responses"]["200"]

    assert answer["content"] == {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
    }


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("PracticeClient", "email"),
        ("PracticeClientRequest", "email"),
        ("ClientContact", "email"),
        ("Reference", "url"),
        ("PracticeClientRequest", "client_number"),
    ],
)
def test_a_blank_allowed_string_is_any_of_its_format_and_empty(schema, component, field):
    property_ = schema["components"]["schemas"][component]["properties"][field]

    assert "oneOf" not in property_
    assert property_["anyOf"][1] == BLANK


def test_no_one_of_admits_the_empty_string_twice(schema):
    assert [path for path, node in _nodes(schema) if BLANK in node.get("oneOf", ())] == []


def test_every_field_of_an_answer_that_is_always_there_is_required(schema):
    components = schema["components"]["schemas"]

    assert "issued_at" in components["Protocol"]["required"]
    assert {"email", "phone", "medications"} <= set(components["PracticeClient"]["required"])
    assert {"next", "previous"} <= set(components["PaginatedProtocolList"]["required"])
    optional = {
        name: sorted(set(component["properties"]) - set(component.get("required", ())))
        for name, component in components.items()
        if "properties" in component and not name.endswith("Request")
    }
    assert {name: fields for name, fields in optional.items() if fields} == {
        **{name: optional[name] for name in ERROR_COMPONENTS},
        # Only in the snapshots of some versions, or of some changes.
        "ProtocolSnapshotV1": ["own_supplements"],
        "SnapshotCheckV1": ["digest", "medicines", "not_checked"],
        "SnapshotNutrientResultV1": ["source"],
        "SnapshotChange": ["fields"],
    }


def test_the_snapshot_is_one_of_its_schema_versions(schema):
    components = schema["components"]["schemas"]
    snapshot = components["ProtocolDetail"]["properties"]["snapshot"]

    assert snapshot["allOf"] == [{"$ref": "#/components/schemas/ProtocolSnapshot"}]
    assert components["ProtocolSnapshot"]["oneOf"] == [
        {"$ref": "#/components/schemas/ProtocolSnapshotV2"},
        {"$ref": "#/components/schemas/ProtocolSnapshotV1"},
    ]
    for version in (1, 2):
        number = components[f"ProtocolSnapshotV{version}"]["properties"]["schema"]
        assert components[number["$ref"].rsplit("/", 1)[1]]["enum"] == [version]
