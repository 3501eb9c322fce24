"""Reads for the facilitator's workspace: the cohort grid, artisans × modules with attendance and eligibility.

The grid brings together what three apps decide — module status (`progress`),
attendance rate (`attendance`), the quiz score that counts (`assessments`) —
and the certificate rule (`certificates`), so it lives here, above all of
them, and decides nothing itself. Constant queries whatever the cohort size
(pinned by tests/workspace/test_grid.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from attendance.models import Session
from attendance.rules import current_rule
from attendance.selectors import attendance_tallies_by_programme
from certificates.rules import (
    LESSONS,
    MODULES,
    SESSIONS,
    SESSIONS_OUT_OF_REACH,
    Eligibility,
    Missing,
    Standing,
    meets_rule,
    standings_of_many,
    threshold_of,
)
from core import sql
from core.text import sorted_by_name
from courses.models import ModulePage
from people.models import ArtisanProfile, Cohort, PinCredential
from progress.selectors import ModuleStatus, Structure, cohort_statuses, programme_structure


def certificate_eligibility(
    statuses: dict[int, list[ModuleStatus]], rates: dict[int, Decimal | None], *, threshold: Decimal
) -> dict[int, bool]:
    """Whether each artisan meets the certificate rule of the cohort's programme, from data the grid already
    has (no queries). The rule is the certificates app's (`certificates.rules.meets_rule`)."""
    return {
        user_id: meets_rule(module_statuses, rates.get(user_id), threshold=threshold)
        for user_id, module_statuses in statuses.items()
    }


@dataclass
class Cell:
    """One artisan in one module: lessons done, the quiz outcome and its counting score."""

    status: ModuleStatus
    score: int | None


@dataclass(frozen=True, slots=True)
class GridPerson:
    """Who a row of the grid is: only what the row shows and links by (200 model instances cost 4 ms)."""

    pk: int
    user_id: int
    full_name: str
    preferred_name: str


def _grid_people(cohort_id: int) -> list[tuple]:
    """(profile id, user id, full name, preferred name) of the cohort's artisans: 1 query, as SQL (for 200
    the ORM's values_list cost 1.6 ms, five times the database's answer)."""
    table, column = sql.names(ArtisanProfile, sql.read_alias(ArtisanProfile))
    query = (
        f"SELECT {column['id']}, {column['user']}, {column['full_name']}, {column['preferred_name']} "  # noqa: S608
        f"FROM {table} WHERE {column['cohort']} = %s"
    )
    return sql.fetch(ArtisanProfile, query, [cohort_id])


@dataclass
class GridRow:
    profile: GridPerson
    cells: list[Cell]
    standing: Standing  # the certificate rule's answer and what is left (certificates.rules.standing)

    @property
    def rate(self) -> Decimal | None:
        return self.standing.eligibility.attendance_rate

    @property
    def eligible(self) -> bool:
        return self.standing.eligibility.eligible

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else int((self.rate * 100).to_integral_value())

    @property
    def remaining(self) -> int:
        """How far from the certificate, to put the closest first: lessons, quizzes and sessions left, each one."""
        total = 0
        for item in self.standing.missing:
            if item.kind in (LESSONS, SESSIONS):
                total += item.count
            elif item.kind == SESSIONS_OUT_OF_REACH:
                total += 10_000  # no number of sessions is enough: last
            else:  # a quiz, a module without lessons
                total += 1
        return total


@dataclass
class Grid:
    modules: list[ModulePage]
    rows: list[GridRow]
    sessions: int
    threshold_percent: int
    ready: int  # how many may receive the constancia now


