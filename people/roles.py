"""Who is who: the one place that answers "is this user an artisan, a facilitator, an editor?".

Roles come from data, not from flags sprinkled through views:

- an **artisan** is an active user with an ArtisanProfile (she signs in with a PIN): ``is_artisan``
  for one user, ``artisan_users`` for a queryset, and nothing else anywhere asks (an anonymised
  artisan keeps her profile, deactivated: she is no longer an artisan to any rule);
- a **facilitator** is an active user in the "Facilitators" group (a staff account with a
  strong password), linked to cohorts through ``Cohort.facilitators``;
- an **editor** is an active user in the "Editors" group, or a superuser (programme staff).

Group names are read once per request and memoised on the user object, so calling these
helpers many times on one page costs one query at most.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeGuard
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import reverse

from .models import ArtisanProfile, Cohort, User

AnyUser = User | AnonymousUser

FACILITATORS = "Facilitators"
EDITORS = "Editors"

_GROUPS_CACHE = "_telar_group_names"


def _group_names(user: User) -> frozenset[str]:
    cached = getattr(user, _GROUPS_CACHE, None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, _GROUPS_CACHE, cached)
    return cached


def _signed_in(user: AnyUser | None) -> TypeGuard[User]:
    """A real, active account. The role checks below are TypeGuards too: True means a signed-in User."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def artisan_profile(user: AnyUser | None) -> ArtisanProfile | None:
    """Her ArtisanProfile if this user is an artisan (active, with a profile), else None.

    No query when the profile was select_related (the session's user always is: people.backends).
    """
    if not _signed_in(user):
        return None
    try:
        return user.artisan
    except ObjectDoesNotExist:
        return None


def is_artisan(user: AnyUser | None) -> TypeGuard[User]:
    return artisan_profile(user) is not None


def artisan_users() -> QuerySet[User]:
    """The users who are artisans, as a queryset: the same rule as ``is_artisan`` (active, with a profile)."""
    return User.objects.filter(is_active=True, artisan__isnull=False)


def is_facilitator(user: AnyUser | None) -> TypeGuard[User]:
    """A member of the Facilitators group (superusers count: they can do everything)."""
    if not _signed_in(user):
        return False
    return user.is_superuser or FACILITATORS in _group_names(user)


def is_editor(user: AnyUser | None) -> TypeGuard[User]:
    """Programme staff: the Editors group, or a superuser."""
    if not _signed_in(user):
        return False
    return user.is_superuser or EDITORS in _group_names(user)


def facilitator_cohorts(user: AnyUser | None) -> QuerySet[Cohort]:
    """The cohorts this user may follow: all for editors and admins, her own for a facilitator, none otherwise."""
    cohorts = Cohort.objects.select_related("centre")
    if is_editor(user):
        return cohorts.all()
    if is_facilitator(user):
        return cohorts.filter(facilitators=user)
    return cohorts.none()


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


_COHORTS_CACHE = "_telar_facilitated_cohort_ids"


def sign_in_url(next_url: str | None = None) -> str:
    """The artisans' sign-in (centre → cohort → name → PIN), remembering where to come back to."""
    url = reverse("people:sign_in")
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return url


def artisan_required(view: Callable) -> Callable:
    """Only a signed-in artisan: guests go to the PIN sign-in and come back; staff get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(sign_in_url(request.get_full_path()))
        if not is_artisan(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def facilitator_required(view: Callable) -> Callable:
    """Facilitators, editors and admins: guests go to the staff sign-in; artisans get 403.

    Which cohorts each may see is ``facilitator_cohorts(request.user)``.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not (is_facilitator(request.user) or is_editor(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
