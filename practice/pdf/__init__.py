"""Rendering an issued protocol, as HTML and as PDF, from its snapshot alone.

Nothing here reads the database or the knowledge base: the snapshot (see
`practice.protocols.build_snapshot`) holds everything the document shows, so a reprint is
byte-identical and later edits change nothing.

Each snapshot schema has its own document, chosen by `snapshot["schema"]`:
- 1: the protocols issued before the client handout (`schema1`, frozen);
- 2: the client handout in plain Dutch, with an optional page for the client's physician
  or pharmacist (`handout`).
"""

from functools import cache
from types import ModuleType
from zoneinfo import ZoneInfo

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from practice.pdf import handout, schema1

DOCUMENTS: dict[int, ModuleType] = {1: schema1, 2: handout}

# The current document: what a protocol issued today is rendered with.
TEMPLATE = handout.TEMPLATE
STYLESHEET = handout.STYLESHEET


def document_for(snapshot: dict) -> ModuleType:
    return DOCUMENTS[snapshot.get("schema", 1)]


def protocol_context(snapshot: dict, *, for_pdf: bool) -> dict:
    """The document's context, built from the snapshot only, in the active language."""
    return document_for(snapshot).protocol_context(snapshot, for_pdf=for_pdf)


def render_protocol_html(snapshot: dict, *, for_pdf: bool) -> str:
    """The protocol document in the active language.

    For the PDF the stylesheet is handed to WeasyPrint separately and the running page
    footer is added; the HTML page links the stylesheet instead (no inline styles, so a
    strict Content-Security-Policy holds).
    """
    document = document_for(snapshot)
    return render_to_string(document.TEMPLATE, document.protocol_context(snapshot, for_pdf=for_pdf))


def _fetcher() -> weasyprint.URLFetcher:
    # The document needs nothing from outside; never let a rendering reach the network.
    # `data:` is the practice's logo, embedded in the snapshot.
    return weasyprint.URLFetcher(allowed_protocols={"file", "data"})


@cache
def _stylesheet(name: str) -> weasyprint.CSS:
    """A document's stylesheet (a static file), parsed once per process: a stylesheet
    changes only with a deploy, which restarts the processes, and WeasyPrint only reads a
    parsed one while it renders, so one copy serves every rendering and thread."""
    return weasyprint.CSS(filename=finders.find(name), url_fetcher=_fetcher())


def render_protocol_pdf(snapshot: dict) -> bytes:
    """The protocol as an A4 PDF, in Dutch; the same snapshot always gives the same bytes.

    The PDF's creation and modification dates are the issue date (from the snapshot) and
    the times shown are in the project's time zone, whatever the request activated.
    """
    with override("nl"), timezone.override(ZoneInfo(settings.TIME_ZONE)):
        html = render_protocol_html(snapshot, for_pdf=True)
    document = weasyprint.HTML(
        string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=_fetcher()
    )
    return document.write_pdf(stylesheets=[_stylesheet(document_for(snapshot).STYLESHEET)])
