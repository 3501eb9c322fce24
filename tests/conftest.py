"""Shared fixtures.

The curriculum (programme, six modules, their lessons in Spanish and English)
is loaded once into the test database, so every test that uses the `db`
fixture starts from the real course tree and rolls back its own changes. On
SQLite the migrated, loaded database is kept as a baseline and copied for each
run and each xdist worker (tests/database.py). Tests that need
`transactional_db` run last (pytest-django orders them so) and must build the
data they need: a flush removes the curriculum.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import database

# Cohort and facilitator fixtures shared by the whole suite; a suite's own conftest may override them.
pytest_plugins = ["tests.fixtures"]


def _sqlite_test_database() -> Path | None:
    config = settings.DATABASES["default"]
    if "sqlite" not in config["ENGINE"]:
        return None
    return Path(config["TEST"]["NAME"])


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    """Start from the baseline when there is one: Django then keeps the copied file and only checks migrations."""
    path = _sqlite_test_database()
    restored = path is not None and database.restore(path, Path(settings.MEDIA_ROOT))
    request.config.telar_baseline_restored = restored
    return restored or request.config.getvalue("reuse_db")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    path = _sqlite_test_database()
    if not request.config.telar_baseline_restored:
        with django_db_blocker.unblock(), open(os.devnull, "w") as quiet:
            call_command("load_curriculum", verbosity=0, stdout=quiet)
        if path is not None:
            database.save(path, Path(settings.MEDIA_ROOT))
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def programme(db):
    from courses.models import ProgrammePage

    # The curriculum's (the six workshops): loaded first, so first in the tree; a test may add others.
    return ProgrammePage.objects.filter(locale__language_code="es").order_by("path").first()


@pytest.fixture
def modules(programme):
    from courses.models import ModulePage

    return list(ModulePage.objects.child_of(programme).live().order_by("order"))


@pytest.fixture
def lesson(modules):
    from courses.models import LessonPage

    return LessonPage.objects.child_of(modules[0]).live().order_by("path").first()


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Rate limits and lockouts count in the cache (core.ratelimit): every test starts from zero, so one
    test's wrong PINs or passwords never slow another's sign-in."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request to /en/… leaves English active in the thread
    (LocaleMiddleware activates, nothing deactivates), and a later test's ``reverse`` would build /en/ URLs."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
