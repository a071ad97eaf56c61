"""OpenAPI documentation of the practice endpoints: what each does, and its error answers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from gutbrain.api.schema import UNAUTHENTICATED, ErrorSerializer
from gutbrain.api.serializers import InteractionCheckResultSerializer
from practice.api.serializers import (
    ClientSerializer,
    ConsultSerializer,
    IssueProtocolSerializer,
    ProtocolDetailSerializer,
    ProtocolSerializer,
)

ACCESS = (
    "\n\nPractitioners see and change only the clients they treat and what hangs from them: "
    "another practitioner's record answers 404, as if it did not exist, and is left out of "
    "lists. Authenticated users who are not practitioners get empty lists and 404s."
)
REPLACES = (
    " A nested list that is given replaces the stored list as a whole; one that is left "
    "out is kept. Nothing is saved when any part of the request is refused."
)

MESSAGES = {"type": "array", "items": {"type": "string"}}
FIELD_MESSAGES = {"type": "object", "additionalProperties": MESSAGES}
NESTED_MESSAGES = {"oneOf": [MESSAGES, {"type": "object", "additionalProperties": FIELD_MESSAGES}]}
VALIDATION_ERRORS = {
    "type": "object",
    "description": (
        "Messages by the field they are about. For a nested list the value is either a list "
        'of messages about the list as a whole (`["Listed more than once: N05BA04."]`) or '
        "an object keyed by the position (from 0) of each refused item, holding that item's "
        'messages by field (`{"1": {"form": ["…"]}}`). `non_field_errors` holds messages '
        "about the request as a whole. Unknown fields are refused by name, so that a "
        "misspelt field is never silently ignored."
    ),
    "additionalProperties": NESTED_MESSAGES,
}


@extend_schema_field(NESTED_MESSAGES)
class NestedMessagesField(serializers.JSONField):
    """Messages about a nested list: about the list as a whole, or by item and field."""


class IssueProtocolErrorSerializer(serializers.Serializer):
    """A refused issue: the messages by the field they are about."""

    acknowledgements = NestedMessagesField(
        required=False,
        help_text=_(
            "What is wrong with the acknowledgements: a list of messages (missing ones, "
            "see `unacknowledged`; nutrients that are not in the consult; one listed "
            "twice), or an object keyed by the position of each refused item with its "
            "messages by field."
        ),
    )
    unacknowledged = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_(
            "Slugs of every nutrient the check advises against (`avoid`) without a written "
            "reason. Send the request again with an acknowledgement for each."
        ),
    )
    non_field_errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_(
            "The consult has no supplement lines, or a line's nutrient is no longer published."
        ),
    )


def bad_request(description: str, **examples: dict) -> OpenApiResponse:
    return OpenApiResponse(
        VALIDATION_ERRORS,
        description=description,
        examples=[
            OpenApiExample(name.replace("_", " ").capitalize(), value=value, status_codes=["400"])
            for name, value in examples.items()
        ],
    )


NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such record, or one the user may not see (another practitioner's).",
    examples=[OpenApiExample("Not found", value={"detail": "Not found."}, status_codes=["404"])],
)
NO_SUCH_PAGE = OpenApiResponse(ErrorSerializer, description="No such page.")
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="The user is not a practitioner: only practitioners add records.",
    examples=[
        OpenApiExample(
            "Not a practitioner",
            value={"detail": "Only practitioners can add clients and consults."},
            status_codes=["403"],
        )
    ],
)
PROTECTED = OpenApiResponse(
    ErrorSerializer,
    description="Protocols have been issued from the record; they are kept, and so is it.",
)
UNPUBLISHED = OpenApiResponse(
    ErrorSerializer,
    description=(
        "A supplement line's nutrient is no longer published, so the check cannot answer "
        "for it. Change the consult's lines first."
    ),
)


def _not_a_filter(name: str) -> OpenApiResponse:
    return bad_request(
        "A filter's value is not valid: messages by parameter.",
        not_a_number={name: ["Enter a number."]},
    )


def _list(summary: str, description: str, response, *, filter_name: str | None = None):
    errors = {401: UNAUTHENTICATED, 404: NO_SUCH_PAGE}
    if filter_name:
        errors[400] = _not_a_filter(filter_name)
    return extend_schema(
        summary=summary, description=description + ACCESS, responses={200: response, **errors}
    )


def _detail(summary: str, description: str, response):
    return extend_schema(
        summary=summary,
        description=description + ACCESS,
        responses={200: response, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )


CLIENT_ERRORS = bad_request(
    "The client is not valid: messages by field, nested per medicine or supplement.",
    future_birth_date={"date_of_birth": ["A date of birth cannot be in the future."]},
    malformed_atc_code={
        "medications": {
            "1": {
                "atc_code": [
                    "Enter a complete ATC code: a letter, two digits, two letters, two "
                    "digits (N05BA04)."
                ]
            }
        }
    },
    medicine_listed_twice={"medications": ["Listed more than once: N05BA04."]},
    client_number_taken={
        "client_number": ["Another client of the practice has this client number."]
    },
    not_in_a_practice={
        "non_field_errors": [
            "You are not a member of a practice, and a client belongs to one. Ask the "
            "administrator to add you to your practice."
        ]
    },
)

CONSULT_ERRORS = bad_request(
    "The consult is not valid: messages by field, nested per supplement line.",
    not_your_client={"client": ["No such client: 17."]},
    unknown_nutrient={"supplements": {"0": {"nutrient": ["Not a published nutrient: magnesum."]}}},
    form_of_another_nutrient={
        "supplements": {"1": {"form": ["tryptophan has no form bisglycinate."]}}
    },
    dose_not_positive={"supplements": {"0": {"dose_amount": ["A dose must be more than zero."]}}},
    unknown_field={"pregnent": ["Unknown field."]},
)

CLIENT_DESCRIPTION = (
    "A client of the practice with the medicines they take (by ATC code: when the code is "
    "in the reference list, `/api/v1/medicines/`, the name may be left out) and the "
    "supplements they already take on their own."
)

clients = extend_schema_view(
    list=_list(
        "List your clients",
        "Search (`search`) by first name, last name and client number; order (`ordering`) "
        "by `last_name`, `first_name`, `client_number`, `date_of_birth`, `created_at` or "
        "`updated_at` (prefix `-` for descending). By last name by default.",
        ClientSerializer,
    ),
    retrieve=_detail("A client", CLIENT_DESCRIPTION, ClientSerializer),
    create=extend_schema(
        summary="Add a client",
        description=CLIENT_DESCRIPTION
        + " The client belongs to your practice and you are their practitioner; without a "
        "`client_number` the practice's next free number is given."
        + REPLACES
        + "\n\nOnly practitioners who are members of a practice can add clients: other "
        "users get 403, practitioners without a practice 400.",
        responses={201: ClientSerializer, 400: CLIENT_ERRORS, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    update=extend_schema(
        summary="Change a client",
        description=CLIENT_DESCRIPTION + REPLACES + ACCESS,
        responses={
            200: ClientSerializer,
            400: CLIENT_ERRORS,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    ),
    partial_update=extend_schema(
        summary="Change some of a client's fields",
        description=CLIENT_DESCRIPTION + REPLACES + ACCESS,
        responses={
            200: ClientSerializer,
            400: CLIENT_ERRORS,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    ),
    destroy=extend_schema(
        summary="Delete a client",
        description="Deletes the client with their medicines and consults. Refused (409) "
        "once a protocol has been issued for the client." + ACCESS,
        responses={204: None, 401: UNAUTHENTICATED, 404: NOT_FOUND, 409: PROTECTED},
    ),
)

CONSULT_DESCRIPTION = (
    "A consult of one of your clients: pregnancy and breastfeeding, the complaints "
    "(indication slugs) and the supplement lines. A line's `form` must be a form of its "
    "nutrient; its `dose_amount` must be more than zero."
)

consults = extend_schema_view(
    list=_list(
        "List the consults of your clients",
        "Filter by client (`client=<id>`); order (`ordering`) by `date`, `created_at` or "
        "`updated_at`. Newest first by default.",
        ConsultSerializer,
        filter_name="client",
    ),
    retrieve=_detail("A consult", CONSULT_DESCRIPTION, ConsultSerializer),
    create=extend_schema(
        summary="Add a consult",
        description=CONSULT_DESCRIPTION
        + " You are its practitioner."
        + REPLACES
        + "\n\nOnly practitioners add consults: other users get 403. A client you may not "
        "see is refused as not existing (400 on `client`).",
        responses={
            201: ConsultSerializer,
            400: CONSULT_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    update=extend_schema(
        summary="Change a consult",
        description=CONSULT_DESCRIPTION
        + REPLACES
        + " Protocols issued earlier stay as they were."
        + ACCESS,
        responses={
            200: ConsultSerializer,
            400: CONSULT_ERRORS,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    ),
    partial_update=extend_schema(
        summary="Change some of a consult's fields",
        description=CONSULT_DESCRIPTION
        + REPLACES
        + " Protocols issued earlier stay as they were."
        + ACCESS,
        responses={
            200: ConsultSerializer,
            400: CONSULT_ERRORS,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    ),
    destroy=extend_schema(
        summary="Delete a consult",
        description="Deletes the consult and its lines. Refused (409) once a protocol has "
        "been issued from it." + ACCESS,
        responses={204: None, 401: UNAUTHENTICATED, 404: NOT_FOUND, 409: PROTECTED},
    ),
    check=extend_schema(
        summary="Check a consult's supplements",
        description=(
            "The interaction check of the consult's supplement lines against the client's "
            "medicines and the consult's pregnancy and breastfeeding: the same answer as "
            "`POST /api/v1/interaction-check/`, whose description explains the levels." + ACCESS
        ),
        responses={
            200: InteractionCheckResultSerializer,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            409: UNPUBLISHED,
        },
    ),
    protocols=extend_schema(
        summary="Issue the consult's next protocol",
        description=(
            "Runs the interaction check and issues the next version of the consult's "
            "protocol: a frozen snapshot of everything it shows, and its PDF. Every nutrient "
            "the check advises against (`avoid`) needs an acknowledgement with a written "
            "reason, which is printed on the protocol; without one the issue is refused and "
            "`unacknowledged` names them all. Nothing is saved when the issue is refused." + ACCESS
        ),
        request=IssueProtocolSerializer,
        responses={
            201: OpenApiResponse(
                ProtocolSerializer,
                description="Issued. `url` is the protocol with its snapshot, `pdf_url` its PDF.",
            ),
            400: OpenApiResponse(
                IssueProtocolErrorSerializer,
                description=("Refused: nothing was issued. Unknown fields are refused by name."),
                examples=[
                    OpenApiExample(
                        "An avoid finding without a reason",
                        value={
                            "acknowledgements": [
                                "Acknowledge with a written reason before issuing: tryptophan."
                            ],
                            "unacknowledged": ["tryptophan"],
                        },
                        status_codes=["400"],
                    ),
                    OpenApiExample(
                        "A consult without lines",
                        value={
                            "non_field_errors": ["A protocol needs at least one supplement line."]
                        },
                        status_codes=["400"],
                    ),
                ],
            ),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "Tryptophan despite an MAO inhibitor",
                value={
                    "acknowledgements": [
                        {
                            "nutrient": "tryptophan",
                            "reason": "Discussed with the psychiatrist; stopping the MAO "
                            "inhibitor on 1 December.",
                        }
                    ]
                },
                request_only=True,
            )
        ],
    ),
)

READ_ONLY = (
    "\n\nIssued protocols never change: PUT, PATCH and DELETE answer 405, and so does POST "
    "on the list. Issue a protocol with `POST /api/v1/consults/{id}/protocols/`."
)

protocols = extend_schema_view(
    list=_list(
        "List the protocols issued for your clients",
        "Filter by consult (`consult=<id>`); order (`ordering`) by `issued_at` or `version`."
        + READ_ONLY,
        ProtocolSerializer,
        filter_name="consult",
    ),
    retrieve=_detail(
        "An issued protocol with its snapshot",
        "The snapshot holds everything the protocol shows, as it was when issued." + READ_ONLY,
        ProtocolDetailSerializer,
    ),
    pdf=extend_schema(
        summary="The PDF of an issued protocol",
        description=(
            "The PDF exactly as it was stored when the protocol was issued (its SHA-256 is "
            "`pdf_sha256`), as an attachment with a file name. Errors are JSON." + ACCESS
        ),
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The stored PDF."
            ),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    ),
)
