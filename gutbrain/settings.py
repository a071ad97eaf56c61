"""Settings for gutbrain, read from the environment.

Safe by default: DEBUG is off, hosts are loopback only, HTTPS hardening is one switch
(`DJANGO_HTTPS`). A malformed value stops start-up with a message naming the variable.
"""

import ipaddress
import re
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gutbrain.databases import with_sqlite_options

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


def _networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated addresses or networks, such as `10.0.0.2,192.168.1.0/24`."""
    raw = env.str(name, default="").strip()
    if not raw:
        return ()
    networks = []
    for entry in raw.split(","):
        try:
            networks.append(ipaddress.ip_network(entry.strip()))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be comma-separated addresses or networks such as 10.0.0.2 or "
                f"10.0.0.0/8 (no host bits after the /), not {entry.strip()!r}."
            ) from None
    return tuple(networks)


# Redis on the same network answers in well under a millisecond; a quarter of a second
# without an answer is an outage, and the request goes on without the cache.
REDIS_TIMEOUT_SECONDS = 0.25


def _redis_url(name: str) -> str:
    """A Redis URL such as `redis://10.0.0.5:6379/0` (`rediss://` for TLS, `unix://` for a
    socket), or empty."""
    raw = env.str(name, default="").strip()
    if raw and not re.fullmatch(r"(redis|rediss|unix)://\S+", raw):
        # The value is not repeated: it may hold Redis's password.
        raise ImproperlyConfigured(
            f"{name} must be a Redis URL such as redis://127.0.0.1:6379/0 (rediss:// for "
            "TLS, unix:// for a socket)."
        )
    return raw


def caches_for(redis_url: str) -> dict:
    """`CACHES`: Redis at `redis_url`, or each process's memory without one."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "gutbrain",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }


def _secret_key() -> str:
    """The key from DJANGO_SECRET_KEY, else one generated once into var/ for local use."""
    key = env.str("DJANGO_SECRET_KEY", default="")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 32 characters.")
        return key
    return _generated_key("secret-key")


def _generated_key(filename: str) -> str:
    """A key generated once into var/, for local use."""
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _access_log_key(*, https: bool, secret_key: str) -> str:
    """The key of the access log's hash chain (HMAC, `practice.accesslog`) from
    DJANGO_ACCESS_LOG_KEY, else one generated once into var/ for local use. Required with
    DJANGO_HTTPS=true: every server that writes the log must use the same key, and a key
    generated on one of them would make the others' entries unverifiable."""
    key = env.str("DJANGO_ACCESS_LOG_KEY", default="")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("DJANGO_ACCESS_LOG_KEY must be at least 32 characters.")
        if key == secret_key:
            raise ImproperlyConfigured(
                "DJANGO_ACCESS_LOG_KEY must differ from DJANGO_SECRET_KEY: the log's key "
                "outlives a rotated secret key."
            )
        return key
    if https:
        raise ImproperlyConfigured(
            "DJANGO_ACCESS_LOG_KEY must be set when DJANGO_HTTPS=true (at least 32 "
            "characters, the same on every server, kept as long as the access log): "
            "without it each server would sign the log with a key of its own."
        )
    return _generated_key("access-log-key")


