"""Attendance fixtures: a cohort with its facilitator and artisans, another cohort, and every role."""

import pytest
from django.utils import translation

from tests.factories import ArtisanProfileFactory, ProgrammeStaffFactory, StaffUserFactory

from .factories import SessionFactory, artisans, editor


@pytest.fixture(autouse=True)
def spanish():
    """reverse() follows the active language: start every test in Spanish, whatever ran before."""
    with translation.override("es"):
        yield


ROLES = ["guest", "artisan", "facilitator", "other_facilitator", "editor", "programme", "admin"]


@pytest.fixture
def members(cohort):
    return artisans(cohort, 3)


@pytest.fixture
def session(cohort, facilitator):
    session = SessionFactory(cohort=cohort)
    session.facilitators.add(facilitator)
    return session


@pytest.fixture
def other_session(other_cohort, other_facilitator):
    return SessionFactory(cohort=other_cohort)


@pytest.fixture
def users(cohort, other_cohort, facilitator, other_facilitator):
    """One user per role (guest is None)."""
    return {
        "guest": None,
        "artisan": ArtisanProfileFactory(cohort=cohort, preferred_name="Artesana", full_name="Artesana Uno").user,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "editor": editor(),
        "programme": ProgrammeStaffFactory(username="coordinadora-att"),
        "admin": StaffUserFactory(username="root-att", is_superuser=True),
    }


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client
