"""Writes for certificates: issue (automatic or by hand), revoke, reissue, store the PDF, cohort bundles.

The PDF is rendered before the row is written, so no transaction is held open
while WeasyPrint works, and it is rendered once: a certificate's PDF never
changes. Correcting a certificate (a misspelt name) is a reissue: a new
certificate with a new code, and the old code then says "replaced".
"""

from __future__ import annotations

import hashlib
import io
import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import titles_in_language
from people.roles import artisan_profile

from . import codes
from .models import Certificate, CertificateSettings, CohortBundle

logger = logging.getLogger(__name__)

MAX_CODE_ATTEMPTS = 5


def current_programme():
    """The programme artisans take: the live programme page of the default language.

    Telar runs one programme (progress selectors count the modules of the
    default-language tree); a certificate refers to it by translation key.
    """
    from courses.models import ProgrammePage

    return (
        ProgrammePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .only("id", "title", "translation_key")
        .order_by("path")
        .first()
    )


def _new_code() -> str:
    for _attempt in range(MAX_CODE_ATTEMPTS):
        code = codes.generate()
        if not Certificate.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not find an unused certificate code")  # 2^60 codes: never in practice


def _build(*, user, programme, issued_how: str, issued_by=None, reason: str = "", issued_on: date | None = None):
    """An unsaved certificate with the snapshots taken now."""
    profile = artisan_profile(user)
    if profile is None:
        raise ValidationError(_("Only artisans receive certificates."))
    supported = {code for code, _name in settings.LANGUAGES}
    language = profile.preferred_language if profile.preferred_language in supported else settings.LANGUAGE_CODE
    key = programme.translation_key
    title = titles_in_language([key], language=language).get(key, programme.title)
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


def _attach_pdf(certificate: Certificate, template: CertificateSettings | None = None) -> None:
    """Render and put the PDF in storage; the row is saved by the caller."""
    from .pdf import render_pdf

    data = render_pdf(certificate, template=template)
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(data), save=False)


def _insert(certificate: Certificate) -> Certificate:
    """Save a new certificate and its PDF; the file is removed again if the row cannot be written."""
    _attach_pdf(certificate)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        certificate.pdf.delete(save=False)
        raise
    return certificate


def valid_certificate(user, programme_key) -> Certificate | None:
    return Certificate.objects.filter(user=user, programme_key=programme_key, status=Certificate.Status.VALID).first()


def certificate_issue_auto(*, user, programme) -> Certificate:
    """Issue because the rule says she has earned it (called by `rules.check_and_issue` only).

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


def certificate_issue_manual(*, user, issued_by, reason: str, programme=None) -> Certificate:
    """Issue by hand (an exception: a facilitator or admin writes why). Permission is the caller's check."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why this certificate is issued by hand.")})
    programme = programme or current_programme()
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


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
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


def certificate_reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Replace a valid certificate with a new one (new code, name and titles taken again, same issue date).

    The old row stays, marked "replaced" and pointing to its successor, so the
    old paper still verifies as replaced rather than unknown. Reissuing a
    certificate that was already replaced returns its successor.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why this certificate is reissued.")})
    certificate = Certificate.objects.select_related("programme").get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REPLACED and certificate.replaced_by_id:
        return certificate.replaced_by
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be reissued."))
    programme = certificate.programme or current_programme()
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
    _attach_pdf(new)
    try:
        with transaction.atomic():
            old = Certificate.objects.select_for_update().get(pk=certificate.pk)
            if old.status != Certificate.Status.VALID:
                raise ValidationError(_("Only a valid certificate can be reissued."))
            # The old one stops being valid before the new one is, so the one-valid constraint always holds.
            Certificate.objects.filter(pk=old.pk).update(status=Certificate.Status.REPLACED)
            new.save()
            Certificate.objects.filter(pk=old.pk).update(replaced_by=new)
    except Exception:
        new.pdf.delete(save=False)
        raise
    return new


def ensure_pdf(certificate: Certificate) -> Certificate:
    """The stored PDF, rendered now only if it was never stored or has been lost from storage."""
    if certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name):
        return certificate
    logger.warning("certificate %s had no stored PDF: rendering it", certificate.pk)
    _attach_pdf(certificate)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return certificate


# --- Cohort bundles ---------------------------------------------------------


def _fingerprint(certificates) -> str:
    raw = ",".join(f"{c.pk}:{c.code}" for c in certificates)
    return hashlib.sha256(raw.encode()).hexdigest()


def bundle_request(*, cohort, by) -> CohortBundle:
    """Ask for the combined PDF of a cohort's valid certificates, built in the background.

    Asking again while the same certificates are being prepared, or are ready,
    returns that bundle instead of building another (a double tap is harmless).
    """
    from .selectors import cohort_valid_certificates
    from .tasks import build_cohort_bundle

    certificates = list(cohort_valid_certificates(cohort))
    if not certificates:
        raise ValidationError(_("No artisan of this cohort has a valid certificate yet."))
    fingerprint = _fingerprint(certificates)
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
    build_cohort_bundle.enqueue(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    return bundle


def _stale(bundle: CohortBundle) -> bool:
    """A bundle pending for more than an hour was lost (a worker died): build a new one."""
    return (timezone.now() - bundle.requested_at).total_seconds() > 3600


def bundle_build(*, bundle_id: int) -> CohortBundle:
    """Join the stored PDFs of the cohort's valid certificates into one file (pages in name order)."""
    from pypdf import PdfWriter

    from .selectors import cohort_valid_certificates

    bundle = CohortBundle.objects.select_related("cohort").get(pk=bundle_id)
    if bundle.status == CohortBundle.Status.READY:
        return bundle
    try:
        certificates = list(cohort_valid_certificates(bundle.cohort))
        writer = PdfWriter()
        for certificate in certificates:
            ensure_pdf(certificate)
            with certificate.pdf.open("rb") as handle:
                writer.append(io.BytesIO(handle.read()))
        writer.add_metadata({"/Title": str(bundle.cohort)})
        if hasattr(writer, "compress_identical_objects"):
            writer.compress_identical_objects()
        output = io.BytesIO()
        writer.write(output)
        bundle.pdf.save(f"bundle-{bundle.pk}.pdf", ContentFile(output.getvalue()), save=False)
        bundle.certificate_count = len(certificates)
        bundle.fingerprint = _fingerprint(certificates)
        bundle.status = CohortBundle.Status.READY
    except Exception:
        logger.exception("cohort bundle %s failed", bundle_id)
        bundle.status = CohortBundle.Status.FAILED
    bundle.finished_at = timezone.now()
    bundle.save(update_fields=["pdf", "certificate_count", "fingerprint", "status", "finished_at"])
    return bundle
