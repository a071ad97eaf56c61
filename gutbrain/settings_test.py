"""Settings for the test suite: the real settings, with a fast password hasher and
static files served without a collected manifest."""

from gutbrain.settings import *  # noqa: F403
from gutbrain.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
