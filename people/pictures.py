"""Her picture on the sign-in screens, so that she finds her name without reading it.

Each woman in a group gets a picture no one else in the group has: the small photo her facilitator
took (``ArtisanProfile.photo``, people.services.set_artisan_photo) if there is one, otherwise a symbol
and a colour. The symbols are the ``<symbol>``s of ONE static sprite, ``static/icons/faces.svg``
(hashed name, cached for a year: one download for every screen and every group), drawn with
``<use href>``. The symbol and colour come from her place in the order of creation of the group's
profiles (their ids), never from a hash: the first ``len(SYMBOLS) × len(AVATAR_COLOURS)`` women of a
group (120) all look different, and a woman keeps her picture while the group grows.

Photos are personal data: they are in private storage (no /media/ URL) and served by
``people.views.sign_in_photo`` only through a signed link that the name screen of her own group
writes, for her current group, valid for a day (``PHOTO_LINK_DAYS``) so that the browser may cache it.
Trade-off: the name screen is public by design (a shared phone in a community centre, no account
yet), so whoever opens her group's name screen sees her photo, as the women in the room do; the photos
cannot be listed, guessed by id, nor linked for longer than a day.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from .models import AVATAR_COLOURS, ArtisanProfile

# The ids of static/icons/faces.svg, in order: never reorder (a woman's picture is its index).
SYMBOLS = (
    "sun",
    "moon",
    "star",
    "flower",
    "leaf",
    "heart",
    "fish",
    "bird",
    "tree",
    "drop",
    "mountain",
    "butterfly",
)
SPRITE = "icons/faces.svg"
PHOTO_LINK_DAYS = 1
_SALT = "people.pictures.photo"
_DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Picture:
    symbol: str
    colour: str
    photo_url: str = ""  # a signed link to her photo, "" without one


def face(index: int) -> tuple[str, str]:
    """The symbol and colour of the woman at `index` in her group's order of creation (no queries).

    Symbols turn fastest; each round of symbols shifts the colours by one more, so that the same
    symbol comes back on a different colour: with 12 symbols and 10 colours, indices 0–119 are all
    different pairs (12·k + k = 13·k is never a multiple of 10 for k from 1 to 9).
    """
    symbol = SYMBOLS[index % len(SYMBOLS)]
    colour = AVATAR_COLOURS[(index + index // len(SYMBOLS)) % len(AVATAR_COLOURS)]
    return symbol, colour


def _day() -> int:
    return int(time.time() // _DAY)


def photo_url(profile: ArtisanProfile) -> str:
    """The signed link to her photo for the name screen of her current group ("" without a photo)."""
    if not profile.photo:
        return ""
    value = signing.dumps([profile.user_id, profile.cohort_id, profile.photo.name, _day()], salt=_SALT, compress=True)
    return reverse("people:sign_in_photo", args=[value])


def photo_profile(token: str) -> ArtisanProfile | None:
    """The profile a photo link names, if the link is genuine, recent and still true (1 query); else None."""
    try:
        user_id, cohort_id, name, day = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(day, int) or not 0 <= _day() - day <= PHOTO_LINK_DAYS:
        return None
    profile = (
        ArtisanProfile.objects.filter(user_id=user_id, cohort_id=cohort_id, user__is_active=True)
        .only("id", "user_id", "cohort_id", "photo")
        .first()
    )
    if profile is None or not profile.photo or profile.photo.name != name:
        return None
    return profile


def group_pictures(profiles: Iterable[ArtisanProfile]) -> dict[int, Picture]:
    """Each profile's picture (profile id → Picture) among ALL the profiles of one group, active or not
    (an inactive woman keeps her place, so nobody's picture moves when one leaves): no queries."""
    ordered = sorted(profiles, key=lambda profile: profile.pk)
    pictures = {}
    for index, profile in enumerate(ordered):
        symbol, colour = face(index)
        pictures[profile.pk] = Picture(symbol=symbol, colour=colour, photo_url=photo_url(profile))
    return pictures


def picture_for(profile: ArtisanProfile) -> Picture:
    """Her picture alone (the PIN screen): her place in her group is the number of profiles created before
    hers in it (1 query)."""
    index = ArtisanProfile.objects.filter(cohort_id=profile.cohort_id, pk__lt=profile.pk).count()
    symbol, colour = face(index)
    return Picture(symbol=symbol, colour=colour, photo_url=photo_url(profile))
