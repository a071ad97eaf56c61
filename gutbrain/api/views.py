"""Views of the knowledge-base API (read-only) and of the interaction check.

Everything needs an authenticated user (DRF's default permission) except obtaining a
token. Only published nutrients and topics, and what hangs from them, are shown.
"""

from axes.helpers import get_cool_off
from django.db.models import F, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import status, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.fields import DateTimeField
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from gutbrain import interactions
from gutbrain import models as kb
from gutbrain.api import filters
from gutbrain.api.schema import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    NOT_JSON,
    UNAUTHENTICATED,
    ErrorSerializer,
    InteractionCheckErrorSerializer,
    TokenErrorSerializer,
    TokenSerializer,
)
from gutbrain.api.serializers import (
    EvidenceSerializer,
    IndicationDetailSerializer,
    IndicationSerializer,
    InteractionCheckResultSerializer,
    InteractionCheckSerializer,
    InteractionSerializer,
    MedicineClassSerializer,
    MedicineSerializer,
    NutrientDetailSerializer,
    NutrientSerializer,
    ReferenceSerializer,
    TopicDetailSerializer,
    TopicSerializer,
    check_result_data,
)
from gutbrain.api.throttles import TokenRateThrottle
from gutbrain.errors import is_api
from gutbrain.interactions.rules import UnknownNutrient
from gutbrain.tokens import TokenLimitReached, issue_token

# A slug as Django's `SlugField` holds it. Anything else is no URL of the API (404), and so
# never reaches the database: PostgreSQL refuses a null character in a lookup (a 500).
SLUG = "[-a-zA-Z0-9_]+"

LANGUAGE_NOTE = (
    " Texts are given in Dutch (`*_nl`), in English (`*_en`) and in the request's language "
    "(`Accept-Language`; Dutch by default)."
)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 (`handler404`): under `/api/` the JSON body every 404 of the API
    is documented with, for URLs no endpoint matches (`/api/v1/clients/1.5/`); Django's
    page elsewhere."""
    if is_api(request):  # the CDS Hooks services' paths too
        return JsonResponse({"detail": NotFound.default_detail}, status=404)
    return page_not_found(request, exception)


class ListDetailViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint whose list shows less than its detail."""

    list_serializer_class: type[BaseSerializer]
    detail_serializer_class: type[BaseSerializer]

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "list":
            return self.list_serializer_class
        return self.detail_serializer_class


