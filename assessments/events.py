"""What quizzes announce (through `core.events`, after commit): a new attempt online, results from paper."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class QuizAttemptRecorded:
    """A new online attempt was graded and kept (emitted by `assessments.services.attempt_submit`)."""

    user_id: int
    attempt_id: int
    quiz_key: uuid.UUID
    passed: bool
    # It passed, and the module's quiz did not count as passed for her before (a first pass).
    newly_passed: bool = True

    @property
    def user_ids(self) -> tuple[int, ...]:
        return (self.user_id,)


@dataclass(frozen=True)
class PaperResultsRecorded:
    """A facilitator recorded a sheet of paper scores (emitted by `assessments.services.paper_results_record`).

    `user_ids` are the artisans who got a new attempt; a resent sheet adds none and emits nothing.
    """

    quiz_key: uuid.UUID
    user_ids: tuple[int, ...]
