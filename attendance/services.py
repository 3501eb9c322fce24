"""Writes for attendance: sessions, the whole-list save, sheet imports.

Every write checks that the user may record for the cohort, validates the
whole input first and then writes in one transaction: bad input saves nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import tablib
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import Result

from core import events
from courses.models import ModulePage
from people.models import Cohort, User

from .access import can_record
from .events import AttendanceImported, AttendanceSaved
from .models import AttendanceRecord, Session
from .resources import AttendanceResource
from .rules import current_rule
from .selectors import recorded_count, records_as_they_are
from .validation import LineValidator

UPSERT_FIELDS = ["status", "note", "recorded_by", "recorded_at"]


@dataclass(frozen=True)
class Entry:
    """One line of the attendance list as submitted.

    `shown` is the (status, note) the form displayed when it was loaded, or None
    when unknown (a sheet import). An entry equal to what was shown is only
    written when the artisan has no record yet, so a facilitator who did not
    touch a line never overwrites what another facilitator saved meanwhile.
    """

    artisan_id: int
    status: str
    note: str = ""
    shown: tuple[str, str] | None = None

    @property
    def changed(self) -> bool:
        return self.shown is None or (self.status, self.note) != self.shown


@dataclass(frozen=True)
class SaveResult:
    written: int  # lines this POST changed or filled in
    recorded: int  # artisans of the session who now have a status
    total: int  # artisans in the session's cohort
    superseded: int = 0  # changed lines left alone: someone changed them after `recorded_at` (offline lists)


def _require_cohort(user: User, cohort_id: int) -> None:
    if not can_record(user, cohort_id):
        raise ValidationError(
            _("This session belongs to a cohort you do not facilitate. Nothing was saved."), code="not_your_cohort"
        )


@transaction.atomic
def session_create(
    *,
    cohort: Cohort,
    date: datetime.date,
    start_time: datetime.time,
    created_by: User,
    place: str = "",
    module: ModulePage | None = None,
) -> tuple[Session, bool]:
    """Create a session of a cohort, or return the one already at that date and time (a repeated POST)."""
    _require_cohort(created_by, cohort.pk)
    candidate = Session(cohort=cohort, date=date, start_time=start_time, place=place.strip(), module=module)
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    session, created = Session.objects.get_or_create(
        cohort=cohort, date=date, start_time=start_time, defaults={"place": candidate.place, "module": module}
    )
    if created:
        facilitators = set(cohort.facilitators.values_list("pk", flat=True))
        if created_by.pk in facilitators or not facilitators:
            facilitators.add(created_by.pk)
        session.facilitators.set(facilitators)
    return session, created


@dataclass(frozen=True)
class SeriesResult:
    created: list[Session]
    existing: list[Session]


@transaction.atomic
def sessions_create_series(
    *,
    cohort: Cohort,
    first_date: datetime.date,
    start_time: datetime.time,
    created_by: User,
    every_days: int = 7,
    count: int | None = None,
    modules: Sequence[ModulePage] = (),
    place: str = "",
) -> SeriesResult:
    """A cohort's sessions in one go: one per module (in order) or `count` sessions, every `every_days` days.

    Idempotent: a slot (date and time) that already has a session is kept as it is.
    """
    if every_days < 1:
        raise ValidationError(_("Sessions must be at least one day apart."), code="interval")
    number = len(modules) if modules else (count or 0)
    if not 1 <= number <= 60:
        raise ValidationError(_("Choose between 1 and 60 sessions."), code="count")
    created: list[Session] = []
    existing: list[Session] = []
    for index in range(number):
        session, was_created = session_create(
            cohort=cohort,
            date=first_date + datetime.timedelta(days=every_days * index),
            start_time=start_time,
            created_by=created_by,
            place=place,
            module=modules[index] if modules else None,
        )
        (created if was_created else existing).append(session)
    return SeriesResult(created=created, existing=existing)


def _validate_entries(session: Session, entries: Sequence[Entry]) -> tuple[list[Entry], int]:
    """Every line checked by the one attendance-line validator (attendance.validation); all errors at once.

    Returns the clean lines and how many artisans the cohort has (the validator read them all).
    """
    validator = LineValidator(session.cohort_id)
    checked, errors = [], []
    for entry in entries:
        line = validator.check(artisan=entry.artisan_id, status=entry.status, note=entry.note)
        errors += [error for problems in line.errors.values() for error in problems]
        checked.append(Entry(artisan_id=entry.artisan_id, status=line.status, note=line.note, shown=entry.shown))
    if errors:
        raise ValidationError(errors)
    return checked, len(validator.members)


@transaction.atomic
def attendance_save(
    *, session: Session, entries: Sequence[Entry], recorded_by: User, recorded_at: datetime.datetime | None = None
) -> SaveResult:
    """Save a session's whole list in one go; a line without a status is left as it is.

    `recorded_at` is when the list was changed, for a list kept on a phone while
    offline and sent later (offline app). The latest change wins, not the latest
    to arrive: a line someone changed after that moment keeps their change
    (counted in `superseded` when it differs).

    Upserts on the database's (session, artisan) constraint, so two facilitators
    saving at once never create a duplicate nor lose a line: for a line both changed,
    the last write wins and keeps who wrote it and when; a line one of them did
    not touch never overwrites the other's (see `Entry.shown`). The lines
    written are announced with `AttendanceSaved`.
    """
    _require_cohort(recorded_by, session.cohort_id)
    entries, total = _validate_entries(session, entries)
    # Saves of one session take turns (a row lock on PostgreSQL; SQLite
    # serialises writers anyway, so no query there): two lists written row
    # by row in different orders could otherwise deadlock each other.
    if connection.features.has_select_for_update:
        list(Session.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True))
    now = recorded_at or timezone.now()

    def record(entry: Entry) -> AttendanceRecord:
        return AttendanceRecord(
            session=session,
            artisan_id=entry.artisan_id,
            status=entry.status,
            note=entry.note,
            recorded_by=recorded_by,
            recorded_at=now,
        )

    changed = [entry for entry in entries if entry.status and entry.changed]
    untouched = [entry for entry in entries if entry.status and not entry.changed]
    superseded = 0
    if recorded_at is not None and changed:
        newer = {
            artisan_id: (status, note)
            for artisan_id, status, note in AttendanceRecord.objects.filter(
                session=session, artisan_id__in=[line.artisan_id for line in changed], recorded_at__gt=recorded_at
            ).values_list("artisan_id", "status", "note")
        }
        superseded = sum(
            1 for line in changed if line.artisan_id in newer and newer[line.artisan_id] != (line.status, line.note)
        )
        changed = [line for line in changed if line.artisan_id not in newer]
    # What each line said before this save (inside the session's turn, so no other save is in between).
    # A line that already says what she sent is not written again (it keeps who recorded it and when),
    # nor is a line she did not touch that has a record: a list saved again with two marks changed writes
    # two rows. The certificate rule is then asked only for those whose rate this save may raise.
    before = records_as_they_are(session.pk, [line.artisan_id for line in changed + untouched])
    changed = [line for line in changed if before.get(line.artisan_id) != (line.status, line.note)]
    untouched = [line for line in untouched if line.artisan_id not in before]
    rule = current_rule()
    raised = tuple(
        [
            line.artisan_id
            for line in changed
            if line.artisan_id not in before or rule.may_raise(before[line.artisan_id][0], line.status)
        ]
        + [line.artisan_id for line in untouched]  # a first record: it may
    )
    if changed:
        AttendanceRecord.objects.bulk_create(
            [record(line) for line in changed],
            update_conflicts=True,
            unique_fields=["session", "artisan"],
            update_fields=UPSERT_FIELDS,
        )
    if untouched:
        AttendanceRecord.objects.bulk_create([record(line) for line in untouched], ignore_conflicts=True)
    written = tuple(line.artisan_id for line in changed + untouched)
    if written:
        # After commit, certificates decide for those whose attendance rate may have reached the threshold.
        events.emit(AttendanceSaved(session_id=session.pk, user_ids=written, raised=raised))
    return SaveResult(
        written=len(changed) + len(untouched),
        recorded=recorded_count(session.pk, session.cohort_id),
        total=total,
        superseded=superseded,
    )


@transaction.atomic
def attendance_import(*, cohort: Cohort, dataset: tablib.Dataset, recorded_by: User, dry_run: bool) -> Result:
    """Import a sheet of attendance for a cohort's sessions: all rows or none.

    Returns import-export's Result: per-row errors, and new/updated/skipped
    totals for the preview. Rows without a status are skipped (a blank
    roster exported for paper), never an error. A real import emits
    `AttendanceImported` for the cohort's artisans.
    """
    if not can_record(recorded_by, cohort.pk):
        raise ValidationError(_("You do not facilitate this cohort. Nothing was saved."), code="not_your_cohort")
    resource = AttendanceResource(cohort=cohort, recorded_by=recorded_by)
    result = resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True, raise_errors=False
    )
    if not dry_run and not (result.has_errors() or result.has_validation_errors()):
        members = tuple(cohort.artisans.values_list("user_id", flat=True))
        events.emit(AttendanceImported(cohort_id=cohort.pk, user_ids=members))
    return result
