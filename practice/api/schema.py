"""OpenAPI documentation of the practice endpoints: what each does, and its error answers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from gutbrain.api.schema import BAD_SEARCH, NOT_JSON, UNAUTHENTICATED, ErrorSerializer
from practice.api import serializers as api_serializers
from practice.records import EXPORT_FORMAT_VERSION, RETENTION_YEARS

ACCESS = (
    "\n\nPractitioners see and change only the clients they treat and what hangs from them: "
    "another practitioner's record answers 404, as if it did not exist, and is left out of "
    "lists. Assistants see only the contact details (`/api/v1/client-contacts/`) and the "
    "issued protocols of the clients of the practitioners they assist; curators and other "
    "users who are not practitioners get empty lists and 404s. Every access to a record, "
    "and every refused attempt, is written to the client's access log "
    "(`/api/v1/clients/{id}/access-log/`)."
)
REPLACES = (
    " A nested list that is given replaces the stored list as a whole; one that is left "
    "out is kept. Nothing is saved when any part of the request is refused."
)

MESSAGES = {"type": "array", "items": {"type": "string"}}
FIELD_MESSAGES = {"type": "object", "additionalProperties": MESSAGES}
NESTED_MESSAGES = {
    "oneOf": [
        MESSAGES,
        {"type": "object", "additionalProperties": {"oneOf": [MESSAGES, FIELD_MESSAGES]}},
    ]
}
VALIDATION_ERRORS = {
    "type": "object",
    "description": (
        "Messages by the field they are about. For a nested list the value is either a list "
        'of messages about the list as a whole (`["Listed more than once: N05BA04."]`) or '
        "an object keyed by the position (from 0) of each refused item, holding that item's "
        'messages by field (`{"1": {"form": ["…"]}}`) or messages about the item as a whole '
        '(`{"0": ["This field may not be null."]}`). `non_field_errors` holds messages '
        "about the request as a whole. Unknown fields are refused by name, so that a "
        "misspelt field is never silently ignored."
    ),
    "properties": {"detail": {"type": "string", "description": "The body is not valid JSON."}},
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


def _list(
    summary: str,
    description: str,
    response,
    *,
    filter_name: str | None = None,
    search: bool = False,
):
    errors = {401: UNAUTHENTICATED, 404: NO_SUCH_PAGE}
    if filter_name:
        errors[400] = _not_a_filter(filter_name)
    if search:
        errors[400] = BAD_SEARCH
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
                    "Not a valid ATC code: N05B. An ATC code consists of a main group "
                    "letter (A, B, C, D, G, H, J, L, M, N, P, R, S or V), two digits, two "
                    "letters and two digits, such as N05BA04."
                ]
            }
        }
    },
    medicine_listed_twice={"medications": ["Listed more than once: N05BA04."]},
    not_an_intake_time={
        "medications": {
            "0": {
                "intake_times": [
                    'Not a moment or a clock time: "25:00". Give morning, midday, evening, '
                    "bedtime or a time from 00:00 to 23:59, such as 21:00."
                ]
            }
        }
    },
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
    "\n\nA medicine's `intake_times` say when the client takes it: the moments `morning`, "
    "`midday`, `evening` and `bedtime`, which stand for 08:00 (breakfast), 12:30 (lunch), "
    "18:00 (dinner) and 22:00, or clock times `HH:MM`; empty when not known. The protocol's "
    "day plan places the supplements at those default clock times (between meals: 10:30 "
    "and 15:30) and keeps a nutrient that must be taken apart from medicines (magnesium) "
    "at least 2 hours before or 4 hours after every known time."
)


def _object(properties: dict, description: str = "") -> dict:
    schema = {"type": "object", "properties": properties, "required": list(properties)}
    return {**schema, "description": description} if description else schema


STRING = {"type": "string"}
NULLABLE_STRING = {"type": "string", "nullable": True}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
USER = _object({"username": STRING, "name": STRING})
NAMED_SLUG = _object({"slug": STRING, "name_nl": STRING, "name_en": STRING})
EXPORT_LINE = _object(
    {
        "order": {"type": "integer"},
        "nutrient": STRING,
        "nutrient_name_nl": STRING,
        "nutrient_name_en": STRING,
        "form": NULLABLE_STRING,
        "form_name_nl": STRING,
        "form_name_en": STRING,
        "dose_amount": {"type": "string", "format": "decimal"},
        "dose_unit": STRING,
        "frequency": STRING,
        "timing": STRING,
        "duration_weeks": {"type": "integer", "nullable": True},
        "instructions": STRING,
    }
)
EXPORT_PROTOCOL = _object(
    {
        "id": {"type": "integer"},
        "version": {"type": "integer"},
        "issued_at": DATE_TIME,
        "issued_by": USER,
        "worst_level": STRING,
        "pdf_file": STRING,
        "pdf_sha256": STRING,
        "snapshot": {
            "type": "object",
            "additionalProperties": True,
            "description": "Everything the protocol shows, as it was issued: "
            "`GET /api/v1/protocols/{id}/` describes it.",
        },
        "acknowledgements": {
            "type": "array",
            "items": _object(
                {
                    "nutrient": STRING,
                    "reason": STRING,
                    "acknowledged_by": USER,
                    "acknowledged_at": DATE_TIME,
                }
            ),
        },
    }
)
EXPORT_CONSULT = _object(
    {
        "id": {"type": "integer"},
        "date": DATE,
        "practitioner": USER,
        "pregnant": {"type": "boolean"},
        "breastfeeding": {"type": "boolean"},
        "notes": STRING,
        "complaints": {"type": "array", "items": NAMED_SLUG},
        "lines": {"type": "array", "items": EXPORT_LINE},
        "protocols": {"type": "array", "items": EXPORT_PROTOCOL},
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
    }
)
CLIENT_EXPORT = _object(
    {
        "format_version": {"type": "integer", "enum": [EXPORT_FORMAT_VERSION]},
        "exported_at": DATE_TIME,
        "practice": _object({"name": STRING, "agb_code": STRING}),
        "client": _object(
            {
                "id": {"type": "integer"},
                "client_number": STRING,
                "first_name": STRING,
                "last_name": STRING,
                "date_of_birth": DATE,
                "email": STRING,
                "phone": STRING,
                "address": STRING,
                "notes": STRING,
                "practitioner": USER,
                "created_at": DATE_TIME,
                "updated_at": DATE_TIME,
            }
        ),
        "medications": {
            "type": "array",
            "items": _object(
                {"atc_code": STRING, "name": STRING, "from_reference_list": {"type": "boolean"}}
            ),
        },
        "own_supplements": {
            "type": "array",
            "items": _object({"name": STRING, "nutrient": NULLABLE_STRING, "dose": STRING}),
        },
        "consults": {"type": "array", "items": EXPORT_CONSULT},
    },
    "Everything held on the client. `format_version` counts up when the layout changes.",
)
EXPORT_EXAMPLE = {
    "format_version": EXPORT_FORMAT_VERSION,
    "exported_at": "2026-11-27T09:30:00+01:00",
    "practice": {"name": "Praktijk De Darm-Hersen-As", "agb_code": "90001234"},
    "client": {
        "id": 42,
        "client_number": "00042",
        "first_name": "Sanne",
        "last_name": "Mulder",
        "date_of_birth": "1985-03-14",
        "email": "",
        "phone": "",
        "address": "",
        "notes": "",
        "practitioner": {"username": "anna", "name": "Anna de Vries"},
        "created_at": "2026-11-02T10:00:00+01:00",
        "updated_at": "2026-11-02T10:00:00+01:00",
    },
    "medications": [{"atc_code": "N06AF03", "name": "fenelzine", "from_reference_list": True}],
    "own_supplements": [{"name": "Visolie", "nutrient": None, "dose": "1 capsule"}],
    "consults": [
        {
            "id": 7,
            "date": "2026-11-02",
            "practitioner": {"username": "anna", "name": "Anna de Vries"},
            "pregnant": False,
            "breastfeeding": False,
            "notes": "",
            "complaints": [{"slug": "stress", "name_nl": "Stress", "name_en": "Stress"}],
            "lines": [
                {
                    "order": 1,
                    "nutrient": "magnesium",
                    "nutrient_name_nl": "Magnesium",
                    "nutrient_name_en": "Magnesium",
                    "form": "bisglycinate",
                    "form_name_nl": "Magnesiumbisglycinaat",
                    "form_name_en": "Magnesium bisglycinate",
                    "dose_amount": "200",
                    "dose_unit": "mg",
                    "frequency": "once_daily",
                    "timing": "evening",
                    "duration_weeks": 8,
                    "instructions": "",
                }
            ],
            "protocols": [],
            "created_at": "2026-11-02T10:05:00+01:00",
            "updated_at": "2026-11-02T10:20:00+01:00",
        }
    ],
}
RECORD_ACCESS = (
    "\n\nOnly the client's treating practitioner and superusers may: anyone else gets 404, "
    "as if the client did not exist."
)

clients = extend_schema_view(
    list=_list(
        "List your clients",
        "Search (`search`) by first name, last name and client number; order (`ordering`) "
        "by `last_name`, `first_name`, `client_number`, `date_of_birth`, `created_at` or "
        "`updated_at` (prefix `-` for descending). By last name by default.",
        api_serializers.ClientSerializer,
        search=True,
    ),
    retrieve=_detail("A client", CLIENT_DESCRIPTION, api_serializers.ClientSerializer),
    create=extend_schema(
        summary="Add a client",
        description=CLIENT_DESCRIPTION
        + " The client belongs to your practice and you are their practitioner; without a "
        "`client_number` the practice's next free number is given."
        + REPLACES
        + "\n\nOnly practitioners who are members of a practice can add clients: other "
        "users get 403, practitioners without a practice 400.",
        responses={
            201: api_serializers.ClientSerializer,
            400: CLIENT_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            415: NOT_JSON,
        },
    ),
    update=extend_schema(
        summary="Change a client",
        description=CLIENT_DESCRIPTION + REPLACES + ACCESS,
        responses={
            200: api_serializers.ClientSerializer,
            400: CLIENT_ERRORS,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            415: NOT_JSON,
        },
    ),
    partial_update=extend_schema(
        summary="Change some of a client's fields",
        description=CLIENT_DESCRIPTION + REPLACES + ACCESS,
        responses={
            200: api_serializers.ClientSerializer,
            400: CLIENT_ERRORS,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            415: NOT_JSON,
        },
    ),
    destroy=extend_schema(
        summary="Delete a client",
        description="Deletes the client with their medicines and consults. Refused (409) "
        "once a protocol has been issued for the client; erase the record on the client's "
        "request instead (`POST /api/v1/clients/{id}/erase/`)." + ACCESS,
        responses={204: None, 401: UNAUTHENTICATED, 404: NOT_FOUND, 409: PROTECTED},
    ),
    export=extend_schema(
        summary="Export everything held on a client",
        description=(
            "The client's right of access (AVG art. 15 and 20, WGBO art. 7:456): their "
            "details, medicines and own supplements, and every consult with its complaints, "
            "supplement lines and issued protocols (each with its snapshot, the SHA-256 of "
            "its PDF and its acknowledgements), as one JSON document. The staff pages offer "
            "the same as a download." + RECORD_ACCESS
        ),
        responses={
            200: OpenApiResponse(
                CLIENT_EXPORT,
                description="Everything held on the client.",
                examples=[OpenApiExample("A client with one consult", value=EXPORT_EXAMPLE)],
            ),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    ),
    erase=extend_schema(
        summary="Erase a client's record on their request",
        description=(
            "The client's right to erasure (AVG art. 17, WGBO art. 7:455). Removes, in one "
            "transaction, the client with their medicines and own supplements, their "
            "consults with complaints and lines, the issued protocols (the one exception to "
            "their never changing) with their acknowledgements and PDF files. Only an "
            "erasure record is kept: who erased, when, why, the practice and the former "
            "client id, the reference the access log's entries carry. It cannot be undone."
            "\n\nRecords are otherwise kept "
            f"{RETENTION_YEARS} years after the last consult; `manage.py retention_report` "
            "lists those whose period has ended." + RECORD_ACCESS
        ),
        request=api_serializers.EraseClientSerializer,
        responses={
            200: OpenApiResponse(api_serializers.ErasureRecordSerializer, description="Erased."),
            400: bad_request(
                "No reason given: nothing was erased.",
                no_reason={"reason": ["This field is required."]},
            ),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            415: NOT_JSON,
        },
        examples=[
            OpenApiExample(
                "On the client's request",
                value={"reason": "Written request of the client, received 20 November 2026."},
                request_only=True,
            )
        ],
    ),
    access_log=extend_schema(
        summary="A client's access log",
        description=(
            "Every read, change, export, print and refused attempt on the client's record "
            "(the client, their consults, protocols and PDFs, through the staff pages, the "
            "API and the admin), newest first (NEN 7513): who (the user's id and username "
            "as they were), when, which record, what, the outcome (`allowed`, `refused`: "
            "the record exists but the user may not reach it, `not_found`), and from where "
            "(channel, IP address, user agent). The log is append-only and each entry "
            "carries the SHA-256 of the previous one, so that tampering shows "
            "(`manage.py verify_access_log`)."
            "\n\nOnly the client's treating practitioner and superusers may read it: anyone "
            "else gets 404, as if the client did not exist."
        ),
        responses={
            200: api_serializers.AccessLogEntrySerializer(many=True),
            401: UNAUTHENTICATED,
            404: OpenApiResponse(
                ErrorSerializer,
                description="No such client, one the user does not treat, or no such page.",
            ),
        },
    ),
)

client_contacts = extend_schema_view(
    list=_list(
        "List clients' contact details",
        "The contact details of the clients an assistant may reach (those of the "
        "practitioners they assist) or a practitioner treats: no notes, medicines or "
        "consults. Search (`search`) by first name, last name and client number; order "
        "(`ordering`) by `last_name`, `first_name`, `client_number` or `date_of_birth`.",
        api_serializers.ClientContactSerializer,
        search=True,
    ),
    retrieve=_detail(
        "A client's contact details",
        "The client's name, number, date of birth, e-mail, phone and address, and their "
        "treating practitioner.",
        api_serializers.ClientContactSerializer,
    ),
)

CONSULT_DESCRIPTION = (
    "A consult of one of your clients: pregnancy and breastfeeding, the complaints "
    "(indication slugs) and the supplement lines. A line's `form` must be a form of its "
    "nutrient; its `dose_amount` must be more than zero."
)

ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The consult's current version. Send it back in `If-Match` when changing "
    "the consult.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The `ETag` of the consult as you loaded it. When the consult has been "
    "changed since, the request is refused with 412 and nothing is saved. Without "
    "`If-Match` the change is made whatever the consult's current version (the last write "
    "wins), as before ETags existed; `*` also accepts any version.",
)
CHANGED_MEANWHILE = OpenApiResponse(
    ErrorSerializer,
    description="`If-Match` names a version of the consult that is no longer current: "
    "someone changed it after you loaded it. Nothing was saved.",
    examples=[
        OpenApiExample(
            "Changed meanwhile",
            value={
                "detail": "The consult has been changed since you loaded it: nothing was "
                "saved. Load it again (its new ETag) and apply your change to that."
            },
            status_codes=["412"],
        )
    ],
)


class CheckChangedSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What happened, in the request's language."))
    check = api_serializers.ConsultCheckSerializer(help_text=_("The check as it answers now."))


CHECK_CHANGED = OpenApiResponse(
    CheckChangedSerializer,
    description="`check_digest` is not the digest of the consult's check now: the check "
    "changed after it was shown. Nothing was issued; `check` is the current check. Show it "
    "and issue again with its digest.",
)
CONCURRENCY = (
    "\n\nThe answer carries the consult's `ETag`; send it back in `If-Match` so that a "
    "change made by someone else meanwhile is not overwritten (412). A request that is "
    "both stale and invalid answers 400."
)


def _consult_write(summary: str):
    return extend_schema(
        summary=summary,
        description=CONSULT_DESCRIPTION
        + REPLACES
        + " Protocols issued earlier stay as they were."
        + CONCURRENCY
        + ACCESS,
        parameters=[IF_MATCH, ETAG],
        responses={
            200: api_serializers.ConsultSerializer,
            400: CONSULT_ERRORS,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            412: CHANGED_MEANWHILE,
            415: NOT_JSON,
        },
    )


consults = extend_schema_view(
    list=_list(
        "List the consults of your clients",
        "Filter by client (`client=<id>`); order (`ordering`) by `date`, `created_at` or "
        "`updated_at`. Newest first by default.",
        api_serializers.ConsultSerializer,
        filter_name="client",
    ),
    retrieve=extend_schema(
        summary="A consult",
        description=CONSULT_DESCRIPTION + CONCURRENCY + ACCESS,
        parameters=[ETAG],
        responses={200: api_serializers.ConsultSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Add a consult",
        description=CONSULT_DESCRIPTION
        + " You are its practitioner."
        + REPLACES
        + "\n\nOnly practitioners add consults: other users get 403. A client you may not "
        "see is refused as not existing (400 on `client`).",
        responses={
            201: api_serializers.ConsultSerializer,
            400: CONSULT_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            415: NOT_JSON,
        },
    ),
    update=_consult_write("Change a consult"),
    partial_update=_consult_write("Change some of a consult's fields"),
    destroy=extend_schema(
        summary="Delete a consult",
        description="Deletes the consult and its lines. Refused (409) once a protocol has "
        "been issued from it." + ACCESS,
        responses={204: None, 401: UNAUTHENTICATED, 404: NOT_FOUND, 409: PROTECTED},
    ),
    check=extend_schema(
        summary="Check a consult's supplements",
        description=(
            "The interaction check of the consult's supplement lines and of the client's "
            "own supplements against the client's medicines and the consult's pregnancy and "
            "breastfeeding; `POST /api/v1/interaction-check/` explains the levels.\n\n"
            "Besides its lines, every own supplement of the client that is a nutrient of the "
            "knowledge base is checked (`source`: `own_supplement`); its findings count in "
            "`worst_level`, and an `avoid` on it needs an acknowledgement when issuing like a "
            "line's. Own supplements that are not in the knowledge base are listed in "
            "`not_checked`: nothing the client takes disappears without a word. `medicines` "
            "says, for every medicine, whether the reference list knows its code and which "
            "classes it falls in. Send `check_digest` with the issue "
            "(`POST /api/v1/consults/{id}/protocols/`) so that exactly this answer is issued."
            + ACCESS
        ),
        responses={
            200: api_serializers.ConsultCheckSerializer,
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
            "`unacknowledged` names them all. Nothing is saved when the issue is refused."
            "\n\nIssue exactly what was checked: send the `check_digest` of the check you "
            "showed (`GET /api/v1/consults/{id}/check/`); when the check answers otherwise now "
            "(the consult, the client's medicines or own supplements, or the knowledge base "
            "changed), the answer is 409 with the current check, and nothing is issued. "
            "`If-Match` with the consult's `ETag` is also honoured: a stale one answers 412, "
            "before the digest and the acknowledgements are looked at. A body that is not "
            "valid answers 400 first." + ACCESS
        ),
        request=api_serializers.IssueProtocolSerializer,
        parameters=[IF_MATCH],
        responses={
            201: OpenApiResponse(
                api_serializers.ProtocolSerializer,
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
            409: CHECK_CHANGED,
            412: CHANGED_MEANWHILE,
            415: NOT_JSON,
            507: OpenApiResponse(
                ErrorSerializer,
                description="The storage for the PDFs is full: nothing was issued.",
            ),
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
        api_serializers.ProtocolSerializer,
        filter_name="consult",
    ),
    retrieve=_detail(
        "An issued protocol with its snapshot",
        "The snapshot holds everything the protocol shows, as it was when issued." + READ_ONLY,
        api_serializers.ProtocolDetailSerializer,
    ),
    pdf=extend_schema(
        summary="The PDF of an issued protocol",
        description=(
            "The PDF exactly as it was stored when the protocol was issued (its SHA-256 is "
            "`pdf_sha256`), as an attachment with a file name. A stored file that is missing "
            "or damaged is rendered again from the snapshot and served when it gives the "
            "same SHA-256 (and stored again); when it does not, the answer is 500 and the "
            "file must come from a backup. Errors are JSON." + ACCESS
        ),
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The stored PDF."
            ),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            500: OpenApiResponse(
                ErrorSerializer,
                description="The stored file is missing or damaged and cannot be rendered "
                "again byte for byte.",
            ),
        },
    ),
)
