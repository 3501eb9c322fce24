"""Writes for certificates: issue (automatic or by hand), revoke, reissue, ask for a PDF or a cohort bundle.

Every issue writes the row first, in a short transaction: the certificate is
valid and verifiable as soon as it commits. Its PDF is rendered afterwards,
outside any transaction, by a task enqueued once the row has committed
(`certificates.tasks`, `certificates.rendering`), so a slow or failing
WeasyPrint render never holds a lock nor undoes an issue: the PDF then stays
pending, for a retry. A certificate's PDF never changes once stored.
Correcting a certificate (a misspelt name) is a reissue: a new certificate
with a new code, and the old code then says "replaced".
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.events import QuizAttemptRecorded
from attendance.events import AttendanceSaved
from courses.models import ProgrammePage
from courses.selectors import titles_in_language
from people.models import Cohort, User
from people.roles import artisan_profile, artisan_users

from . import codes, tasks
from .models import Certificate, CohortBundle
from .rendering import bundle_fingerprint
from .rules import newly_earned
from .selectors import cohort_valid_certificates

logger = logging.getLogger(__name__)

MAX_CODE_ATTEMPTS = 5


class Recording(Protocol):
    """What every recording event the certificates listen to carries (core.events): whom it concerns."""

    @property
    def user_ids(self) -> tuple[int, ...]: ...


def _new_code() -> str:
    for _attempt in range(MAX_CODE_ATTEMPTS):
        code = codes.generate()
        if not Certificate.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not find an unused certificate code")  # 2^60 codes: never in practice


def _build(
    *,
    user: User,
    programme: ProgrammePage,
    issued_how: str,
    issued_by: User | None = None,
    reason: str = "",
    issued_on: date | None = None,
) -> Certificate:
    """An unsaved certificate with the snapshots taken now."""
    profile = artisan_profile(user)
    if profile is None:
        raise ValidationError(_("Only artisans receive certificates."))
    language = profile.interface_language
    key = programme.translation_key
    title = (
        programme.certificate_title.strip() or titles_in_language([key], language=language).get(key) or programme.title
    )
    certificate = Certificate(
        user=user,
        programme=programme,
        programme_key=programme.translation_key,
        programme_title=title,
        printed_name=profile.full_name.strip(),
        language=language,
        issued_on=issued_on or timezone.localdate(),
        issued_how=issued_how,
        issued_by=issued_by,
        reason=reason.strip(),
        code=_new_code(),
    )
    certificate.full_clean(exclude=["pdf"], validate_unique=False, validate_constraints=False)
    return certificate


def _render_after_commit(certificate: Certificate) -> None:
    """Queue the PDF render once the row has committed (never if it rolls back).

    Robust: a queue that cannot be reached leaves the PDF pending (a retry or a
    download renders it); it never undoes the certificate.
    """
    certificate_id = certificate.pk
    transaction.on_commit(lambda: tasks.render_certificate_pdf.enqueue(certificate_id=certificate_id), robust=True)


def _insert(certificate: Certificate) -> Certificate:
    """Save a new certificate (its PDF pending) and queue its render after commit."""
    with transaction.atomic():
        certificate.save()
        _render_after_commit(certificate)
    return certificate


def valid_certificate(user: User, programme_key: uuid.UUID) -> Certificate | None:
    return Certificate.objects.filter(user=user, programme_key=programme_key, status=Certificate.Status.VALID).first()


def certificate_issue_auto(*, user: User, programme: ProgrammePage) -> Certificate:
    """Issue because the rule says she has earned it (called by `check_and_issue_many` only).

    Two requests finishing her last lesson at once cannot both issue: the
    database allows one valid certificate per artisan and programme, and the
    loser returns the winner's certificate.
    """
    certificate = _build(user=user, programme=programme, issued_how=Certificate.IssuedHow.AUTO)
    try:
        return _insert(certificate)
    except IntegrityError:
        existing = valid_certificate(user, programme.translation_key)
        if existing is None:
            raise
        return existing


def _her_programme(user: User) -> ProgrammePage | None:
    """The programme of her current cohort (1 query), when a caller names none."""
    profile = artisan_profile(user)
    if profile is None:
        return None
    programme = ProgrammePage.objects.filter(cohorts__pk=profile.cohort_id, live=True).first()
    return programme


def certificate_issue_manual(
    *, user: User, issued_by: User | None, reason: str, programme: ProgrammePage | None = None
) -> Certificate:
    """Issue by hand (an exception: a facilitator or admin writes why). Permission is the caller's check.

    Without ``programme``, the programme of her current cohort."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why this certificate is issued by hand.")})
    programme = programme or _her_programme(user)
    if programme is None:
        raise ValidationError(_("There is no published programme to certify."))
    if valid_certificate(user, programme.translation_key) is not None:
        raise ValidationError(_("She already has a valid certificate for this programme."))
    certificate = _build(
        user=user, programme=programme, issued_how=Certificate.IssuedHow.MANUAL, issued_by=issued_by, reason=reason
    )
    try:
        return _insert(certificate)
    except IntegrityError:
        raise ValidationError(_("She already has a valid certificate for this programme."))


def _issue(user: User, programme: ProgrammePage) -> Certificate | None:
    """Issue now; a failure is logged, never raised, so the other artisans of the same event still get theirs.

    The recording is already committed (the rule runs after it); the next
    recorded event that may earn it (``who_may_earn``) or a manual issue tries again.
    """
    try:
        return certificate_issue_auto(user=user, programme=programme)
    except Exception:
        logger.exception("certificate for user %s could not be issued", user.pk)
        return None


