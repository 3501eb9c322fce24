"""What attendance announces (through `core.events`, after commit): a list saved, a sheet imported."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AttendanceSaved:
    """A session's list was saved (emitted by `attendance.services.attendance_save`): the artisans it wrote,
    and among them those whose rate it may have raised (``AttendanceRule.may_raise``)."""

    session_id: int
    user_ids: tuple[int, ...]
    raised: tuple[int, ...] = ()


@dataclass(frozen=True)
class AttendanceImported:
    """A sheet of a cohort's attendance was imported (emitted by `attendance.services.attendance_import`)."""

    cohort_id: int
    user_ids: tuple[int, ...]
