"""The cast of the client's-rights tests: the practice API's cast (Anna, `practitioner`,
with her client Sanne on an MAO inhibitor, Sanne's consult and its issued protocol; Bram,
`colleague`, in another practice), their browsers, and a media folder per test."""

import pytest
from django.test import Client as WebClient
from rest_framework.test import APIClient

from tests.practice.api import conftest as api_cast

# The practice API's fixtures, shared rather than copied.
anonymous_api = api_cast.anonymous_api
colleague_api = api_cast.colleague_api
colleagues_client = api_cast.colleagues_client
colleagues_practice = api_cast.colleagues_practice
curator_api = api_cast.curator_api
make_client = api_cast.make_client
make_consult = api_cast.make_consult
outsider_api = api_cast.outsider_api
practice = api_cast.practice
protocol = api_cast.protocol
reissue = api_cast.reissue
sanne = api_cast.sanne
sannes_consult = api_cast.sannes_consult


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Issued PDFs go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _browser(user) -> WebClient:
    browser = WebClient()
    browser.force_login(user)
    return browser


@pytest.fixture
def web(practitioner, practice) -> WebClient:
    """Anna's browser, logged in."""
    return _browser(practitioner)


@pytest.fixture
def colleague_web(colleague, colleagues_practice) -> WebClient:
    return _browser(colleague)


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    """A superuser's API client."""
    api = APIClient()
    api.force_authenticate(admin_user)
    return api
