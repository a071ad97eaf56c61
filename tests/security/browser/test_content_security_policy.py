"""Pages with third-party code (Swagger UI, the admin's import and export) work under the
Content-Security-Policy: the browser reports no violation on its console."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import sign_in
from tests.factories import NutrientFactory, UserFactory

VIOLATION = "Content Security Policy"


@pytest.fixture
def console(page: Page) -> Iterator[list[str]]:
    """Every console message of the page, with its type."""
    messages: list[str] = []

    def record(message: ConsoleMessage) -> None:
        messages.append(f"{message.type}: {message.text}")

    page.on("console", record)
    yield messages


@pytest.fixture
def superuser(db) -> User:
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def violations(console: list[str]) -> list[str]:
    return [message for message in console if VIOLATION in message]


def test_the_listener_sees_a_violation(page: Page, console, superuser):
    """The check below can fail: an injected inline style is refused and reported."""
    sign_in(page, superuser)

    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red; }'; document.head.append(s); }"
    )

    expect(page.locator("body")).not_to_have_css("color", "rgb(255, 0, 0)")
    page.wait_for_timeout(200)
    assert violations(console)


def test_swagger_ui_renders_the_schema_without_violations(page: Page, console, superuser):
    sign_in(page, superuser, "/api/v1/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("gutbrain API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/auth/token/")).to_have_count(2)
    page.wait_for_load_state("networkidle")
    assert violations(console) == []


def test_the_admins_import_page_works_without_violations(page: Page, console, superuser):
    sign_in(page, superuser, "/admin/gutbrain/nutrient/import/")

    expect(page.locator("#id_import_file")).to_be_visible()
    expect(page.locator("#id_format")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert violations(console) == []


def test_the_admins_export_page_selects_all_without_violations(page: Page, console, superuser):
    NutrientFactory()
    sign_in(page, superuser, "/admin/gutbrain/nutrient/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    expect(fields.first).to_be_checked()

    # Its handler was an inline onchange attribute, which the policy blocks.
    page.locator(".select-toggle").uncheck()

    assert fields.count() > 1
    for index in range(fields.count()):
        expect(fields.nth(index)).not_to_be_checked()
    page.wait_for_load_state("networkidle")
    assert violations(console) == []
