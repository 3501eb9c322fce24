"""Writes for people: accounts, artisans, PINs and their lockout."""

from __future__ import annotations

import io
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.text import clean_text

from .models import ArtisanProfile, Cohort, PinCredential, User
from .roles import is_artisan

PIN_LENGTH = 4
MAX_WRONG_PINS = 5  # in a row: then the account waits LOCKOUT
LOCKOUT = timedelta(minutes=15)
HELD_AFTER_SECOND_LOCK_WITHIN = timedelta(days=1)  # locked twice in a day: she waits for her facilitator
WRONG_PINS_BEFORE_HELD = 15  # wrong PINs since a person last unlocked her: then she waits for her facilitator


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


def new_artisan_username() -> str:
    """``artesana-`` and 12 random hex digits: never from her name nor from a sheet.

    A username taken from a spreadsheet could claim an existing account, and one made from her
    name would copy personal data into a technical identifier (logs, the Wagtail user list) that
    anonymisation would then have to chase. 48 random bits make a collision negligible (under
    one in a million with a million accounts); the unique constraint stays the final guard.
    """
    return f"artesana-{secrets.token_hex(6)}"


@transaction.atomic
def artisan_account_create(*, preferred_name: str, username: str | None = None) -> User:
    """The account of a new artisan, the only way one is made (the admin form, the roster import, the demo).

    It can never sign in with a password: she signs in with her PIN. Her preferred name is the
    account's first name, so the admin and the logs name her the way she likes.
    """
    user = User(username=username or new_artisan_username(), first_name=preferred_name[:150])
    user.set_unusable_password()
    user.full_clean(validate_unique=username is not None)
    user.save()
    return user


@transaction.atomic
def artisan_create(
    *,
    full_name: str,
    preferred_name: str,
    cohort: Cohort,
    preferred_language: str = "es",
    external_id: str = "",
    consent_given: bool = False,
    consent_date: datetime | None = None,
    privacy_notice_version: str = "",
    username: str | None = None,
) -> ArtisanProfile:
    """A new artisan: her account (``artisan_account_create``) and her profile.

    She signs in only with the PIN a facilitator gives her (``artisan_pin_set``).
    """
    full_name, preferred_name = clean_text(full_name), clean_text(preferred_name)  # the text policy
    user = artisan_account_create(preferred_name=preferred_name, username=username)
    profile = ArtisanProfile(
        user=user,
        full_name=full_name,
        preferred_name=preferred_name,
        cohort=cohort,
        preferred_language=preferred_language,
        external_id=external_id,
        consent_given=consent_given,
        consent_date=consent_date or (timezone.now() if consent_given else None),
        privacy_notice_version=privacy_notice_version,
    )
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def artisan_rename(*, profile: ArtisanProfile, preferred_name: str) -> bool:
    """The name she likes to be called on screen (the sign-in list, greetings); her account's first name
    follows it, as ``artisan_account_create`` set it. Her full name (the certificate's) is not touched.
    Returns whether anything changed: the same name sent twice writes once."""
    preferred_name = clean_text(preferred_name)
    if preferred_name == profile.preferred_name:
        return False
    profile.preferred_name = preferred_name
    profile.full_clean()
    profile.save(update_fields=["preferred_name", "updated_at"])
    user = profile.user  # saved through the model: its signal drops her kept account (people.backends)
    user.first_name = preferred_name[:150]
    user.save(update_fields=["first_name"])
    return True


def validate_pin(pin: str) -> None:
    """Four digits, not all the same and not a straight run (1234, 9876): the first guesses anyone tries."""
    if not (isinstance(pin, str) and len(pin) == PIN_LENGTH and pin.isascii() and pin.isdigit()):
        raise ValidationError(_("The PIN must be exactly 4 numbers."), code="pin_format")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({0}, {1}, {-1}):
        raise ValidationError(
            _("This PIN is too easy to guess. Avoid repeated or consecutive numbers."), code="pin_weak"
        )


