"""Serializers of the practice API: clients, consults and issued protocols.

The serializers validate and show; they never save. The views hand the validated data to
`practice.services` (clients, consults) and `practice.protocols.issue_protocol`. Nested
lists validate to the services' input types (`MedicationInput`, `LineInput`, ...).
"""

from collections.abc import Mapping

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from gutbrain.api.fields import LevelField, StrictBooleanField, StrictSlugRelatedField
from gutbrain.api.serializers import (
    InteractionCheckResultSerializer,
    NotCheckedSerializer,
    NutrientResultSerializer,
)
from gutbrain.models import Indication, Nutrient, NutrientForm, validate_atc_code
from practice import accesslog, schedule
from practice.access import clients_for
from practice.api.snapshot import SnapshotField
from practice.models import (
    LINE_FIELDS,
    AccessLogEntry,
    Client,
    ClientMedication,
    ClientSupplement,
    Consult,
    ErasureRecord,
    Protocol,
    SupplementLine,
    validate_intake_times,
)
from practice.protocols import AcknowledgementInput
from practice.services import MAX_LINES, LineInput, MedicationInput, OwnSupplementInput


class RefuseUnknownFieldsMixin:
    # Unknown keys are refused rather than ignored: a misspelt `pregnant` must never be
    # read as "not pregnant". Read-only fields are known, so a record can be sent back as
    # it was received. (A comment, not a docstring: the schema would show it everywhere.)

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(key for key in data if key not in self.fields)
            if unknown:
                message = _("Unknown field.")
                raise serializers.ValidationError({key: [message] for key in unknown})
        return super().to_internal_value(data)


def _published_nutrient(**kwargs) -> StrictSlugRelatedField:
    return StrictSlugRelatedField(
        slug_field="slug",
        queryset=Nutrient.objects.published(),
        error_messages={"does_not_exist": _("Not a published nutrient: {value}.")},
        **kwargs,
    )


class AtcCodeField(serializers.CharField):
    """A complete ATC code; lower case is accepted and stored upper-case."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _("A complete ATC code, e.g. N05BA04."))
        super().__init__(**kwargs)
        self.validators.append(validate_atc_code)

    def to_internal_value(self, data) -> str:
        return super().to_internal_value(data).upper()


@extend_schema_field({"type": "string", "nullable": True})
class FormSlugField(serializers.CharField):
    """A nutrient form by its slug, which is unique per nutrient only: the line
    serializer looks it up among the forms of the line's nutrient."""

    def to_representation(self, form: NutrientForm) -> str:
        return form.slug