def check_and_issue_many(*, users: Iterable[User | int]) -> list[Certificate]:
    """Issue the certificate of every artisan among `users` who has just earned it; return those issued now.

    The decision is the rule's (`rules.newly_earned`: constant queries, 6 when
    nobody is complete), per programme she is enrolled in; then one short write
    per certificate earned, its PDF rendered later, after the row commits.
    Idempotent: an artisan with any certificate of a programme is left alone for
    it; users who are not artisans get nothing.
    """
    earned = newly_earned(users)
    if not earned:
        return []
    artisans = {
        user.pk: user
        for user in artisan_users()
        .filter(pk__in={user_id for item in earned for user_id in item.user_ids})
        .select_related("artisan")
    }
    issued = []
    for item in earned:
        for user_id in item.user_ids:
            user = artisans.get(user_id)
            certificate = _issue(user, item.programme) if user is not None else None
            if certificate is not None:
                issued.append(certificate)
    return issued


def who_may_earn(event: Recording) -> tuple[int, ...]:
    """Whom this recording could have earned a certificate: only for them is the rule asked (its queries).

    A quiz attempt that did not pass completes no module, whichever attempt counts (highest,
    latest or first): adding a failed attempt never makes a passed one count; nor does a pass where the
    module's quiz already counted as passed (``newly_passed``) complete anything new. An attendance list
    saved raises only some rates, if any (``AttendanceRule.may_raise``: a correction from present
    to late, or to absent, raises none). Every other recording may, for everyone it names (a lesson,
    paper scores, an attendance import, a roster import).
    """
    if isinstance(event, QuizAttemptRecorded) and not (event.passed and event.newly_passed):
        return ()
    if isinstance(event, AttendanceSaved):
        return event.raised
    return tuple(event.user_ids)


def issue_earned_certificates(event: Recording) -> None:
    """The certificates' one subscriber (see `CertificatesConfig.ready`): runs after a recording commits.

    Every event it listens to carries the `user_ids` it concerns: a lesson done
    or a quiz attempt (one artisan), paper results, an attendance list or import,
    a roster import (many). The rule is asked for those it may have earned one (``who_may_earn``).
    """
    users = who_may_earn(event)
    if users:
        check_and_issue_many(users=users)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Withdraw a valid certificate; its code then says "revoked". Revoking it again changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why this certificate is revoked.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        return certificate
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be revoked."))
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.revoked_by = by
    certificate.save(update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"])
    return certificate


def certificate_reissue(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Replace a valid certificate with a new one (new code, name and titles taken again, same issue date).

    The old row stays, marked "replaced" and pointing to its successor, so the
    old paper still verifies as replaced rather than unknown. Reissuing a
    certificate that was already replaced returns its successor.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why this certificate is reissued.")})
    certificate = Certificate.objects.select_related("programme").get(pk=certificate.pk)
    successor = certificate.replaced_by if certificate.replaced_by_id else None
    if certificate.status == Certificate.Status.REPLACED and successor is not None:
        return successor
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be reissued."))
    programme = certificate.programme or _her_programme(certificate.user)
    if programme is None:
        raise ValidationError(_("There is no published programme to certify."))
    new = _build(
        user=certificate.user,
        programme=programme,
        issued_how=Certificate.IssuedHow.REISSUE,
        issued_by=by,
        reason=reason,
        issued_on=certificate.issued_on,
    )
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status != Certificate.Status.VALID:
            raise ValidationError(_("Only a valid certificate can be reissued."))
        # The old one stops being valid before the new one is, so the one-valid constraint always holds.
        Certificate.objects.filter(pk=old.pk).update(status=Certificate.Status.REPLACED)
        new.save()
        Certificate.objects.filter(pk=old.pk).update(replaced_by=new)
        _render_after_commit(new)
    return new


def certificate_pdf_retry(*, certificate: Certificate) -> None:
    """Queue the render of a PDF that is pending or failed (the admin's "try again"); a ready one is left alone.

    The render itself (`rendering.certificate_pdf_render`) is idempotent, so a
    double click queues two renders that store one file.
    """
    if certificate.pdf_ready:
        return
    _render_after_commit(certificate)


# --- Cohort bundles ---------------------------------------------------------


def bundle_request(*, cohort: Cohort, by: User) -> CohortBundle:
    """Ask for the combined PDF of a cohort's valid certificates, built in the background.

    Asking again while the same certificates are being prepared, or are ready,
    returns that bundle instead of building another (a double tap is harmless).
    """
    certificates = list(cohort_valid_certificates(cohort))
    if not certificates:
        raise ValidationError(_("No artisan of this cohort has a valid certificate yet."))
    fingerprint = bundle_fingerprint(certificates)
    with transaction.atomic():
        existing = (
            CohortBundle.objects.filter(
                cohort=cohort,
                fingerprint=fingerprint,
                status__in=[CohortBundle.Status.PENDING, CohortBundle.Status.READY],
            )
            .order_by("-requested_at")
            .first()
        )
        if existing is not None and (existing.status == CohortBundle.Status.READY or not _stale(existing)):
            return existing
        bundle = CohortBundle.objects.create(
            cohort=cohort, requested_by=by, fingerprint=fingerprint, certificate_count=len(certificates)
        )
    # Immediate in tests and development; the database queue (db_worker) in production.
    tasks.build_cohort_bundle.enqueue(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    return bundle


def _stale(bundle: CohortBundle) -> bool:
    """A bundle pending for more than an hour was lost (a worker died): build a new one."""
    return (timezone.now() - bundle.requested_at).total_seconds() > 3600