@transaction.atomic
def artisan_pin_set(*, user: User, pin: str, by: User | None = None) -> PinCredential:
    """Give an artisan a new PIN (hashed) and lift any lockout. Used for both set and reset."""
    if not is_artisan(user):
        raise ValidationError(_("Only artisans sign in with a PIN."), code="not_artisan")
    validate_pin(pin)
    credential, _created = PinCredential.objects.select_for_update().get_or_create(user=user)
    credential.pin_hash = make_password(pin)
    _clear_lock(credential)
    credential.changed_at = timezone.now()
    credential.changed_by = by
    credential.full_clean(exclude=["user"])
    credential.save()
    return credential


@transaction.atomic
def artisan_unlock(*, user: User, by: User | None = None) -> PinCredential | None:
    """Let her try again now: a facilitator's answer to a lockout. Idempotent."""
    credential = PinCredential.objects.select_for_update().filter(user=user).first()
    if credential is not None and (
        credential.failed_attempts or credential.locked_until or credential.held or credential.wrong_since_unlock
    ):
        _clear_lock(credential)
        credential.save(update_fields=LOCK_FIELDS)
    return credential


LOCK_FIELDS = ["failed_attempts", "locked_until", "held", "wrong_since_unlock", "last_locked_at"]


def _clear_lock(credential: PinCredential) -> None:
    """A person (her facilitator, an admin) acted: every count starts again."""
    credential.failed_attempts = 0
    credential.locked_until = None
    credential.held = False
    credential.wrong_since_unlock = 0
    credential.last_locked_at = None


@dataclass(frozen=True)
class PinCheck:
    """The outcome of one PIN attempt, with what the screen needs to say about it."""

    ok: bool
    has_pin: bool = True
    locked_until: datetime | None = None
    attempts_left: int = MAX_WRONG_PINS
    held: bool = False  # waits for her facilitator (people.services.artisan_unlock)

    @property
    def locked(self) -> bool:
        return self.held or self.locked_until is not None


def pin_status(*, user: User, now: datetime | None = None) -> PinCheck:
    """Read-only: can she try a PIN now? (no PIN yet, locked until when, attempts left)."""
    now = now or timezone.now()
    credential = PinCredential.objects.filter(user=user).first()
    if credential is None or not credential.pin_hash:
        return PinCheck(ok=False, has_pin=False)
    if credential.held:
        return PinCheck(ok=False, held=True, attempts_left=0)
    if credential.locked_until and credential.locked_until > now:
        return PinCheck(ok=False, locked_until=credential.locked_until, attempts_left=0)
    failed = 0 if credential.locked_until else credential.failed_attempts
    return PinCheck(ok=False, attempts_left=MAX_WRONG_PINS - failed)


