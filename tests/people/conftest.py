"""People fixtures: the shared ones live in tests/fixtures.py (registered for the whole suite)."""

from tests.fixtures import PIN_BACKEND, ROLES, STAFF_BACKEND, sign_in_as  # noqa: F401 — used by the suite's tests
