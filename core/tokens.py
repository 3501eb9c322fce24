"""One-time form tokens: signed for one user and one form, a fresh nonce each, valid for days.

A page rendered for a signed-in user carries, in each form that writes something (a quiz, a
sheet of paper results, "I finished this lesson", an attendance list), a token naming that
user, the form (its *scope*, e.g. ``quiz:12`` or ``lesson:42``) and a fresh nonce, signed with
the site's secret and timestamped. Nothing is written when a token is made: showing a form
stays a read.

The nonce is the write's one-time key. Whoever consumes a token stores the nonce under a unique
constraint in the database (``Attempt.token`` for quiz attempts and, through ``FormToken.row``,
paper results; ``OfflineWrite.nonce`` for writes sent later from a phone), so a doubled tap, a
retry after a lost answer or two tabs sending the same queue count once.

A token is trusted, not the session: a write sent days later from a phone that lost its
connection is recorded for the user the token names, whoever is signed in by then. It lasts
``MAX_AGE`` — a module kept on the phone is used for days between connections (a weekly
workshop) — and never for ever.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

SALT = "telar.form-token"
# The salts of the two modules this one replaced (assessments.tokens, offline.tokens). Tokens
# they signed may still wait in pages and on phones for up to MAX_AGE after the upgrade, and
# nothing a person saved may be lost: they are read (never made) until then. The payload had
# the same shape; only the salt differs. Delete this tuple MAX_AGE after the release.
LEGACY_SALTS = ("assessments.form-token", "offline.form-token")
MAX_AGE = 14 * 24 * 60 * 60


@dataclass(frozen=True)
class FormToken:
    """A genuine token, read: whom it names, for which form, its one-time key and when it was made."""

    user_id: int
    scope: str
    nonce: uuid.UUID
    issued_at: datetime.datetime

    def row(self, key: object) -> uuid.UUID:
        return row_key(self.nonce, key)


def row_key(nonce: uuid.UUID, key: object) -> uuid.UUID:
    """A stable one-time key per row of one form (paper results: one per artisan), from the form's nonce."""
    return uuid.uuid5(nonce, str(key))


def make_token(*, user_id: int, scope: str) -> str:
    return signing.dumps({"t": uuid.uuid4().hex, "u": user_id, "s": scope}, salt=SALT, compress=False)


def _issued_at(value: str) -> datetime.datetime:
    # signing.dumps() gives "<payload>:<base62 timestamp>:<signature>"; the signature was checked already.
    stamp = signing.b62_decode(value.rsplit(":", 2)[-2])
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def _load(value: str, max_age: int) -> object:
    for salt in (SALT, *LEGACY_SALTS):
        try:
            return signing.loads(value or "", salt=salt, max_age=max_age)
        except signing.BadSignature:
            continue
    return None


def read_token(value: str, *, scope: str, user_id: int | None = None, max_age: int | None = None) -> FormToken | None:
    """The token if it is genuine, younger than ``max_age`` (``MAX_AGE``), made for ``scope``
    (and for ``user_id`` if given).

    None covers a tampered, truncated, expired or someone else's token alike: the caller records
    nothing and says so in her words.
    """
    data = _load(value, MAX_AGE if max_age is None else max_age)
    if not isinstance(data, dict) or data.get("s") != scope or not isinstance(data.get("u"), int):
        return None
    if user_id is not None and data["u"] != user_id:
        return None
    try:
        nonce = uuid.UUID(hex=data["t"])
    except (KeyError, TypeError, ValueError):
        return None
    return FormToken(user_id=data["u"], scope=scope, nonce=nonce, issued_at=_issued_at(value))


def clamp_made_at(token: FormToken, claimed: datetime.datetime | None) -> datetime.datetime:
    """When the write was made, as the phone says, but never before its form was shown nor in the future.

    A phone's clock may be wrong; the token's signed time and the server's clock bound what it can claim.
    """
    now = timezone.now()
    if claimed is None:
        return now
    return min(max(claimed, token.issued_at), now)
