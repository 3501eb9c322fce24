"""Reads for attendance: sessions, a session's list, rates (the cohort grid is `workspace.selectors`).

Each function runs a fixed number of queries whatever the number of
artisans, sessions or records (pinned by tests).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from core import sql
from core.text import sorted_by_name
from courses.selectors import titles_in_language
from people.models import ArtisanProfile, Cohort

from .models import AttendanceRecord, Session
from .rules import AttendanceRule, current_rule


def _user_ids(users: Iterable) -> list[int]:
    return [user if isinstance(user, int) else user.pk for user in users]


def attendance_rates(users: Iterable, *, rule: AttendanceRule | None = None) -> dict[int, Decimal | None]:
    """Attendance rate per user (a fraction of 1; None before any counted session): 2 queries.

    The single entry point for the certificate rule and reports; the rule
    itself is `attendance.rules`.
    """
    user_ids = _user_ids(users)
    rule = rule or current_rule()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        AttendanceRecord.objects.filter(artisan_id__in=user_ids)
        .values_list("artisan_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for artisan_id, status, n in rows:
        counts[artisan_id][status] = n
    return {user_id: rule.rate(counts.get(user_id, {})) for user_id in user_ids}


@dataclass(frozen=True)
class AttendanceTally:
    """Her attendance in one programme, as the attendance rule counts it."""

    attended: int
    counted: int
    rate: Decimal | None  # a fraction of 1, None before any counted session
    counts: dict[str, int]  # records by status: what ``AttendanceRule.sessions_to_reach`` reads


def _counts_sql(alias: str, count: int) -> str:
    """Records by artisan, programme and status for `count` artisans, in one database's names."""
    (record, r), (session, s), (cohort, c) = (sql.names(model, alias) for model in (AttendanceRecord, Session, Cohort))
    return (
        f"SELECT {record}.{r['artisan']}, {cohort}.{c['programme']}, {record}.{r['status']}, COUNT(*) "  # noqa: S608
        f"FROM {record} JOIN {session} ON {record}.{r['session']} = {session}.{s['id']} "
        f"JOIN {cohort} ON {session}.{s['cohort']} = {cohort}.{c['id']} "
        f"WHERE {record}.{r['artisan']} IN ({sql.marks(count)}) AND {cohort}.{c['programme']} IS NOT NULL "
        f"GROUP BY {record}.{r['artisan']}, {cohort}.{c['programme']}, {record}.{r['status']}"
    )