@extend_schema_view(
    post=extend_schema(
        summary="Obtain an API token",
        description=(
            "Exchange a username and password for a new token, answered with 200. Send it "
            "on every other request as `Authorization: Token <token>` until its `expiry` "
            "(10 hours after it was issued, unless configured otherwise); then obtain a new "
            "one. Each call gives a new token; a user holds at most 10 that have not "
            "expired or been ended with `DELETE`. A change of the user's password ends all "
            "of them. Only a hash of the token is stored: it cannot be shown again. This "
            "is the only endpoint that needs no authentication. Five failed attempts for a "
            "username from one address lock that username out from that address, here, in "
            "the staff pages and in the admin alike; then even the right password is "
            "refused with 429 until the lockout lapses or an administrator unlocks it. "
            "Failures for a username from all addresses together are bounded as well."
        ),
        auth=[],
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                TokenErrorSerializer,
                description="Wrong or missing credentials.",
                examples=[
                    OpenApiExample(
                        "Wrong credentials",
                        value={"non_field_errors": ["Unable to log in with provided credentials."]},
                        status_codes=["400"],
                    )
                ],
            ),
            403: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "The user holds 10 tokens that have not expired: end one with `DELETE` "
                    "or wait until one expires."
                ),
            ),
            415: NOT_JSON,
            429: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "The username is locked out after too many failed logins, or this "
                    "address sent too many requests; `Retry-After` gives the seconds to wait."
                ),
            ),
        },
        tags=["auth"],
    ),
    delete=extend_schema(
        summary="End the API token of this request",
        description=(
            "Ends the token sent in `Authorization` with this request: it no longer "
            "authenticates. The user's other tokens and sessions are left alone. Only a "
            "token can end itself: a session is answered 401."
        ),
        request=None,
        responses={
            204: OpenApiResponse(description="The token is ended."),
            401: UNAUTHENTICATED,
        },
        tags=["auth"],
    ),
)
class TokenView(APIView):
    throttle_classes = [TokenRateThrottle]

    def _is_login(self) -> bool:
        # drf-spectacular asks for the authenticators once before it sets a request.
        request = getattr(self, "request", None)
        return request is not None and request.method == "POST"

    def get_authenticators(self) -> list[BaseAuthentication]:
        # A login's credentials come in the body only: a stale Authorization header must
        # not stop a client from getting a fresh token. Ending one takes the token itself.
        if self._is_login():
            return []
        return [TokenAuthentication()]

    def get_permissions(self) -> list[BasePermission]:
        if self._is_login():
            return []
        return [IsAuthenticated()]

    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # django-axes marks the request when this failure reached the limit, or when
            # the username was locked out already (even with the right password).
            if getattr(request, "axes_locked_out", False):
                raise Throttled(
                    wait=get_cool_off(request).total_seconds(),
                    detail=_(
                        "This account is locked after too many failed logins. Try again "
                        "later, or ask an administrator to unlock it."
                    ),
                )
            raise ValidationError(serializer.errors)
        try:
            stored, token = issue_token(user=serializer.validated_data["user"])
        except TokenLimitReached:
            raise PermissionDenied(
                _(
                    "You hold the most API tokens allowed at once. End one (DELETE "
                    "/api/v1/auth/token/ with it) or wait until one expires."
                )
            ) from None
        expiry = DateTimeField().to_representation(stored.expiry)
        return Response({"token": token, "expiry": expiry})

    def delete(self, request: Request) -> Response:
        # Only a token authenticates here (`get_authenticators`); a test's forced login
        # comes without one, and has nothing to end.
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="List the published nutrients",
        description=(
            "In the order of figure 1 of the source; nutrients without a number in the "
            "figure last." + LANGUAGE_NOTE
        ),
        responses={200: NutrientSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A published nutrient with everything known about it",
        description=(
            "Forms, food sources, the indications it supports, its rows of the interaction "
            "table, evidence summaries with their outcomes, and references." + LANGUAGE_NOTE
        ),
        responses={200: NutrientDetailSerializer, **DETAIL_ERRORS},
    ),
)
class NutrientViewSet(ListDetailViewSet):
    list_serializer_class = NutrientSerializer
    detail_serializer_class = NutrientDetailSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    filterset_class = filters.NutrientFilter
    search_fields = ["slug", "name_nl", "name_en"]
    ordering_fields = ["figure_number", "slug", "name_nl", "name_en"]

    def get_queryset(self) -> QuerySet[kb.Nutrient]:
        nutrients = kb.Nutrient.objects.published()
        if self.action != "retrieve":
            # Figure 1's order; nutrients added later, without a number, go last.
            return nutrients.order_by(F("figure_number").asc(nulls_last=True), "slug")
        return nutrients.with_details()


