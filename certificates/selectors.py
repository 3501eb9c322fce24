"""Reads for certificates: by code (public), hers, a cohort's, and what a staff user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from people.models import ArtisanProfile, User
from people.roles import facilitator_cohorts, is_artisan, is_editor, is_facilitator

from . import codes
from .models import Certificate, CohortBundle
from .rules import eligibility_for_users


def certificate_by_code(raw_code: str | None) -> Certificate | None:
    """The certificate a typed or scanned code refers to (1 query), None for unknown or malformed codes."""
    code = codes.normalise(raw_code)
    if code is None:
        return None
    return (
        Certificate.objects.filter(code=code)
        .only("id", "code", "status", "printed_name", "programme_title", "issued_on", "revoked_at", "language")
        .first()
    )


def user_valid_certificate(user: User) -> Certificate | None:
    """Her valid certificate, if she has one (1 query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Certificate.objects.filter(user=user, status=Certificate.Status.VALID).order_by("-issued_at").first()


def certificates_visible_to(user: User) -> QuerySet[Certificate]:
    """Every certificate of the cohorts this staff user follows (all for editors and admins)."""
    certificates = Certificate.objects.select_related("user__artisan__cohort__centre")
    if is_editor(user):
        return certificates
    return certificates.filter(user__artisan__cohort__in=facilitator_cohorts(user))


def certificate_for_download(user: User, pk: int) -> Certificate | None:
    """A certificate this user may download: her own valid one, or any of her cohorts' for staff."""
    if is_artisan(user) and not (is_facilitator(user) or is_editor(user)):
        return Certificate.objects.filter(pk=pk, user=user, status=Certificate.Status.VALID).first()
    if is_facilitator(user) or is_editor(user):
        return certificates_visible_to(user).filter(pk=pk).first()
    return None


def cohort_valid_certificates(cohort) -> QuerySet[Certificate]:
    """The cohort's valid certificates in name order (for the ceremony bundle)."""
    return Certificate.objects.filter(user__artisan__cohort=cohort, status=Certificate.Status.VALID).order_by(
        "printed_name", "pk"
    )


def cohort_rows(cohort) -> list[dict]:
    """Each artisan of a cohort with her latest certificate and whether she is eligible (constant queries)."""
    profiles = list(ArtisanProfile.objects.filter(cohort=cohort).select_related("user").order_by("full_name", "pk"))
    user_ids = [profile.user_id for profile in profiles]
    latest: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(user_id__in=user_ids).order_by("issued_at", "pk"):
        # A valid certificate wins over older revoked or replaced ones.
        current = latest.get(certificate.user_id)
        if current is None or certificate.is_valid or not current.is_valid:
            latest[certificate.user_id] = certificate
    eligibility = eligibility_for_users(user_ids)
    return [
        {"profile": profile, "certificate": latest.get(profile.user_id), "eligibility": eligibility[profile.user_id]}
        for profile in profiles
    ]


def latest_bundle(cohort) -> CohortBundle | None:
    return CohortBundle.objects.filter(cohort=cohort).order_by("-requested_at").first()
