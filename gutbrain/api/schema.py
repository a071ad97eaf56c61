"""OpenAPI documentation shared by the endpoints: error bodies, the level enums and the
token authentication."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


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
