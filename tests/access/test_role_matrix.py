"""The role matrix: every URL pattern of the project and every operation of the API schema,
asked for by every authenticated role, answers as the tables below say.

The tables are the access policy written out. A URL or an operation without a row fails
the test ("new endpoint without a rule"): whoever adds one decides who may reach it.
Anonymous visitors have their own test (`test_anonymous.py`).

Each role's requests go to the owner's records (`world`): Sanne, her consult, its issued
protocol, the owner's template. Writes are sent empty (a form or JSON body without
fields) inside a transaction that is rolled back after each request, so one request
never changes what the next one finds; each role logs in once per test, and every request
starts from that session. `world` is made once for the module, in a transaction around
its tests (`module_transaction`); each test runs in a savepoint of it, rolled back after
the test, so each finds the world as it was made.

The columns, in order: the owner (Sanne's practitioner), a colleague of the same practice,
the owner's assistant, an assistant of the colleague, a curator, a superuser.

The admin is walked once more by model, for every model in `admin.site._registry` (a model
registered later is walked too): its list's "delete selected" answers each role as
`BULK_DELETE` says, and a curator, with the knowledge base in use by the owner's records,
finds none of them on any of its pages (list, add, change, delete, history and each
version, "delete selected", "view on site", autocompletes and raw-id pop-ups).
"""

import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.test import Client as WebClient
from django.urls import reverse
from rest_framework.test import APIClient
from simple_history.admin import SimpleHistoryAdmin

from practice.models import (
    AccessLogEntry,
    Acknowledgement,
    ClientMedication,
    ClientSupplement,
    SupplementLine,
    TemplateLine,
)
from tests.access.conftest import World, build_world
from tests.access.routes import (
    WRITE_METHODS,
    all_routes,
    api_route_paths,
    concrete_path,
    schema_operations,
)

# Each test in a savepoint of the module's transaction, rolled back after it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _media_root(module_media_root) -> None:
    """The world's issued PDF, and any a request writes, in one folder for the module."""


@pytest.fixture(autouse=True)
def _knowledge_base_only_when_asked() -> None:
    """Every test here finds the knowledge base, which the world's records use: it cannot
    be emptied under them."""


