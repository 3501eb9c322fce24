"""Writes for people: accounts, centres, cohorts, artisan profiles."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User


@transaction.atomic
def staff_user_ensure(
    *, username: str, password: str, groups: tuple[str, ...] = (), superuser: bool = False, first_name: str = ""
) -> tuple[User, bool]:
    """Create a staff account once; a second call leaves an existing one untouched."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": superuser, "first_name": first_name}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user, created
