"""Views of the practice API: clients, consults (with their check and protocols), protocols.

Every record goes through the access helpers of `practice.access`: a practitioner sees
the clients they treat and what hangs from them, and anything else answers 404. Writes go
through `practice.services` and `practice.protocols.issue_protocol`; their refusals become
400 answers keyed by the API's field names.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from gutbrain.api.serializers import InteractionCheckResultSerializer
from practice import services
from practice.access import (
    clients_for,
    consults_for,
    get_client_for_user,
    get_consult_for_user,
    get_protocol_for_user,
    is_practitioner,
    protocols_for,
)
from practice.api import schema
from practice.api.filters import ConsultFilter, ProtocolFilter
from practice.api.serializers import (
    ClientSerializer,
    ConsultSerializer,
    IssueProtocolSerializer,
    ProtocolDetailSerializer,
    ProtocolSerializer,
)
from practice.models import (
    Client,
    ClientSupplement,
    Consult,
    Practice,
    Protocol,
    SupplementLine,
)
from practice.protocols import UnacknowledgedAvoid, check_consult, issue_protocol


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the record's state.")
    default_code = "conflict"


class PractitionersCreate(BasePermission):
    """Only practitioners add clients and consults. Other users may still ask: they get
    empty lists and 404s from the scoped querysets, so nothing is revealed."""

    message = gettext_lazy("Only practitioners can add clients and consults.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or is_practitioner(request.user)


class FirstRendererNegotiation(BaseContentNegotiation):
    """Ignores `Accept`: the PDF answer is a file, and its errors are always JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@contextmanager
def service_errors_as_400(rename: dict[str, str] | None = None) -> Iterator[None]:
    """A service's `ValidationError` as a 400, its keys renamed to the API's fields."""
    rename = {NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY, **(rename or {})}
    try:
        yield
    except DjangoValidationError as exc:
        detail = as_serializer_error(exc)
        raise ValidationError(
            {rename.get(key, key): value for key, value in detail.items()}
        ) from exc


def practice_of(user: User) -> Practice:
    member = getattr(user, "practice_member", None)
    if member is None:
        raise ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    _(
                        "You are not a member of a practice, and a client belongs to one. "
                        "Ask the administrator to add you to your practice."
                    )
                ]
            },
            code="no_practice",
        )
    return member.practice


@schema.clients
class ClientViewSet(viewsets.ModelViewSet):
    serializer_class = ClientSerializer
    permission_classes = [IsAuthenticated, PractitionersCreate]
    search_fields = ["first_name", "last_name", "client_number"]
    ordering_fields = [
        "last_name",
        "first_name",
        "client_number",
        "date_of_birth",
        "created_at",
        "updated_at",
    ]

    def base_queryset(self) -> QuerySet[Client]:
        return Client.objects.select_related("practitioner").prefetch_related(
            "medications",
            Prefetch("own_supplements", ClientSupplement.objects.select_related("nutrient")),
        )

    def get_queryset(self) -> QuerySet[Client]:
        return clients_for(self.request.user, self.base_queryset())

    def get_object(self) -> Client:
        client = get_client_for_user(self.request.user, self.kwargs["pk"], self.base_queryset())
        self.check_object_permissions(self.request, client)
        return client

    def perform_create(self, serializer: ClientSerializer) -> None:
        practice = practice_of(self.request.user)
        with service_errors_as_400():
            serializer.instance = services.client_create(
                practitioner=self.request.user, practice=practice, **serializer.validated_data
            )

    def perform_update(self, serializer: ClientSerializer) -> None:
        fields = dict(serializer.validated_data)
        with service_errors_as_400():
            services.client_update(
                client=serializer.instance,
                medications=fields.pop("medications", None),
                own_supplements=fields.pop("own_supplements", None),
                fields=fields,
            )

    def perform_destroy(self, instance: Client) -> None:
        try:
            services.client_delete(client=instance)
        except DjangoValidationError as exc:
            raise Conflict(exc.messages[0]) from exc