@pytest.fixture(scope="module")
def world(module_transaction, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        return build_world()


ROLES = ("owner", "colleague", "assistant", "other_assistant", "curator", "superuser")

LOGIN = "to the login page"
ADMIN_LOGIN = "to the admin's login page"
# The admin answers a record the user may not see as not existing: back to its index.
ADMIN_INDEX = "to the admin's index"
REDIRECT = "a redirect elsewhere"

Row = tuple[object, object, object, object, object, object]


def everyone(answer: object) -> Row:
    return (answer,) * 6


def staff(practitioners: object, curator: object, superuser: object) -> Row:
    """An admin page: the assistants are not staff and are sent to the admin's login."""
    return (practitioners, practitioners, ADMIN_LOGIN, ADMIN_LOGIN, curator, superuser)


def describe(response) -> object:
    if response.status_code not in (301, 302):
        return response.status_code
    location = response["Location"]
    if location.startswith("/accounts/login/"):
        return LOGIN
    if location.startswith("/admin/login/"):
        return ADMIN_LOGIN
    if location == "/admin/":
        return ADMIN_INDEX
    return REDIRECT


# The staff pages, the knowledge base's pages, accounts and the admin's own pages:
# route → (GET, POST), each a row of the six roles.
PAGES: dict[str, tuple[Row, Row]] = {
    "i18n/setlang/": (everyone(REDIRECT), everyone(REDIRECT)),
    "accounts/login/": (everyone(200), everyone(200)),
    "accounts/logout/": (everyone(405), everyone(LOGIN)),
    "accounts/password/": (everyone(200), everyone(200)),
    "accounts/password/done/": (everyone(200), everyone(405)),
    # The knowledge base: read only, for every logged-in user.
    "kennisbank/": (everyone(200), everyone(405)),
    "kennisbank/nutrienten/<slug:slug>/": (everyone(200), everyone(405)),
    "kennisbank/factoren/": (everyone(200), everyone(405)),
    "kennisbank/interacties/": (everyone(200), everyone(405)),
    "kennisbank/onderwerpen/": (everyone(200), everyone(405)),
    "kennisbank/onderwerpen/<slug:slug>/": (everyone(200), everyone(405)),
    # The practice: practitioners and superusers; the owner's records are hers alone.
    "": (everyone(200), everyone(405)),
    "clients/": ((200, 200, 200, 200, 403, 200), (405, 405, 405, 405, 405, 405)),
    # A superuser belongs to no practice, so adds no client.
    "clients/new/": ((200, 200, 403, 403, 403, 403), (200, 200, 403, 403, 403, 403)),
    # The assistant sees the contact details (and issued protocols) of the owner's client.
    "clients/<int:pk>/": ((200, 404, 200, 404, 404, 200), everyone(405)),
    "clients/<int:pk>/edit/": ((200, 404, 404, 404, 404, 200), (200, 404, 404, 404, 404, 200)),
    "clients/<int:pk>/access-log/": ((200, 404, 404, 404, 404, 200), everyone(405)),
    "clients/<int:pk>/export/": ((200, 404, 404, 404, 404, 200), everyone(405)),
    "clients/<int:pk>/erase/": ((200, 404, 404, 404, 404, 200), (400, 404, 404, 404, 404, 400)),
    # Sent empty, without a file: the form's error, with 400.
    "clients/<int:pk>/medications/import/": (
        (200, 404, 404, 404, 404, 200),
        (400, 404, 404, 404, 404, 400),
    ),
    "clients/<int:pk>/consults/new/": (
        everyone(405),
        (REDIRECT, 404, 404, 404, 404, REDIRECT),
    ),
    # Sent empty, without the lines' management form: not a post of the page, 400.
    "consults/<int:pk>/": ((200, 404, 404, 404, 404, 200), (400, 404, 404, 404, 404, 400)),
    "consults/<int:pk>/check/": (everyone(405), (400, 404, 404, 404, 404, 400)),
    # Sent empty, without the digest of the check the page showed: 409, nothing issued.
    "consults/<int:pk>/issue/": (everyone(405), (409, 404, 404, 404, 404, 409)),
    "consults/<int:pk>/save-as-template/": (everyone(405), (200, 404, 404, 404, 404, 200)),
    # The page asks first; the owner's consult has lines and a protocol: kept (409).
    "consults/<int:pk>/delete/": (
        (200, 404, 404, 404, 404, 200),
        (409, 404, 404, 404, 404, 409),
    ),
    "nutrient-forms/": ((200, 200, 403, 403, 403, 200), (405, 405, 403, 403, 403, 405)),
    "templates/": ((200, 200, 403, 403, 403, 200), (405, 405, 403, 403, 403, 405)),
    # Sent empty, without the lines' management form: the form's errors, with 400.
    "templates/<int:pk>/edit/": (
        (200, 404, 403, 403, 403, 200),
        (400, 404, 403, 403, 403, 400),
    ),
    "templates/<int:pk>/share/": (
        (405, 405, 403, 403, 403, 405),
        (REDIRECT, 404, 403, 403, 403, REDIRECT),
    ),
    "templates/<int:pk>/delete/": (
        (200, 404, 403, 403, 403, 200),
        (REDIRECT, 404, 403, 403, 403, REDIRECT),
    ),
    "protocols/<int:pk>/": ((200, 404, 200, 404, 404, 200), everyone(405)),
    "protocols/<int:pk>/print/": ((200, 404, 200, 404, 404, 200), everyone(405)),
    "protocols/<int:pk>/pdf/": ((200, 404, 200, 404, 404, 200), everyone(405)),
    # CDS Hooks, for EHRs: discovery is open; a call needs an EHR's token, not a login.
    "cds-services": (everyone(200), everyone(405)),
    "cds-services/<slug:id>": (everyone(405), everyone(401)),
    # The load balancer's health check: the same for everyone, no data.
    "healthz": (everyone(200), everyone(405)),
    # The admin's own pages: staff only.
    "admin/": (staff(200, 200, 200), staff(200, 200, 200)),
    "admin/login/": (
        (ADMIN_INDEX, ADMIN_INDEX, 200, 200, ADMIN_INDEX, ADMIN_INDEX),
        everyone(200),
    ),
    "admin/logout/": (
        (405, 405, ADMIN_INDEX, ADMIN_INDEX, 405, 405),
        (LOGIN, LOGIN, ADMIN_INDEX, ADMIN_INDEX, LOGIN, LOGIN),
    ),
    "admin/password_change/": (staff(200, 200, 200), staff(200, 200, 200)),
    "admin/password_change/done/": (staff(200, 200, 200), staff(405, 405, 405)),
    "admin/autocomplete/": (staff(403, 403, 403), staff(405, 405, 405)),
    "admin/jsi18n/": (staff(200, 200, 200), staff(405, 405, 405)),
    # "View on site" redirects to the record's own page, only for a user who may see the
    # record: it does not tell other staff users whether a client id exists. Django's own
    # route is shadowed by ours for every numeric content type.
    "admin/r/<int:content_type_id>/<path:object_id>/": (
        (REDIRECT, 404, ADMIN_LOGIN, ADMIN_LOGIN, 404, REDIRECT),
        (REDIRECT, 404, ADMIN_LOGIN, ADMIN_LOGIN, 404, REDIRECT),
    ),
    "admin/r/<path:content_type_id>/<path:object_id>/": (
        (REDIRECT, 404, ADMIN_LOGIN, ADMIN_LOGIN, 404, REDIRECT),
        (REDIRECT, 404, ADMIN_LOGIN, ADMIN_LOGIN, 404, REDIRECT),
    ),
    "admin/auth/user/<id>/password/": (staff(403, 403, 200), staff(403, 403, 200)),
    # The practice app's index (`world` names the app): not there for curators.
    "admin/^(?P<app_label>auth|axes|knox|gutbrain|practice|cdshooks)/$": (
        staff(200, 404, 200),
        staff(200, 404, 200),
    ),
    "admin/(?P<url>.*)$": (staff(404, 404, 404), staff(404, 404, 404)),
}


def _admin_model(
    model: str,
    *,
    view: Row,
    write: Row,
    add: Row,
    delete: Row,
    history: Row | None = None,
    change_get: Row | None = None,
    change_post: Row | None = None,
) -> dict[str, tuple[Row, Row]]:
    """The rows of one model's admin pages: list, add, history, delete, change, and the
    old-style URL that redirects to the change page."""
    base = f"admin/{model}/"
    history = history or view
    return {
        base: (view, write),
        f"{base}add/": (add, add),
        f"{base}<path:object_id>/history/": (history, history),
        f"{base}<path:object_id>/delete/": (delete, delete),
        f"{base}<path:object_id>/change/": (change_get or view, change_post or write),
        f"{base}<path:object_id>/": (staff(REDIRECT, REDIRECT, REDIRECT),) * 2,
    }


SUPERUSER_ONLY = staff(403, 403, 200)
NOBODY = staff(403, 403, 403)

ADMIN: dict[str, tuple[Row, Row]] = {
    # Accounts and logins: superusers only.
    **_admin_model(
        "auth/group",
        view=SUPERUSER_ONLY,
        write=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
    ),
    **_admin_model(
        "auth/user",
        view=SUPERUSER_ONLY,
        write=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
    ),
    **_admin_model(
        "knox/authtoken",
        view=SUPERUSER_ONLY,
        write=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
    ),
    # django-axes' records are read only; a superuser may delete them (unlock).
    **{
        route: rule
        for model in ("axes/accessattempt", "axes/accesslog", "axes/accessfailurelog")
        for route, rule in _admin_model(
            model,
            view=SUPERUSER_ONLY,
            write=SUPERUSER_ONLY,
            add=NOBODY,
            delete=SUPERUSER_ONLY,
            change_post=staff(403, 403, REDIRECT),
        ).items()
    },
    # Practices and their members: superusers only.
    **_admin_model(
        "practice/practice",
        view=SUPERUSER_ONLY,
        write=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
    ),
    **_admin_model(
        "practice/practicemember",
        view=SUPERUSER_ONLY,
        write=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
    ),
    # The EHRs that may call the CDS Hooks services: a decision about trust, superusers
    # only. Their calls' log is read only; a superuser may delete old entries.
    **_admin_model(
        "cdshooks/cdsclient",
        view=SUPERUSER_ONLY,
        write=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
    ),
    **_admin_model(
        "cdshooks/cdscall",
        view=SUPERUSER_ONLY,
        write=SUPERUSER_ONLY,
        add=NOBODY,
        delete=SUPERUSER_ONLY,
        change_post=NOBODY,
    ),
}

# Client records in the admin: practitioners read their own (the colleague finds the
# owner's record "does not exist"), change nothing; curators see none of it; superusers
# change what may change. Issued protocols and the access log change for nobody.
for _model, _superuser_writes in (
    ("client", True),
    ("consult", True),
    ("protocoltemplate", True),
    ("protocol", False),
    ("accesslogentry", False),
):
    _writes = 200 if _superuser_writes else 403
    ADMIN.update(
        _admin_model(
            f"practice/{_model}",
            view=staff(200, 403, 200),
            write=staff(200, 403, 200),
            add=staff(403, 403, _writes),
            delete=staff(403, 403, _writes),
            history=(200, ADMIN_INDEX, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_INDEX, 200),
            change_get=(200, ADMIN_INDEX, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
            change_post=staff(403, 403, _writes),
        )
    )

# The knowledge base in the admin, every model of it that is registered: curators and
# superusers; practitioners may not.
KNOWLEDGE_MODELS = sorted(
    model._meta.model_name for model in admin.site._registry if model._meta.app_label == "gutbrain"
)
CURATORS = staff(403, 200, 200)
for _model in KNOWLEDGE_MODELS:
    _base = f"admin/gutbrain/{_model}/"
    ADMIN.update(
        _admin_model(
            f"gutbrain/{_model}", view=CURATORS, write=CURATORS, add=CURATORS, delete=CURATORS
        )
    )
    ADMIN[f"{_base}process_import/"] = (staff(405, 405, 405), CURATORS)
    ADMIN[f"{_base}import/"] = (CURATORS, CURATORS)
    ADMIN[f"{_base}export/"] = (CURATORS, CURATORS)
    ADMIN[f"{_base}^([^/]+)/history/([^/]+)/$"] = (CURATORS, CURATORS)

ROUTES = {**PAGES, **ADMIN}

# The API, by schema operation: the answer to each role, writes sent with an empty body.
# The knowledge base is read by every logged-in user.
KNOWLEDGE_READ = everyone(200)
OPERATIONS: dict[str, Row] = {
    "POST /api/v1/auth/token/": everyone(400),
    "DELETE /api/v1/auth/token/": everyone(204),
    "POST /api/v1/interaction-check/": everyone(400),
    "GET /api/v1/evidence/": KNOWLEDGE_READ,
    "GET /api/v1/evidence/{id}/": KNOWLEDGE_READ,
    "GET /api/v1/indications/": KNOWLEDGE_READ,
    "GET /api/v1/indications/{slug}/": KNOWLEDGE_READ,
    "GET /api/v1/interactions/": KNOWLEDGE_READ,
    "GET /api/v1/interactions/{id}/": KNOWLEDGE_READ,
    "GET /api/v1/medicine-classes/": KNOWLEDGE_READ,
    "GET /api/v1/medicine-classes/{slug}/": KNOWLEDGE_READ,
    "GET /api/v1/medicines/": KNOWLEDGE_READ,
    "GET /api/v1/medicines/{atc_code}/": KNOWLEDGE_READ,
    "GET /api/v1/nutrients/": KNOWLEDGE_READ,
    "GET /api/v1/nutrients/{slug}/": KNOWLEDGE_READ,
    "GET /api/v1/references/": KNOWLEDGE_READ,
    "GET /api/v1/references/{number}/": KNOWLEDGE_READ,
    "GET /api/v1/topics/": KNOWLEDGE_READ,
    "GET /api/v1/topics/{slug}/": KNOWLEDGE_READ,
    "GET /api/v1/fhir/CodeSystem/nutrient": KNOWLEDGE_READ,
    # Lists answer everyone, holding what each may see (`test_lists_hold...`).
    "GET /api/v1/clients/": everyone(200),
    "POST /api/v1/clients/": (400, 400, 403, 403, 403, 400),
    "GET /api/v1/clients/{id}/": (200, 404, 404, 404, 404, 200),
    "PUT /api/v1/clients/{id}/": (400, 404, 404, 404, 404, 400),
    "PATCH /api/v1/clients/{id}/": (200, 404, 404, 404, 404, 200),
    # A client with an issued protocol is kept (409): erase on request instead.
    "DELETE /api/v1/clients/{id}/": (409, 404, 404, 404, 404, 409),
    "GET /api/v1/clients/{id}/access-log/": (200, 404, 404, 404, 404, 200),
    "GET /api/v1/clients/{id}/export/": (200, 404, 404, 404, 404, 200),
    "POST /api/v1/clients/{id}/erase/": (400, 404, 404, 404, 404, 400),
    # Exported and scoped like the JSON export; `{}` is no FHIR medication list (400).
    "GET /api/v1/clients/{id}/fhir/": (200, 404, 404, 404, 404, 200),
    "POST /api/v1/clients/{id}/medications/fhir/": (400, 404, 404, 404, 404, 400),
    "GET /api/v1/client-contacts/": everyone(200),
    "GET /api/v1/client-contacts/{id}/": (200, 404, 200, 404, 404, 200),
    "GET /api/v1/consults/": everyone(200),
    "POST /api/v1/consults/": (400, 400, 403, 403, 403, 400),
    "GET /api/v1/consults/{id}/": (200, 404, 404, 404, 404, 200),
    "PUT /api/v1/consults/{id}/": (400, 404, 404, 404, 404, 400),
    "PATCH /api/v1/consults/{id}/": (200, 404, 404, 404, 404, 200),
    "DELETE /api/v1/consults/{id}/": (409, 404, 404, 404, 404, 409),
    "GET /api/v1/consults/{id}/check/": (200, 404, 404, 404, 404, 200),
    "POST /api/v1/consults/{id}/protocols/": (201, 404, 404, 404, 404, 201),
    "GET /api/v1/protocols/": everyone(200),
    "GET /api/v1/protocols/{id}/": (200, 404, 200, 404, 404, 200),
    "GET /api/v1/protocols/{id}/pdf/": (200, 404, 200, 404, 404, 200),
    # Who may read the protocol (and its snapshot) may export it.
    "GET /api/v1/protocols/{id}/fhir/": (200, 404, 200, 404, 404, 200),
    # CDS Hooks: a logged-in user is no EHR.
    "GET /cds-services": everyone(200),
    "POST /cds-services/{id}": everyone(401),
}

# API routes that are not operations of the schema: the schema and its viewer, the API's
# root, and DRF's format-suffix variants of the knowledge base's routes.
API_OUTSIDE_THE_SCHEMA = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/"}


@pytest.fixture
def browser_of() -> Callable[[User], WebClient]:
    """A browser of `user` that holds nothing but the session of the user's one login in
    this test: the login is made in the test's transaction, which each request's rollback
    leaves as it was (logging in for every request took a fifth of the time). One client
    per user, its cookies cleared before each request: a new client would load the
    middleware again."""
    browsers: dict[int, tuple[WebClient, str]] = {}

    def browser(user: User) -> WebClient:
        if user.pk not in browsers:
            client = WebClient()
            client.force_login(user)
            browsers[user.pk] = (client, client.cookies[settings.SESSION_COOKIE_NAME].value)
        client, session = browsers[user.pk]
        client.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: session})
        return client

    return browser


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _answer(client: WebClient | APIClient, method: str, path: str) -> object:
    return _answer_and_entries(client, method, path)[0]