@extend_schema_view(
    list=extend_schema(
        summary="List the indications and causal factors of figure 1",
        description=LANGUAGE_NOTE.strip(),
        responses={200: IndicationSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="An indication with the published nutrients that support it",
        description=LANGUAGE_NOTE.strip(),
        responses={200: IndicationDetailSerializer, **DETAIL_ERRORS},
    ),
)
class IndicationViewSet(ListDetailViewSet):
    list_serializer_class = IndicationSerializer
    detail_serializer_class = IndicationDetailSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    filterset_class = filters.IndicationFilter
    search_fields = ["slug", "name_nl", "name_en"]
    ordering_fields = ["order", "slug", "name_nl", "name_en", "figure_stage"]

    def get_queryset(self) -> QuerySet[kb.Indication]:
        indications = kb.Indication.objects.all()
        if self.action != "retrieve":
            return indications
        supports = (
            kb.IndicationSupport.objects.filter(nutrient__is_published=True)
            .select_related("nutrient")
            .prefetch_related("references")
        )
        return indications.prefetch_related(Prefetch("supports", supports))


@extend_schema_view(
    list=extend_schema(
        summary="List the medicine classes of the interaction table",
        description=(
            "A medicine belongs to a class when its ATC code starts with one of the class's "
            "`effective_prefixes`: its own and those of every class nested below it. A class's "
            "own prefixes are the brochure's (`atc_prefixes`) and the editors' additions "
            "beyond the brochure (`editor_prefixes`, for medicines that belong to the class in "
            "pharmacology but fall outside the brochure's prefixes), with the reason in "
            "`editor_note`. Both count for the interaction check." + LANGUAGE_NOTE
        ),
        responses={200: MedicineClassSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A medicine class",
        description=LANGUAGE_NOTE.strip(),
        responses={200: MedicineClassSerializer, **DETAIL_ERRORS},
    ),
)
class MedicineClassViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = kb.MedicineClass.objects.select_related("parent")
    serializer_class = MedicineClassSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    filterset_class = filters.MedicineClassFilter
    search_fields = ["slug", "name_nl", "name_en", "atc_prefixes"]
    ordering_fields = ["slug", "name_nl", "name_en"]


@extend_schema_view(
    list=extend_schema(
        summary="List the medicines of the reference list",
        description="Search by name; filter by the start of the ATC code or by class.",
        responses={200: MedicineSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A medicine, by its ATC code",
        responses={200: MedicineSerializer, **DETAIL_ERRORS},
    ),
)
class MedicineViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = kb.Medicine.objects.all()
    serializer_class = MedicineSerializer
    lookup_field = "atc_code"
    lookup_value_regex = "[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}"
    filterset_class = filters.MedicineFilter
    search_fields = ["name"]
    ordering_fields = ["name", "atc_code"]


@extend_schema_view(
    list=extend_schema(
        summary="List the evidence summaries of published nutrients",
        description=LANGUAGE_NOTE.strip(),
        responses={200: EvidenceSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="An evidence summary with its outcomes",
        description=LANGUAGE_NOTE.strip(),
        responses={200: EvidenceSerializer, **DETAIL_ERRORS},
    ),
)
class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        kb.EvidenceSummary.objects.filter(nutrient__is_published=True)
        .select_related("nutrient", "indication")
        .prefetch_related("outcomes", "references")
    )
    serializer_class = EvidenceSerializer
    filterset_class = filters.EvidenceFilter
    search_fields = ["title_nl", "title_en", "summary_nl", "summary_en"]
    ordering_fields = ["participants", "duration_days"]


@extend_schema_view(
    list=extend_schema(
        summary="List the rows of the interaction table of published nutrients",
        description=(
            "To check a client's nutrients against their medicines, pregnancy and "
            "breastfeeding, use `POST /api/v1/interaction-check/`." + LANGUAGE_NOTE
        ),
        responses={200: InteractionSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A row of the interaction table",
        description=LANGUAGE_NOTE.strip(),
        responses={200: InteractionSerializer, **DETAIL_ERRORS},
    ),
)
class InteractionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        kb.Interaction.objects.filter(nutrient__is_published=True)
        .select_related("nutrient", "medicine_class")
        .prefetch_related("references")
    )
    serializer_class = InteractionSerializer
    filterset_class = filters.InteractionFilter
    search_fields = ["advice_nl", "advice_en", "nutrient__name_nl", "nutrient__name_en"]
    ordering_fields = ["target"]


@extend_schema_view(
    list=extend_schema(
        summary="List the published topics about the brain-gut axis",
        description=LANGUAGE_NOTE.strip(),
        responses={200: TopicSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A published topic with its text and pathway steps",
        description=LANGUAGE_NOTE.strip(),
        responses={200: TopicDetailSerializer, **DETAIL_ERRORS},
    ),
)
class TopicViewSet(ListDetailViewSet):
    list_serializer_class = TopicSerializer
    detail_serializer_class = TopicDetailSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    search_fields = ["slug", "title_nl", "title_en", "body_nl", "body_en"]
    ordering_fields = ["order", "slug"]

    def get_queryset(self) -> QuerySet[kb.Topic]:
        topics = kb.Topic.objects.filter(is_published=True)
        if self.action != "retrieve":
            return topics
        return topics.prefetch_related("references", "pathway_steps")


@extend_schema_view(
    list=extend_schema(
        summary="List the source's references",
        description="The numbers that `references` fields elsewhere hold.",
        responses={200: ReferenceSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A reference, by its number",
        responses={200: ReferenceSerializer, **DETAIL_ERRORS},
    ),
)
class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = kb.Reference.objects.all()
    serializer_class = ReferenceSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"
    search_fields = ["citation"]
    ordering_fields = ["number"]


CHECK_DESCRIPTION = """\
Checks each nutrient against the client's medicines (ATC codes), pregnancy and
breastfeeding, using the interaction table of the knowledge base.

A nutrient's `level` is, in this order:
- the level of its most serious finding, when a row of the table applies to the client;
- `no_data` when the table holds nothing at all on the nutrient: nothing recorded is
  **not** the same as safe;
- `none_known` when the source states that no interactions are known;
- `clear` when the table has rows for the nutrient but none applies to this client.

A medicine matches a row for a medicine class when its ATC code starts with one of the
class's effective prefixes, which include those of classes nested below it (a
benzodiazepine, N05BA04, matches a row for sedatives, N05).

`advice` is in the request's language (`Accept-Language`; Dutch by default); `advice_nl`
and `advice_en` give both. Unknown keys in the body are refused, so that a misspelt
`pregnant` is never read as "not pregnant".
"""


class InteractionCheckView(APIView):
    @extend_schema(
        operation_id="interaction_check",
        summary="Check nutrients against medicines, pregnancy and breastfeeding",
        description=CHECK_DESCRIPTION,
        request=InteractionCheckSerializer,
        responses={
            200: InteractionCheckResultSerializer,
            400: OpenApiResponse(
                InteractionCheckErrorSerializer,
                description=(
                    "The body is not valid: messages by the field they are about; "
                    "`non_field_errors` when the body is not a JSON object, `detail` when "
                    "it is not JSON at all."
                ),
            ),
            401: UNAUTHENTICATED,
            415: NOT_JSON,
        },
        examples=[
            OpenApiExample(
                "Ashwagandha with a benzodiazepine",
                value={
                    "nutrients": ["ashwagandha", "zinc"],
                    "atc_codes": ["N05BA04"],
                    "pregnant": False,
                    "breastfeeding": False,
                },
                request_only=True,
            ),
            OpenApiExample(
                "Ashwagandha with a benzodiazepine",
                value={
                    "results": [
                        {
                            "nutrient": "ashwagandha",
                            "level": "monitor",
                            "level_label": "monitor effects and/or consult",
                            "findings": [
                                {
                                    "level": "monitor",
                                    "level_label": "monitor effects and/or consult",
                                    "reason": "medicine",
                                    "atc_codes": ["N05BA04"],
                                    "medicine_class": "sedatives",
                                    "advice": "Monitor de effecten van de medicijnen en/of "
                                    "overleg met de behandelend arts.",
                                    "advice_nl": "Monitor de effecten van de medicijnen en/of "
                                    "overleg met de behandelend arts.",
                                    "advice_en": "Monitor the medicines' effects and/or "
                                    "consult the treating physician.",
                                    "references": [],
                                }
                            ],
                        },
                        {
                            "nutrient": "zinc",
                            "level": "no_data",
                            "level_label": "nothing recorded: not known to be safe",
                            "findings": [],
                        },
                    ],
                    "worst_level": "monitor",
                },
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Unknown nutrient",
                value={"nutrients": ["Not a published nutrient: ashwaganda."]},
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "Malformed ATC code",
                value={
                    "atc_codes": [
                        "Not a valid ATC code: Z99ZZ99. An ATC code consists of a main group "
                        "letter (A, B, C, D, G, H, J, L, M, N, P, R, S or V), two digits, two "
                        "letters and two digits, such as N05BA04."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
        tags=["interaction check"],
    )
    def post(self, request: Request) -> Response:
        data = InteractionCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = interactions.check(interactions.load_table(), **data.validated_data)
        except UnknownNutrient as exc:
            message = _("Not a published nutrient: %(slugs)s.") % {"slugs": ", ".join(exc.slugs)}
            raise ValidationError({"nutrients": [message]}, code="unknown_nutrient") from exc
        return Response(check_result_data(result))
