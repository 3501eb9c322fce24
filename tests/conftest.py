"""Shared fixtures.

The curriculum (programme, six modules, their lessons in Spanish and English)
is loaded once per test session into the test database, so every test that
uses the `db` fixture starts from the real course tree and rolls back its own
changes. Tests that need `transactional_db` run last (pytest-django orders
them so) and must build the data they need: a flush removes the curriculum.
"""

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

# Cohort and facilitator fixtures shared by the facilitator-side suites; a suite's own conftest may override them.
pytest_plugins = ["tests.fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_curriculum", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
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