def cohort_grid(cohort: Cohort, *, ready_only: bool = False) -> Grid:
    """Artisans × modules (lessons done, quiz) with attendance and what each still needs, closest first.

    The cohort's programme decides the modules, the sessions that count and the threshold; what is
    left comes from the certificate rule (``certificates.rules.standings_of_many``, no queries of its own).
    Constant queries whatever the cohort size: profiles 1, sessions 1, the programme 1, progress 2
    (structure), lessons done per module 1, quiz outcomes and scores 2 (``progress.selectors.cohort_statuses``),
    attendance (rule, records) 2.
    ``ready_only``: only the women who may receive the constancia now.
    """
    profiles = sorted_by_name(  # as on the attendance list (core.text)
        [GridPerson(*row) for row in _grid_people(cohort.pk)],
        lambda profile: profile.preferred_name,
        lambda profile: profile.full_name,
    )
    user_ids = [profile.user_id for profile in profiles]
    programme = cohort.programme
    structure = programme_structure(programme=programme) if programme is not None else Structure([], {})
    statuses, scores = cohort_statuses(user_ids, structure=structure)
    rule = current_rule()
    tallies = attendance_tallies_by_programme(user_ids, rule=rule)
    programme_id = cohort.programme_id or 0
    mine = {user_id: tallies[user_id].get(programme_id) for user_id in user_ids}
    standings = (
        standings_of_many(statuses, mine, programme=programme, rule=rule)
        if programme is not None
        else {user_id: _no_programme(mine[user_id]) for user_id in user_ids}
    )
    rows = []
    for profile in profiles:
        user_id = profile.user_id
        cells = [
            Cell(status=status, score=score) for status, score in zip(statuses[user_id], scores[user_id], strict=True)
        ]
        rows.append(GridRow(profile=profile, cells=cells, standing=standings[user_id]))
    rows.sort(key=lambda row: row.remaining)  # stable: by name among equals
    ready = sum(1 for row in rows if row.eligible)
    if ready_only:
        rows = [row for row in rows if row.eligible]
    return Grid(
        modules=structure.modules,
        rows=rows,
        sessions=Session.objects.filter(cohort=cohort).count(),
        threshold_percent=100 if programme is None else int((threshold_of(programme) * 100).to_integral_value()),
        ready=ready,
    )


def _no_programme(tally) -> Standing:
    """A cohort without a programme earns nothing: its modules are missing (the programme is not ready)."""
    rate = tally.rate if tally is not None else None
    return Standing(
        eligibility=Eligibility(modules_complete=False, attendance_rate=rate, threshold=Decimal(1)),
        attended=tally.attended if tally is not None else 0,
        counted=tally.counted if tally is not None else 0,
        missing=(Missing(MODULES),),
    )


# Her sign-in, as the facilitator's list says it.
NO_PIN = "no_pin"
CAN_SIGN_IN = "ok"
PAUSED = "paused"  # 15 minutes after 5 wrong PINs in a row (people.services.artisan_pin_check)
HELD = "held"  # waits for her facilitator to unlock her


@dataclass
class ArtisanSignIn:
    """One artisan of her cohort with the state of her PIN and the wrong PINs since a person last unlocked her."""

    profile: ArtisanProfile
    state: str
    wrong: int = 0
    locked_until: datetime | None = None

    @property
    def locked(self) -> bool:
        return self.state in (PAUSED, HELD)


def sign_in_state(profile: ArtisanProfile, credential: PinCredential | None, *, now: datetime) -> ArtisanSignIn:
    if credential is None or not credential.pin_hash:
        return ArtisanSignIn(profile=profile, state=NO_PIN)
    if credential.held:
        return ArtisanSignIn(profile=profile, state=HELD, wrong=credential.wrong_since_unlock)
    if credential.locked_until and credential.locked_until > now:
        return ArtisanSignIn(
            profile=profile, state=PAUSED, wrong=credential.wrong_since_unlock, locked_until=credential.locked_until
        )
    return ArtisanSignIn(profile=profile, state=CAN_SIGN_IN, wrong=credential.wrong_since_unlock)


def cohort_artisans(cohort: Cohort) -> list[ArtisanSignIn]:
    """Her cohort's active artisans by name, each with her sign-in state: 2 queries for any cohort size."""
    profiles = sorted_by_name(
        ArtisanProfile.objects.filter(cohort=cohort, user__is_active=True).select_related("user"),
        lambda profile: profile.preferred_name,
        lambda profile: profile.full_name,
    )
    credentials = {c.user_id: c for c in PinCredential.objects.filter(user_id__in=[p.user_id for p in profiles])}
    now = timezone.now()
    return [sign_in_state(profile, credentials.get(profile.user_id), now=now) for profile in profiles]


def artisan_sign_in(profile: ArtisanProfile) -> ArtisanSignIn:
    """One artisan's sign-in state (her page in the workspace): 1 query."""
    return sign_in_state(profile, PinCredential.objects.filter(user_id=profile.user_id).first(), now=timezone.now())
