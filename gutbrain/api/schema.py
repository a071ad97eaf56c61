"""OpenAPI documentation shared by the endpoints: error bodies, the level enums and the
token authentication; and the schema as generated clients see it (the generator, the
inspector and the hooks of `SPECTACULAR_SETTINGS`)."""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular import generators, openapi
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class SchemaGenerator(generators.SchemaGenerator):
    """The schema with English names and titles whatever the request's language, and its
    descriptions in the request's language.

    Client generators name classes after titles (the nutrients' filter titled "Soort"
    gave a class `NutrientsListSoort`), so a client generated from the Dutch schema (the
    default language) must be the one generated from the English. The schema is built in
    English; in another language it is built once more, and its descriptions replace the
    English ones. The two differ in nothing else (a test compares them).
    """

    def get_schema(self, request=None, public: bool = False) -> dict:
        language = translation.get_language() or "en"
        with translation.override("en"):
            schema = super().get_schema(request, public)
        if language.split("-")[0] != "en":
            localized = generators.SchemaGenerator(
                urlconf=self.urlconf, patterns=self.patterns, api_version=self.api_version
            ).get_schema(request, public)
            _take_descriptions(schema, localized)
        return schema


def _take_descriptions(schema: Any, localized: Any) -> None:
    """Puts the descriptions of `localized` into `schema`, which has the same shape."""
    if isinstance(schema, dict) and isinstance(localized, dict):
        for key, value in schema.items():
            if key == "description" and isinstance(value, str):
                if isinstance(localized.get(key), str):
                    schema[key] = localized[key]
            elif key in localized:
                _take_descriptions(value, localized[key])
    elif isinstance(schema, list) and isinstance(localized, list):
        for item, localized_item in zip(schema, localized, strict=False):
            _take_descriptions(item, localized_item)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's inspector, with every field of a model's answer `required`.

    A model serializer shows every field of the instance, blank or null included, but
    drf-spectacular requires only those required on input (`issued_at`, with a default,
    was optional), and generated clients typed them "maybe unset". Plain serializers keep
    their own `required`: their optional fields (the messages of an error answer by
    field) are left out of the answer when they have nothing to say.
    """

    def _map_basic_serializer(self, serializer, direction) -> dict:
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and isinstance(
            force_instance(serializer), serializers.ModelSerializer
        ):
            schema["required"] = sorted(schema["properties"])
        return schema


# How drf-spectacular allows a blank value in a string field with a format or a pattern
# (an e-mail address, a URL, a client number).
BLANK_STRING = {"type": "string", "maxLength": 0}


def blank_strings_as_any_of(result: dict, **kwargs) -> dict:
    """A blank-allowed string field as `anyOf` its format and the empty string.

    drf-spectacular writes `oneOf`, which an empty string fails whenever it also matches
    the format (`format: email` is not asserted by JSON Schema validators by default), so
    validators and generated clients refused `"email": ""`.
    """

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if BLANK_STRING in node.get("oneOf", ()):
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result


def parameter_enums_as_components(result: dict, **kwargs) -> dict:
    """A filter's choices as the enum component with the same values (`?kind=` as
    `KindEnum`), so that generated clients have one enum for the field and its filter
    rather than a second one named after the operation (`NutrientsListKind`)."""
    components = result.get("components", {}).get("schemas", {})
    by_values: dict[frozenset, list[str]] = {}
    for name, component in components.items():
        if "enum" in component:
            by_values.setdefault(frozenset(component["enum"]), []).append(name)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                names = by_values.get(frozenset(schema.get("enum", ())), [])
                if schema.get("type") == "string" and len(names) == 1:
                    parameter["schema"] = {"$ref": f"#/components/schemas/{names[0]}"}
    return result


class LevelFieldSchema(OpenApiSerializerFieldExtension):
    """Documents every `LevelField` as one named enum component.

    drf-spectacular would otherwise derive an enum per field name, and `level` occurs with
    two choice sets (the check's seven levels and the table's five), which it can only
    resolve with a warning and a generated name.
    """

    target_class = "gutbrain.api.fields.LevelField"
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.component_name

    def map_serializer_field(self, auto_schema, direction) -> dict:
        levels = self.target.levels
        return {
            "type": "string",
            "enum": [level.value for level in levels],
            "description": "Most serious first:\n"
            + "\n".join(f"* `{level.value}` - {level.label}" for level in levels),
        }


class KnoxTokenScheme(OpenApiAuthenticationExtension):
    """Documents knox's tokens as `tokenAuth`, the name the schema gave DRF's tokens before,
    so that generated clients keep working; drf-spectacular's own extension for knox would
    rename it and describe a bearer scheme."""

    target_class = "knox.auth.TokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token <token>`, with a token from `POST /api/v1/auth/token/`, until its `expiry`."
            ),
        }


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class InteractionCheckErrorSerializer(serializers.Serializer):
    """A 400 of the interaction check: the messages by the field they are about."""

    nutrients = serializers.ListField(child=serializers.CharField(), required=False)
    atc_codes = serializers.ListField(child=serializers.CharField(), required=False)
    pregnant = serializers.ListField(child=serializers.CharField(), required=False)
    breastfeeding = serializers.ListField(child=serializers.CharField(), required=False)
    non_field_errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("The body is not a JSON object."),
    )
    detail = serializers.CharField(required=False, help_text=_("The body is not valid JSON."))


class TokenErrorSerializer(serializers.Serializer):
    """A 400 of the token endpoint: the messages by the field they are about."""

    username = serializers.ListField(child=serializers.CharField(), required=False)
    password = serializers.ListField(child=serializers.CharField(), required=False)
    non_field_errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("The credentials are wrong, or the account is inactive."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=_("Send as `Authorization: Token <token>`. It is shown only this once.")
    )
    expiry = serializers.DateTimeField(
        help_text=_("When the token stops working; obtain a new one then.")
    )


FIELD_ERRORS = {
    "type": "object",
    "description": "Messages by the name of the field or query parameter they are about.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

UNAUTHENTICATED = OpenApiResponse(
    ErrorSerializer,
    description="Not authenticated: send `Authorization: Token <token>` or log in.",
    examples=[
        OpenApiExample(
            "Not authenticated",
            value={"detail": "Authentication credentials were not provided."},
            status_codes=["401"],
        )
    ],
)
# The answer of every operation with a body, here and in the practice API: they all take
# JSON only (`DEFAULT_PARSER_CLASSES`).
NOT_JSON = OpenApiResponse(
    ErrorSerializer,
    description=(
        "The body is not JSON: send `Content-Type: application/json`. Forms and multipart "
        "bodies are refused, and nothing is changed."
    ),
    examples=[
        OpenApiExample(
            "A form",
            value={
                "detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.'
            },
            status_codes=["415"],
        )
    ],
)

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such object, or not published.")
# DRF's search filter refuses a term with a null character with a bare list of messages,
# not keyed by `search` like the filters' messages.
SEARCH_ERRORS = {
    "type": "array",
    "items": {"type": "string"},
    "description": "The `search` term is not valid (it holds a null character).",
}
BAD_SEARCH = OpenApiResponse(
    SEARCH_ERRORS,
    description='The `search` term is not valid, e.g. `["Null characters are not allowed."]`.',
)
LIST_ERRORS = {
    400: OpenApiResponse(
        {"oneOf": [FIELD_ERRORS, SEARCH_ERRORS]},
        description=(
            "A filter's value is not valid: messages by parameter, e.g. "
            '`{"kind": ["Select a valid choice. …"]}`; or the `search` term is not valid: '
            'a list of messages, e.g. `["Null characters are not allowed."]`.'
        ),
    ),
    401: UNAUTHENTICATED,
    404: OpenApiResponse(ErrorSerializer, description="No such page."),
}
DETAIL_ERRORS = {401: UNAUTHENTICATED, 404: NOT_FOUND}
