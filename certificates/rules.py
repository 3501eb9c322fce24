"""The certificate rule, in one place: when has an artisan earned the programme certificate?

She has earned it when every module of the programme is complete (its lessons
done and its quiz passed: decided by `progress.selectors`, never here) and her
attendance rate in her cohort's sessions (decided by `attendance.selectors`
with the attendance rule) reaches the threshold in CertificateSettings
(default 80%). No counted session yet means no attendance rate, so not yet.

`check_and_issue` is called at the end of the services that record a lesson
done, a quiz attempt or paper result, and attendance; it is idempotent and
cheap when nothing changes: the progress selector's queries (5) while her
modules are not all complete, 2 more once she holds a certificate.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from .models import Certificate, CertificateSettings

logger = logging.getLogger(__name__)


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


def _all_complete(module_statuses: Sequence) -> bool:
    """Every module complete, as each ModuleStatus says (progress.selectors decides), and at least one."""
    return bool(module_statuses) and all(status.is_complete for status in module_statuses)


def current_threshold() -> Decimal:
    """The minimum attendance rate as a fraction of 1 (80% → 0.80), from the site settings: 1 query."""
    return Decimal(CertificateSettings.current().attendance_threshold) / Decimal(100)


def meets_rule(module_statuses: Sequence, attendance_rate: Decimal | None, *, threshold: Decimal) -> bool:
    """The rule on data a caller already has (the cohort grid): no queries.

    `module_statuses` are `progress.selectors.ModuleStatus` objects; each one
    says itself whether its module is complete.
    """
    return Eligibility(
        modules_complete=_all_complete(module_statuses),
        attendance_rate=attendance_rate,
        threshold=threshold,
    ).eligible


def eligibility_for_users(users: Iterable) -> dict[int, Eligibility]:
    """The rule for many artisans at once, in a constant number of queries (users or their ids)."""
    from attendance.selectors import attendance_rates
    from progress.selectors import statuses_for_users

    user_ids = [user if isinstance(user, int) else user.pk for user in users]
    if not user_ids:
        return {}
    threshold = current_threshold()
    statuses = statuses_for_users(user_ids)
    rates = attendance_rates(user_ids)
    return {
        user_id: Eligibility(
            modules_complete=_all_complete(statuses[user_id]),
            attendance_rate=rates.get(user_id),
            threshold=threshold,
        )
        for user_id in user_ids
    }


def eligibility(user) -> Eligibility:
    """The rule for one artisan, through the progress and attendance selectors."""
    from attendance.selectors import attendance_rates
    from progress.selectors import programme_complete

    return Eligibility(
        modules_complete=programme_complete(user),
        attendance_rate=attendance_rates([user.pk]).get(user.pk),
        threshold=current_threshold(),
    )


def _issue(user, programme) -> Certificate | None:
    """Issue now; a failure is logged, never raised: recording her lesson, quiz or attendance must not fail.

    The next recorded event (or a manual issue) tries again; the rows were not written.
    """
    from .services import certificate_issue_auto

    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable whatever happens
            return certificate_issue_auto(user=user, programme=programme)
    except Exception:
        logger.exception("certificate for user %s could not be issued", user.pk)
        return None


def check_and_issue(*, user) -> Certificate | None:
    """Issue her certificate if she has just earned it; return her valid certificate, or None.

    None too while her modules are not all complete (the cheap answer, which
    most calls get). Idempotent: with a valid certificate already, nothing happens. A revoked
    certificate is a staff decision the rule does not override: only a manual
    issue gives her a new one. Not an artisan, or no programme: None.
    """
    from attendance.selectors import attendance_rates
    from people.roles import is_artisan
    from progress.selectors import programme_complete

    from .services import current_programme

    # The cheap, common answer first: after any lesson but her last, the progress check says no.
    if not is_artisan(user) or not programme_complete(user):
        return None
    programme = current_programme()
    if programme is None:
        return None
    existing = list(
        Certificate.objects.filter(user=user, programme_key=programme.translation_key).exclude(
            status=Certificate.Status.REPLACED
        )
    )
    if existing:
        return next((certificate for certificate in existing if certificate.is_valid), None)
    rate = attendance_rates([user.pk]).get(user.pk)
    if not Eligibility(modules_complete=True, attendance_rate=rate, threshold=current_threshold()).eligible:
        return None
    return _issue(user, programme)


def check_and_issue_many(*, users: Iterable) -> list[Certificate]:
    """`check_and_issue` for many artisans at once (a session's attendance, a sheet of paper results).

    A constant number of queries to decide, whatever their number; then one
    render per certificate actually issued. Returns the certificates issued now.
    """
    from people.models import User
    from people.roles import artisan_users

    from .services import current_programme

    user_ids = [user if isinstance(user, int) else user.pk for user in users]
    programme = current_programme()
    if not user_ids or programme is None:
        return []
    decided = set(
        Certificate.objects.filter(user_id__in=user_ids, programme_key=programme.translation_key).values_list(
            "user_id", flat=True
        )
    )
    candidates = list(
        artisan_users().filter(pk__in=[pk for pk in user_ids if pk not in decided]).values_list("pk", flat=True)
    )
    eligible = [pk for pk, result in eligibility_for_users(candidates).items() if result.eligible]
    issued = []
    for user in User.objects.filter(pk__in=eligible).select_related("artisan"):
        certificate = _issue(user, programme)
        if certificate is not None:
            issued.append(certificate)
    return issued
