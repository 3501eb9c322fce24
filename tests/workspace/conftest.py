"""Workspace fixtures: the attendance suite's (the grid is read by the same facilitators about the same cohorts)."""

from tests.attendance.conftest import spanish  # noqa: F401  (autouse: reverse() in Spanish)
