"""The test suite: fast hashing, local-memory cache, immediate tasks.

DATABASE_URL selects PostgreSQL; without it an SQLite file under var/ is used
(a real file, so WAL and the busy timeout are exercised as in production).
"""

import os

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, PRIVATE_STORAGE, database_from_env

# Each xdist worker (gw0, gw1, ...) has its own database file, media and private files.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SUFFIX = f"-{WORKER}" if WORKER else ""

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {"default": database_from_env(BASE_DIR / "var" / "test.sqlite3")}
if "sqlite" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("TEST_SQLITE_PATH", str(BASE_DIR / "var" / "test-db.sqlite3"))
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", str(BASE_DIR / "var" / f"test-media{SUFFIX}"))
PRIVATE_MEDIA_ROOT = os.environ.get("TEST_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / f"test-private{SUFFIX}"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {**PRIVATE_STORAGE, "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
