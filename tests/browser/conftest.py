"""Browser tests: headless Chromium driven by Playwright against Django's live server.

Every test in this folder is marked `browser`. Without `/usr/bin/chromium` they fail (CI
and `make test` install it); `GUTBRAIN_SKIP_BROWSER=1` skips them on request.

The live server shares the test database, so each test runs in a transactional database
that Django flushes afterwards; serialized rollback puts the migrations' rows (the staff
groups) back before each test, and `browser` puts them back once, with the knowledge
base, for the tests after these. A trap: while Playwright's event loop runs, Django's
connection handler (asgiref, per async context) gives the test thread a second
connection object to the same database, without the contents serialized for the rollback
on the first or the quick way of putting them back (`put_back_migrated_rows_on`): `browser`
hands both over.

Expected texts are looked up with `nl()`, the way the page translates them, so the tests
keep passing when the Dutch catalogue fills in.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client as DjangoClient
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from gutbrain.models import Level
from tests.conftest import load_knowledge_base, put_back_migrated_rows_on
from tests.factories import PASSWORD

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the suite runs as root in containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_VARIABLE = "GUTBRAIN_SKIP_BROWSER"
# axe-core's impacts that fail a test; "minor" and "moderate" ones are left to review.
FAILING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = os.environ.get(SKIP_VARIABLE, "").strip().lower() in {"1", "true", "yes"}
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if skip:
            item.add_marker(pytest.mark.skip(reason=f"{SKIP_VARIABLE} is set"))


def nl(message: str) -> str:
    """`message` as the Dutch pages show it (the msgid while it has no translation)."""
    with translation.override("nl"):
        return translation.gettext(message)


@pytest.fixture(scope="package")
def browser(django_db_setup, django_db_blocker) -> Iterator[Browser]:
    """Chromium, for the tests of this folder only: Playwright's event loop runs as long
    as it does, and changes how Django hands out connections (see the module's
    docstring), so it must not outlive these tests."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}. Install it with "
            f"`make chromium` (apt-get install chromium), or set {SKIP_VARIABLE}=1 to skip "
            "them on purpose.",
            pytrace=False,
        )
    migrated_rows = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    with pytest.MonkeyPatch.context() as patch:
        # The loop makes Django refuse the tests' own ORM calls (SynchronousOnlyOperation),
        # although they are synchronous and never overlap.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            if migrated_rows is not None:
                loop_connection = connections[DEFAULT_DB_ALIAS]
                loop_connection._test_serialized_contents = migrated_rows
                put_back_migrated_rows_on(loop_connection)
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    # The last test's flush emptied every table: put back what the migrations wrote, and
    # the knowledge base, for the tests that run after these.
    if migrated_rows is not None:
        with django_db_blocker.unblock():
            connections[DEFAULT_DB_ALIAS].creation.deserialize_db_from_string(migrated_rows)
            load_knowledge_base()


@pytest.fixture(autouse=True)
def _live_database(browser, live_server, django_db_serialized_rollback) -> None:
    """Every browser test talks to the live server, so runs in a transactional database
    (and, with the other transactional tests, after the rest of the suite), which starts
    with the rows the migrations wrote (the staff groups)."""


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails the test on an uncaught script error."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"Uncaught script errors on {page.url}: {errors}"


def level_label(level: Level) -> str:
    """The words of an interaction level on the Dutch pages."""
    with translation.override("nl"):
        return str(level.label)


def login(page: Page, user: User, password: str = PASSWORD) -> None:
    """Logs in through the real form at /accounts/login/ and waits to leave it."""
    page.goto("/accounts/login/")
    labels = login_labels()
    page.get_by_label(labels["username"]).fill(user.get_username())
    page.get_by_label(labels["password"]).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=nl("Log in"), exact=True).click()
    if urlsplit(page.url).path == "/accounts/login/":
        errors = page.locator(".form-errors").all_inner_texts()
        pytest.fail(f"Logging in as {user.get_username()} failed: {errors}", pytrace=False)


def sign_in(page: Page, user: User, path: str = "/") -> None:
    """Logs `user` in without the login form, then opens `path`: a session made as
    Django's test client makes one, its cookie handed to the browser. The form itself is
    driven by `login`, in the login's own tests and the workflow."""
    client = DjangoClient()
    client.force_login(user)
    page.goto("/healthz")  # the live server's address, for the cookie
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }
    page.context.add_cookies([{**cookie, "url": page.url}])
    page.goto(path)


def login_labels() -> dict[str, str]:
    """The labels of Django's login form in Dutch."""
    with translation.override("nl"):
        form = AuthenticationForm()
        return {name: str(form.fields[name].label) for name in ("username", "password")}


def assert_accessible(page: Page) -> None:
    """Runs axe-core on the page and fails on every serious or critical violation."""
    results = Axe().run(page)
    failing = [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]
    if failing:
        lines = [f"{len(failing)} serious or critical accessibility violations on {page.url}:"]
        for violation in failing:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(
                f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}"
                for node in violation["nodes"]
            )
        pytest.fail("\n".join(lines), pytrace=False)