@schema.consults
class ConsultViewSet(viewsets.ModelViewSet):
    serializer_class = ConsultSerializer
    permission_classes = [IsAuthenticated, PractitionersCreate]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = ConsultFilter
    ordering_fields = ["date", "created_at", "updated_at"]

    def base_queryset(self) -> QuerySet[Consult]:
        if self.action == "check":
            lines = SupplementLine.objects.select_related("nutrient")
            return Consult.objects.select_related("client").prefetch_related(
                Prefetch("lines", lines), "client__medications"
            )
        if self.action == "protocols":
            return Consult.objects.all()
        lines = SupplementLine.objects.select_related("nutrient", "form")
        return Consult.objects.select_related("practitioner").prefetch_related(
            "complaints", Prefetch("lines", lines)
        )

    def get_queryset(self) -> QuerySet[Consult]:
        return consults_for(self.request.user, self.base_queryset())

    def get_object(self) -> Consult:
        consult = get_consult_for_user(self.request.user, self.kwargs["pk"], self.base_queryset())
        self.check_object_permissions(self.request, consult)
        return consult

    def perform_create(self, serializer: ConsultSerializer) -> None:
        with service_errors_as_400({"lines": "supplements"}):
            serializer.instance = services.consult_create(
                practitioner=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer: ConsultSerializer) -> None:
        fields = dict(serializer.validated_data)
        fields.pop("client", None)  # the serializer refuses a different one
        with service_errors_as_400({"lines": "supplements"}):
            services.consult_update(
                consult=serializer.instance,
                complaints=fields.pop("complaints", None),
                lines=fields.pop("lines", None),
                fields=fields,
            )

    def perform_destroy(self, instance: Consult) -> None:
        try:
            services.consult_delete(consult=instance)
        except DjangoValidationError as exc:
            raise Conflict(exc.messages[0]) from exc

    @action(detail=True, methods=["get"])
    def check(self, request: Request, pk: str) -> Response:
        consult = self.get_object()
        try:
            result = check_consult(consult)
        except DjangoValidationError as exc:  # a line's nutrient was unpublished
            raise Conflict(exc.messages[0]) from exc
        return Response(InteractionCheckResultSerializer(result).data)

    @action(detail=True, methods=["post"], serializer_class=IssueProtocolSerializer)
    def protocols(self, request: Request, pk: str) -> Response:
        consult = self.get_object()
        data = IssueProtocolSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            protocol = issue_protocol(
                consult=consult,
                issued_by=request.user,
                acknowledgements=data.validated_data.get("acknowledgements", []),
            )
        except UnacknowledgedAvoid as exc:
            raise ValidationError(
                {"acknowledgements": exc.messages, "unacknowledged": exc.nutrients}
            ) from exc
        except DjangoValidationError as exc:
            about_consult = getattr(exc, "code", None) in {"empty", "unpublished_nutrient"}
            key = api_settings.NON_FIELD_ERRORS_KEY if about_consult else "acknowledgements"
            raise ValidationError({key: exc.messages}) from exc
        body = ProtocolSerializer(protocol, context=self.get_serializer_context()).data
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": str(body["url"])}
        )


@schema.protocols
class ProtocolViewSet(viewsets.ReadOnlyModelViewSet):
    """Issued protocols are read only: they are issued through the consult and never change."""

    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = ProtocolFilter
    ordering_fields = ["issued_at", "version"]

    def get_serializer_class(self) -> type[ProtocolSerializer]:
        return ProtocolSerializer if self.action == "list" else ProtocolDetailSerializer

    def base_queryset(self) -> QuerySet[Protocol]:
        if self.action == "pdf":
            return Protocol.objects.all()
        return Protocol.objects.select_related("issued_by")

    def get_queryset(self) -> QuerySet[Protocol]:
        return protocols_for(self.request.user, self.base_queryset())

    def get_object(self) -> Protocol:
        protocol = get_protocol_for_user(self.request.user, self.kwargs["pk"], self.base_queryset())
        self.check_object_permissions(self.request, protocol)
        return protocol

    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FirstRendererNegotiation,
    )
    def pdf(self, request: Request, pk: str) -> FileResponse:
        protocol = self.get_object()
        number = protocol.snapshot["client"]["client_number"]
        filename = get_valid_filename(f"protocol-{number}-v{protocol.version}.pdf")
        return FileResponse(
            protocol.pdf.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type="application/pdf",
        )
