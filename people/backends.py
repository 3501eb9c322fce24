"""Authentication backends: artisans by PIN, staff by username and password."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend, ModelBackend

from . import throttle
from .models import User
from .services import artisan_pin_check


def _user_with_profile(user_id) -> User | None:
    # The profile comes with the user: every page asks "is she an artisan, what is her name?"
    return User._default_manager.select_related("artisan").filter(pk=user_id).first()


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
        user = _user_with_profile(user_id)
        if user is None or not user.is_active:
            return None
        return user