def _answer_and_entries(
    client: WebClient | APIClient, method: str, path: str
) -> tuple[object, list[tuple[str, str, str]]]:
    """The answer, and the (record type, action, outcome) of each entry the request left
    in the access log."""
    with transaction.atomic():
        newest = AccessLogEntry.objects.aggregate(seq=Max("seq"))["seq"] or 0
        if isinstance(client, APIClient):
            response = getattr(client, method)(path, {} if method != "get" else None, format="json")
        else:
            response = getattr(client, method)(path)
        entries = list(
            AccessLogEntry.objects.filter(seq__gt=newest)
            .order_by("seq")
            .values_list("record_type", "action", "outcome")
        )
        transaction.set_rollback(True)
    return describe(response), entries


# Every request that reaches one client record (a client, consult or protocol, by its key in
# the URL) leaves exactly one entry in the access log, whatever it answers: its own action
# when it happened, a refusal (or not found) when the user may not, and a read when a
# write it asked for did not happen. A request turned away before any record is looked up
# (a method not allowed, a login asked for) leaves none, and so does every other URL.
RECORD_ROUTE = re.compile(
    r"^(api/v1/)?(clients|client-contacts|consults|protocols)/(<int:pk>|\(\?P<pk>)"
    r"|^admin/practice/(client|consult|protocol)/<path:object_id>/(change|delete|history)/$"
)
RECORD_OPERATION = re.compile(r"^/api/v1/(clients|client-contacts|consults|protocols)/\{id\}/")
NOT_REACHED = (405, LOGIN, ADMIN_LOGIN)


