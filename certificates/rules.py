"""The certificate rule, in one place: when has an artisan earned a programme's certificate?

Telar hosts several programmes; each has its own rule on its page (``courses.ProgrammePage``).
She has earned a programme's certificate when she is enrolled in it (a cohort of hers takes it:
``people.selectors.programme_enrolments``), every module of THAT programme that counts for the
certificate is complete (its lessons done and its quiz passed: decided by `progress.selectors`,
never here) and her attendance rate in the sessions of her cohort(s) in that programme (decided
by `attendance.selectors` with the attendance rule) reaches that programme's threshold (default
80%). No counted session yet means no attendance rate, so not yet. One certificate per artisan
and programme (translation key): the database says so.

The rule only decides (no writes): `newly_earned` says who has just earned which certificate,
and `certificates.services.check_and_issue_many` issues. Nothing calls them from the services
that record: those announce what they recorded (`core.events`) and
`services.issue_earned_certificates`, subscribed in `CertificatesConfig.ready`, runs once the
recording has committed. The decision is cheap when nothing changes: 6 queries (her programmes,
their structure, completions, quizzes) while no programme of hers is complete, whatever the
number of artisans and programmes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from attendance.rules import AttendanceRule, current_rule
from attendance.selectors import AttendanceTally, attendance_rates_by_programme, attendance_tallies_by_programme
from courses.models import ProgrammePage
from people.models import User
from people.selectors import programme_enrolments
from progress.selectors import Overview, all_modules_complete, programme_structures, statuses_by_programme

from .models import Certificate


@dataclass(frozen=True)
class Eligibility:
    modules_complete: bool
    attendance_rate: Decimal | None  # a fraction of 1, None before any counted session
    threshold: Decimal  # a fraction of 1

    @property
    def attendance_ok(self) -> bool:
        return self.attendance_rate is not None and self.attendance_rate >= self.threshold

    @property
    def attendance_percent(self) -> int | None:
        if self.attendance_rate is None:
            return None
        return int((self.attendance_rate * 100).to_integral_value())

    @property
    def eligible(self) -> bool:
        return self.modules_complete and self.attendance_ok


def _user_ids(users: Iterable[User | int]) -> list[int]:
    return [user if isinstance(user, int) else user.pk for user in users]


def threshold_of(programme: ProgrammePage) -> Decimal:
    """A programme's minimum attendance rate as a fraction of 1 (80% → 0.80): no queries."""
    return Decimal(programme.attendance_threshold) / Decimal(100)


def meets_rule(module_statuses: Sequence, attendance_rate: Decimal | None, *, threshold: Decimal) -> bool:
    """The rule on data a caller already has (the cohort grid): no queries.

    `module_statuses` are `progress.selectors.ModuleStatus` objects of one programme; each one
    says itself whether its module is complete and whether it counts.
    """
    return Eligibility(
        modules_complete=all_modules_complete(module_statuses),
        attendance_rate=attendance_rate,
        threshold=threshold,
    ).eligible


def eligibility_by_programme(users: Iterable[User | int]) -> dict[int, dict[int, Eligibility]]:
    """The rule for many artisans in every programme each is enrolled in (user id → programme page id →
    Eligibility): a constant number of queries whatever the number of artisans and programmes."""
    user_ids = list(dict.fromkeys(_user_ids(users)))
    if not user_ids:
        return {}
    enrolments = programme_enrolments(user_ids)
    programmes = {pk: entry.programme for mine in enrolments.values() for pk, entry in mine.items()}
    structures = programme_structures(list(programmes.values()))
    statuses = statuses_by_programme(user_ids, structures)
    rates = attendance_rates_by_programme(user_ids)
    return {
        user_id: {
            pk: Eligibility(
                modules_complete=all_modules_complete(statuses[user_id][pk]),
                attendance_rate=rates[user_id].get(pk),
                threshold=threshold_of(programmes[pk]),
            )
            for pk in enrolments.get(user_id, {})
        }
        for user_id in user_ids
    }


