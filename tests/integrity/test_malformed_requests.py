"""Bad input is a 400, never a 500 (issue #11, finding 7).

The API: every view parses JSON with one parser, `BoundedJSONParser`, so that a body nested
100,000 deep, a body that is not UTF-8, not JSON or too large is answered 400 with
`{"detail": "…"}` on every endpoint, anonymous ones included, and on endpoints added later.
The admin: a date filter no calendar has (`?date__year=99999999999999999999`) answers the
unfiltered list, in every admin list with a date field, third-party ones included.

The fuzzing counterparts are in tests/fuzz/test_malformed_input.py."""

import io

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation
from rest_framework.exceptions import ParseError
from rest_framework.views import APIView

from gutbrain.admin_lookups import AdminLookupMiddleware
from gutbrain.api.parsers import MAX_DEPTH, BoundedJSONParser
from practice.models import Client as PracticeClient
from practice.models import Consult
from tests.factories import ClientFactory, PracticeMemberFactory

DEEP = b"[" * 100_000 + b"]" * 100_000
ENGLISH = {"accept-language": "en"}
TOO_DEEP = {"detail": f"The body nests lists and objects more than {MAX_DEPTH} deep."}


def nested(depth: int) -> bytes:
    return b'{"a": ' * (depth - 1) + b"[]" + b"}" * (depth - 1)


# The parser -----------------------------------------------------------------------------


def _patterns(patterns) -> list[URLPattern]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found.extend(_patterns(pattern.url_patterns))
        else:
            found.append(pattern)
    return found


def api_views() -> list[tuple[str, type[APIView], dict]]:
    """Every DRF view the URLs route to, with the options its route gives it."""
    return [
        (str(pattern.pattern), pattern.callback.cls, pattern.callback.initkwargs)
        for pattern in _patterns(get_resolver().url_patterns)
        if issubclass(getattr(pattern.callback, "cls", object), APIView)
    ]


def bounded(parsers: list) -> bool:
    """The bounded parser first; any other is the same parser for another JSON media type
    (`application/fhir+json`)."""
    return (
        bool(parsers)
        and type(parsers[0]) is BoundedJSONParser
        and all(isinstance(parser, BoundedJSONParser) for parser in parsers)
    )


def test_every_api_view_parses_with_the_bounded_parser():
    views = api_views()
    assert len(views) > 10

    unbounded = [
        (route, [type(parser).__name__ for parser in view(**initkwargs).get_parsers()])
        for route, view, initkwargs in views
        if not bounded(view(**initkwargs).get_parsers())
    ]

    assert unbounded == []


@pytest.mark.parametrize(
    ("depth", "refused"), [(MAX_DEPTH, False), (MAX_DEPTH + 1, True), (100_000, True)]
)
def test_the_parser_takes_nesting_up_to_its_limit(depth, refused):
    parse = BoundedJSONParser().parse
    with translation.override("en"):
        if refused:
            with pytest.raises(ParseError) as error:
                parse(io.BytesIO(nested(depth)))
            assert error.value.detail == TOO_DEEP["detail"]
        else:
            assert parse(io.BytesIO(nested(depth)))["a"]


# The API's endpoints ---------------------------------------------------------------------


@pytest.fixture
def sanne(practitioner) -> PracticeClient:
    practice = PracticeMemberFactory(user=practitioner).practice
    return ClientFactory(practitioner=practitioner, practice=practice, client_number="00042")


def test_json_nested_100000_deep_is_a_400_at_the_token_endpoint_anonymously(api_client):
    response = api_client.post(
        "/api/v1/auth/token/", DEEP, content_type="application/json", headers=ENGLISH
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == TOO_DEEP


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/interaction-check/"),
        ("post", "/api/v1/clients/"),
        ("patch", "/api/v1/clients/{client}/"),
        ("post", "/api/v1/consults/"),
    ],
)
def test_json_nested_100000_deep_is_a_400_on_every_endpoint_that_reads_a_body(
    practitioner_api, sanne, method, path
):
    send = getattr(practitioner_api, method)

    response = send(
        path.format(client=sanne.pk), DEEP, content_type="application/json", headers=ENGLISH
    )

    assert response.status_code == 400
    assert response.json() == TOO_DEEP
    assert not Consult.objects.exists()
    assert PracticeClient.objects.get().last_name == sanne.last_name


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"username": "caf\xe9"}', "The body is not valid UTF-8 text."),
        (b"{'username': 'anna'}", "JSON parse error - "),
        (b'{"username": NaN}', "JSON parse error - "),
        (b"", None),
    ],
    ids=["latin-1", "not JSON", "NaN", "empty"],
)
def test_a_body_that_is_not_json_in_utf8_is_a_400_at_the_token_endpoint(api_client, body, detail):
    response = api_client.post(
        "/api/v1/auth/token/", body, content_type="application/json", headers=ENGLISH
    )

    assert response.status_code == 400
    if detail is not None:
        assert response.json()["detail"].startswith(detail)


# The admin's lists ----------------------------------------------------------------------

IMPOSSIBLE_DATES = [
    "{field}__year=99999999999999999999",
    "{field}__year=9999",
    "{field}__year=9999&{field}__month=12",
    "{field}__year=2026&{field}__month=99999999999999999999",
    "{field}__year=1",
    "{field}__year=0",
    "{field}__year=-1",
    "{field}__gte=99999-01-01",
    "{field}__year=2026&{field}__month=2&{field}__day=30",
]


def date_filtered_lists() -> list[tuple[str, str]]:
    """Every admin list with a date or time field, and the field (its date hierarchy
    first): ours, and those of django-axes, knox and auth."""
    lists = []
    for model, model_admin in admin.site._registry.items():
        fields = [
            f.name
            for f in model._meta.fields
            if f.get_internal_type() in {"DateField", "DateTimeField"}
        ]
        if model_admin.date_hierarchy:
            fields.remove(model_admin.date_hierarchy)
            fields.insert(0, model_admin.date_hierarchy)
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        lists.extend((url, field) for field in fields)
    return lists


@pytest.fixture
def superuser(admin_user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def test_a_date_year_of_20_digits_answers_the_unfiltered_consult_list(superuser):
    response = superuser.get("/admin/practice/consult/?date__year=99999999999999999999")

    assert response.status_code == 302
    assert response.url == f"/admin/practice/consult/?{ERROR_FLAG}=1"
    assert superuser.get(response.url).status_code == 200


def test_no_date_a_calendar_lacks_breaks_any_admin_list(superuser):
    lists = date_filtered_lists()
    assert ("/admin/practice/consult/", "date") in lists
    assert ("/admin/practice/accesslogentry/", "at") in lists

    broken = [
        (url, query.format(field=field), status)
        for url, field in lists
        for query in IMPOSSIBLE_DATES
        if (status := superuser.get(f"{url}?{query.format(field=field)}").status_code)
        not in (200, 302, 400)
    ]

    assert broken == []


def test_a_nul_character_in_a_list_filter_answers_the_unfiltered_list(superuser):
    response = superuser.get("/admin/practice/client/?client_number=00%0042")

    assert response.status_code == 302
    assert response.url == f"/admin/practice/client/?{ERROR_FLAG}=1"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/practice/consult/",  # a list without filters
        "/admin/practice/consult/1/change/?date__year=1",  # not a list
        "/api/v1/consults/?date__year=1",  # not the admin
    ],
)
def test_other_errors_stay_errors(path):
    request = RequestFactory().get(path)
    request.resolver_match = resolve(request.path_info)

    answer = AdminLookupMiddleware(lambda r: None).process_exception(request, ValueError("bug"))

    assert answer is None
