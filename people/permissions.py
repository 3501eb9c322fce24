"""Who may see and do what with people's personal data: the one policy every screen asks.

Roles are who someone is (``people.roles``); this module is what each role may reach:

============================  ===================================================================
role                          personal data (names, attendance, scores, certificates, files)
============================  ===================================================================
artisan                       her own only (her progress, attempts, certificate)
facilitator                   the artisans of the cohorts she facilitates (``Cohort.facilitators``)
programme staff               every cohort: ``reports.manage_personal_data``
editor                        none at all: editors edit course content (pages, quizzes, images)
admin (superuser)             everything (she has every permission)
============================  ===================================================================

The facilitator pages, the cohort grid, the attendance sheets and spreadsheets, the paper results,
the cohorts' certificate pages, certificate PDFs and bundles all ask ``followed_cohorts`` (through
``facilitator_required`` and ``attendance.access``/``certificates.permissions``); the admin's artisan
screens ask ``managed_cohorts``/``can_manage_artisan``. The generated role × URL matrix
(tests/lms/test_url_matrix.py) pins the result for every URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeGuard

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .models import ArtisanProfile, Cohort, User
from .roles import AnyUser, _signed_in, is_facilitator, is_programme_staff

__all__ = [
    "can_manage_artisan",
    "facilitator_cohorts",
    "facilitator_required",
    "followed_cohorts",
    "managed_cohorts",
    "manages_all_artisans",
    "may_use_workspace",
    "sees_every_cohort",
]


def sees_every_cohort(user: AnyUser | None) -> TypeGuard[User]:
    """Programme staff and admins follow every cohort's people. Editors do not: content only."""
    return is_programme_staff(user)


def may_use_workspace(user: AnyUser | None) -> TypeGuard[User]:
    """The workspace (/facilitator/, paper results, cohorts' certificates): facilitators and programme staff."""
    return is_facilitator(user) or sees_every_cohort(user)


def followed_cohorts(user: AnyUser | None) -> QuerySet[Cohort]:
    """The cohorts whose artisans this user may see: every cohort, her own as a facilitator, or none."""
    cohorts = Cohort.objects.select_related("centre")
    if sees_every_cohort(user):
        return cohorts.all()
    if is_facilitator(user):
        return cohorts.filter(facilitators=user)
    return cohorts.none()


# The name the callers have always used.
facilitator_cohorts = followed_cohorts


def manages_all_artisans(user: AnyUser | None) -> TypeGuard[User]:
    """Admins, and staff explicitly granted "change artisan" in the Wagtail admin. Editors are not:
    they edit course content and have no business with artisans' personal data."""
    return _signed_in(user) and user.has_perm("people.change_artisanprofile")


def managed_cohorts(user: AnyUser | None) -> QuerySet[Cohort]:
    """The cohorts whose artisans this user may manage in the admin (PINs, unlocks, details)."""
    cohorts = Cohort.objects.select_related("centre")
    if manages_all_artisans(user):
        return cohorts.all()
    if is_facilitator(user):
        return cohorts.filter(facilitators=user)
    return cohorts.none()


_COHORTS_CACHE = "_telar_facilitated_cohort_ids"


def can_manage_artisan(user: AnyUser | None, profile: ArtisanProfile) -> bool:
    """May this staff user set her PIN, unlock her or fix her details? Admins, and her cohort's facilitators.

    The facilitator's cohort ids are read once and memoised on the user, so a list of forty
    artisans checks forty rows without forty queries.
    """
    if manages_all_artisans(user):
        return True
    if not is_facilitator(user):
        return False
    ids = getattr(user, _COHORTS_CACHE, None)
    if ids is None:
        ids = frozenset(Cohort.objects.filter(facilitators=user).values_list("pk", flat=True))
        setattr(user, _COHORTS_CACHE, ids)
    return profile.cohort_id in ids


def facilitator_required(view: Callable) -> Callable:
    """Facilitators, programme staff and admins: guests go to the staff sign-in; artisans and editors get 403.

    Which cohorts each may see is ``followed_cohorts(request.user)``.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not may_use_workspace(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
