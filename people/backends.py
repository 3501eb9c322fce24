"""Authentication backends: artisans by PIN, staff by username and password."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.cache import cache

from core import sql
from courses import cache as tree_cache

from . import selectors, throttle
from .models import ArtisanProfile, Cohort, Enrolment, PinCredential, User
from .services import artisan_pin_check

# An artisan's account and profile, kept in the shared cache between her requests: every page she
# opens needs them, and unpickling one entry costs a fraction of the ORM building a joined row.
# Any save or delete of her account, her profile (a cohort change, a rename) or her PIN credential
# (a lock, a hold, a new PIN) drops the entry at once, in every worker (the cache is shared); the
# timeout (``selectors.KEPT_SECONDS``) bounds what a write that bypasses signals could leave behind.
# Only artisans (the PIN backend) are kept: staff accounts carry a real password hash, which stays
# in the database.


# What other apps keep in the shared cache about an artisan and read on her pages (her certificates): each
# a function of her user id giving the key, read in the one round trip that reads her kept account.
_ALONG: list = []


def keep_along(make_key) -> None:
    """Read the key ``make_key(user_id)`` with her kept account on every request of hers (``courses.cache.
    read_along`` hands it out). The app that keeps it sets it and drops it when it changes."""
    if make_key not in _ALONG:
        _ALONG.append(make_key)


def user_cache_key(user_id) -> str:
    return f"people:artisan-user:{user_id}"


def forget_user(user_id) -> None:
    """Drop the kept copy of this account (called on every save or delete that concerns her): now, and again
    once the transaction commits, so a request that read the old row meanwhile cannot keep it."""
    if user_id is not None:
        tree_cache.forget_kept([user_cache_key(user_id)])


def _forget_on_write(sender, instance, **kwargs) -> None:
    user_id = instance.pk if sender is User else instance.user_id
    forget_user(user_id)
    if sender is ArtisanProfile:  # a profile saved may have moved her to a cohort (and enrolled her there)
        selectors.forget_enrolments([user_id])


def _forget_enrolment(sender, instance, **kwargs) -> None:
    selectors.forget_enrolments([instance.user_id])


def _forget_cohort(sender, instance, **kwargs) -> None:
    """A cohort saved may belong to another programme now: every woman enrolled in it."""
    selectors.forget_enrolments(Enrolment.objects.filter(cohort_id=instance.pk).values_list("user_id", flat=True))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (User, ArtisanProfile, PinCredential):
        post_save.connect(_forget_on_write, sender=model, dispatch_uid=f"people-forget-user-{model.__name__}")
        post_delete.connect(_forget_on_write, sender=model, dispatch_uid=f"people-forget-user-{model.__name__}-del")
    post_save.connect(_forget_enrolment, sender=Enrolment, dispatch_uid="people-forget-enrolments-saved")
    post_delete.connect(_forget_enrolment, sender=Enrolment, dispatch_uid="people-forget-enrolments-deleted")
    post_save.connect(_forget_cohort, sender=Cohort, dispatch_uid="people-forget-enrolments-cohort")
    keep_along(selectors.enrolments_key)  # her programmes, read on Mi avance and the home page


def _user_with_profile(user_id) -> User | None:
    """The account with its artisan profile, if any: every page asks "is she an artisan, what is her name?".

    1 query, as SQL: ``User.objects.select_related("artisan").filter(pk=…).first()`` is what it returns
    (the same objects, the profile cached on the account, or its absence), and the ORM took 0.6 ms to build
    it on every staff request against 0.1 ms for this (issue 17; a staff account is not kept in the cache).
    """
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    alias = sql.read_alias(User)
    users, user_column = sql.names(User, alias)
    profiles, profile_column = sql.names(ArtisanProfile, alias)
    query = (
        f"SELECT {sql.columns(User, alias, 'u')}, {sql.columns(ArtisanProfile, alias, 'p')} "  # noqa: S608
        f"FROM {users} u LEFT JOIN {profiles} p ON p.{profile_column['user']} = u.{user_column['id']} "
        f"WHERE u.{user_column['id']} = %s"
    )
    rows = sql.fetch(User, query, [user_id])
    if not rows:
        return None
    width = len(User._meta.concrete_fields)
    user = sql.instance(User, alias, rows[0][:width])
    profile = None
    if rows[0][width] is not None:  # the profile's primary key: she has one
        profile = sql.instance(ArtisanProfile, alias, rows[0][width:])
        _PROFILE.field.set_cached_value(profile, user)
    _PROFILE.set_cached_value(user, profile)  # as select_related leaves it: None means "no profile"
    return user


_PROFILE = User._meta.get_field("artisan")


class StaffBackend(ModelBackend):
    """Django's username + password backend; artisans have no usable password, so it never lets them in.

    Per username, in the shared cache (people.throttle): after 5 wrong passwords within 15 minutes the
    username is refused without its password being checked until the window ends.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        if throttle.staff_locked(username):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.staff_failed(username)
        else:
            throttle.staff_succeeded(username)
        return user

    def get_user(self, user_id):
        user = _user_with_profile(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PinBackend(BaseBackend):
    """An artisan's 4-digit PIN, with the per-account lockout of ``people.services.artisan_pin_check``."""

    def authenticate(self, request, artisan: User | None = None, pin: str | None = None, **kwargs):
        if artisan is None or pin is None:
            return None
        return artisan if artisan_pin_check(user=artisan, pin=pin).ok else None

    def get_user(self, user_id):
        key = user_cache_key(user_id)
        # With the tree version, which her page reads too, and what other apps keep about her (``keep_along``).
        user = tree_cache.read_with_tree_version(key, tuple(make(user_id) for make in _ALONG))
        if user is None:
            user = _user_with_profile(user_id)
            if user is None:
                return None
            cache.set(key, user, selectors.KEPT_SECONDS)
        if not user.is_active:
            return None
        return user
