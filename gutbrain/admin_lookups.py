"""Filter values of the admin's lists that Django does not guard against.

A changelist hands its query string to the date hierarchy and to field lookups. Django
answers a filter value it cannot use with a redirect to the unfiltered list (`?e=1`), but
only for a `ValueError` while reading the filters; these reach Python's dates or the
database driver and were 500s in every admin list with a date field (ours, and those of
django-axes, knox and auth):

- `?date__year=99999999999999999999`: an `OverflowError` building the date;
- `?date__year=9999`, `&date__month=12`: the year or month after it does not exist;
- `?created_at__year=1`: an instant before the year 1 in UTC;
- a NUL character in a value, which PostgreSQL refuses in a text parameter.

`AdminLookupMiddleware` gives these Django's own answer, for every admin list at once and
for those registered later: a redirect to the unfiltered list.
"""

from collections.abc import Callable

from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect


def _is_changelist(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(
        match and "admin" in match.namespaces and (match.url_name or "").endswith("_changelist")
    )


def _filters(request: HttpRequest) -> list[str]:
    """The query parameters that filter the list (not its order, search, page ...)."""
    return [name for name in request.GET if name not in (*IGNORED_PARAMS, PAGE_VAR, ERROR_FLAG)]


def _unfiltered(request: HttpRequest) -> HttpResponse:
    if ERROR_FLAG in request.GET:  # the unfiltered list failed too: not the filters' fault
        return HttpResponseBadRequest()
    return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")


class AdminLookupMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if _is_changelist(request) and any(
            "\x00" in name or "\x00" in value
            for name, values in request.GET.lists()
            for value in values
        ):
            return _unfiltered(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Only a list with filters, and only the errors of a value out of range: anything
        # else is a fault of the code and stays a 500.
        if (
            isinstance(exception, OverflowError | ValueError)
            and _is_changelist(request)
            and _filters(request)
        ):
            return _unfiltered(request)
        return None
