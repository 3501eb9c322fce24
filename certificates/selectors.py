"""Reads for certificates: by code (public), hers, a cohort's, and what a staff user may see."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db.models import QuerySet, Subquery

from core import sql
from core.text import sorted_by_name
from courses import cache as tree_cache
from courses.models import ProgrammePage
from people.models import ArtisanProfile, Cohort, User
from people.roles import AnyUser
from people.selectors import KEPT_SECONDS

from . import codes, permissions
from .models import Certificate, CohortBundle
from .rules import Eligibility, eligibility_for_users


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


def user_valid_certificate(user: User, programme_key: uuid.UUID | None = None) -> Certificate | None:
    """Her valid certificate of a programme (by translation key), else her latest valid one (1 query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    found = Certificate.objects.filter(user=user, status=Certificate.Status.VALID)
    if programme_key is not None:
        found = found.filter(programme_key=programme_key)
    return found.order_by("-issued_at").first()


# What the pages that list her certificates read of each (which programme; the rest loads if ever asked).
_BRIEF = ("id", "user", "programme_key", "programme", "status", "issued_at")
# Her valid certificates are kept in the shared cache, read with her account on each of her requests
# (people.backends.keep_along): Mi avance and the home page ask on every visit. A certificate saved or
# deleted drops the entry (``forget_valid_certificates``, wired in CertificatesConfig.ready; a reissue's
# ``QuerySet.update`` is followed by the new certificate's save, which drops it too); kept as long as her account
# (``people.selectors.KEPT_SECONDS``).


def valid_certificates_key(user_id: int) -> str:
    return f"certificates:valid:{user_id}"


def forget_valid_certificates(user_id: int | None) -> None:
    """Drop what is kept of her valid certificates (``courses.cache.forget_kept``)."""
    if user_id is not None:
        tree_cache.forget_kept([valid_certificates_key(user_id)])


def user_valid_certificates(user: User) -> list[Certificate]:
    """Her valid certificates, one per programme at most, oldest first, with their ``_BRIEF`` fields (another
    field read is loaded then, as the ORM's ``.only()`` does): what was read with her account in this
    request, else 1 query (then kept)."""
    if not getattr(user, "is_authenticated", False):
        return []
    alias = sql.read_alias(Certificate)

    def read() -> list[list]:
        # Written as SQL (most women have none yet): the ORM took three times as long to build this query as
        # to run it, and ``Certificate.objects.raw`` as long again.
        table, column = sql.names(Certificate, alias)
        query = (
            f"SELECT {sql.columns(Certificate, alias, 'c', _BRIEF)} FROM {table} c "  # noqa: S608
            f"WHERE c.{column['user']} = %s AND c.{column['status']} = %s "
            f"ORDER BY c.{column['issued_at']}, c.{column['id']}"
        )
        rows = sql.fetch(Certificate, query, [user.pk, Certificate.Status.VALID.value])
        return [sql.converted(Certificate, alias, row, _BRIEF) for row in rows]  # what is kept is what is read

    rows = tree_cache.kept_along(valid_certificates_key(user.pk), read, KEPT_SECONDS)
    return [Certificate.from_db(alias, sql.attnames(Certificate, alias, _BRIEF), row) for row in rows]


def certificate_for_download(user: AnyUser, pk: int) -> Certificate | None:
    """A certificate this user may download (certificates.permissions decides which), or None."""
    return permissions.downloadable_certificates(user).filter(pk=pk).first()


def cohort_valid_certificates(cohort: Cohort) -> QuerySet[Certificate]:
    """The cohort's valid certificates of its programme, in name order (for the ceremony bundle).

    The artisans currently in the cohort; a certificate of another programme (the workshops she
    took before this second phase) is not this cohort's.
    """
    if cohort.programme_id is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(
        user__artisan__cohort=cohort,
        programme_key=Subquery(ProgrammePage.objects.filter(pk=cohort.programme_id).values("translation_key")[:1]),
        status=Certificate.Status.VALID,
    ).order_by("printed_name", "pk")


def cohort_rows(cohort: Cohort) -> list[dict]:
    """Each artisan of a cohort with her latest certificate and whether she is eligible (constant queries)."""
    profiles = sorted_by_name(  # by full name as people read it (core.text), as on paper
        ArtisanProfile.objects.filter(cohort=cohort).select_related("user"), lambda profile: profile.full_name
    )
    user_ids = [profile.user_id for profile in profiles]
    programme = cohort.programme
    latest: dict[int, Certificate] = {}
    mine = Certificate.objects.filter(user_id__in=user_ids)
    mine = mine.filter(programme_key=programme.translation_key) if programme is not None else mine.none()
    for certificate in mine.order_by("issued_at", "pk"):
        # A valid certificate wins over older revoked or replaced ones.
        current = latest.get(certificate.user_id)
        if current is None or certificate.is_valid or not current.is_valid:
            latest[certificate.user_id] = certificate
    eligibility = eligibility_for_users(user_ids, programme=programme) if programme is not None else {}
    never = Eligibility(modules_complete=False, attendance_rate=None, threshold=Decimal(1))
    return [
        {
            "profile": profile,
            "certificate": latest.get(profile.user_id),
            "eligibility": eligibility.get(profile.user_id, never),
        }
        for profile in profiles
    ]


def latest_bundle(cohort: Cohort) -> CohortBundle | None:
    return CohortBundle.objects.filter(cohort=cohort).order_by("-requested_at").first()
