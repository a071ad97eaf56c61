"""Issued protocols: the staff page, the print view and the stored PDF."""

import io
from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from practice.access import get_protocol, may_see_whole_client
from practice.models import AccessAction, AccessRecordType, Protocol
from practice.pdf import files as pdf_files
from practice.pdf import protocol_context, render_protocol_html


def _protocol_queryset():
    return Protocol.objects.select_related("consult__client", "issued_by")


@login_required
@require_safe
def protocol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = get_protocol(request, pk, _protocol_queryset())
    versions = Protocol.objects.filter(consult_id=protocol.consult_id).order_by("-version")
    return render(
        request,
        "practice/protocol_detail.html",
        {
            "protocol": protocol,
            "document": protocol_context(protocol.snapshot, for_pdf=False),
            "versions": versions.select_related("issued_by"),
            "sees_consult": may_see_whole_client(request.user, protocol.consult.client),
        },
    )


@login_required
@require_safe
def protocol_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The protocol as the client gets it, print-friendly, from the snapshot alone."""
    protocol = get_protocol(
        request, pk, Protocol.objects.select_related("consult"), action=AccessAction.PRINT
    )
    return HttpResponse(render_protocol_html(protocol.snapshot, for_pdf=False))


@login_required
@require_safe
def protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF stored at issue, byte for byte: repaired from the snapshot when its file is
    missing or damaged (`practice.pdf.files.read`)."""
    protocol = get_protocol(
        request,
        pk,
        Protocol.objects.select_related("consult"),
        action=AccessAction.PRINT,
        record_type=AccessRecordType.PROTOCOL_PDF,
    )
    try:
        content = pdf_files.read(protocol)
    except pdf_files.PdfUnrecoverable:
        return render(
            request,
            "practice/protocol_pdf_unrecoverable.html",
            {"protocol": protocol, "detail": pdf_files.UNRECOVERABLE},
            status=500,
        )
    return FileResponse(
        io.BytesIO(content),
        content_type="application/pdf",
        filename=PurePath(protocol.pdf.name).name,
    )
