"""The CDS Hooks endpoints: `GET /cds-services` (discovery, open to anyone, as the issue
asks: it lists what the services are, nothing about anyone) and `POST /cds-services/{id}`
(an EHR's call, with its signed token).

They sit at the root, not under `/api/v1/`: the specification fixes the paths below the
service's base URL (`CDS_BASE_URL`), and EHRs are configured with that base. They are DRF
views all the same, so they parse with the API's one bounded parser, throttle with a DRF
scope and are in the OpenAPI schema (tag "CDS Hooks") like every other endpoint.

Every authenticated call is logged as a `CdsCall` (which EHR, which service and hook, the
outcome), never with anything about the patient. A refused token is logged as a warning
(Python's logging), not in the database: refusals cost an anonymous caller nothing, and
must not cost the database a row each.
"""

import logging

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import (
    APIException,
    AuthenticationFailed,
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    Throttled,
    ValidationError,
)
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cdshooks import schema as _schema  # noqa: F401 (registers the token's scheme)
from cdshooks import services
from cdshooks.auth import CdsTokenAuthentication, IsRegisteredEhr, service_url
from cdshooks.fhirdata import InvalidData
from cdshooks.models import CallOutcome, CdsCall, CdsClient
from cdshooks.serializers import (
    CDS_ERRORS,
    CdsCallSerializer,
    CdsDiscoverySerializer,
    CdsResponseSerializer,
)
from gutbrain.api.schema import NOT_JSON, ErrorSerializer
from gutbrain.api.throttles import AnonymousRateThrottle, CdsClientRateThrottle
from gutbrain.client_ip import client_ip

logger = logging.getLogger(__name__)

TAGS = ["CDS Hooks"]


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class DiscoveryView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="cds_services_discovery",
        summary="CDS Hooks discovery: the services an EHR can call",
        description=(
            "The CDS Hooks 2.0 discovery document, open to anyone: the services "
            "`gutbrain-order-select` (hook `order-select`) and `gutbrain-order-sign` "
            "(`order-sign`), each with the FHIR queries whose results a call should carry "
            "(`prefetch`). Register the EHR first (admin, or `manage.py cds_client add`): "
            "calls need its signed token."
        ),
        auth=[],
        responses={200: CdsDiscoverySerializer},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return Response({"services": [s.discovery() for s in services.SERVICES.values()]})


SERVICE_DESCRIPTION = """\
An EHR's CDS Hooks 2.0 call. Authenticate with `Authorization: Bearer <JWT>`, signed with
the EHR's registered key (RS384 or ES384): header `kid` and `typ` `JWT`; claims `iss` (the
registered issuer), `aud` (this service's URL under the configured base URL), `exp` (at most
an hour ahead), `iat` and `jti` (each accepted once).

The nutrients named by the orders (`context.draftOrders`; for `order-select` those in
`context.selections`), coded in the nutrient code system or named in Dutch or English, are
checked against the patient's medicines (ATC), pregnancy and breastfeeding from `prefetch`;
a missing key is fetched from the EHR's registered FHIR server with `fhirAuthorization`.
The answer is one card per nutrient with findings or with nothing recorded (`critical`:
advised against; `warning`: consult or monitor; `info`: the rest), and `info` cards for
what could not be checked. No order names a nutrient: `{"cards": []}`. Texts follow
`Accept-Language` (Dutch by default). Calls are throttled per EHR.
"""


class ServiceView(APIView):
    permission_classes = [IsRegisteredEhr]
    throttle_classes = [CdsClientRateThrottle]
    renderer_classes = [JSONRenderer]
    http_method_names = ["post", "options"]

    client: CdsClient | None = None
    outcome: str | None = None
    cards: int = 0
    fetched: bool = False

    def get_authenticators(self) -> list:
        # drf-spectacular asks without a request, and so without the service's id.
        service_id = getattr(self, "kwargs", {}).get("id", "")
        return [CdsTokenAuthentication(audience=service_url(service_id))]

    def initial(self, request: Request, *args, **kwargs) -> None:
        # The method and the service first: they are not secret (discovery lists them),
        # and a wrong one is the same answer for everybody.
        if request.method not in self.allowed_methods:
            raise MethodNotAllowed(request.method)
        self.service = services.SERVICES.get(kwargs["id"])
        if self.service is None:
            raise NotFound()
        super().initial(request, *args, **kwargs)

    def permission_denied(self, request: Request, message=None, code=None) -> None:
        # Only an EHR's token admits: a user's login or API token is no credential here.
        raise NotAuthenticated()

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        if isinstance(request.auth, CdsClient):
            self.client = request.auth

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, AuthenticationFailed | NotAuthenticated):
            logger.warning(
                "CDS Hooks call refused from %s: %s", client_ip(self.request), exc.detail
            )
        elif isinstance(exc, PreconditionFailed):
            self.outcome = CallOutcome.NO_MEDICINES
        elif isinstance(exc, Throttled):
            self.outcome = CallOutcome.THROTTLED
        elif isinstance(exc, APIException):  # the call's (400) or its body's (400, 415)
            self.outcome = CallOutcome.BAD_REQUEST
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.client is not None and self.outcome is not None:
            CdsCall.objects.create(
                client=self.client,
                issuer=self.client.issuer,
                service=self.service.id,
                hook=self.service.hook,
                outcome=self.outcome,
                status_code=response.status_code,
                cards=self.cards,
                fetched=self.fetched,
            )
        return response

    @extend_schema(
        operation_id="cds_service_call",
        summary="Call a CDS Hooks service: check the ordered supplements",
        description=SERVICE_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "id",
                str,
                OpenApiParameter.PATH,
                description="`gutbrain-order-select` or `gutbrain-order-sign`.",
            )
        ],
        request=CdsCallSerializer,
        responses={
            200: CdsResponseSerializer,
            400: OpenApiResponse(
                CDS_ERRORS,
                description=(
                    "The call is not valid: the message by the field it is about, e.g. "
                    '`{"context.draftOrders": ["Not a valid FHIR Bundle: …"]}`; `detail` '
                    "when the body is not JSON."
                ),
            ),
            401: OpenApiResponse(
                ErrorSerializer,
                description="The EHR's token is missing or not valid; `detail` says why.",
                examples=[
                    OpenApiExample(
                        "Replayed token",
                        value={
                            "detail": "This token has been used before: send a new one "
                            "with every call."
                        },
                        status_codes=["401"],
                    )
                ],
            ),
            404: OpenApiResponse(
                ErrorSerializer,
                description="No such service: there are `gutbrain-order-select` and "
                "`gutbrain-order-sign`.",
            ),
            412: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "The patient's medicines were neither in the call's prefetch nor could "
                    "they be fetched from the EHR's registered FHIR server."
                ),
            ),
            415: NOT_JSON,
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many calls from this EHR (`DJANGO_API_RATE_CDS`): wait the "
                "seconds in `Retry-After`.",
            ),
        },
        tags=TAGS,
    )
    def post(self, request: Request, id: str) -> Response:
        try:
            body = services.request_body(request.data)
            result = services.answer(service=self.service, client=self.client, body=body)
        except InvalidData as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        except services.MedicinesUnavailable as exc:
            self.fetched = exc.fetched
            raise PreconditionFailed(str(exc)) from None
        self.outcome = result.outcome
        self.cards = len(result.cards)
        self.fetched = result.fetched
        return Response({"cards": result.cards})
