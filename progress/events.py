"""What progress announces (through `core.events`, after commit): a lesson newly done."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class LessonCompleted:
    """She finished a lesson for the first time (emitted by `progress.services.lesson_mark_done`)."""

    user_id: int
    lesson_key: uuid.UUID

    @property
    def user_ids(self) -> tuple[int, ...]:
        return (self.user_id,)
