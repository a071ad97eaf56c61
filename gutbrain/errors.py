"""Error answers: JSON under `/api/`, pages elsewhere, 503 while the database or the file
storage is down and 507 when the disk is full.

While PostgreSQL was stopped the API answered `text/html` "Server Error (500)" (issue #12).
An unavailable database is an outage the app recovers from by itself, not a fault of the
request: it answers 503 with `Retry-After`, as JSON (`{"detail": …}`) under `/api/` and as
a page of its own elsewhere. That page needs nothing from the database (no menu, no user).
"""

import logging
import sys
from collections.abc import Callable

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.defaults import server_error as page_server_error
from rest_framework.exceptions import APIException

logger = logging.getLogger(__name__)

# The database errors of an outage: refused or lost connections, a server shutting down,
# SQLite's file that cannot be opened or stays locked. Errors of the request or the code
# (IntegrityError, ProgrammingError) stay a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 15


class InsufficientStorage(Exception):
    """A write refused because the disk is full, with nothing written: answered 507."""

    default_detail = _lazy("The storage is full, so nothing was saved. Try again later.")

    def __init__(self, detail: str | None = None):
        self.detail = detail or self.default_detail
        super().__init__(str(self.detail))


class StorageUnavailable(Exception):
    """A write refused because the file storage (the S3 bucket) cannot be reached, with
    nothing written: answered 503 with `Retry-After`."""

    default_detail = _lazy(
        "The file storage is briefly unavailable, so nothing was saved. Try again shortly."
    )

    def __init__(self, detail: str | None = None):
        self.detail = detail or self.default_detail
        super().__init__(str(self.detail))


def storage_errors() -> tuple[type[BaseException], ...]:
    """The errors of a storage that cannot be reached or refuses a request. The local disk
    raises `OSError`s (a full disk among them, told apart by its errno); S3 through boto3
    raises botocore's errors (a refused connection, a timeout, an error answer) and
    boto3's own for a failed upload."""
    try:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        return (OSError,)
    return (OSError, BotoCoreError, ClientError, Boto3Error)


def is_api(request: HttpRequest) -> bool:
    """Whether the request is one of the API's or of the CDS Hooks services': both answer
    JSON."""
    return request.path.startswith(("/api/", "/cds-services"))


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with `Retry-After`: JSON under `/api/`, the standalone page elsewhere."""
    if is_api(request):
        response = JsonResponse(
            {"detail": _("The database is briefly unavailable. Try again shortly.")},
            status=503,
        )
    else:
        # Rendered without the request: the context processors (menu, user) would query.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def storage_unavailable(request: HttpRequest, exception: StorageUnavailable) -> HttpResponse:
    """503 with `Retry-After`: JSON under `/api/`, the standalone 503 page elsewhere."""
    if is_api(request):
        response = JsonResponse({"detail": str(exception.detail)}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def insufficient_storage(request: HttpRequest, exception: InsufficientStorage) -> HttpResponse:
    """507: JSON under `/api/`, the standalone page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": str(exception.detail)}, status=507)
    page = loader.render_to_string("507.html", {"detail": exception.detail}, request)
    return HttpResponse(page, status=507)


class DatabaseUnavailableMiddleware:
    """Turns a database outage met by a view into 503 (`database_unavailable`), a full
    disk into 507 (`insufficient_storage`) and unreachable file storage into 503
    (`storage_unavailable`).

    An outage met by a middleware before or after the view (loading the session) reaches
    `server_error` instead, which answers the same."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, InsufficientStorage):
            return insufficient_storage(request, exception)
        if isinstance(exception, StorageUnavailable):
            return storage_unavailable(request, exception)
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        # Answered here, so Django does not log it: an outage is worth a line each time.
        logger.error("Database unavailable: %s %s", request.method, request.path, exc_info=True)
        return database_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500 (`handler500`): 503 for a database outage, JSON under `/api/`,
    Django's page elsewhere. Django has logged the exception already."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if is_api(request):
        return JsonResponse({"detail": APIException.default_detail}, status=500)
    return page_server_error(request)


DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
UNAVAILABLE_RESPONSE = {
    "description": (
        "The database, or for an operation that stores a file (issuing a protocol) the "
        "file storage, is briefly unavailable (an outage the service recovers from by "
        "itself); nothing was done. Try again after `Retry-After` seconds."
    ),
    "headers": {
        "Retry-After": {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before trying again.",
        }
    },
    "content": {"application/json": {"schema": DETAIL_SCHEMA}},
}


def document_unavailable(result: dict, generator, **kwargs) -> dict:
    """drf-spectacular hook: every operation answers 503 while the database is down."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("503", UNAVAILABLE_RESPONSE)
    return result
