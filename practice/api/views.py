"""Views of the practice API: clients, consults (with their check and protocols), protocols.

Every record goes through the access helpers of `practice.access`: a practitioner sees
the clients they treat and what hangs from them, and anything else answers 404. Writes go
through `practice.services` and `practice.protocols.issue_protocol`; their refusals become
400 answers keyed by the API's field names.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.utils.http import parse_etags
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from practice import access, records, services
from practice.access import (
    client_contacts_for,
    clients_for,
    consults_for,
    get_client,
    get_client_contact,
    get_consult,
    get_protocol,
    is_practitioner,
    protocols_for,
)
from practice.api import schema
from practice.api.filters import ConsultFilter, ProtocolFilter
from practice.api.serializers import (
    AccessLogEntrySerializer,
    ClientContactSerializer,
    ClientSerializer,
    ConsultCheckSerializer,
    ConsultSerializer,
    EraseClientSerializer,
    ErasureRecordSerializer,
    IssueProtocolSerializer,
    ProtocolDetailSerializer,
    ProtocolSerializer,
)
from practice.checking import CHECK_PREFETCH, check_consult
from practice.models import (
    AccessAction,
    AccessLogEntry,
    AccessRecordType,
    Client,
    ClientSupplement,
    Consult,
    Practice,
    Protocol,
    SupplementLine,
)
from practice.pdf import files as pdf_files
from practice.protocols import CheckChanged, UnacknowledgedAvoid, issue_protocol


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the record's state.")
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The consult has been changed since you loaded it: nothing was saved. Load it "
        "again (its new ETag) and apply your change to that."
    )
    default_code = "precondition_failed"


def consult_etag(consult: Consult) -> str:
    """A strong ETag of the consult's representation: its id and its revision, which
    counts up on every change."""
    return f'"{consult.pk}.{consult.revision}"'


def if_match_revisions(request: Request, consult: Consult) -> set[int] | None:
    """The consult revisions `If-Match` names; `None` without the header or for `*`
    (any revision). Weak, malformed or other consults' tags name none."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = parse_etags(header)
    if "*" in tags:
        return None
    prefix = f'"{consult.pk}.'
    return {
        int(tag[len(prefix) : -1])
        for tag in tags
        if tag.startswith(prefix) and tag[len(prefix) : -1].isdigit()
    }


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

    # What each action that reaches one client does to it, for the access log.
    access_actions = {
        "retrieve": AccessAction.READ,
        "update": AccessAction.UPDATE,
        "partial_update": AccessAction.UPDATE,
        "destroy": AccessAction.DELETE,
        # OPTIONS: DRF reads the client to tell whether the user may change it.
        "metadata": AccessAction.READ,
    }

    def get_queryset(self) -> QuerySet[Client]:
        return clients_for(self.request.user, self.base_queryset())

    def get_object(self) -> Client:
        client = get_client(
            self.request,
            self.kwargs["pk"],
            self.base_queryset(),
            action=self.access_actions[self.action],
        )
        self.check_object_permissions(self.request, client)
        return client

    def perform_create(self, serializer: ClientSerializer) -> None:
        practice = practice_of(self.request.user)
        with (
            service_errors_as_400(),
            access.logged_write(self.request, AccessAction.CREATE) as written,
        ):
            serializer.instance = written.obj = services.client_create(
                practitioner=self.request.user, practice=practice, **serializer.validated_data
            )

    def perform_update(self, serializer: ClientSerializer) -> None:
        fields = dict(serializer.validated_data)
        with (
            service_errors_as_400(),
            access.logged_write(self.request, AccessAction.UPDATE, serializer.instance),
        ):
            services.client_update(
                client=serializer.instance,
                medications=fields.pop("medications", None),
                own_supplements=fields.pop("own_supplements", None),
                fields=fields,
            )

    def perform_destroy(self, instance: Client) -> None:
        try:
            with access.logged_write(self.request, AccessAction.DELETE, instance):
                services.client_delete(client=instance)
        except DjangoValidationError as exc:
            raise Conflict(exc.messages[0]) from exc

    @action(
        detail=True,
        methods=["get"],
        url_path="access-log",
        serializer_class=AccessLogEntrySerializer,
        filter_backends=[],
    )
    def access_log(self, request: Request, pk: str) -> Response:
        client = get_client(request, pk)
        page = self.paginate_queryset(AccessLogEntry.objects.filter(client_id=client.pk))
        return self.get_paginated_response(AccessLogEntrySerializer(page, many=True).data)

    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str) -> Response:
        client = get_client(request, pk, records.export_queryset(), action=AccessAction.EXPORT)
        return Response(records.build_export(client))

    @action(detail=True, methods=["post"], serializer_class=EraseClientSerializer)
    def erase(self, request: Request, pk: str) -> Response:
        client = get_client(request, pk, action=AccessAction.ERASE)
        data = EraseClientSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors_as_400(), access.logged_write(request, AccessAction.ERASE, client):
            erasure = records.erase_client(
                client=client, erased_by=request.user, reason=data.validated_data["reason"]
            )
        return Response(ErasureRecordSerializer(erasure).data)


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
                Prefetch("lines", lines), *CHECK_PREFETCH
            )
        if self.action == "protocols":
            return Consult.objects.all()
        lines = SupplementLine.objects.select_related("nutrient", "form")
        return Consult.objects.select_related("practitioner").prefetch_related(
            "complaints", Prefetch("lines", lines)
        )

    # What each action that reaches one consult does to it, for the access log.
    access_actions = {
        "retrieve": AccessAction.READ,
        "update": AccessAction.UPDATE,
        "partial_update": AccessAction.UPDATE,
        "destroy": AccessAction.DELETE,
        "check": AccessAction.READ,
        "protocols": AccessAction.CREATE,
        # OPTIONS: DRF reads the consult to tell whether the user may change it.
        "metadata": AccessAction.READ,
    }

    def get_queryset(self) -> QuerySet[Consult]:
        return consults_for(self.request.user, self.base_queryset())

    def get_object(self) -> Consult:
        consult = get_consult(
            self.request,
            self.kwargs["pk"],
            self.base_queryset(),
            action=self.access_actions[self.action],
        )
        self.check_object_permissions(self.request, consult)
        return consult

    def perform_create(self, serializer: ConsultSerializer) -> None:
        with (
            service_errors_as_400({"lines": "supplements"}),
            access.logged_write(self.request, AccessAction.CREATE) as written,
        ):
            serializer.instance = written.obj = services.consult_create(
                practitioner=self.request.user, **serializer.validated_data
            )

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        consult = self.get_object()
        body = self.get_serializer(consult).data
        return Response(body, headers={"ETag": consult_etag(consult)})

    def update(self, request: Request, *args, **kwargs) -> Response:
        """PUT and PATCH; 412 when `If-Match` names a revision that is no longer current.
        Without `If-Match` the write is accepted (last write wins)."""
        consult = self.get_object()
        serializer = self.get_serializer(
            consult, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        consult._prefetched_objects_cache = {}  # complaints and lines may have been replaced
        return Response(serializer.data, headers={"ETag": consult_etag(consult)})

    def perform_update(self, serializer: ConsultSerializer) -> None:
        fields = dict(serializer.validated_data)
        fields.pop("client", None)  # the serializer refuses a different one
        with service_errors_as_400({"lines": "supplements"}):
            try:
                with access.logged_write(self.request, AccessAction.UPDATE, serializer.instance):
                    services.consult_update(
                        consult=serializer.instance,
                        seen_revisions=if_match_revisions(self.request, serializer.instance),
                        complaints=fields.pop("complaints", None),
                        lines=fields.pop("lines", None),
                        fields=fields,
                    )
            except services.ConsultGone as exc:
                raise NotFound from exc
            except services.ConsultChanged as exc:
                raise PreconditionFailed from exc

    def perform_destroy(self, instance: Consult) -> None:
        try:
            with access.logged_write(self.request, AccessAction.DELETE, instance):
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
        return Response(ConsultCheckSerializer(result).data)

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
                check_digest=data.validated_data.get("check_digest"),
                seen_revisions=if_match_revisions(request, consult),
                include_physician_page=data.validated_data["include_physician_page"],
                request=request,  # logged in the issue's transaction
            )
        except services.ConsultGone as exc:
            raise NotFound from exc
        except services.ConsultChanged as exc:
            raise PreconditionFailed from exc
        except CheckChanged as exc:
            return Response(
                {"detail": exc.messages[0], "check": ConsultCheckSerializer(exc.result).data},
                status=status.HTTP_409_CONFLICT,
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
            return Protocol.objects.select_related("consult")
        if self.action == "retrieve":
            return Protocol.objects.select_related("issued_by", "consult")
        return Protocol.objects.select_related("issued_by")

    def get_queryset(self) -> QuerySet[Protocol]:
        return protocols_for(self.request.user, self.base_queryset())

    def get_object(self) -> Protocol:
        if self.action == "pdf":
            action, record_type = AccessAction.PRINT, AccessRecordType.PROTOCOL_PDF
        else:
            action, record_type = AccessAction.READ, AccessRecordType.PROTOCOL
        protocol = get_protocol(
            self.request,
            self.kwargs["pk"],
            self.base_queryset(),
            action=action,
            record_type=record_type,
        )
        self.check_object_permissions(self.request, protocol)
        return protocol

    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FirstRendererNegotiation,
    )
    def pdf(self, request: Request, pk: str) -> FileResponse | Response:
        protocol = self.get_object()
        try:
            content = pdf_files.read(protocol)
        except pdf_files.PdfUnrecoverable:
            return Response({"detail": pdf_files.UNRECOVERABLE}, status=500)
        number = protocol.snapshot["client"]["client_number"]
        filename = get_valid_filename(f"protocol-{number}-v{protocol.version}.pdf")
        return FileResponse(
            io.BytesIO(content),
            as_attachment=True,
            filename=filename,
            content_type="application/pdf",
        )


@schema.client_contacts
class ClientContactViewSet(viewsets.ReadOnlyModelViewSet):
    """Clients' contact details: what an assistant may see of the clients of the
    practitioners they assist; practitioners see their own clients' here too."""

    serializer_class = ClientContactSerializer
    search_fields = ["first_name", "last_name", "client_number"]
    ordering_fields = ["last_name", "first_name", "client_number", "date_of_birth"]

    def base_queryset(self) -> QuerySet[Client]:
        return Client.objects.select_related("practitioner")

    def get_queryset(self) -> QuerySet[Client]:
        return client_contacts_for(self.request.user, self.base_queryset())

    def get_object(self) -> Client:
        client = get_client_contact(self.request, self.kwargs["pk"], self.base_queryset())
        self.check_object_permissions(self.request, client)
        return client