def eligibility_for_users(users: Iterable[User | int], *, programme: ProgrammePage) -> dict[int, Eligibility]:
    """The rule in one programme for many artisans at once (a cohort's page), in constant queries.

    Every user gets an answer; one not enrolled in the programme has her modules and attendance
    in it read all the same (the cohort page lists the cohort's artisans, all enrolled).
    """
    user_ids = list(dict.fromkeys(_user_ids(users)))
    if not user_ids:
        return {}
    structures = programme_structures([programme])
    statuses = statuses_by_programme(user_ids, structures)
    rates = attendance_rates_by_programme(user_ids)
    threshold = threshold_of(programme)
    return {
        user_id: Eligibility(
            modules_complete=all_modules_complete(statuses[user_id].get(programme.pk, [])),
            attendance_rate=rates[user_id].get(programme.pk),
            threshold=threshold,
        )
        for user_id in user_ids
    }


@dataclass(frozen=True)
class Earned:
    """Who has just earned one programme's certificate (and has none of it yet): what `newly_earned` decides."""

    programme: ProgrammePage
    user_ids: list[int]


def newly_earned(users: Iterable[User | int]) -> list[Earned]:
    """Among `users`, per programme, the artisans who meet its rule and hold no certificate of it yet.

    The cheap, common answer first: after any lesson but her last, her programmes and the
    progress selector (6 queries for any number of artisans and programmes) say no programme of
    hers is complete, and nothing else is read. Then, for the pairs complete: who already has a
    certificate of which programme and the attendance rates per programme — a constant number of
    queries whatever their number.

    Any certificate of the programme (valid, revoked or replaced) means the rule has nothing
    more to say for it: a revoked certificate is a staff decision the rule does not override.
    Programmes come out in page order, each with its artisans in the order given.
    """
    user_ids = list(dict.fromkeys(_user_ids(users)))
    if not user_ids:
        return []
    enrolments = programme_enrolments(user_ids)
    if not enrolments:
        return []
    programmes = {pk: entry.programme for mine in enrolments.values() for pk, entry in mine.items()}
    structures = programme_structures(list(programmes.values()))
    statuses = statuses_by_programme(list(enrolments), structures)
    complete = [
        (user_id, pk)
        for user_id in user_ids
        for pk in enrolments.get(user_id, {})
        if all_modules_complete(statuses[user_id][pk])
    ]
    if not complete:
        return []
    keys = {programmes[pk].translation_key: pk for _user, pk in complete}
    decided = {
        (user_id, keys[key])
        for user_id, key in Certificate.objects.filter(
            user_id__in={user_id for user_id, _pk in complete}, programme_key__in=list(keys)
        ).values_list("user_id", "programme_key")
    }
    undecided = [pair for pair in complete if pair not in decided]
    if not undecided:
        return []
    rates = attendance_rates_by_programme({user_id for user_id, _pk in undecided})
    earned: dict[int, list[int]] = {}
    for user_id, pk in undecided:
        eligibility = Eligibility(
            modules_complete=True, attendance_rate=rates[user_id].get(pk), threshold=threshold_of(programmes[pk])
        )
        if eligibility.eligible:
            earned.setdefault(pk, []).append(user_id)
    ordered = sorted(earned, key=lambda pk: programmes[pk].path)
    return [Earned(programme=programmes[pk], user_ids=earned[pk]) for pk in ordered]


# What is left for a certificate: the rule's "no", said item by item (Mi avance, the home page).
LESSONS = "lessons"  # finish `count` more lessons of `module`
QUIZ = "quiz"  # pass the quiz of `module`
MODULES = "modules"  # a counted module is not complete for another reason (no lessons published yet)
SESSIONS = "sessions"  # attend `count` more sessions
SESSIONS_OUT_OF_REACH = "sessions_out_of_reach"  # no number of sessions reaches the threshold any more


@dataclass(frozen=True)
class Missing:
    kind: str
    count: int = 0
    module: object | None = None  # a ModulePage in the display language


