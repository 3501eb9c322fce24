"""Reports fixtures: the people fixtures (roles, cohort, artisan) and a clean cache for every test."""

import pytest

from tests.fixtures import PIN_BACKEND, ROLES, STAFF_BACKEND, sign_in_as  # noqa: F401 — used by the suite's tests


@pytest.fixture(autouse=True)
def clean_cache():
    """The dashboard caches its numbers: each test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def spanish():
    from django.utils import translation

    with translation.override("es"):
        yield


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield
