"""The people every suite starts from: two cohorts, an artisan, facilitators, an editor, an admin,
and clients signed in as each role.

Registered for the whole suite through pytest_plugins in tests/conftest.py; a suite's own conftest
may override a fixture where it needs someone else (tests/certificates wants the artisan's user).
"""

import pytest

from tests import factories

PIN_BACKEND = "people.backends.PinBackend"
STAFF_BACKEND = "people.backends.StaffBackend"
ROLES = ["guest", "artisan", "facilitator", "editor", "admin"]


@pytest.fixture
def cohort(db):
    return factories.CohortFactory(centre__name="Huixtán", name="Grupo Bordadoras")


@pytest.fixture
def other_cohort(db):
    return factories.CohortFactory(centre__name="Oxchuc", name="Grupo Tejedoras")


@pytest.fixture
def artisan(cohort):
    return factories.ArtisanFactory(cohort=cohort, full_name="María Pérez Gómez", preferred_name="Mari")


@pytest.fixture
def facilitator(cohort):
    return factories.FacilitatorFactory(
        username="facilitadora-rosa", first_name="Rosa", last_name="Hernández Ruiz", cohorts=[cohort]
    )


@pytest.fixture
def other_facilitator(other_cohort):
    return factories.FacilitatorFactory(
        username="facilitadora-juana", first_name="Juana", last_name="Díaz López", cohorts=[other_cohort]
    )


@pytest.fixture
def editor(db):
    return factories.EditorFactory(username="editora")


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory(username="root")


@pytest.fixture
def programme_staff(db):
    """Staff with ``reports.manage_personal_data``: every cohort's people, not an editor."""
    return factories.ProgrammeStaffFactory(username="programa-datos")


def sign_in_as(client, role, request):
    """Return `client` signed in as `role` (a fixture name), or as nobody for "guest"."""
    if role == "guest":
        return None
    user = request.getfixturevalue(
        {
            "artisan": "artisan",
            "facilitator": "facilitator",
            "other_facilitator": "other_facilitator",
            "editor": "editor",
            "programme": "programme_staff",
            "admin": "admin_user",
        }[role]
    )
    if role == "artisan":
        client.force_login(user.user, backend=PIN_BACKEND)
        return user.user
    client.force_login(user, backend=STAFF_BACKEND)
    return user


@pytest.fixture(params=ROLES)
def role_client(request, client, cohort):
    """(role, client, user) for every role in the permission matrix."""
    user = sign_in_as(client, request.param, request)
    return request.param, client, user


def forget_kept() -> None:
    """Empty what this worker keeps per tree version (courses.cache.memo: routes, pages, programme structures,
    quizzes), so the next measurement counts the reads of a worker that has just started."""
    from courses import cache

    cache._state["version"] = None
