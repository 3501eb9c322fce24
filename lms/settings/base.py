"""Settings shared by every environment.

Environment-specific modules (dev, test, production) import from here and
override only what differs. Secrets never live in this file.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "lms"


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    # Telar
    "lms",
    "core",
    "people",
    "courses",
    "progress",
    "assessments",
    "attendance",
    "certificates",
    "reports",
    "offline",
    "workspace",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Django
    # Django's admin site is not mounted (Wagtail is the admin): its models (LogEntry) without the
    # autodiscovery that would import every app's admin.py (import-export's loads openpyxl) in every worker.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # GZip wraps everything below it; Django's implementation pads the output
    # at random to mitigate BREACH on pages that carry a CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Saves the session only when it changed or its expiry is 5 minutes old (lms/sessions.py).
    "lms.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Tells the service worker who a page is for and whether it may be kept offline (offline app).
    "offline.middleware.OfflineHeadersMiddleware",
    # Content-Security-Policy (django-csp): strict on the site, looser under /admin/ only (lms/csp.py).
    "lms.csp.TelarCSPMiddleware",
]

ROOT_URLCONF = "lms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"

# --- Database -------------------------------------------------------------
# SQLite is the embedded default (a community-centre laptop needs nothing
# else). WAL lets readers and one writer work at once; the busy timeout makes
# a concurrent writer wait instead of failing with "database is locked", and the engine (core.sqlite)
# makes writers queue on a lock file rather than in SQLite's sleeps.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "db.sqlite3"))
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
    ),
}


def database_from_env(default_sqlite_path: Path = SQLITE_PATH) -> dict:
    """PostgreSQL (psycopg 3) when DATABASE_URL is set, SQLite otherwise."""
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        test_name = os.environ.get("TEST_DATABASE_NAME")
        if test_name:
            config["TEST"] = {"NAME": test_name}
        return config
    return {
        "ENGINE": "core.sqlite",
        "NAME": default_sqlite_path,
        "OPTIONS": SQLITE_OPTIONS,
        # A worker keeps its connection: opening a SQLite file and running the PRAGMAs above cost
        # about 3 ms on every request, more than the rest of a "not modified" answer.
        "CONN_MAX_AGE": None,
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/staff/sign-in/"  # Telar's own page (people.staff_views); Wagtail's login redirects there
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
# Staff: username + strong password. Artisans: a 4-digit PIN with a per-account lockout (people/services.py).
AUTHENTICATION_BACKENDS = ["people.backends.StaffBackend", "people.backends.PinBackend"]

# --- Languages ------------------------------------------------------------
# Spanish (Mexico) first, English second. Tsotsil and Tseltal are described
# here so that adding them later means only adding them to LANGUAGES and
# WAGTAIL_CONTENT_LANGUAGES (and writing their catalogues), no code.
LANG_INFO.update(
    {
        "tzo": {"bidi": False, "code": "tzo", "name": "Tsotsil", "name_local": "Batsʼi kʼop"},
        "tzh": {"bidi": False, "code": "tzh", "name": "Tseltal", "name_local": "Batsʼil kʼop"},
    }
)
LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", "Español"),
    ("en", "English"),
]
# The languages a person may speak, a fact about her kept whether or not Telar's interface is
# translated into it yet: until a catalogue exists she sees the interface in LANGUAGE_CODE.
PEOPLE_LANGUAGES = [
    ("es", "Español"),
    ("tzo", "Tsotsil (Batsʼi kʼop)"),
    ("tzh", "Tseltal (Batsʼil kʼop)"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private files (uploads waiting for their confirmation): outside MEDIA_ROOT, never served (core.storage).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
PRIVATE_STORAGE = {"BACKEND": "core.storage.PrivateFileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names, far-future cache headers, gzip and brotli copies.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
WHITENOISE_MAX_AGE = 365 * 24 * 60 * 60

# --- Caches and tasks ------------------------------------------------------
# Every rate limit and lockout counter lives here (core.ratelimit), so the cache must be shared by
# every worker: the database cache (its table is made by migration core 0002), or Redis in production
# when REDIS_URL is set. Never a worker's own memory.
# The embedded default keeps the shared cache in the database. Its default bound (300 entries, a third
# dropped whenever it is passed) was reached by a hundred women signed in at once (her account, her
# programmes and her certificates are kept for each), and every write then culled the others' entries and
# the tree version with them (courses.cache.KEY now sorts last), so every worker drew every page again.
# Each write counts the table's rows (on its key's index: 9 µs of CPU at 20,000 entries on the bench data).
# When full, the expired entries go first, then a quarter.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "telar_cache",
        "KEY_PREFIX": "telar",
        "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
    }
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Sessions -------------------------------------------------------------
# Shared devices: a session ends after 30 minutes without activity (at most; at least 25: its expiry is
# pushed back at most once every SESSION_REFRESH_SECONDS, not on every request: lms/sessions.py).
SESSION_ENGINE = "lms.sessions"
SESSION_COOKIE_AGE = 30 * 60
SESSION_REFRESH_SECONDS = 5 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Wagtail --------------------------------------------------------------
WAGTAIL_SITE_NAME = "Telar"
# The origin printed on certificates and in their QR codes (certificates.models.absolute_url): the
# configured one in production (production.py requires it), the port `make run` serves on in development.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp", "gif": "webp", "bmp": "webp"}
WAGTAILIMAGES_WEBP_QUALITY = 70
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["mp3", "m4a", "ogg", "opus", "pdf", "csv", "xlsx"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = [("es", "Español"), ("en", "English")]
TELAR_ORGANISATION_NAME = os.environ.get("TELAR_ORGANISATION_NAME", "Telar")

# --- import-export ---------------------------------------------------------
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
WAGTAILDOCS_SERVE_METHOD = "direct"
# The admin asks wagtail.org for new releases from the browser: not from a community centre's laptop.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Nothing else leaves the site either (issue 19): no Gravatar pictures for admin users, no oEmbed
# look-ups (a pasted link stays a link), no "what's new" banner pointing at wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILEMBEDS_FINDERS: list[dict] = []
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# --- Content-Security-Policy (django-csp; lms/csp.py says why each source is there) ---------
_CSP_COMMON = {
    "default-src": [SELF],
    "img-src": [SELF, "data:"],
    "media-src": [SELF],
    "font-src": [SELF],
    "connect-src": [SELF],
    "worker-src": [SELF],
    "manifest-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],  # colours from the content: style="--band:#8e3b46"
        "frame-src": [NONE],
    }
}
TELAR_ADMIN_CSP = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "img-src": [SELF, "data:", "blob:"],
        "script-src": [SELF, UNSAFE_INLINE],  # Wagtail's widgets and panels write inline scripts
        "style-src": [SELF, UNSAFE_INLINE],
        "frame-src": [SELF],  # the page preview
    }
}
