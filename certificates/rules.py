"""The certificate rule, in one place: when has an artisan earned the programme certificate?

She has earned it when every module of the programme is complete (its lessons
done and its quiz passed: decided by `progress.selectors`, never here) and her
attendance rate in her cohort's sessions (decided by `attendance.selectors`
with the attendance rule) reaches the threshold in CertificateSettings
(default 80%). No counted session yet means no attendance rate, so not yet.

The rule only decides (no writes): `newly_earned` says who has just earned it,
and `certificates.services.check_and_issue_many` issues. Nothing calls them
from the services that record: those announce what they recorded
(`core.events`) and `services.issue_earned_certificates`, subscribed in
`CertificatesConfig.ready`, runs once the recording has committed. The decision
is cheap when nothing changes: the progress selector's queries (5) while her
modules are not all complete, whatever the number of artisans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from attendance.selectors import attendance_rates
from courses.models import ProgrammePage
from courses.selectors import current_programme
from people.models import User
from progress.selectors import all_modules_complete, statuses_for_users

from .models import Certificate, CertificateSettings


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


def current_threshold() -> Decimal:
    """The minimum attendance rate as a fraction of 1 (80% → 0.80), from the site settings: 1 query."""
    return Decimal(CertificateSettings.current().attendance_threshold) / Decimal(100)


def meets_rule(module_statuses: Sequence, attendance_rate: Decimal | None, *, threshold: Decimal) -> bool:
    """The rule on data a caller already has (the cohort grid): no queries.

    `module_statuses` are `progress.selectors.ModuleStatus` objects; each one
    says itself whether its module is complete.
    """
    return Eligibility(
        modules_complete=all_modules_complete(module_statuses),
        attendance_rate=attendance_rate,
        threshold=threshold,
    ).eligible


def eligibility_for_users(users: Iterable[User | int]) -> dict[int, Eligibility]:
    """The rule for many artisans at once, in a constant number of queries (users or their ids)."""
    user_ids = _user_ids(users)
    if not user_ids:
        return {}
    threshold = current_threshold()
    statuses = statuses_for_users(user_ids)
    rates = attendance_rates(user_ids)
    return {
        user_id: Eligibility(
            modules_complete=all_modules_complete(statuses[user_id]),
            attendance_rate=rates.get(user_id),
            threshold=threshold,
        )
        for user_id in user_ids
    }


@dataclass(frozen=True)
class Earned:
    """Who has just earned the programme's certificate (and has none yet): what `newly_earned` decides."""

    programme: ProgrammePage | None
    user_ids: list[int]


def newly_earned(users: Iterable[User | int]) -> Earned:
    """Among `users`, the artisans who meet the rule and hold no certificate of the programme yet.

    The cheap, common answer first: after any lesson but her last, the progress
    selector (5 queries for any number of artisans) says her modules are not
    all complete, and nothing else is read. Then, for those complete: the
    programme, who already has a certificate, the threshold and attendance
    rates — a constant number of queries whatever their number.

    Any certificate of the programme (valid, revoked or replaced) means the
    rule has nothing more to say: a revoked certificate is a staff decision the
    rule does not override.
    """
    user_ids = list(dict.fromkeys(_user_ids(users)))
    if not user_ids:
        return Earned(programme=None, user_ids=[])
    statuses = statuses_for_users(user_ids)
    complete = [user_id for user_id in user_ids if all_modules_complete(statuses[user_id])]
    programme = current_programme() if complete else None
    if programme is None:
        return Earned(programme=None, user_ids=[])
    decided = set(
        Certificate.objects.filter(user_id__in=complete, programme_key=programme.translation_key).values_list(
            "user_id", flat=True
        )
    )
    undecided = [user_id for user_id in complete if user_id not in decided]
    if not undecided:
        return Earned(programme=programme, user_ids=[])
    threshold = current_threshold()
    rates = attendance_rates(undecided)
    eligible = {
        user_id
        for user_id in undecided
        if Eligibility(modules_complete=True, attendance_rate=rates.get(user_id), threshold=threshold).eligible
    }
    return Earned(programme=programme, user_ids=[user_id for user_id in undecided if user_id in eligible])
