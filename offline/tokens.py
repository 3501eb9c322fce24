"""Signed per-form tokens for writes that may reach the server days after the form was shown.

A page rendered for a signed-in user carries, in each form that may be sent
later from a phone that lost its connection, a token naming that user, the
form (its scope, e.g. ``lesson:42``) and a fresh nonce, signed with the
site's secret and timestamped. When the write arrives the server trusts the
token, not the session: the write is recorded for the user the token names,
whoever is signed in on the device by then (or nobody), and the nonce is the
write's one-time key (see ``offline.models.OfflineWrite``).

The format is the quizzes' one (``assessments.tokens``: ``signing.dumps`` of
``{"t": nonce, "u": user id, "s": scope}``), so a quiz form's existing token is
read here as it is, with the quizzes' salt; lessons and attendance lists get
tokens with this module's salt. Nothing is written when a token is made.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

from assessments.tokens import SALT as QUIZ_SALT

SALT = "offline.form-token"
# A module kept on the phone is used for days between connections (a weekly workshop).
MAX_AGE = 14 * 24 * 60 * 60


@dataclass(frozen=True)
class FormToken:
    user_id: int
    scope: str
    nonce: uuid.UUID
    issued_at: datetime.datetime


def make_token(*, user_id: int, scope: str) -> str:
    return signing.dumps({"t": uuid.uuid4().hex, "u": user_id, "s": scope}, salt=SALT, compress=False)


def _issued_at(value: str) -> datetime.datetime:
    # signing.dumps() gives "<payload>:<base62 timestamp>:<signature>"; the signature was checked already.
    stamp = signing.b62_decode(value.rsplit(":", 2)[-2])
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def read_signed(value: str, *, salt: str, scope: str, max_age: int = MAX_AGE) -> FormToken | None:
    """The token if it is genuine, younger than `max_age` and made for `scope`; None otherwise.

    None covers a tampered, truncated, expired or foreign token alike: the
    caller records nothing and says so.
    """
    try:
        data = signing.loads(value or "", salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != scope or not isinstance(data.get("u"), int):
        return None
    try:
        nonce = uuid.UUID(hex=data["t"])
    except (KeyError, TypeError, ValueError):
        return None
    return FormToken(user_id=data["u"], scope=scope, nonce=nonce, issued_at=_issued_at(value))


def read_token(value: str, *, scope: str, max_age: int = MAX_AGE) -> FormToken | None:
    """A lesson or attendance token made by `make_token`."""
    return read_signed(value, salt=SALT, scope=scope, max_age=max_age)


def read_quiz_token(value: str, *, quiz_id: int, max_age: int = MAX_AGE) -> FormToken | None:
    """The quiz form's own token (assessments.tokens), accepted for as long as an offline token."""
    return read_signed(value, salt=QUIZ_SALT, scope=f"quiz:{quiz_id}", max_age=max_age)


def clamp_made_at(token: FormToken, claimed: datetime.datetime | None) -> datetime.datetime:
    """When the write was made, as the phone says, but never before its form was shown nor in the future.

    A phone's clock may be wrong; the token's signed time and the server's
    clock bound what it can claim.
    """
    now = timezone.now()
    if claimed is None:
        return now
    return min(max(claimed, token.issued_at), now)
