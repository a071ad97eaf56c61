"""Static files as production serves them: `collectstatic` with the production storage
(hashed names, gzip and Brotli copies), then WhiteNoise answering from what was collected.
The rest of the suite serves them from the app's folders without collecting
(`settings_test`)."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

from gutbrain import settings as production

FOREVER = 10 * 365 * 24 * 60 * 60  # WhiteNoise's max-age for a hashed name


@pytest.fixture
def collected(settings, tmp_path: Path) -> Path:
    """`collectstatic` into a temporary folder with the production settings' storage; the
    test's WhiteNoise serves only what was collected. Only the app's own folder is
    collected: compressing the admin's and Swagger UI's files takes a minute."""
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": production.STORAGES["staticfiles"],
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.DEBUG = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path


def test_production_stores_static_files_compressed_under_hashed_names():
    assert production.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_collectstatic_writes_gzip_and_brotli_copies_of_the_hashed_files(collected):
    hashed = Path(staticfiles_storage.path(staticfiles_storage.stored_name("vendor/htmx.min.js")))
    assert re.fullmatch(r"htmx\.min\.[0-9a-f]{12}\.js", hashed.name)
    gz, br = hashed.with_name(hashed.name + ".gz"), hashed.with_name(hashed.name + ".br")
    assert gz.exists() and br.exists()
    assert br.stat().st_size < gz.stat().st_size < hashed.stat().st_size / 2


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_hashed_name_is_served_compressed_and_cached_forever(collected, encoding):
    url = staticfiles_storage.url("vendor/htmx.min.js")
    response = Client().get(url, headers={"accept-encoding": f"{encoding}, identity"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]
    assert response["Cache-Control"] == f"max-age={FOREVER}, public, immutable"
    assert response["Content-Type"].startswith("text/javascript")


def test_a_browser_that_asks_for_no_compression_gets_the_file_itself(collected):
    url = staticfiles_storage.url("vendor/htmx.min.js")
    response = Client().get(url)
    body = b"".join(response.streaming_content)
    assert "Content-Encoding" not in response
    assert body == (django_settings.BASE_DIR / "static/vendor/htmx.min.js").read_bytes()


def test_a_name_without_its_hash_is_cached_only_briefly(collected):
    response = Client().get("/static/vendor/htmx.min.js", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" not in response["Cache-Control"]
