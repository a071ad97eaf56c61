"""The shapes of the CDS Hooks endpoints, for the OpenAPI schema: the specification's
discovery document, request and response, as far as these services use them. The request
itself is read by `cdshooks.services` (its FHIR data by fhir.resources); these serializers
only document it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cdshooks.services import PREFETCH


class CdsPrefetchSerializer(serializers.Serializer):
    medications = serializers.CharField(help_text=PREFETCH["medications"])
    pregnancy = serializers.CharField(help_text=PREFETCH["pregnancy"])
    breastfeeding = serializers.CharField(help_text=PREFETCH["breastfeeding"])


class CdsServiceSerializer(serializers.Serializer):
    hook = serializers.CharField(help_text=_("`order-select` or `order-sign`."))
    title = serializers.CharField()
    description = serializers.CharField()
    id = serializers.CharField(
        help_text=_("`gutbrain-order-select` or `gutbrain-order-sign`, the end of its URL.")
    )
    prefetch = CdsPrefetchSerializer(
        help_text=_("The FHIR queries whose results a call should carry, by prefetch key.")
    )


class CdsDiscoverySerializer(serializers.Serializer):
    services = CdsServiceSerializer(many=True)


class CdsFhirAuthorizationSerializer(serializers.Serializer):
    access_token = serializers.CharField(
        help_text=_("Sent to the registered FHIR server as `Authorization: Bearer …`.")
    )
    token_type = serializers.CharField(help_text=_("`Bearer`."))
    expires_in = serializers.IntegerField(required=False)
    scope = serializers.CharField(required=False)
    subject = serializers.CharField(required=False)


class CdsCallSerializer(serializers.Serializer):
    hook = serializers.CharField(help_text=_("The service's hook: order-select or order-sign."))
    hookInstance = serializers.CharField(help_text=_("The call's UUID."))
    fhirServer = serializers.URLField(
        required=False,
        help_text=_(
            "The EHR's FHIR server. Data is fetched only when it is the server registered "
            "for the EHR."
        ),
    )
    fhirAuthorization = CdsFhirAuthorizationSerializer(required=False)
    context = serializers.DictField(
        help_text=_(
            "`patientId`; `draftOrders`, a Bundle of MedicationRequest and NutritionOrder "
            "resources; for order-select `selections`, such as `MedicationRequest/103`."
        )
    )
    prefetch = serializers.DictField(
        required=False,
        allow_empty=True,
        help_text=_(
            "The results of the discovery document's prefetch queries by key; `null` when "
            "the EHR has no data. A missing key is fetched from the registered FHIR server."
        ),
    )


class CdsSourceSerializer(serializers.Serializer):
    label = serializers.CharField()


class CdsCardSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=139, help_text=_("One line, under 140 characters."))
    indicator = serializers.ChoiceField(
        choices=["info", "warning", "critical"],
        help_text=_(
            "`critical` for a nutrient advised against, `warning` for consult and monitor, "
            "`info` for the rest, nothing recorded and not checked included."
        ),
    )
    detail = serializers.CharField(help_text=_("Markdown: the advice and the references."))
    source = CdsSourceSerializer()


class CdsResponseSerializer(serializers.Serializer):
    cards = CdsCardSerializer(many=True)


# A 400: the messages by the field of the call they are about (`context.draftOrders`,
# `prefetch.medications`), or `detail` for a body that is not JSON.
CDS_ERRORS = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
