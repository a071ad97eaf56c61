"""The staff page's forms of a medication list's import: the upload, and the confirmation
that carries the previewed list back."""

import io
import json
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ParseError

from gutbrain.api.parsers import MAX_DEPTH, BoundedJSONParser

# Room, below the body limit, for the confirmation's other fields.
CONFIRM_MARGIN_BYTES = 16 * 1024
KB = 1024


def max_document_bytes() -> int:
    """The largest list the page takes: the confirmation sends it back as a form field,
    which must fit in a body Django accepts (`DATA_UPLOAD_MAX_MEMORY_SIZE`). Rounded down
    to 100 kB, as the page says it (1000 kB)."""
    room = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - CONFIRM_MARGIN_BYTES
    return room // (100 * KB) * 100 * KB


def _parse(stream) -> Any:
    """JSON as the API reads it (`BoundedJSONParser`): bounded in size and depth; its
    refusals said of a file rather than of a request."""
    try:
        return BoundedJSONParser().parse(stream)
    except ParseError as exc:
        code = exc.detail.code
        messages = {
            "too_large": _("The file is larger than %(limit)d kB.")
            % {"limit": max_document_bytes() // KB},
            "not_text": _("The file is not text in UTF-8. Save it as UTF-8 and upload it again."),
            "too_deep": _(
                "The file nests lists and objects more than %(depth)d deep: it is not a "
                "medication list."
            )
            % {"depth": MAX_DEPTH},
        }
        message = messages.get(code) or _("The file is not JSON (%(error)s).") % {
            "error": exc.detail
        }
        raise forms.ValidationError(message, code=code) from exc


def compact(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


class MedicationListUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Medication list"),
        help_text=gettext_lazy(
            "A FHIR file (JSON) from the GP or pharmacy: a Bundle of MedicationStatements "
            "or MedicationRequests, or one of them."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_document_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(limit)d kB.") % {"limit": max_document_bytes() // KB},
                code="too_large",
            )
        document = _parse(upload)
        if len(compact(document).encode()) > max_document_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(limit)d kB.") % {"limit": max_document_bytes() // KB},
                code="too_large",
            )
        return document


class MedicationListConfirmForm(forms.Form):
    """The previewed list, sent back as it was read (`compact`)."""

    document = forms.CharField(widget=forms.HiddenInput, strip=False)

    def clean_document(self) -> Any:
        return _parse(io.BytesIO(self.cleaned_data["document"].encode()))
