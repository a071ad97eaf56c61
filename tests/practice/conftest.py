import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Issued PDFs go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
