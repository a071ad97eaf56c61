"""The cast of the fuzz tests: the practice API's cast (Anna, `practitioner`, with her
client Sanne on an MAO inhibitor, Sanne's consult with two supplement lines and its
issued protocol), and a media folder per test for the stored PDFs."""

import pytest

from tests.practice.api import conftest as api_cast

# The practice API's fixtures, shared rather than copied.
make_client = api_cast.make_client
make_consult = api_cast.make_consult
practice = api_cast.practice
protocol = api_cast.protocol
sanne = api_cast.sanne
sannes_consult = api_cast.sannes_consult


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Issued PDFs go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
