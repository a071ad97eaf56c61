"""Settings for the test suite: the real settings, with a fast password hasher, static
files served without a collected manifest, and API and login rates no test reaches by
accident (the throttling tests set their own)."""

from gutbrain.settings import *  # noqa: F403
from gutbrain.settings import REST_FRAMEWORK, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files straight from the app's folders: nothing is collected for the tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        scope: "100000/minute" for scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    },
}
LOGIN_RATE = "100000/minute"