def _entries_mismatch(what: str, reaches_a_record: bool, answer: object, entries: list) -> list:
    expected = 1 if reaches_a_record and answer not in NOT_REACHED else 0
    if len(entries) == expected:
        return []
    return [(f"{what}: entries in the access log", expected, entries)]


def _mismatches(lines: Iterable[tuple[str, object, object]]) -> str:
    return "\n".join(f"{what}: expected {expected!r}, got {got!r}" for what, expected, got in lines)


def test_every_url_pattern_has_a_rule():
    routes = all_routes()
    keys = {route.key for route in routes if not route.is_api}
    assert sorted(keys - ROUTES.keys()) == [], "new URL patterns without a rule"
    assert sorted(ROUTES.keys() - keys) == [], "rules for URL patterns that no longer exist"


def test_every_api_route_is_an_operation_of_the_schema():
    documented = {operation.path for operation in schema_operations()}
    assert api_route_paths(all_routes()) - documented == API_OUTSIDE_THE_SCHEMA


def test_every_schema_operation_has_a_rule():
    keys = {operation.key for operation in schema_operations()}
    assert sorted(keys - OPERATIONS.keys()) == [], "new operations without a rule"
    assert sorted(OPERATIONS.keys() - keys) == [], "rules for operations that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_its_rule_says(world, browser_of, role):
    user = world.users[role]
    column = ROLES.index(role)
    wrong = []
    for route in all_routes():
        if route.is_api or route.key not in ROUTES:
            continue  # the API has its own test; a missing rule fails the test above
        path = concrete_path(route.key, *world.values(route.key))
        for method, row in zip(("get", "post"), ROUTES[route.key], strict=True):
            got, entries = _answer_and_entries(browser_of(user), method, path)
            what = f"{method.upper()} {path} ({route.key})"
            if got != row[column]:
                wrong.append((what, row[column], got))
            wrong += _entries_mismatch(what, bool(RECORD_ROUTE.match(route.key)), got, entries)
    assert not wrong, _mismatches(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_every_schema_operation_answers_each_role_as_its_rule_says(world, role):
    user = world.users[role]
    column = ROLES.index(role)
    wrong = []
    for operation in schema_operations():
        if operation.key not in OPERATIONS:
            continue
        path = world.api_path(operation.path)
        got, entries = _answer_and_entries(_api(user), operation.method, path)
        expected = OPERATIONS[operation.key][column]
        what = f"{operation.method.upper()} {path}"
        if got != expected:
            wrong.append((what, expected, got))
        reaches = bool(RECORD_OPERATION.match(operation.path))
        wrong += _entries_mismatch(what, reaches, got, entries)
    assert not wrong, _mismatches(wrong)


@pytest.mark.parametrize("role", ["owner", "assistant", "curator", "superuser"])
def test_methods_the_schema_does_not_name_answer_405(world, role):
    user = world.users[role]
    documented: dict[str, set[str]] = {}
    for operation in schema_operations():
        documented.setdefault(operation.path, set()).add(operation.method)
    wrong = []
    for path, methods in documented.items():
        for method in sorted({"get", *WRITE_METHODS} - methods):
            got = _answer(_api(user), method, world.api_path(path))
            if got != 405:
                wrong.append((f"{method.upper()} {path}", 405, got))
    assert not wrong, _mismatches(wrong)


LISTS = {
    # list → the records (by fixture name) each role finds in it
    "/api/v1/clients/": ({"sanne"}, {"pieter"}, set(), set(), set(), {"sanne", "pieter"}),
    "/api/v1/client-contacts/": (
        {"sanne"},
        {"pieter"},
        {"sanne"},
        {"pieter"},
        set(),
        {"sanne", "pieter"},
    ),
    "/api/v1/consults/": ({"consult"}, set(), set(), set(), set(), {"consult"}),
    "/api/v1/protocols/": ({"protocol"}, set(), {"protocol"}, set(), set(), {"protocol"}),
}


@pytest.mark.parametrize("role", ROLES)
def test_lists_hold_exactly_what_each_role_may_see(world, role):
    records = {
        "sanne": world.client.pk,
        "pieter": world.pieter.pk,
        "consult": world.consult.pk,
        "protocol": world.protocol.pk,
    }
    column = ROLES.index(role)
    client = APIClient()
    client.force_authenticate(world.users[role])
    for path, row in LISTS.items():
        ids = {item["id"] for item in client.get(path).json()["results"]}
        assert ids == {records[name] for name in row[column]}, path


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", {"sanne"}),
        ("colleague", {"pieter"}),
        ("superuser", {"sanne", "pieter"}),
    ],
)
def test_the_client_list_pages_hold_exactly_the_users_clients(world, role, expected):
    names = {"sanne": world.client.pk, "pieter": world.pieter.pk}
    browser = WebClient()
    browser.force_login(world.users[role])
    page = browser.get("/clients/").context["page"]
    assert {client.pk for client in page.object_list} == {names[n] for n in expected}
    admin_list = browser.get("/admin/practice/client/").context["cl"].result_list
    assert {client.pk for client in admin_list} == {names[n] for n in expected}


