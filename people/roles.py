"""Who is who: the one place that answers "is this user an artisan, a facilitator, an editor?".

Roles come from data, not from flags sprinkled through views:

- an **artisan** is an active user with an ArtisanProfile (she signs in with a PIN): ``is_artisan``
  for one user, ``artisan_users`` for a queryset, and nothing else anywhere asks (an anonymised
  artisan keeps her profile, deactivated: she is no longer an artisan to any rule);
- a **facilitator** is an active user in the "Facilitators" group (a staff account with a
  strong password), linked to cohorts through ``Cohort.facilitators``;
- an **editor** is an active user in the "Editors" group, or a superuser: course content only;
- **programme staff** may see personal data: ``reports.manage_personal_data`` (superusers have it).

What each role may see and do with people's data is decided in ``people.permissions``.

Group names are read once per request and memoised on the user object, so calling these
helpers many times on one page costs one query at most.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeGuard
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import reverse

from core import sql

from .models import ArtisanProfile, User

AnyUser = User | AnonymousUser

FACILITATORS = "Facilitators"
EDITORS = "Editors"

_GROUPS_CACHE = "_telar_group_names"


def _group_names(user: User) -> frozenset[str]:
    cached = getattr(user, _GROUPS_CACHE, None)
    if cached is None:
        cached = frozenset(_group_names_read(user.pk))
        setattr(user, _GROUPS_CACHE, cached)
    return cached


def _group_names_read(user_id: int) -> list[str]:
    """``user.groups.values_list("name", flat=True)``, as SQL (1 query): every staff request asks it, and the
    ORM's build of the join cost 0.2 ms against the database's few microseconds (issue 17)."""
    through = User.groups.through
    alias = sql.read_alias(through)
    groups, group_column = sql.names(Group, alias)
    members, member_column = sql.names(through, alias)
    query = (
        f"SELECT g.{group_column['name']} FROM {groups} g JOIN {members} m ON m.{member_column['group']} = "  # noqa: S608
        f"g.{group_column['id']} WHERE m.{member_column['user']} = %s"
    )
    return [name for (name,) in sql.fetch(through, query, [user_id])]


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
    """Course content: the Editors group, or a superuser. Being an editor never opens personal data."""
    if not _signed_in(user):
        return False
    return user.is_superuser or EDITORS in _group_names(user)


MANAGE_PERSONAL_DATA = "reports.manage_personal_data"


def is_programme_staff(user: AnyUser | None) -> TypeGuard[User]:
    """Staff granted ``reports.manage_personal_data`` (superusers have every permission)."""
    return _signed_in(user) and user.has_perm(MANAGE_PERSONAL_DATA)


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
