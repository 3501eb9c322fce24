import pytest

from tests.fixtures import ROLES, sign_in_as  # noqa: F401 — used by the suite's tests


@pytest.fixture
def without_quizzes(monkeypatch):
    """Pin the lesson half of the module rule on its own: no module has a quiz (the Quizzes issue tests its half)."""
    from progress import selectors

    monkeypatch.setattr(selectors, "quiz_results", lambda user_ids, module_keys: {})
