"""Reads for the facilitator's workspace: the cohort grid, artisans × modules with attendance and eligibility.

The grid brings together what three apps decide — module status (`progress`),
attendance rate (`attendance`), the quiz score that counts (`assessments`) —
and the certificate rule (`certificates`), so it lives here, above all of
them, and decides nothing itself. Constant queries whatever the cohort size
(pinned by tests/workspace/test_grid.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assessments.selectors import best_scores
from attendance.models import Session
from attendance.selectors import attendance_rates
from certificates.rules import current_threshold, meets_rule
from core.text import sorted_by_name
from courses.models import ModulePage
from people.models import ArtisanProfile, Cohort
from progress.selectors import ModuleStatus, programme_structure, statuses_for_users


def certificate_eligibility(
    statuses: dict[int, list[ModuleStatus]], rates: dict[int, Decimal | None], *, threshold: Decimal | None = None
) -> dict[int, bool]:
    """Whether each artisan meets the certificate rule, from data the grid already has.

    The rule is the certificates app's (`certificates.rules.meets_rule`); only
    the threshold is read here (1 query, none when given).
    """
    threshold = current_threshold() if threshold is None else threshold
    return {
        user_id: meets_rule(module_statuses, rates.get(user_id), threshold=threshold)
        for user_id, module_statuses in statuses.items()
    }


@dataclass
class Cell:
    """One artisan in one module: lessons done, the quiz outcome and its counting score."""

    status: ModuleStatus
    score: int | None


@dataclass
class GridRow:
    profile: ArtisanProfile
    cells: list[Cell]
    rate: Decimal | None
    eligible: bool

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else int((self.rate * 100).to_integral_value())


@dataclass
class Grid:
    modules: list[ModulePage]
    rows: list[GridRow]
    sessions: int


def cohort_grid(cohort: Cohort) -> Grid:
    """Artisans × modules (lessons done, quiz) with attendance rate and eligibility.

    Constant queries whatever the cohort size: profiles 1, sessions 1,
    progress (structure, completions, quiz outcomes), quiz scores 2, rates 2,
    certificate threshold 1.
    """
    profiles = sorted_by_name(  # as on the attendance list (core.text)
        ArtisanProfile.objects.filter(cohort=cohort),
        lambda profile: profile.preferred_name,
        lambda profile: profile.full_name,
    )
    user_ids = [profile.user_id for profile in profiles]
    structure = programme_structure()
    statuses = statuses_for_users(user_ids, structure=structure)
    scores = best_scores(user_ids) if user_ids else {}
    rates = attendance_rates(user_ids)
    eligible = certificate_eligibility(statuses, rates)
    rows = [
        GridRow(
            profile=profile,
            cells=[
                Cell(status=status, score=scores.get(profile.user_id, {}).get(status.module.translation_key))
                for status in statuses[profile.user_id]
            ],
            rate=rates[profile.user_id],
            eligible=eligible[profile.user_id],
        )
        for profile in profiles
    ]
    return Grid(modules=structure.modules, rows=rows, sessions=Session.objects.filter(cohort=cohort).count())
