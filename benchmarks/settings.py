"""Settings of the benchmark: the real settings with a bench-only URLconf (which adds the
baseline endpoint of `check_rps_ratio`), static files served without a collected manifest
and issued PDFs stored under var/bench/ instead of the app's media directory."""

from gutbrain.settings import *  # noqa: F403
from gutbrain.settings import STORAGES, VAR_DIR

ROOT_URLCONF = "benchmarks.urls"
MEDIA_ROOT = VAR_DIR / "bench" / "media"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
