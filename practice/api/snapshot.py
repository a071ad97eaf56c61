"""An issued protocol's snapshot as the API shows it: the stored JSON as it is, documented
in the OpenAPI schema as the versioned object `practice.protocols.build_snapshot` writes.

`ProtocolSnapshot` is one of `ProtocolSnapshotV2` (the current `schema`, since the client
handout of issue #10) and `ProtocolSnapshotV1` (protocols issued before; the oldest of
them lack what issue #9 added: the own supplements, the check's digest, medicines and
not-checked list, a result's source). A snapshot never changes once issued, so a new
shape is a new schema number and a new component here; the old ones stay.

The codes in a snapshot (levels, units, reasons) are documented as strings with their
current values in words, not as enums: a snapshot keeps the codes of its day, and a
generated client must still read it when a code has been retired since.
"""

import copy

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


class SnapshotField(serializers.JSONField):
    """The snapshot, read only, exactly as stored."""

    def __init__(self, **kwargs) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(description: str, properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }


def _array(items: dict, description: str = "") -> dict:
    schema = {"type": "array", "items": items}
    return {**schema, "description": description} if description else schema


def _nullable(name: str, description: str) -> dict:
    return {"allOf": [_ref(name)], "nullable": True, "description": description}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}


def _string(description: str) -> dict:
    return {"type": "string", "description": description}


LEVEL = _string(
    "A level of the interaction check (`LevelEnum`): avoid, consult, monitor, "
    "separate_intake, no_data, none_known or clear."
)
NAMES = {"name_nl": STRING, "name_en": STRING}

PRACTICE_V1 = {
    "name": STRING,
    "address": _string("Lines separated by newlines."),
    "phone": STRING,
    "email": STRING,
    "agb_code": STRING,
}
FINDING_V1 = {
    "level": LEVEL,
    "reason": _string(
        "What the finding is about: medicine (a class of the client's medicines), "
        "any_medicine, pregnancy or breastfeeding."
    ),
    "atc_codes": _array(STRING, "The client's medicines the finding is about."),
    "medicine_class": _nullable("SnapshotMedicineClass", "The class, for `medicine`."),
    "advice_nl": STRING,
    "advice_en": STRING,
    "references": _array(INTEGER, "Numbers of the source's references (`/api/v1/references/`)."),
}
RESULT_V1 = {
    "nutrient": _string("The nutrient's slug."),
    "level": LEVEL,
    "source": {
        "type": "string",
        "nullable": True,
        "description": "`protocol` for a supplement line's nutrient, `own_supplement` for a "
        "supplement the client takes on their own.",
    },
}
CHECK_V1 = {
    "worst_level": LEVEL,
    "digest": _string("SHA-256 of the check's answer, as `check_digest` gave it."),
    "medicines": _array(_ref("SnapshotMedicine")),
    "not_checked": _array(_ref("SnapshotNotChecked")),
}
V1_ADDED_BY_ISSUE_9 = ("digest", "medicines", "not_checked")

COMMON = {
    "version": {"type": "integer", "description": "1 for the consult's first protocol."},
    "issued_at": {"type": "string", "format": "date-time"},
    "practitioner": _ref("SnapshotPractitioner"),
    "client": _ref("SnapshotClient"),
    "consult": _ref("SnapshotConsult"),
    "own_supplements": _array(_ref("SnapshotOwnSupplement")),
    "lines": _array(_ref("SnapshotLine"), "The supplement lines, in order."),
    "acknowledgements": _array(
        _ref("SnapshotAcknowledgement"), "The reasons given for issuing despite `avoid`."
    ),
    "nutrients": {
        "type": "object",
        "description": "The nutrients of the lines and of the own supplements, by slug.",
        "additionalProperties": _ref("SnapshotNutrient"),
    },
}

