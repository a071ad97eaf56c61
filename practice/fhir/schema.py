"""OpenAPI documentation of the FHIR endpoints."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers

from gutbrain.api.schema import NOT_JSON, UNAUTHENTICATED, ErrorSerializer
from practice.api.schema import NOT_FOUND
from practice.fhir.imports import MAX_ENTRIES, SkipReason

FHIR_NOTE = (
    "\n\nFHIR R4 (the R4B models' JSON), always `Content-Type: application/fhir+json`, "
    'whatever `Accept` asks for; an error is `{"detail": …}` under the same type (only an '
    "address that is no record's, with a slash in its id, gets the API's JSON 404). Texts "
    "(displays, descriptions, the advice) are in the request's language (`Accept-Language`; "
    "Dutch by default), codes never are. Nutrients are coded in the code system "
    "`GET /api/v1/fhir/CodeSystem/nutrient` serves (its `url`), medicines in ATC "
    "(`http://www.whocc.no/atc`), the practice's and practitioners' AGB codes in "
    "`http://fhir.nl/fhir/NamingSystem/agb-z`."
)

RESOURCE = {
    "type": "object",
    "description": "A FHIR resource.",
    "properties": {"resourceType": {"type": "string"}},
    "required": ["resourceType"],
    "additionalProperties": True,
}
BUNDLE = {
    "type": "object",
    "description": (
        "A FHIR `Bundle` of type `collection`; each entry's `fullUrl` is a `urn:uuid:`, "
        "the same for the same record in every export, and the entries refer to each "
        "other by it."
    ),
    "properties": {
        "resourceType": {"type": "string", "enum": ["Bundle"]},
        "language": {"type": "string"},
        "type": {"type": "string", "enum": ["collection"]},
        "timestamp": {"type": "string", "format": "date-time"},
        "entry": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "fullUrl": {"type": "string", "pattern": "^urn:uuid:"},
                    "resource": RESOURCE,
                },
                "required": ["fullUrl", "resource"],
            },
        },
    },
    "required": ["resourceType", "type", "entry"],
    "additionalProperties": True,
}
CODE_SYSTEM = {
    "type": "object",
    "description": "A FHIR `CodeSystem` with every concept (`content`: `complete`).",
    "properties": {
        "resourceType": {"type": "string", "enum": ["CodeSystem"]},
        "url": {"type": "string"},
        "status": {"type": "string"},
        "content": {"type": "string", "enum": ["complete"]},
        "count": {"type": "integer"},
        "concept": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "display": {"type": "string"},
                    "designation": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "language": {"type": "string"},
                                "value": {"type": "string"},
                            },
                        },
                    },
                },
                "required": ["code", "display"],
            },
        },
    },
    "required": ["resourceType", "url", "status", "content"],
    "additionalProperties": True,
}
# One named component for both media types: a generator makes one class of it.
MEDICATION_LIST = inline_serializer(
    name="FhirMedicationList",
    fields={
        "resourceType": serializers.ChoiceField(
            choices=["Bundle", "MedicationStatement", "MedicationRequest"],
            help_text=(
                "A FHIR `Bundle` of `MedicationStatement` and/or `MedicationRequest` "
                f"resources, or one such resource. A bundle holds at most {MAX_ENTRIES} "
                "entries; every other field of FHIR R4 is read as FHIR defines it."
            ),
        ),
        "entry": serializers.ListField(
            child=serializers.DictField(), max_length=MAX_ENTRIES, required=False
        ),
    },
)

EXPORT_ERRORS = {
    401: UNAUTHENTICATED,
    404: NOT_FOUND,
    # An address that is no endpoint's at all (a slash in the id) is the API's own 404.
    (404, "application/json"): OpenApiResponse(
        ErrorSerializer, description="No such address: not a record's."
    ),
}


def _id(record: str) -> OpenApiParameter:
    return OpenApiParameter(
        "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=f"The {record}'s id."
    )


class AddedMedicineSerializer(serializers.Serializer):
    atc_code = serializers.CharField()
    name = serializers.CharField()


class SkippedEntrySerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("The entry's position in the bundle, from 0."))
    reason = serializers.ChoiceField(
        choices=SkipReason.choices,
        help_text=_(
            "Why the entry was not added: `not_atc_coded` (no ATC coding, e.g. a "
            "G-Standaard code only: add it by hand), `invalid_atc_code` (not a complete ATC "
            "code such as N05BA04), `unsupported_resource_type` (not a MedicationStatement "
            "or MedicationRequest), `duplicate` (the client takes it already, or an entry "
            "before it has the same code), `not_active` (stopped, completed, entered in "
            "error, not taken, cancelled or a draft)."
        ),
    )


class MedicationImportSerializer(serializers.Serializer):
    added = AddedMedicineSerializer(many=True)
    skipped = SkippedEntrySerializer(many=True)


EXAMPLE_LIST = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {
            "resource": {
                "resourceType": "MedicationStatement",
                "status": "active",
                "subject": {"display": "Sanne Mulder"},
                "medicationCodeableConcept": {
                    "coding": [
                        {
                            "system": "http://www.whocc.no/atc",
                            "code": "N06AB06",
                            "display": "sertraline",
                        }
                    ]
                },
                "dosage": [{"timing": {"repeat": {"when": ["MORN"]}}}],
            }
        },
        {
            "resource": {
                "resourceType": "MedicationStatement",
                "status": "active",
                "subject": {"display": "Sanne Mulder"},
                "medicationCodeableConcept": {
                    "coding": [
                        {
                            "system": "urn:oid:2.16.840.1.113883.2.4.4.7",
                            "code": "14326507",
                            "display": "Oxazepam 10 mg tablet",
                        }
                    ]
                },
            }
        },
    ],
}

client_bundle = extend_schema(
    summary="A client's record as FHIR",
    parameters=[_id("client")],
    description=(
        "The client's record as a FHIR `Bundle` (`collection`): the `Patient` (name, date "
        "of birth, the client number as an identifier in a system of the practice), the "
        "practice as `Organization` (its AGB code), the `Practitioner`s (the treating one, "
        "and whoever issued a protocol), a `MedicationStatement` per medicine (ATC; the "
        "intake times as `dosage[].timing`) and per own supplement (coded in the nutrient "
        "code system when it is a nutrient, else a text), and per issued protocol a "
        "`CarePlan` (`intent` `plan`; `active` for the newest version of its consult, "
        "`revoked` for those it replaced, which `replaces` names; an `activity.detail` per "
        "supplement line, `scheduled`, with the nutrient, `dailyAmount` and "
        "`scheduledTiming`) and a `DetectedIssue` per finding of its check (`severity` "
        "`high` for `avoid`, `moderate` for `consult`, `low` for the rest; `detail` the "
        "advice; `implicated` the medicines' statements; an acknowledged `avoid` has the "
        "written reason in `mitigation`). A nutrient the interaction table holds nothing on "
        "has a `low` DetectedIssue too: nothing recorded is not the same as safe. A medicine "
        "a protocol's check saw that the client no longer takes is a `completed` "
        "statement.\n\nThe export is written to the client's access log. Only the client's "
        "treating practitioner and superusers may: anyone else gets 404." + FHIR_NOTE
    ),
    responses={
        200: OpenApiResponse(BUNDLE, description="The client's record as a FHIR Bundle."),
        **EXPORT_ERRORS,
    },
    tags=["fhir"],
)

protocol_bundle = extend_schema(
    summary="An issued protocol as FHIR",
    parameters=[_id("protocol")],
    description=(
        "One issued protocol as a FHIR `Bundle` (`collection`), built from what was frozen "
        "when it was issued: its `CarePlan` and `DetectedIssue`s (as in "
        "`GET /api/v1/clients/{id}/fhir/`), with the `Patient`, `Organization`, "
        "`Practitioner` and the `MedicationStatement`s of the medicines and own "
        "supplements as they were then. The CarePlan is `revoked` once a later version of "
        "the consult's protocol exists; `replaces` names the previous version by its "
        "identifier.\n\nThe export is written to the client's access log. Whoever may read "
        "the protocol may export it (its practitioner, their assistants, superusers); "
        "anyone else gets 404." + FHIR_NOTE
    ),
    responses={
        200: OpenApiResponse(BUNDLE, description="The protocol as a FHIR Bundle."),
        **EXPORT_ERRORS,
    },
    tags=["fhir"],
)

nutrient_code_system = extend_schema(
    summary="The nutrients as a FHIR CodeSystem",
    description=(
        "The published nutrients of the knowledge base as a FHIR `CodeSystem`: the codes "
        "are the nutrients' slugs, the display is the name in the request's language, and "
        "each concept has its Dutch and English names as designations. Its `url` is the "
        "system every nutrient is coded in, in the exports and the CDS Hooks service; it "
        "is set by `DJANGO_FHIR_CANONICAL_BASE` and never changes once records have gone "
        "out. Any logged-in user may read it." + FHIR_NOTE
    ),
    responses={
        200: OpenApiResponse(CODE_SYSTEM, description="The nutrient code system."),
        401: UNAUTHENTICATED,
    },
    tags=["fhir"],
)

medication_import = extend_schema(
    summary="Add a client's medicines from a FHIR medication list",
    parameters=[_id("client")],
    description=(
        "Reads a FHIR R4 medication list (from a GP or a pharmacy) as `application/json` "
        "or `application/fhir+json`: a `Bundle` of `MedicationStatement` and/or "
        f"`MedicationRequest` resources (at most {MAX_ENTRIES} entries), or one such "
        "resource. Each one that is in force (a statement `active`, `intended`, `on-hold` "
        "or `unknown`; a request `active`, `on-hold` or `unknown`) and whose medication is "
        "coded in ATC (`http://www.whocc.no/atc`; in `medicationCodeableConcept` or a "
        "`Medication` its `medicationReference` names, contained or in the bundle) becomes "
        "a medicine of the client, named by the coding's `display` (else the concept's "
        "`text`, else the reference list's name), with the intake times of its dosages "
        "(`timing.repeat.when` `MORN`, `NOON`, `EVE`, `HS` and `timeOfDay`). The answer "
        "lists what was added and, by position in the bundle (from 0), what was skipped "
        "and why. The medicines the client already has are kept.\n\nOne transaction, "
        "written to the client's access log as a change of the client. Input that is not "
        "valid FHIR R4 is refused with 400 naming the problems, and nothing is added. Only "
        "the client's treating practitioner and superusers may: anyone else gets 404."
    ),
    request={"application/json": MEDICATION_LIST, "application/fhir+json": MEDICATION_LIST},
    responses={
        200: OpenApiResponse(
            MedicationImportSerializer,
            description="Imported: what was added and what was skipped.",
            examples=[
                OpenApiExample(
                    "One added, one with a G-Standaard code only",
                    value={
                        "added": [{"atc_code": "N06AB06", "name": "sertraline"}],
                        "skipped": [{"index": 1, "reason": "not_atc_coded"}],
                    },
                    status_codes=["200"],
                )
            ],
        ),
        400: OpenApiResponse(
            ErrorSerializer,
            description=(
                "Not a FHIR medication list, not valid FHIR R4 (the problems named), more "
                f"than {MAX_ENTRIES} entries, or not JSON: nothing was added."
            ),
            examples=[
                OpenApiExample(
                    "Not valid FHIR",
                    value={
                        "detail": "Not valid FHIR R4: entry[0].resource.status: Input should "
                        "be a valid string."
                    },
                    status_codes=["400"],
                )
            ],
        ),
        401: UNAUTHENTICATED,
        404: NOT_FOUND,
        415: NOT_JSON,
    },
    examples=[OpenApiExample("A pharmacy's list", value=EXAMPLE_LIST, request_only=True)],
    tags=["fhir"],
)