@dataclass(frozen=True)
class Standing:
    """Where she stands for one programme's certificate: the rule's answer, her attendance as it counts, and
    what is left. ``missing`` is empty exactly when ``eligibility.eligible`` (pinned by tests)."""

    eligibility: Eligibility
    attended: int
    counted: int
    missing: tuple[Missing, ...]

    @property
    def threshold_percent(self) -> int:
        return int((self.eligibility.threshold * 100).to_integral_value())


def standing(
    module_statuses: Sequence, tally: AttendanceTally | None, *, programme: ProgrammePage, rule: AttendanceRule
) -> Standing:
    """The rule on data a caller already has (her overview's statuses, her attendance tally): no queries.

    Each counted module that is not complete says what it lacks (lessons, its quiz); attendance below the
    programme's threshold says how many more sessions she must attend, asked of the attendance rule
    (``AttendanceRule.sessions_to_reach``) so that the number can never disagree with the rate.
    """
    threshold = threshold_of(programme)
    return _standing(module_statuses, tally, threshold, lambda counts: rule.sessions_to_reach(counts, threshold))


def standings_of_many(
    statuses: Mapping[int, Sequence],
    tallies: Mapping[int, AttendanceTally | None],
    *,
    programme: ProgrammePage,
    rule: AttendanceRule,
) -> dict[int, Standing]:
    """``standing`` for many artisans of one programme at once (the cohort grid: user id → Standing), on the
    statuses and tallies the caller has: no queries. The same core as ``standing``; the threshold is read
    once and the sessions still needed are asked of the attendance rule once per distinct attendance."""
    threshold = threshold_of(programme)
    asked: dict[tuple, int | None] = {}

    def sessions_to_reach(counts: Mapping[str, int]) -> int | None:
        key = tuple(sorted(counts.items()))
        if key not in asked:
            asked[key] = rule.sessions_to_reach(counts, threshold)
        return asked[key]

    return {
        user_id: _standing(module_statuses, tallies.get(user_id), threshold, sessions_to_reach)
        for user_id, module_statuses in statuses.items()
    }


def _standing(
    module_statuses: Sequence,
    tally: AttendanceTally | None,
    threshold: Decimal,
    sessions_to_reach: Callable[[Mapping[str, int]], int | None],
) -> Standing:
    """The one core of ``standing`` and ``standings_of_many``."""
    eligibility = Eligibility(
        modules_complete=all_modules_complete(module_statuses),
        attendance_rate=tally.rate if tally is not None else None,
        threshold=threshold,
    )
    missing: list[Missing] = []
    for status in module_statuses:
        if not status.counts or status.is_complete:
            continue
        before = len(missing)
        if status.lessons_left:
            missing.append(Missing(LESSONS, count=status.lessons_left, module=status.module))
        if status.quiz_passed is False:
            missing.append(Missing(QUIZ, module=status.module))
        if len(missing) == before:
            missing.append(Missing(MODULES, module=status.module))
    if not eligibility.modules_complete and not missing:  # no module counts: the programme is not ready
        missing.append(Missing(MODULES))
    if not eligibility.attendance_ok:
        more = sessions_to_reach(tally.counts if tally is not None else {})
        missing.append(Missing(SESSIONS, count=more) if more else Missing(SESSIONS_OUT_OF_REACH))
    return Standing(
        eligibility=eligibility,
        attended=tally.attended if tally is not None else 0,
        counted=tally.counted if tally is not None else 0,
        missing=tuple(missing),
    )


def standings(user: User | int, overviews: Sequence[Overview]) -> dict[int, Standing]:
    """Where she stands in each of her programmes (programme page id → Standing), from the overviews the
    page already read (``progress.selectors.programme_overviews``) plus her attendance: 2 queries for any
    number of programmes, modules and sessions."""
    user_id = user if isinstance(user, int) else user.pk
    mine = [(overview.programme, overview.statuses) for overview in overviews if overview.programme is not None]
    if not mine:
        return {}
    rule = current_rule()
    tallies = attendance_tallies_by_programme([user_id], rule=rule)[user_id]
    return {
        programme.pk: standing(statuses, tallies.get(programme.pk), programme=programme, rule=rule)
        for programme, statuses in mine
    }