COMPONENTS = {
    "ProtocolSnapshot": {
        "oneOf": [_ref("ProtocolSnapshotV2"), _ref("ProtocolSnapshotV1")],
        "description": "Everything the protocol shows, frozen when it was issued. `schema` "
        "says its shape: 2 since the client handout, 1 before.",
    },
    "ProtocolSnapshotV2": _object(
        "A snapshot of schema 2.",
        {
            "schema": {"type": "integer", "enum": [2]},
            **COMMON,
            "include_physician_page": {
                "type": "boolean",
                "description": 'Whether the last page "For your doctor or pharmacist" is printed.',
            },
            "practice": _ref("SnapshotPractice"),
            "medications": _array(_ref("SnapshotMedication")),
            "changes": _array(
                _ref("SnapshotChange"),
                "What changed since the previous version, by nutrient; empty for the first.",
            ),
            "previous_version": {"type": "integer", "nullable": True},
            "check": _ref("SnapshotCheck"),
            "references": {
                "type": "object",
                "description": "The citations of the findings' references, by number.",
                "additionalProperties": STRING,
            },
        },
    ),
    "ProtocolSnapshotV1": _object(
        "A snapshot of schema 1: protocols issued before the client handout.",
        {
            "schema": {"type": "integer", "enum": [1]},
            **COMMON,
            "practice": _ref("SnapshotPracticeV1"),
            "medications": _array(_ref("SnapshotMedicationV1")),
            "check": _ref("SnapshotCheckV1"),
        },
        optional=("own_supplements",),
    ),
    "SnapshotPractice": _object(
        "The practice.",
        {
            **PRACTICE_V1,
            "logo": _string("The logo as a `data:` URI (PNG or JPEG); empty without one."),
        },
    ),
    "SnapshotPracticeV1": _object("The practice.", PRACTICE_V1),
    "SnapshotPractitioner": _object(
        "Who issued the protocol.", {"name": STRING, "agb_code": STRING}
    ),
    "SnapshotClient": _object(
        "The client.", {"name": STRING, "client_number": STRING, "date_of_birth": DATE}
    ),
    "SnapshotConsult": _object(
        "The consult.",
        {
            "id": INTEGER,
            "date": DATE,
            "pregnant": BOOLEAN,
            "breastfeeding": BOOLEAN,
            "complaints": _array(_ref("SnapshotComplaint")),
        },
    ),
    "SnapshotComplaint": _object("A complaint (an indication).", {"slug": STRING, **NAMES}),
    "SnapshotMedication": _object(
        "A medicine the client takes.",
        {
            "atc_code": STRING,
            "name": STRING,
            "intake_times": _array(
                STRING, "Moments (morning, midday, evening, bedtime) and clock times HH:MM."
            ),
        },
    ),
    "SnapshotMedicationV1": _object(
        "A medicine the client takes.", {"atc_code": STRING, "name": STRING}
    ),
    "SnapshotOwnSupplement": _object(
        "A supplement the client takes on their own.",
        {
            "name": STRING,
            "nutrient": {
                "type": "string",
                "nullable": True,
                "description": "The nutrient's slug when it is one of the knowledge base.",
            },
            "dose": STRING,
        },
    ),
    "SnapshotLine": _object(
        "A supplement line.",
        {
            "nutrient": _string("The nutrient's slug."),
            "nutrient_name_nl": STRING,
            "nutrient_name_en": STRING,
            "form": {"type": "string", "nullable": True, "description": "The form's slug."},
            "form_name_nl": _string("Empty without a form."),
            "form_name_en": _string("Empty without a form."),
            "dose_amount": {"type": "string", "format": "decimal"},
            "dose_unit": _string("A code of `DoseUnitEnum` when issued."),
            "dose_unit_label": _ref("SnapshotLabel"),
            "frequency": _string("A code of `FrequencyEnum` when issued."),
            "frequency_label": _ref("SnapshotLabel"),
            "timing": _string("A code of `TimingEnum` when issued."),
            "timing_label": _ref("SnapshotLabel"),
            "duration_weeks": {
                "type": "integer",
                "nullable": True,
                "description": "Null: until further notice.",
            },
            "instructions": STRING,
        },
    ),
    "SnapshotLabel": _object("A code's label in Dutch and English.", {"nl": STRING, "en": STRING}),
    "SnapshotChange": _object(
        "A change since the previous version.",
        {
            "change": _string("added, stopped or changed."),
            "fields": _array(STRING, "For `changed`: the line's fields that changed."),
            "before": _nullable("SnapshotLine", "The line before; null when added."),
            "after": _nullable("SnapshotLine", "The line now; null when stopped."),
        },
        optional=("fields",),
    ),
    "SnapshotCheck": _object(
        "The interaction check when issued.",
        {
            **CHECK_V1,
            "results": _array(_ref("SnapshotNutrientResult"), "One per nutrient."),
        },
    ),
    "SnapshotCheckV1": _object(
        "The interaction check when issued.",
        {
            **CHECK_V1,
            "results": _array(_ref("SnapshotNutrientResultV1"), "One per nutrient."),
        },
        optional=V1_ADDED_BY_ISSUE_9,
    ),
    "SnapshotNutrientResult": _object(
        "A nutrient's level and findings.",
        {**RESULT_V1, "findings": _array(_ref("SnapshotFinding"))},
    ),
    "SnapshotNutrientResultV1": _object(
        "A nutrient's level and findings.",
        {**RESULT_V1, "findings": _array(_ref("SnapshotFindingV1"))},
        optional=("source",),
    ),
    "SnapshotFinding": _object(
        "A finding of the check.",
        {
            **FINDING_V1,
            "client_advice_nl": _string("What the handout tells the client."),
            "client_advice_en": STRING,
        },
    ),
    "SnapshotFindingV1": _object("A finding of the check.", FINDING_V1),
    "SnapshotMedicineClass": _object("A class of medicines.", {"slug": STRING, **NAMES}),
    "SnapshotMedicine": _object(
        "A medicine as the check saw it.",
        {
            "atc_code": STRING,
            "name": {"type": "string", "nullable": True},
            "in_reference_list": BOOLEAN,
            "classes": _array(STRING, "Slugs of the classes it falls in."),
        },
    ),
    "SnapshotNotChecked": _object(
        "An own supplement the check could not check.",
        {"name": STRING, "reason": _string("not_in_knowledge_base.")},
    ),
    "SnapshotAcknowledgement": _object(
        "Why the protocol was issued despite an `avoid` finding.",
        {
            "nutrient": STRING,
            "nutrient_name_nl": STRING,
            "nutrient_name_en": STRING,
            "reason": STRING,
            "by": _string("The practitioner's name."),
        },
    ),
    "SnapshotNutrient": _object(
        "A nutrient with its food sources (none for an own supplement's).",
        {**NAMES, "food_sources": _array(_ref("SnapshotFoodSource"))},
    ),
    "SnapshotFoodSource": _object("A food that contains the nutrient.", NAMES),
}


class SnapshotFieldSchema(OpenApiSerializerFieldExtension):
    """Documents `SnapshotField` as `ProtocolSnapshot`, registering its components."""

    target_class = SnapshotField

    def map_serializer_field(self, auto_schema, direction) -> dict:
        for name, schema in COMPONENTS.items():
            # A copy: drf-spectacular's hooks change the components in place.
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, object=name, schema=copy.deepcopy(schema)
            )
            auto_schema.registry.register_on_missing(component)
        return _ref("ProtocolSnapshot")