SECRET_KEY = _secret_key()
DEBUG = _bool("DJANGO_DEBUG", False)
HTTPS = _bool("DJANGO_HTTPS", False)
ACCESS_LOG_KEY = _access_log_key(https=HTTPS, secret_key=SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if any(not host.strip() for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be a comma-separated list of hosts.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The reverse proxies in front of the app, whose X-Forwarded-For is believed: the client's
# address for the rate limits, the lockouts and the access log (gutbrain.client_ip).
TRUSTED_PROXIES = _networks("DJANGO_TRUSTED_PROXIES")

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
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "gutbrain",
    "practice",
    "cdshooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database outage met by a view answers 503 (gutbrain.errors); last to see it.
    "gutbrain.errors.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gutbrain.sessions.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Finishes each request's access log (practice.access): inside the 503 middleware.
    "practice.access.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An admin list filtered by an impossible date answers the unfiltered list, not a 500.
    "gutbrain.admin_lookups.AdminLookupMiddleware",
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
# SQLite waits for its write lock and keeps a WAL; options in the URL's query win.
DATABASES = {alias: with_sqlite_options(database) for alias, database in DATABASES.items()}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 (memory-hard, and its C code leaves the other threads running): a login costs
# tens of milliseconds of one CPU instead of PBKDF2's quarter second, so logins stay quick
# while protocols are rendered (`login_p95_under_load_ms`). PBKDF2 hashes made before keep
# working and are re-hashed with Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

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

# Interoperability (`practice.fhir`, `cdshooks`). The canonical base names our FHIR
# definitions: the nutrient code system is FHIR_CANONICAL_BASE + "/CodeSystem/nutrient"
# wherever a nutrient is coded, so it must never change once records have gone out. The
# CDS Hooks base is the address EHRs call us at: a token's `aud` must equal it plus
# "/cds-services/{id}" (the request's Host header is never trusted for this).
FHIR_CANONICAL_BASE = env.str(
    "DJANGO_FHIR_CANONICAL_BASE", default="https://gutbrain.nl/fhir"
).rstrip("/")
CDS_BASE_URL = env.str("DJANGO_CDS_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The most time one CDS Hooks call may spend fetching from the EHR's FHIR server (all its
# requests together): the specification asks for answers in about half a second.
CDS_FHIR_TIMEOUT = _positive_int("DJANGO_CDS_FHIR_TIMEOUT", 5)

# What one request may make the app read and parse. The largest form is a consult at its
# cap of 40 supplement lines: 9 fields a line, about 30 more, some 400 in all (the admin's
# largest, a nutrient with its inlines, has under 200); an admin action on a full list
# page sends 100 ids. Its body, with long notes, is tens of kB. Beyond either limit Django
# answers 400 before the view runs; the API's JSON bodies meet the same size limit in
# `gutbrain.api.parsers`. Uploaded files do not count here: the admin's import has its own
# limits (`gutbrain.resources`).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"


def _media_storage() -> dict:
    """Where issued PDFs and practice logos are stored: MEDIA_ROOT on the local disk, or,
    when DJANGO_MEDIA_S3_BUCKET is set, a bucket of S3-compatible object storage that
    every application server shares (README, "Running on several servers").

    The objects stay private: no ACL is sent (the bucket's own, private by default) and no
    signed URLs are made, since the app serves the PDFs itself through its logged views.
    An outage is met quickly (short timeouts, one retry) so that a request answers 503
    rather than hanging (`practice.pdf.files`)."""
    bucket = env.str("DJANGO_MEDIA_S3_BUCKET", default="").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    from botocore.config import Config

    def optional(name: str) -> str | None:
        return env.str(name, default="").strip() or None

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": optional("DJANGO_MEDIA_S3_ENDPOINT_URL"),
            "access_key": optional("DJANGO_MEDIA_S3_ACCESS_KEY_ID"),
            "secret_key": optional("DJANGO_MEDIA_S3_SECRET_ACCESS_KEY"),
            "region_name": optional("DJANGO_MEDIA_S3_REGION"),
            "default_acl": None,
            "querystring_auth": False,
            # A protocol's file is written again under its own name when it is repaired.
            "file_overwrite": True,
            "client_config": Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=10,
                retries={"mode": "standard", "max_attempts": 2},
            ),
        },
    }


