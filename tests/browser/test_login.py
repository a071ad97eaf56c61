"""The login page and logging out, in the browser."""

import re

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login, login_labels, nl
from tests.factories import PASSWORD


def invalid_login_message() -> str:
    """Django's "Voer een juiste gebruikersnaam en wachtwoord in. …"."""
    with translation.override("nl"):
        username = User._meta.get_field("username").verbose_name
        return AuthenticationForm.error_messages["invalid_login"] % {"username": username}


def test_the_login_page_passes_the_accessibility_scan(page: Page):
    page.goto("/accounts/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Log in"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(page)


def test_a_wrong_password_shows_the_error_and_passes_the_scan(page: Page, practitioner):
    page.goto("/accounts/login/")
    labels = login_labels()
    page.get_by_label(labels["username"]).fill(practitioner.username)
    page.get_by_label(labels["password"]).fill(PASSWORD + "-wrong")
    page.get_by_role("button", name=nl("Log in"), exact=True).click()

    expect(page.get_by_role("alert")).to_have_text(invalid_login_message())
    assert page.url.endswith("/accounts/login/")
    expect(page.get_by_role("button", name=nl("Log out"))).to_have_count(0)
    assert_accessible(page)


def test_a_good_login_lands_on_the_start_page(page: Page, live_server, practitioner):
    login(page, practitioner)

    assert page.url == f"{live_server.url}/"
    header = page.get_by_role("banner")
    expect(header).to_contain_text(practitioner.get_full_name())
    expect(header.get_by_role("button", name=nl("Log out"))).to_be_visible()


def test_the_log_out_button_in_the_header_logs_out(page: Page, practitioner):
    login(page, practitioner)

    page.get_by_role("banner").get_by_role("button", name=nl("Log out")).click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("button", name=nl("Log out"))).to_have_count(0)
    # The session is gone: a staff page sends the visitor back to the login form.
    page.goto("/kennisbank/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/kennisbank/$"))
