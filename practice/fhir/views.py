"""The FHIR endpoints of the API, and the staff page that imports a medication list.

- `GET /api/v1/clients/{id}/fhir/`, `GET /api/v1/protocols/{id}/fhir/`: a client's record
  and an issued protocol as FHIR Bundles, found, scoped and logged like the client's JSON
  export (`practice.access`);
- `GET /api/v1/fhir/CodeSystem/nutrient`: the knowledge base's nutrients as a CodeSystem;
- `POST /api/v1/clients/{id}/medications/fhir/`: a FHIR medication list into the client's
  medicines (`practice.fhir.imports`), and the same on the client's page, with a preview.

The exports always answer `application/fhir+json`, errors included; the import reads
`application/json` and `application/fhir+json` with the API's one bounded parser.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gutbrain.api.parsers import BoundedJSONParser
from gutbrain.models import Nutrient
from practice import access
from practice.access import get_client, get_protocol
from practice.fhir import export, imports, schema
from practice.fhir.forms import (
    MedicationListConfirmForm,
    MedicationListUploadForm,
    compact,
    max_document_bytes,
)
from practice.models import AccessAction
from practice.views.common import ErrorItem, error_summary


class FHIRJSONRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class FHIRJSONParser(BoundedJSONParser):
    """The API's bounded parser, for a body sent as `application/fhir+json`."""

    media_type = "application/fhir+json"


class FHIRNegotiation(BaseContentNegotiation):
    """FHIR JSON whatever `Accept` asks for, errors included: an integration that asks
    for `application/json` gets the resource, not a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class InvalidFHIR(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("Not valid FHIR R4.")
    default_code = "invalid_fhir"


class FHIRView(APIView):
    renderer_classes = [FHIRJSONRenderer]
    content_negotiation_class = FHIRNegotiation


@schema.client_bundle
class ClientBundleView(FHIRView):
    def get(self, request: Request, pk: str) -> Response:
        client = get_client(request, pk, export.client_queryset(), action=AccessAction.EXPORT)
        return Response(export.client_bundle(client).model_dump(mode="json"))


@schema.protocol_bundle
class ProtocolBundleView(FHIRView):
    def get(self, request: Request, pk: str) -> Response:
        protocol = get_protocol(request, pk, export.protocol_queryset(), action=AccessAction.EXPORT)
        return Response(export.protocol_bundle(protocol).model_dump(mode="json"))


@schema.nutrient_code_system
class NutrientCodeSystemView(FHIRView):
    def get(self, request: Request) -> Response:
        nutrients = Nutrient.objects.published().order_by("slug")
        return Response(export.nutrient_code_system(nutrients).model_dump(mode="json"))


@schema.medication_import
class MedicationImportView(APIView):
    parser_classes = [BoundedJSONParser, FHIRJSONParser]

    def post(self, request: Request, pk: str) -> Response:
        client = get_client(request, pk, action=AccessAction.UPDATE)
        document = request.data
        try:
            with access.logged_write(request, AccessAction.UPDATE, client):
                result = imports.import_medications(client=client, document=document)
        except imports.InvalidMedicationList as exc:
            raise InvalidFHIR(exc.message) from exc
        return Response(schema.MedicationImportSerializer(result).data)


# The staff page -------------------------------------------------------------------------

TEMPLATE = "practice/fhir/medication_import.html"


def _too_large(request: HttpRequest) -> bool:
    """Whether the body announces more than an upload may hold, before Django reads it
    into a temporary file."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_document_bytes() + 64 * 1024


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def medication_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a FHIR medication list, see what would be added and what skipped and why,
    then confirm (`?step=confirm`): the same import as the API's, first as a dry run."""
    confirming = request.method == "POST" and request.GET.get("step") == "confirm"
    client = get_client(
        request, pk, action=AccessAction.UPDATE if confirming else AccessAction.READ
    )
    upload = MedicationListUploadForm()
    problems: list[str] = []
    result = confirm = None
    if request.method == "POST" and _too_large(request):
        problems.append(
            _("The file is larger than %(limit)d kB.") % {"limit": max_document_bytes() // 1024}
        )
    elif confirming:
        sent = MedicationListConfirmForm(request.POST)
        if not sent.is_valid():
            problems.append(_("The list to add did not come back whole: upload the file again."))
        else:
            try:
                with access.logged_write(request, AccessAction.UPDATE, client):
                    added = imports.import_medications(
                        client=client, document=sent.cleaned_data["document"]
                    )
            except imports.InvalidMedicationList as exc:
                problems.append(exc.message)
            else:
                _say_what_was_added(request, added)
                return redirect(client)
    elif request.method == "POST":
        upload = MedicationListUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            document = upload.cleaned_data["file"]
            try:
                result = imports.import_medications(client=client, document=document, dry_run=True)
            except imports.InvalidMedicationList as exc:
                upload.add_error("file", exc.message)
            else:
                confirm = MedicationListConfirmForm(initial={"document": compact(document)})
    errors = [ErrorItem(problem) for problem in problems] + error_summary(upload)
    return render(
        request,
        TEMPLATE,
        {
            "client": client,
            "upload": upload,
            "result": result,
            "confirm": confirm,
            "errors": errors,
            "max_kb": max_document_bytes() // 1024,
        },
        status=400 if errors else 200,
    )


def _say_what_was_added(request: HttpRequest, result: imports.ImportResult) -> None:
    if result.added:
        messages.success(
            request,
            ngettext(
                "%(count)d medicine was added to the client's medicines.",
                "%(count)d medicines were added to the client's medicines.",
                len(result.added),
            )
            % {"count": len(result.added)},
        )
    else:
        messages.info(request, _("Nothing was added: the client's medicines are as they were."))
