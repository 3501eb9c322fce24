"""Reads for the programme dashboard: counts and rates, never names.

Every number comes from the other apps' selectors, so the dashboard and the screens
artisans and facilitators see can never disagree:

- module status and the funnel: ``progress.selectors.statuses_for_users`` (the module-complete rule);
- quiz scores: ``assessments.selectors.best_scores`` (which attempt counts is the quiz's rule);
- attendance: ``attendance.selectors.attendance_rates`` (the site's attendance rule);
- certificates: valid ``certificates.Certificate`` rows.

``build_dashboard`` runs a fixed number of queries whatever the number of artisans,
cohorts, lessons or records (pinned by tests/reports/test_dashboard.py); ``dashboard``
caches its result for a few minutes per language and filter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone, translation

from assessments.selectors import best_scores
from attendance.selectors import attendance_rates_by_programme
from certificates.models import Certificate
from courses.models import ProgrammePage
from courses.selectors import current_programme
from people.models import ArtisanProfile, Cohort, CommunityCentre
from progress.selectors import (
    COMPLETE,
    NOT_STARTED,
    Structure,
    all_modules_complete,
    programme_structure,
    statuses_for_users,
)

CACHE_SECONDS = 5 * 60
CACHE_VERSION = 2  # 2: one programme at a time (issue 18)


@dataclass
class CohortRow:
    id: int
    name: str
    artisans: int
    attendance_rate: float | None = None  # 0–1, the mean of the artisans' rates
    certificates: int = 0


@dataclass
class CentreRow:
    id: int
    name: str
    artisans: int = 0
    cohorts: list[CohortRow] = field(default_factory=list)


@dataclass
class ModuleRow:
    number: int
    title: str
    colour: str
    started: int = 0  # artisans with the module in progress or complete
    complete: int = 0
    quiz_average: float | None = None  # 0–100, mean of the counting scores
    quiz_takers: int = 0


@dataclass
class Dashboard:
    """Everything the dashboard and the admin-home panel show, ready to cache (plain values only)."""

    artisans: int
    centres: list[CentreRow]
    modules: list[ModuleRow]
    started: int  # finished at least one lesson
    programme_complete: int  # every module complete
    attendance_rate: float | None
    attendance_counted: int  # artisans with at least one counted session
    certificates: int
    generated_at: datetime
    programme_id: int | None = None  # the programme shown (one at a time: its modules, its rule)
    programme_title: str = ""

    @property
    def cohorts(self) -> list[tuple[CentreRow, CohortRow]]:
        return [(centre, cohort) for centre in self.centres for cohort in centre.cohorts]


def artisans_filtered(
    *, centre: CommunityCentre | None = None, cohort: Cohort | None = None, programme: ProgrammePage | None = None
) -> QuerySet[ArtisanProfile]:
    """Artisans of one cohort, of one centre, or all of them; of one programme's cohorts when given
    (her current cohort's programme)."""
    profiles = ArtisanProfile.objects.all()
    if cohort is not None:
        profiles = profiles.filter(cohort=cohort)
    elif centre is not None:
        profiles = profiles.filter(cohort__centre=centre)
    if programme is not None:
        profiles = profiles.filter(cohort__programme=programme)
    return profiles


def _mean(values: Iterable[float | Decimal | None]) -> float | None:
    numbers = [float(value) for value in values if value is not None]
    return sum(numbers) / len(numbers) if numbers else None


def dashboard_programme(
    *, programme: ProgrammePage | None = None, cohort: Cohort | None = None
) -> ProgrammePage | None:
    """The programme the dashboard shows: the one chosen, else the cohort's, else the first (1 query at most)."""
    if programme is not None:
        return programme
    if cohort is not None and cohort.programme_id:
        return cohort.programme
    return current_programme()


def build_dashboard(
    *,
    centre: CommunityCentre | None = None,
    cohort: Cohort | None = None,
    programme: ProgrammePage | None = None,
    language: str | None = None,
) -> Dashboard:
    """One programme's numbers (its cohorts, their artisans, its modules, its sessions, its certificates) in a
    fixed number of queries (12; 14 when shown in another language), whatever the number of programmes."""
    programme = dashboard_programme(programme=programme, cohort=cohort)
    found = Cohort.objects.select_related("centre").annotate(artisan_count=Count("artisans"))
    if cohort is not None:
        found = found.filter(pk=cohort.pk)
    elif centre is not None:
        found = found.filter(centre=centre)
    found = found.filter(programme=programme) if programme is not None else found.none()
    cohorts = list(found.order_by("centre__name", "name", "pk"))

    members = list(
        artisans_filtered(centre=centre, cohort=cohort, programme=programme).values_list("user_id", "cohort_id")
        if programme is not None
        else []
    )
    user_ids = [user_id for user_id, _cohort_id in members]
    cohort_of = dict(members)

    structure = (
        programme_structure(programme=programme, language=language) if programme is not None else Structure([], {})
    )
    statuses = statuses_for_users(user_ids, structure=structure)
    scores = best_scores(user_ids)
    by_programme = attendance_rates_by_programme(user_ids)
    rates = {user_id: by_programme[user_id].get(programme.pk if programme else 0) for user_id in user_ids}
    certified = Certificate.objects.filter(status=Certificate.Status.VALID, user_id__in=user_ids)
    certified = certified.filter(programme_key=programme.translation_key) if programme else certified.none()
    certificates_by_cohort = dict(
        certified.values("user__artisan__cohort")
        .annotate(n=Count("id"))
        .values_list("user__artisan__cohort", "n")
        .order_by()
    )

    modules = [
        ModuleRow(number=index, title=module.title, colour=getattr(module, "colour", "") or "#8E3B46")
        for index, module in enumerate(structure.modules, start=1)
    ]
    started = complete_all = 0
    for user_id in user_ids:
        user_statuses = statuses.get(user_id, [])
        if any(status.status != NOT_STARTED for status in user_statuses):
            started += 1
        if all_modules_complete(user_statuses):
            complete_all += 1
        for row, status in zip(modules, user_statuses, strict=False):
            if status.status != NOT_STARTED:
                row.started += 1
            if status.status == COMPLETE:
                row.complete += 1
    for row, module in zip(modules, structure.modules, strict=False):
        module_scores = [
            by_module[module.translation_key] for by_module in scores.values() if module.translation_key in by_module
        ]
        row.quiz_takers = len(module_scores)
        row.quiz_average = _mean(module_scores)

    rates_by_cohort: dict[int, list[Decimal]] = defaultdict(list)
    for user_id, rate in rates.items():
        if rate is not None:
            rates_by_cohort[cohort_of[user_id]].append(rate)

    centres: dict[int, CentreRow] = {}
    for item in cohorts:
        centre_row = centres.setdefault(item.centre_id, CentreRow(id=item.centre_id, name=item.centre.name))
        centre_row.artisans += item.artisan_count
        centre_row.cohorts.append(
            CohortRow(
                id=item.pk,
                name=item.name,
                artisans=item.artisan_count,
                attendance_rate=_mean(rates_by_cohort.get(item.pk, [])),
                certificates=certificates_by_cohort.get(item.pk, 0),
            )
        )
    counted_rates = [rate for rate in rates.values() if rate is not None]
    return Dashboard(
        artisans=len(user_ids),
        centres=list(centres.values()),
        modules=modules,
        started=started,
        programme_complete=complete_all,
        attendance_rate=_mean(counted_rates),
        attendance_counted=len(counted_rates),
        certificates=sum(certificates_by_cohort.values()),
        generated_at=timezone.now(),
        programme_id=programme.pk if programme is not None else None,
        programme_title=programme.title if programme is not None else "",
    )


def cache_key(
    *,
    centre: CommunityCentre | None = None,
    cohort: Cohort | None = None,
    programme: ProgrammePage | None = None,
    language: str | None = None,
) -> str:
    language = language or translation.get_language() or "es"
    return (
        f"reports:dashboard:v{CACHE_VERSION}:{language}:"
        f"{getattr(centre, 'pk', None) or 0}:{getattr(cohort, 'pk', None) or 0}:{getattr(programme, 'pk', None) or 0}"
    )


def dashboard(
    *,
    centre: CommunityCentre | None = None,
    cohort: Cohort | None = None,
    programme: ProgrammePage | None = None,
    language: str | None = None,
) -> Dashboard:
    """The dashboard, from the cache when it was built less than CACHE_SECONDS ago for the same filters.

    Staleness of a few minutes is the price of a page that costs one cache read; the
    "updated at" time on the page says how fresh it is.
    """
    key = cache_key(centre=centre, cohort=cohort, programme=programme, language=language)
    found = cache.get(key)
    if found is None:
        found = build_dashboard(centre=centre, cohort=cohort, programme=programme, language=language)
        cache.set(key, found, CACHE_SECONDS)
    return found