@pytest.mark.parametrize(
    ("role", "expected"), [("assistant", {"sanne"}), ("other_assistant", {"pieter"})]
)
def test_an_assistant_lists_the_contacts_of_the_practitioners_they_assist(world, role, expected):
    names = {"sanne": world.client.pk, "pieter": world.pieter.pk}
    browser = WebClient()
    browser.force_login(world.users[role])
    response = browser.get("/clients/")
    assert {client.pk for client in response.context["page"].object_list} == {
        names[n] for n in expected
    }
    content = response.content.decode()
    assert "/clients/new/" not in content  # no new client, no consult dates
    assert response.context["contacts_only"]


# Every admin page of every registered model ---------------------------------------------

CONFIRMATION = "the confirmation page"

# The list's "delete selected" action for the record of `world`, not confirmed: the
# confirmation page, or a refusal. Client records are deleted by superusers alone; a
# practitioner's list has no such action, and the post shows the list again.
BULK_DELETE: dict[str, Row] = {
    **{f"gutbrain/{model}": staff(403, CONFIRMATION, CONFIRMATION) for model in KNOWLEDGE_MODELS},
    **{
        label: staff(403, 403, CONFIRMATION)
        for label in (
            "auth/group",
            "auth/user",
            "knox/authtoken",
            "axes/accessattempt",
            "axes/accesslog",
            "axes/accessfailurelog",
            "practice/practice",
            "practice/practicemember",
            "cdshooks/cdsclient",
            "cdshooks/cdscall",
        )
    },
    **{
        f"practice/{model}": staff(200, 403, CONFIRMATION)
        for model in ("client", "consult", "protocoltemplate")
    },
    **{f"practice/{model}": staff(200, 403, 200) for model in ("protocol", "accesslogentry")},
}


