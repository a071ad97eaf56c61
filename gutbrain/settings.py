"""Settings for gutbrain, read from the environment.

Safe by default: DEBUG is off, hosts are loopback only, HTTPS hardening is one switch
(`DJANGO_HTTPS`). A malformed value stops start-up with a message naming the variable.
"""

import re
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def _positive_int(name: str, default: int) -> int:
    raw = env.str(name, default="").strip()
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) == 0:
        raise ImproperlyConfigured(f"{name} must be a whole number above 0, not {raw!r}.")
    return int(raw)


def _rate(name: str, default: str) -> str:
    """A DRF throttle rate such as `30/minute`."""
    raw = env.str(name, default="").strip() or default
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", raw):
        raise ImproperlyConfigured(
            f"{name} must be a rate such as 30/minute (per second, minute, hour or day), "
            f"not {raw!r}."
        )
    return raw


def _secret_key() -> str:
    """The key from DJANGO_SECRET_KEY, else one generated once into var/ for local use."""
    key = env.str("DJANGO_SECRET_KEY", default="")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 32 characters.")
        return key
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _bool("DJANGO_DEBUG", False)
HTTPS = _bool("DJANGO_HTTPS", False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if any(not host.strip() for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be a comma-separated list of hosts.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "gutbrain",
    "practice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gutbrain.sessions.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gutbrain.urls"
WSGI_APPLICATION = "gutbrain.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gutbrain.menu.main_menu",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'gutbrain.sqlite3'}")
    }
except (ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA foreign_keys=ON;"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "practice:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates day first in both languages: "2 december 2026", 02-12-2026 (gutbrain/formats/).
FORMAT_MODULE_PATH = ["gutbrain.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Lockout after five failed logins for a username, on every login (the staff pages, the
# admin, the token endpoint), whatever the address: a practice shares one address, and an
# attacker has many. The lock lifts after DJANGO_LOCKOUT_MINUTES without a new failure, or
# when an administrator deletes the access attempt in the admin
# (`manage.py axes_reset_username <name>` does the same).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(minutes=_positive_int("DJANGO_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# axes.W006 asks for the address among the lockout parameters. The lock is per username on
# purpose: failures count per username whatever the address or user agent, so rotating
# them gains nothing, while a lock per address would shut out a whole practice behind one
# address after five typos. Guessing across many usernames from one address is slowed by
# the token endpoint's rate per address; the login pages have no such rate (yet).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after DJANGO_SESSION_MINUTES without a request: requests renew them, at
# most once a minute (gutbrain.sessions), so a page view does not write the session.
SESSION_COOKIE_AGE = _positive_int("DJANGO_SESSION_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# No inline script or style anywhere, nothing from another origin, no framing. Templates
# of the admin, import-export and drf-spectacular that had inline code are overridden in
# templates/; Swagger UI's stylesheet draws its icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms carry the token, and so does Swagger UI's script.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # JSON only, on every endpoint: DRF reads the nested lists of a form or multipart
    # body (a client's medicines) as empty, and so stored a client as taking nothing.
    # Any other body answers 415 before anything is read or written.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Sized for a clinic: a person or an integration may burst (a page of lookups), not
    # hammer. Per user, or per address for anonymous requests; the token endpoint has its
    # own, tighter scope against password guessing.
    "DEFAULT_THROTTLE_CLASSES": [
        "gutbrain.api.throttles.BurstRateThrottle",
        "gutbrain.api.throttles.SustainedRateThrottle",
        "gutbrain.api.throttles.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "burst": _rate("DJANGO_API_RATE_BURST", "120/minute"),
        "sustained": _rate("DJANGO_API_RATE_SUSTAINED", "2000/hour"),
        "anon": _rate("DJANGO_API_RATE_ANON", "30/minute"),
        "token": _rate("DJANGO_API_RATE_TOKEN", "10/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "gutbrain API",
    "DESCRIPTION": (
        "Knowledge base of the brain-gut axis and the practice module for orthomolecular "
        "therapists. Authenticate with `POST /api/v1/auth/token/` and send "
        "`Authorization: Token <token>`; `DELETE /api/v1/auth/token/` revokes it. Five "
        "failed logins lock a username out (429) until an administrator unlocks it or the "
        "lockout lapses. Requests are rate-limited per user (a burst per minute and a "
        "sustained rate per hour) and per address for the token endpoint; past a limit "
        "the answer is 429 with a `Retry-After` header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gutbrain.api.throttles.document_throttling",
    ],
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