@transaction.atomic
def artisan_pin_check(*, user: User, pin: str, now: datetime | None = None) -> PinCheck:
    """Check a PIN attempt and count it toward this account's lockout.

    Per account, never per IP: after MAX_WRONG_PINS wrong PINs in a row the
    account waits LOCKOUT; during the wait no PIN is even checked (so the wait
    cannot be guessed through) and the wait is not extended. A right PIN clears
    the count in a row. Two locks within a day, or WRONG_PINS_BEFORE_HELD wrong
    PINs since a person last unlocked her (her own right PINs do not reset that
    one), and the account is *held*: no PIN is checked until her facilitator
    unlocks it — so at most WRONG_PINS_BEFORE_HELD guesses are ever tried before
    a person acts (README, "Security": the chance is at most 0.2 %). The row is
    locked for the update so two devices guessing at once are both counted.
    """
    now = now or timezone.now()
    if not user.is_active:
        return PinCheck(ok=False, has_pin=False)
    credential = PinCredential.objects.select_for_update().filter(user=user).first()
    if credential is None or not credential.pin_hash:
        return PinCheck(ok=False, has_pin=False)
    if credential.held:
        return PinCheck(ok=False, held=True, attempts_left=0)
    if credential.locked_until:
        if credential.locked_until > now:
            return PinCheck(ok=False, locked_until=credential.locked_until, attempts_left=0)
        credential.locked_until = None
        credential.failed_attempts = 0

    def upgrade(raw: str) -> None:
        credential.pin_hash = make_password(raw)

    if isinstance(pin, str) and check_password(pin, credential.pin_hash, setter=upgrade):
        credential.failed_attempts = 0
        credential.save(update_fields=["pin_hash", "failed_attempts", "locked_until"])
        return PinCheck(ok=True)
    credential.failed_attempts += 1
    credential.wrong_since_unlock = min(credential.wrong_since_unlock + 1, WRONG_PINS_BEFORE_HELD)
    if credential.wrong_since_unlock >= WRONG_PINS_BEFORE_HELD:
        credential.held = True
    elif credential.failed_attempts >= MAX_WRONG_PINS:
        credential.failed_attempts = MAX_WRONG_PINS
        recently = credential.last_locked_at and now - credential.last_locked_at < HELD_AFTER_SECOND_LOCK_WITHIN
        if recently:
            credential.held = True
        else:
            credential.locked_until = now + LOCKOUT
            credential.last_locked_at = now
    credential.save(update_fields=LOCK_FIELDS)
    if credential.held:
        return PinCheck(ok=False, held=True, attempts_left=0)
    return PinCheck(
        ok=False, locked_until=credential.locked_until, attempts_left=MAX_WRONG_PINS - credential.failed_attempts
    )


PHOTO_MAX_BYTES = 3 * 1024  # a name screen of forty photos stays near 120 KB, fetched once a day
PHOTO_SIDE = 96  # pixels: twice the 48 px circle, sharp on a phone's screen
PHOTO_UPLOAD_MAX_BYTES = 15 * 1024 * 1024  # what a phone's camera sends
_PHOTO_QUALITIES = (70, 55, 40, 30, 20, 10)


def _photo_webp(file) -> bytes:
    """Her photo as a square WebP of at most PHOTO_MAX_BYTES (smaller side, then lower quality)."""
    size = getattr(file, "size", None)
    if size is not None and size > PHOTO_UPLOAD_MAX_BYTES:
        raise ValidationError(_("This photo is too big. Take it again, or choose a smaller one."), code="too_big")
    try:
        with Image.open(file) as image:
            image.load()
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        message = _("This file is not a photo. Choose a photo (JPEG, PNG or WebP).")
        raise ValidationError(message, code="invalid") from error
    for side in (PHOTO_SIDE, 72, 48):
        square = ImageOps.fit(picture, (side, side), method=Image.Resampling.LANCZOS)
        for quality in _PHOTO_QUALITIES:
            out = io.BytesIO()
            square.save(out, format="WEBP", quality=quality, method=6)
            if out.tell() <= PHOTO_MAX_BYTES:
                return out.getvalue()
    raise ValidationError(_("This photo could not be made small enough. Take it again."), code="too_big")


@transaction.atomic
def set_artisan_photo(artisan: ArtisanProfile, file) -> ArtisanProfile:
    """Store the photo her facilitator took for the sign-in name screen (people.pictures); ``file=None``
    removes it.

    Any image Pillow reads (JPEG, PNG, WebP, HEIF where Pillow reads it) becomes a square WebP of at most
    3 KB in private storage (never under /media/); the previous photo file is deleted. Bad input raises a
    translated ValidationError and writes nothing. Who may take it is the caller's policy (the facilitator's
    cohort), not this function's.
    """
    old = artisan.photo.name if artisan.photo else ""
    if file is None:
        artisan.photo = ""
    else:
        data = _photo_webp(file)
        artisan.photo.save(f"{uuid.uuid4().hex}.webp", ContentFile(data), save=False)
    artisan.save(update_fields=["photo", "updated_at"])
    if old and old != (artisan.photo.name or ""):
        storage = artisan.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return artisan