def _registered() -> Iterator[tuple[str, admin.ModelAdmin]]:
    """Each registered model's admin, with its label as the admin's URLs spell it."""
    for model, model_admin in admin.site._registry.items():
        yield f"{model._meta.app_label}/{model._meta.model_name}", model_admin


def _record(world, label: str):
    return world.objects[label.replace("/", ".")]


def _delete_selected(label: str, pk) -> tuple[str, dict]:
    """The list's post of "delete selected" for one record, as a browser sends it."""
    app_label, model_name = label.split("/")
    path = reverse(f"admin:{app_label}_{model_name}_changelist")
    return path, {"action": "delete_selected", "_selected_action": [str(pk)], "index": "0"}


def _response(client: WebClient, method: str, path: str, data: dict | None = None) -> HttpResponse:
    with transaction.atomic():
        response = getattr(client, method)(path, data)
        transaction.set_rollback(True)
    return response


def test_every_registered_model_has_a_delete_selected_rule():
    assert sorted(label for label, _ in _registered()) == sorted(BULK_DELETE)


@pytest.mark.parametrize("role", ROLES)
def test_delete_selected_answers_each_role_as_its_rule_says(world, browser_of, role):
    user = world.users[role]
    column = ROLES.index(role)
    wrong = []
    for label, _ in _registered():
        path, data = _delete_selected(label, _record(world, label).pk)
        response = _response(browser_of(user), "post", path, data)
        confirms = response.status_code == 200 and any(
            t.name.endswith("delete_selected_confirmation.html") for t in response.templates
        )
        got = CONFIRMATION if confirms else describe(response)
        if got != BULK_DELETE[label][column]:
            wrong.append((f"POST {path} delete_selected", BULK_DELETE[label][column], got))
    assert not wrong, _mismatches(wrong)


def _admin_pages(model_admin: admin.ModelAdmin, obj) -> Iterator[tuple[str, str, dict | None]]:
    """Every page of one model's admin for `obj`, as (method, path, data): its list, add,
    change, delete and history pages, the page of each of its versions, the list's "delete
    selected" confirmation, "view on site", and the related lookups of its forms and
    inlines (autocompletes, raw-id pop-ups)."""
    opts = model_admin.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    yield "get", reverse(f"{name}_changelist"), None
    yield "get", reverse(f"{name}_add"), None
    for page in ("change", "delete", "history"):
        yield "get", reverse(f"{name}_{page}", args=[quote(obj.pk)]), None
    if isinstance(model_admin, SimpleHistoryAdmin):
        for version in getattr(obj, opts.simple_history_manager_attribute).all():
            path = reverse(f"{name}_simple_history", args=[quote(obj.pk), version.history_id])
            yield "get", path, None
    yield "post", *_delete_selected(f"{opts.app_label}/{opts.model_name}", obj.pk)
    if hasattr(obj, "get_absolute_url"):
        content_type = ContentType.objects.get_for_model(model_admin.model)
        yield "get", reverse("admin:view_on_site", args=[content_type.pk, quote(obj.pk)]), None
    for form in (model_admin, *model_admin.inlines):
        form_opts = form.model._meta
        for field in form.autocomplete_fields:
            query = {
                "app_label": form_opts.app_label,
                "model_name": form_opts.model_name,
                "field_name": field,
            }
            yield "get", reverse("admin:autocomplete"), query
        for field_name in form.raw_id_fields:
            field = form_opts.get_field(field_name)
            target = field.related_model._meta
            query = {"_popup": "1"}
            if not field.many_to_many:
                query["_to_field"] = field.remote_field.get_related_field().name
            yield "get", reverse(f"admin:{target.app_label}_{target.model_name}_changelist"), query


