import pytest

from tests.people.conftest import (  # noqa: F401 — shared fixtures
    ROLES,
    admin_user,
    artisan,
    cohort,
    editor,
    facilitator,
    role_client,
    sign_in_as,
)


@pytest.fixture
def without_quizzes(monkeypatch):
    """Pin the lesson half of the module rule on its own: no module has a quiz (the Quizzes issue tests its half)."""
    from progress import selectors

    monkeypatch.setattr(selectors, "quiz_results", lambda user_ids, module_keys: {})
