"""Fixtures shared by the facilitator-side suites (attendance, certificates): two cohorts and their facilitators.

Registered for the whole suite through pytest_plugins in tests/conftest.py.
"""

import pytest

from tests.factories import CohortFactory, FacilitatorFactory


@pytest.fixture
def cohort(db):
    return CohortFactory(centre__name="Huixtán", name="Grupo Bordadoras")


@pytest.fixture
def other_cohort(db):
    return CohortFactory(centre__name="Oxchuc", name="Grupo Tejedoras")


@pytest.fixture
def facilitator(cohort):
    return FacilitatorFactory(
        username="facilitadora-rosa", first_name="Rosa", last_name="Hernández Ruiz", cohorts=[cohort]
    )


@pytest.fixture
def other_facilitator(other_cohort):
    return FacilitatorFactory(
        username="facilitadora-juana", first_name="Juana", last_name="Díaz López", cohorts=[other_cohort]
    )