@pytest.fixture
def clinical_records(world) -> list[str]:
    """The knowledge-base records of `world` in use by the owner's records, each use with
    something a curator may not read; the texts that must not reach a curator."""
    nutrient = world.objects["gutbrain.nutrient"]
    form = world.objects["gutbrain.nutrientform"]
    indication = world.objects["gutbrain.indication"]
    medicine = world.objects["gutbrain.medicine"]
    line = {
        "dose_amount": Decimal("437.50"),
        "dose_unit": "mg",
        "instructions": "Cees: bij het ontbijt",
    }
    SupplementLine.objects.create(consult=world.consult, nutrient=nutrient, **line)
    SupplementLine.objects.create(consult=world.consult, nutrient=form.nutrient, form=form, **line)
    TemplateLine.objects.create(template=world.template, nutrient=nutrient, **line)
    Acknowledgement.objects.create(
        protocol=world.protocol,
        nutrient=nutrient,
        reason="Cees A. 14 wk zwanger, depressie; overlegd met de huisarts.",
        acknowledged_by=world.users["owner"],
    )
    world.consult.complaints.add(indication)
    world.template.complaints.add(indication)
    ClientMedication.objects.update_or_create(
        client=world.client,
        atc_code=medicine.atc_code,
        defaults={"medicine": medicine, "name": "Cees' middel"},
    )
    ClientSupplement.objects.create(
        client=world.client, nutrient=nutrient, name="Cees' magnesium", dose="437,50 mg"
    )
    client = world.client
    return [
        client.first_name,
        client.last_name,
        client.client_number,
        client.email,
        client.phone,
        client.notes,
        world.consult.notes,
        world.template.name,
        "Cees",
        "437.50",
        "437,50",
        "Pieter",
        "Bakker",
        world.objects["practice.accesslogentry"].hash,
    ]


def test_no_admin_page_shows_a_curator_a_practice_record(world, clinical_records, browser_of):
    """Every page of every registered model, the knowledge base's in use by the practice:
    the curator reads none of it (a page refused, or one without the records)."""
    curator = world.users["curator"]
    shown, refused = [], []
    for label, model_admin in _registered():
        for method, path, data in _admin_pages(model_admin, _record(world, label)):
            response = _response(browser_of(curator), method, path, data)
            content = response.content.decode()
            what = f"{method.upper()} {path} {data or ''}"
            shown += [(what, text) for text in clinical_records if text in content]
            if label.startswith("gutbrain/") and response.status_code not in (200, 302):
                refused.append((what, response.status_code))
    assert not shown, "\n".join(f"{what} shows {text!r}" for what, text in shown)
    # The knowledge base's pages were shown (or "view on site" redirected): not vacuous.
    assert not refused
