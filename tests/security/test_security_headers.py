"""Every HTML page carries the security headers, and holds nothing the
Content-Security-Policy would block: no inline script, event handler or style."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client

from tests.factories import PASSWORD, ClientFactory, NutrientFactory, PracticeMemberFactory

STAFF_PAGES = [
    "/",
    "/clients/",
    "/clients/new/",
    "/kennisbank/",
    "/accounts/password/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/gutbrain/nutrient/add/",
    "/admin/gutbrain/nutrient/import/",
    "/admin/gutbrain/nutrient/export/",
    "/admin/password_change/",
    "/api/v1/docs/",
]
# Every changelist of the admin, so that a new one with inline code fails here.
CHANGELISTS = sorted(
    f"/admin/{model._meta.app_label}/{model._meta.model_name}/" for model in admin.site._registry
)
DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: inline scripts, <style> elements, style
    attributes and inline event handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names:
            # A JSON data block is not run, so the policy allows it.
            self._inline_script = names.get("type") not in {"application/json"}
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")

    def handle_data(self, data: str) -> None:
        if self._inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}…")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script = False


def assert_secure_page(response) -> None:
    assert response["Content-Type"].startswith("text/html")
    assert DIRECTIVES.items() <= policy(response).items()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    scanner = InlineCode()
    scanner.feed(response.content.decode())
    assert scanner.found == []


@pytest.fixture
def staff(practitioner) -> Client:
    PracticeMemberFactory(user=practitioner)
    client = Client()
    client.force_login(practitioner)
    return client


def test_the_login_page_is_secure(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert_secure_page(response)


def test_the_lockout_page_is_secure(client, practitioner):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "practitioner", "password": "x"})

    assert response.status_code == 429
    assert_secure_page(response)


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_the_staff_pages_are_secure(staff, url):
    response = staff.get(url)

    assert response.status_code == 200
    assert_secure_page(response)


def test_a_clients_page_is_secure(staff, practitioner):
    record = ClientFactory(practitioner=practitioner)

    response = staff.get(f"/clients/{record.pk}/")

    assert response.status_code == 200
    assert_secure_page(response)


def test_a_nutrients_page_is_secure(staff):
    nutrient = NutrientFactory()

    response = staff.get(f"/kennisbank/nutrienten/{nutrient.slug}/")

    assert response.status_code == 200
    assert_secure_page(response)


@pytest.mark.parametrize("url", ADMIN_PAGES + CHANGELISTS)
def test_the_admin_and_api_pages_are_secure(admin_client, url):
    NutrientFactory()

    response = admin_client.get(url)

    assert response.status_code == 200
    assert_secure_page(response)


def test_the_export_page_wires_select_all_from_a_file(admin_client):
    response = admin_client.get("/admin/gutbrain/nutrient/export/")

    assert "/static/admin-csp/export.js" in response.content.decode()


def test_json_answers_carry_the_policy_too(practitioner_api):
    response = practitioner_api.get("/api/v1/nutrients/")

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_session_and_csrf_cookies_are_http_only_and_same_site(client, practitioner):
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "practitioner", "password": PASSWORD})

    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies[name]
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_the_language_cookie_is_http_only_and_same_site(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    cookie = response.cookies["django_language"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize("page", ["change", "history"])
def test_a_records_admin_pages_are_secure(admin_client, page):
    nutrient = NutrientFactory()

    response = admin_client.get(f"/admin/gutbrain/nutrient/{nutrient.pk}/{page}/")

    assert response.status_code == 200
    assert_secure_page(response)