def _counts_by_programme(user_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Her records by programme and status (1 query): a session belongs to a cohort and so to its programme.

    Written as SQL: for the cohort grid of 200 the ORM spent longer building this query than the database
    spent answering it (4.4 ms against 1.9).
    """
    counts: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    if not user_ids:
        return counts
    rows = sql.fetch(AttendanceRecord, _counts_sql(sql.read_alias(AttendanceRecord), len(user_ids)), user_ids)
    for artisan_id, programme_id, status, n in rows:
        counts[artisan_id][programme_id][status] = n
    return counts


def attendance_rates_by_programme(
    users: Iterable, *, rule: AttendanceRule | None = None
) -> dict[int, dict[int, Decimal | None]]:
    """Attendance rate per user and programme (user id → programme page id → rate): 2 queries.

    A session belongs to a cohort and so to its programme: her rate in a programme counts the
    sessions of her cohort(s) in that programme, never another programme's. A programme absent
    for a user has no record of hers (no rate yet). The certificate rule reads this.
    """
    user_ids = _user_ids(users)
    rule = rule or current_rule()
    counts = _counts_by_programme(user_ids)
    return {
        user_id: {programme_id: rule.rate(by_status) for programme_id, by_status in counts.get(user_id, {}).items()}
        for user_id in user_ids
    }


def attendance_tallies_by_programme(
    users: Iterable, *, rule: AttendanceRule | None = None
) -> dict[int, dict[int, AttendanceTally]]:
    """Sessions attended and counted per user and programme ("4 de 6 sesiones"), with the rate: 2 queries.
    A programme absent for a user has no record of hers."""
    user_ids = _user_ids(users)
    rule = rule or current_rule()
    counts = _counts_by_programme(user_ids)
    tallies: dict[int, dict[int, AttendanceTally]] = {}
    # Women with the same records share one tally (a cohort of 200 has a few dozen distinct ones): read only.
    made: dict[tuple, AttendanceTally] = {}
    for user_id in user_ids:
        tallies[user_id] = {}
        for programme_id, by_status in counts.get(user_id, {}).items():
            key = tuple(sorted(by_status.items()))
            tally = made.get(key)
            if tally is None:
                attended, counted = rule.tally(by_status)
                tally = made[key] = AttendanceTally(
                    attended=attended, counted=counted, rate=rule.rate(by_status), counts=dict(by_status)
                )
            tallies[user_id][programme_id] = tally
    return tallies


def session_module_title(session: Session) -> str:
    """The title of the session's module in the display language (courses.selectors), "" without a module."""
    module = session.module
    if module is None:
        return ""
    return titles_in_language([module.translation_key]).get(module.translation_key) or module.title


def cohort_sessions(cohort: Cohort) -> list[Session]:
    """A cohort's sessions, newest first, each with `recorded` (how many have a status): 2 queries."""
    sessions: list[Session] = list(
        Session.objects.filter(cohort=cohort)
        .select_related("module")
        .annotate(recorded=Count("records", filter=Q(records__artisan__artisan__cohort=cohort)))
        .order_by("-date", "-start_time")
    )
    titles = titles_in_language(session.module.translation_key for session in sessions if session.module)
    for session in sessions:
        module = session.module
        session.module_title = (titles.get(module.translation_key) or module.title) if module else ""
    return sessions


def coming_sessions(cohorts: QuerySet[Cohort], *, today: date, limit: int = 5) -> list[Session]:
    """Today's sessions and the next ones of these cohorts, soonest first (her start page): 2 queries."""
    sessions: list[Session] = list(
        Session.objects.filter(cohort__in=cohorts, date__gte=today)
        .select_related("cohort", "module")
        .order_by("date", "start_time")[:limit]
    )
    titles = titles_in_language(session.module.translation_key for session in sessions if session.module)
    for session in sessions:
        module = session.module
        session.module_title = (titles.get(module.translation_key) or module.title) if module else ""
    return sessions


def session_detail(session_id: int, *, to_save: bool = False) -> Session | None:
    """The session with its cohort, centre and module (1 query), or None.

    ``to_save``: the session's own row (its cohort's id is what a save checks and writes with),
    for a posted list that ends in a redirect; the page reads it with the rest.
    """
    if to_save:  # as SQL: every list saved reads it, and the ORM's build cost 0.2 ms of it (issue 17)
        alias = sql.read_alias(Session)
        table, column = sql.names(Session, alias)
        query = f"SELECT {sql.columns(Session, alias, 's')} FROM {table} s WHERE s.{column['id']} = %s"  # noqa: S608
        rows = sql.fetch(Session, query, [session_id])
        return sql.instance(Session, alias, rows[0]) if rows else None
    sessions = Session.objects.select_related("cohort__centre", "module")
    return next(iter(sessions.filter(pk=session_id).order_by()), None)  # one row at most: no ORDER BY to build


def records_as_they_are(session_id: int, artisan_ids: list[int]) -> dict[int, tuple[str, str]]:
    """What the session's records of these artisans say now: artisan id → (status, note) (1 query).

    As SQL: a list saved asks it for forty artisans, and the ORM's build of the IN list cost more than the
    read (issue 17)."""
    if not artisan_ids:
        return {}
    alias = sql.read_alias(AttendanceRecord)
    table, column = sql.names(AttendanceRecord, alias)
    query = (
        f"SELECT {column['artisan']}, {column['status']}, {column['note']} FROM {table} "  # noqa: S608
        f"WHERE {column['session']} = %s AND {column['artisan']} IN ({sql.marks(len(artisan_ids))})"
    )
    return {
        artisan_id: (status, note)
        for artisan_id, status, note in sql.fetch(AttendanceRecord, query, [session_id, *artisan_ids])
    }


def recorded_count(session_id: int, cohort_id: int) -> int:
    """How many of the cohort's artisans have a record for the session (1 query, as SQL: see above)."""
    alias = sql.read_alias(AttendanceRecord)
    (record, r), (profile, p) = (sql.names(model, alias) for model in (AttendanceRecord, ArtisanProfile))
    query = (
        f"SELECT COUNT(*) FROM {record} JOIN {profile} ON {profile}.{p['user']} = {record}.{r['artisan']} "  # noqa: S608
        f"WHERE {record}.{r['session']} = %s AND {profile}.{p['cohort']} = %s"
    )
    return sql.fetch(AttendanceRecord, query, [session_id, cohort_id])[0][0]


@dataclass
class Line:
    """One artisan on a session's attendance list."""

    profile: ArtisanProfile
    record: AttendanceRecord | None

    @property
    def user_id(self) -> int:
        return self.profile.user_id

    @property
    def status(self) -> str:
        return self.record.status if self.record else ""

    @property
    def note(self) -> str:
        return self.record.note if self.record else ""


def session_lines(session: Session) -> list[Line]:
    """Every artisan of the session's cohort with her record, by preferred name (folded: core.text): 2 queries."""
    profiles = sorted_by_name(
        ArtisanProfile.objects.filter(cohort_id=session.cohort_id).select_related("user"),
        lambda profile: profile.preferred_name,
        lambda profile: profile.full_name,
    )
    records = {record.artisan_id: record for record in AttendanceRecord.objects.filter(session=session)}
    return [Line(profile=profile, record=records.get(profile.user_id)) for profile in profiles]


def cohort_records(cohort: Cohort) -> QuerySet[AttendanceRecord]:
    """All records of a cohort's sessions, for export (1 query)."""
    return (
        AttendanceRecord.objects.filter(session__cohort=cohort)
        .select_related("session", "artisan__artisan", "recorded_by")
        .order_by("session__date", "session__start_time", "artisan__artisan__preferred_name")
    )


def session_sheet_rows(session: Session) -> list[AttendanceRecord]:
    """One row per artisan of the cohort for a session sheet: saved records, blank ones for the rest (2 queries)."""
    rows = []
    for line in session_lines(session):
        record = line.record or AttendanceRecord(artisan_id=line.user_id, status="", note="")
        record.session = session
        record.artisan = line.profile.user  # joined, and her profile cached on it
        rows.append(record)
    return rows


__all__ = [
    "attendance_rates",
    "attendance_rates_by_programme",
    "cohort_records",
    "cohort_sessions",
    "session_module_title",
    "session_detail",
    "session_lines",
    "session_sheet_rows",
]