@extend_schema_field(
    {
        "type": "array",
        "maxItems": schedule.MAX_INTAKE_TIMES,
        "uniqueItems": True,
        "items": {
            "oneOf": [
                {"type": "string", "enum": list(schedule.MEDICINE_MOMENTS)},
                {"type": "string", "pattern": schedule.CLOCK_TIME_PATTERN},
            ]
        },
    }
)
class IntakeTimesField(serializers.JSONField):
    """A medicine's intake times, validated as a whole by the model's validator, so that
    each message names its item (`{"intake_times": ["Not a moment or a clock time:
    \"25:00\". …"]}`)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(validators=[validate_intake_times], **kwargs)


class MedicationSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    atc_code = AtcCodeField()
    name = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text=_(
            "Required when the ATC code is not in the reference list "
            "(`/api/v1/medicines/`); otherwise defaults to the reference list's name."
        ),
    )
    intake_times = IntakeTimesField(
        required=False,
        help_text=_(
            "When the client takes the medicine: moments and clock times, at most six, "
            "none twice. A moment stands for its default clock time: `morning` 08:00 "
            "(breakfast), `midday` 12:30 (lunch), `evening` 18:00 (dinner), `bedtime` "
            "22:00. A clock time is `HH:MM`, 00:00 to 23:59. Empty or left out: not "
            "known; the handout then gives the general rule in words. The handout keeps a "
            "nutrient taken apart from medicines (magnesium) at least 2 hours before or 4 "
            "hours after each known time."
        ),
    )

    class Meta:
        model = ClientMedication
        fields = ["atc_code", "name", "intake_times"]

    def validate(self, attrs: dict) -> MedicationInput:
        return MedicationInput(**whole_item(self, attrs))


def whole_item(serializer: serializers.Serializer, attrs: dict) -> dict:
    """An item of a nested list replaces the whole list, so it is complete even in a PATCH
    (where DRF skips missing required fields): a missing one is a 400 naming it."""
    missing = [
        name
        for name, field in serializer.fields.items()
        if field.required and not field.read_only and name not in attrs
    ]
    if missing:
        raise serializers.ValidationError(
            {name: [_("This field is required.")] for name in missing}
        )
    return attrs


class OwnSupplementSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    nutrient = _published_nutrient(
        allow_null=True,
        required=False,
        help_text=_("Slug of the nutrient of the knowledge base it is, if any."),
    )

    class Meta:
        model = ClientSupplement
        fields = ["name", "nutrient", "dose"]

    def validate(self, attrs: dict) -> OwnSupplementInput:
        return OwnSupplementInput(**whole_item(self, attrs))


# What an assistant may see of a client (`ClientContactSerializer`); the whole record
# (`ClientSerializer`) begins with the same fields.
CONTACT_FIELDS = [
    "id",
    "client_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
]


# Not `Client`: generated clients have a class of that name for the HTTP connection.
@extend_schema_serializer(component_name="PracticeClient")
class ClientSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    practitioner = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        help_text=_("Username of the practitioner who added the client."),
    )
    medications = MedicationSerializer(
        many=True,
        required=False,
        help_text=_("The medicines the client takes. When given, replaces the whole list."),
    )
    own_supplements = OwnSupplementSerializer(
        many=True,
        required=False,
        help_text=_(
            "Supplements the client already takes on their own. When given, replaces the "
            "whole list."
        ),
    )

    class Meta:
        model = Client
        fields = [
            *CONTACT_FIELDS,
            "notes",
            "practitioner",
            "medications",
            "own_supplements",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "date_of_birth": {"help_text": _("Not in the future.")},
            "client_number": {
                "required": False,
                "allow_blank": True,
                "help_text": _(
                    "Unique within the practice. When left out or empty on creation, the "
                    "practice's next free number is given."
                ),
            },
        }


class LineSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    nutrient = _published_nutrient(help_text=_("Slug of a published nutrient, e.g. magnesium."))
    form = FormSlugField(
        allow_null=True,
        required=False,
        help_text=_("Slug of one of the nutrient's forms, e.g. bisglycinate; or null."),
    )

    class Meta:
        model = SupplementLine
        fields = list(LINE_FIELDS)
        extra_kwargs = {
            "dose_amount": {
                "error_messages": {"min_value": _("A dose must be more than zero.")},
                "help_text": _("More than zero, in `dose_unit`."),
            },
            "duration_weeks": {"help_text": _("1 to 104 weeks; null: until further notice.")},
        }

    default_error_messages = {"unknown_form": _("{nutrient} has no form {form}.")}

    def validate(self, attrs: dict) -> LineInput:
        slug = attrs.pop("form", None)
        form = None
        if slug:
            form = NutrientForm.objects.filter(nutrient=attrs["nutrient"], slug=slug).first()
            if form is None:
                message = self.error_messages["unknown_form"].format(
                    nutrient=attrs["nutrient"].slug, form=slug
                )
                raise serializers.ValidationError({"form": [message]}, code="unknown_form")
        return LineInput(form=form, **attrs)


class VisibleClientField(serializers.PrimaryKeyRelatedField):
    """A client the requesting user may see; any other id is answered as not existing."""

    default_error_messages = {
        "does_not_exist": _("No such client: {pk_value}."),
    }

    def get_queryset(self):
        return clients_for(self.context["request"].user, super().get_queryset())


class ConsultSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    client = VisibleClientField(
        queryset=Client.objects.all(),
        help_text=_("Id of one of your clients. Cannot change once the consult exists."),
    )
    pregnant = StrictBooleanField(required=False, help_text=_("false when left out."))
    breastfeeding = StrictBooleanField(required=False, help_text=_("false when left out."))
    complaints = StrictSlugRelatedField(
        many=True,
        required=False,
        slug_field="slug",
        queryset=Indication.objects.all(),
        help_text=_("Slugs of indications (`/api/v1/indications/`). When given, replaces them."),
    )
    practitioner = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        help_text=_("Username of the practitioner who held the consult."),
    )
    supplements = LineSerializer(
        source="lines",
        many=True,
        required=False,
        # Refused before any line is read: each line costs lookups, the page and the PDF.
        max_length=MAX_LINES,
        error_messages={"max_length": _("At most {max_length} supplement lines.")},
        help_text=format_lazy(
            _("The supplement lines, in order, at most {limit}. When given, replaces all lines."),
            limit=MAX_LINES,
        ),
    )

    class Meta:
        model = Consult
        fields = [
            "id",
            "client",
            "date",
            "pregnant",
            "breastfeeding",
            "complaints",
            "notes",
            "practitioner",
            "supplements",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"date": {"help_text": _("Today when left out.")}}

    def validate_client(self, client: Client) -> Client:
        if self.instance is not None and client.pk != self.instance.client_id:
            raise serializers.ValidationError(
                _("A consult cannot move to another client."), code="client_changed"
            )
        return client


class AcknowledgementSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    nutrient = serializers.SlugField(
        help_text=_("Slug of a nutrient of the consult with an `avoid` finding.")
    )
    reason = serializers.CharField(
        help_text=_("Why the protocol is issued despite the finding; printed on the protocol.")
    )

    def validate(self, attrs: dict) -> AcknowledgementInput:
        return AcknowledgementInput(**attrs)


class IssueProtocolSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    acknowledgements = AcknowledgementSerializer(
        many=True,
        required=False,
        help_text=_(
            "A written reason for every nutrient the check advises against (`avoid`), a "
            "supplement line's or an own supplement's. Reasons for nutrients without such a "
            "finding are not kept."
        ),
    )
    check_digest = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        required=False,
        help_text=_(
            "The `check_digest` of the check you showed the practitioner "
            "(`GET /api/v1/consults/{id}/check/`). When the check answers otherwise now, the "
            "issue is refused with 409 and nothing is issued: issue exactly what was checked."
        ),
        error_messages={"invalid": _("Not a check digest: 64 hexadecimal characters.")},
    )
    include_physician_page = serializers.BooleanField(
        default=True,
        help_text=_(
            'Add the last page "For your doctor or pharmacist": the findings with the '
            "medicines, their ATC codes, the source's advice and references, written for a "
            "physician. The client's pages never show them."
        ),
    )

    def validate_acknowledgements(
        self, acknowledgements: list[AcknowledgementInput]
    ) -> list[AcknowledgementInput]:
        slugs = [a.nutrient for a in acknowledgements]
        twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if twice:
            raise serializers.ValidationError(
                _("Acknowledged more than once: %(slugs)s.") % {"slugs": ", ".join(twice)},
                code="duplicate",
            )
        return acknowledgements


class ConsultNutrientResultSerializer(NutrientResultSerializer):
    source = serializers.ChoiceField(
        choices=[
            ("protocol", _("a supplement line of the consult")),
            ("own_supplement", _("a supplement the client takes on their own")),
        ],
        read_only=True,
        help_text=_(
            "`protocol` when the nutrient has a line in the consult, otherwise `own_supplement`."
        ),
    )


class ConsultCheckSerializer(InteractionCheckResultSerializer):
    """The check of a consult: its lines and the client's own supplements."""

    results = ConsultNutrientResultSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "One per nutrient: the lines' in their order, then the client's own supplements "
            "that are nutrients of the knowledge base."
        ),
    )
    not_checked = NotCheckedSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "The client's own supplements that are not in the knowledge base, so could not "
            "be checked. Never take their absence from the results as harmless."
        ),
    )
    check_digest = serializers.CharField(
        source="digest",
        read_only=True,
        help_text=_(
            "SHA-256 of this answer. Send it with `POST /api/v1/consults/{id}/protocols/` "
            "so that exactly what was checked is issued."
        ),
    )


class ProtocolSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="practice_api:protocol-detail",
        help_text=_("The protocol with its snapshot."),
    )
    pdf_url = serializers.HyperlinkedIdentityField(
        view_name="practice_api:protocol-pdf", help_text=_("The PDF as it was issued.")
    )
    consult = serializers.PrimaryKeyRelatedField(read_only=True)
    issued_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        help_text=_("Username of the practitioner who issued it."),
    )
    worst_level = LevelField(help_text=_("The most serious level of the check when issued."))

    class Meta:
        model = Protocol
        fields = [
            "id",
            "url",
            "pdf_url",
            "consult",
            "version",
            "issued_at",
            "issued_by",
            "worst_level",
            "pdf_sha256",
        ]


class ProtocolDetailSerializer(ProtocolSerializer):
    snapshot = SnapshotField(
        help_text=_(
            "Everything the protocol shows, frozen when it was issued: practice, "
            "practitioner, client, consult, medications, lines, the interaction check, the "
            "acknowledgements and the nutrients' food sources. `schema` says its shape: 2 "
            "(the client handout) adds `include_physician_page`, the medicines' "
            "`intake_times`, the findings' `client_advice_nl`/`_en`, `references` (number → "
            "citation), `changes` since `previous_version` and the practice's `logo` (a data "
            "URI); protocols issued before keep schema 1."
        ),
    )

    class Meta(ProtocolSerializer.Meta):
        fields = [*ProtocolSerializer.Meta.fields, "snapshot"]


class EraseClientSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(
        help_text=_(
            "Why the record is erased, e.g. the client's written request and its date. Kept "
            "in the erasure record: do not name the client."
        )
    )


class ErasureRecordSerializer(serializers.ModelSerializer):
    erased_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        help_text=_("Username of who erased the record."),
    )
    removed = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("How many records of each kind were removed, by model label."),
    )

    class Meta:
        model = ErasureRecord
        fields = [
            "id",
            "former_client_id",
            "practice",
            "erased_by",
            "erased_at",
            "reason",
            "removed",
        ]
        read_only_fields = fields


class ClientContactSerializer(serializers.ModelSerializer):
    """A client's contact details, without notes, medicines or consults."""

    practitioner = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        help_text=_("Username of the client's treating practitioner."),
    )

    class Meta:
        model = Client
        fields = [*CONTACT_FIELDS, "practitioner"]
        read_only_fields = fields
        # A read-only field loses the model's `blank=True`; without it the schema would
        # promise an e-mail address where many clients have none ("").
        extra_kwargs = {"email": {"allow_blank": True}}


class AccessLogEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLogEntry
        fields = [
            "id",
            *accesslog.CANONICAL_FIELDS,
            "seq",
            "previous_hash",
            "hash",
            "hash_scheme",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "user_id": {"help_text": _("The user's id when the access happened.")},
            "username": {"help_text": _("The username when the access happened.")},
            "record_id": {"help_text": _("The id of the record as it was asked for.")},
            "seq": {"help_text": _("The entry's place in the log: 1, 2, 3, … without gaps.")},
            "client_id": {
                "help_text": _("The client the record belongs to; null when it does not exist.")
            },
            "hash": {
                "help_text": _(
                    "The link of the chain: `previous_hash` followed by the entry's canonical "
                    "content, hashed by `hash_scheme` (`hmac-sha256` with the server's access-log "
                    "key; `sha256` for entries written before it). `manage.py verify_access_log` "
                    "checks the chain."
                )
            },
        }
