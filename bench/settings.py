"""Settings for the benchmark: production-like (DEBUG off, hashed and compressed static files
served by WhiteNoise, the default password hasher) on a separate SQLite file under var/bench/.

The database file is chosen by `BENCH_DB` (bench.datagen sets it per scale); it is never the
development database. `WHITENOISE_ROOT` holds the static files of known sizes that the load
test uses as its baseline ("a static file of the same size through the same server").
"""

import os
from pathlib import Path

from lms.settings.base import *  # noqa: F401,F403
from lms.settings.base import BASE_DIR, SQLITE_OPTIONS

BENCH_DIR = Path(os.environ.get("BENCH_DIR", BASE_DIR / "var" / "bench"))

DEBUG = False
SECRET_KEY = "bench-only-key-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {
    "default": {
        "ENGINE": "core.sqlite",
        "NAME": os.environ.get("BENCH_DB", str(BENCH_DIR / "bench-default.sqlite3")),
        "OPTIONS": SQLITE_OPTIONS,
        "CONN_MAX_AGE": None,
    }
}
MEDIA_ROOT = BENCH_DIR / "media"
STATIC_ROOT = BENCH_DIR / "static"
WHITENOISE_ROOT = BENCH_DIR / "www"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