# Static files under hashed names (cached forever by browsers: WhiteNoise sends
# `immutable` for a name in the manifest) with gzip and Brotli copies made by
# `collectstatic`, which WhiteNoise serves to a browser that accepts them.
STORAGES = {
    "default": _media_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Lockout after five failed logins for a username from one address, on every login (the
# staff pages, the admin, the token endpoint): the nested list locks the combination, so a
# stranger's guesses cannot lock the real user out of their own address. The lock lifts
# DJANGO_LOCKOUT_MINUTES after the failure that set it (failures during the lock are not
# counted, so they do not extend it), or when an administrator deletes the access attempt
# in the admin (`manage.py axes_reset_username <name>` does the same). Guesses spread over
# many addresses meet the ceiling per username (gutbrain.logins.LockoutHandler), guesses
# across usernames from one address meet the login rate (LOGIN_RATE).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=_positive_int("DJANGO_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "gutbrain.client_ip.client_ip"
AXES_HANDLER = "gutbrain.logins.LockoutHandler"
LOCKOUT_USERNAME_CEILING = _positive_int("DJANGO_LOCKOUT_USERNAME_CEILING", 100)
# POSTs to the staff and admin login pages per address (gutbrain.logins.limit_login_rate).
LOGIN_RATE = _rate("DJANGO_LOGIN_RATE", "20/minute")

# The cache holds the rate limits' counts (the API's throttles, LOGIN_RATE, the CDS Hooks
# calls per EHR) and nothing else: sessions, lockouts (django-axes' database handler), the
# CDS Hooks replay store and the interaction table's version are in the database. Without
# REDIS_URL each process counts in its own memory, right for one server; with it every
# server counts in the same Redis. Short timeouts: while Redis is down a request loses
# at most one timeout, and its rate limits are skipped with a warning (gutbrain.api.throttles).
REDIS_URL = _redis_url("REDIS_URL")
CACHES = caches_for(REDIS_URL)
# After the cache failed to answer, a process skips it (and the rate limits) this long
# before it asks again: one timeout per process per outage spell, not one per request.
CACHE_OUTAGE_SECONDS = 5

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
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "gutbrain.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # JSON only, on every endpoint: DRF reads the nested lists of a form or multipart
    # body (a client's medicines) as empty, and so stored a client as taking nothing.
    # Any other body answers 415 before anything is read or written. The parser bounds
    # the body's size and nesting (400 beyond them); a view that sets `parser_classes`
    # must name it too (tests/integrity/test_malformed_requests.py checks every view).
    "DEFAULT_PARSER_CLASSES": ["gutbrain.api.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "gutbrain.api.schema.AutoSchema",
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
        # CDS Hooks calls per EHR (its `iss`): an EHR calls for all its users at once.
        "cds": _rate("DJANGO_API_RATE_CDS", "300/minute"),
    },
}

# API tokens (django-rest-knox): stored as SHA-512 hashes, ending DJANGO_TOKEN_HOURS after
# they were issued, at most 10 live ones per user; a password change ends them all
# (gutbrain.tokens).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=_positive_int("DJANGO_TOKEN_HOURS", 10)),
    "TOKEN_LIMIT_PER_USER": 10,
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "gutbrain API",
    "DESCRIPTION": (
        "Knowledge base of the brain-gut axis and the practice module for orthomolecular "
        "therapists. Authenticate with `POST /api/v1/auth/token/` and send "
        "`Authorization: Token <token>` until the token's `expiry`; `DELETE "
        "/api/v1/auth/token/` ends it sooner, and a change of the user's password ends all "
        "of them. Five failed logins for a username from one address lock that username "
        "out from that address (429) until an administrator unlocks it or the lockout "
        "lapses. Requests are rate-limited per user (a burst per minute and a sustained "
        "rate per hour) and per address for the token endpoint; past a limit the answer is "
        "429 with a `Retry-After` header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {},
    # English names and titles whatever the request's language (generated clients name
    # their classes after them); descriptions in the request's language.
    "DEFAULT_GENERATOR_CLASS": "gutbrain.api.schema.SchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gutbrain.api.schema.blank_strings_as_any_of",
        "gutbrain.api.schema.parameter_enums_as_components",
        "gutbrain.api.throttles.document_throttling",
        "gutbrain.errors.document_unavailable",
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
