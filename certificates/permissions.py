"""Who may see which certificates: the one policy the views, the admin viewset and the selectors ask.

- An **artisan** sees her own valid certificate (to download it).
- A **facilitator** sees the certificates of the cohorts she facilitates, and may issue by hand
  for their artisans.
- **Programme staff and admins** (``sees_every_cohort``: ``reports.manage_personal_data``) see every
  certificate. **Editors** (course content) see none.
- Any other staff user — even one granted the certificate model's permissions in the Wagtail
  admin — sees none: a permission to open the screen is not a reason to see names.

Who follows every cohort is decided once, in ``people.permissions.sees_every_cohort`` (issue #14:
editors see no personal data at all).
"""

from __future__ import annotations

from django.db.models import QuerySet

from people import permissions as people_permissions
from people.models import ArtisanProfile, Cohort
from people.permissions import facilitator_cohorts
from people.roles import AnyUser, is_artisan, is_facilitator

from .models import Certificate


def sees_every_cohort(user: AnyUser | None) -> bool:
    """Programme staff and admins follow every cohort's certificates (``people.permissions``); editors none."""
    return people_permissions.sees_every_cohort(user)


def is_certificate_staff(user: AnyUser | None) -> bool:
    """Staff who see some cohorts' certificates (facilitators, editors, admins)."""
    return is_facilitator(user) or sees_every_cohort(user)


def certificate_cohorts(user: AnyUser | None) -> QuerySet[Cohort]:
    """The cohorts whose certificates this user follows: every cohort, hers, or none."""
    if sees_every_cohort(user):
        return Cohort.objects.select_related("centre").all()
    if is_facilitator(user):
        return facilitator_cohorts(user)
    return Cohort.objects.none()


def visible_certificates(user: AnyUser | None) -> QuerySet[Certificate]:
    """Every certificate this staff user may see (with her artisan, cohort and centre joined)."""
    certificates = Certificate.objects.select_related("user__artisan__cohort__centre")
    if sees_every_cohort(user):
        return certificates
    if is_facilitator(user):
        return certificates.filter(user__artisan__cohort__in=certificate_cohorts(user))
    return certificates.none()


def downloadable_certificates(user: AnyUser | None) -> QuerySet[Certificate]:
    """Her own valid certificate for an artisan; what ``visible_certificates`` allows for staff; none otherwise."""
    if is_certificate_staff(user):
        return visible_certificates(user)
    if is_artisan(user):
        return Certificate.objects.filter(user=user, status=Certificate.Status.VALID)
    return Certificate.objects.none()


def issuable_profiles(user: AnyUser | None) -> QuerySet[ArtisanProfile]:
    """The artisans this user may issue a certificate to by hand (those of the cohorts she follows)."""
    profiles = ArtisanProfile.objects.select_related("cohort__centre")
    if sees_every_cohort(user):
        return profiles
    return profiles.filter(cohort__in=certificate_cohorts(user))
