"""One-time form tokens: a fresh UUID, signed for one user and one form.

Nothing is written when a form is shown (a GET stays a read): the token is a
signed value carried in the form. The attempt created from it stores the UUID
under a unique constraint, so a retried or doubled POST finds that attempt
instead of creating a second one.
"""

from __future__ import annotations

import uuid

from django.core import signing

SALT = "assessments.form-token"
MAX_AGE = 7 * 24 * 60 * 60  # a form left open, or answers queued offline for days, still submit


def make_token(*, user_id: int | None, scope: str) -> str:
    return signing.dumps({"t": uuid.uuid4().hex, "u": user_id, "s": scope}, salt=SALT, compress=False)


def read_token(value: str, *, user_id: int | None, scope: str) -> uuid.UUID | None:
    """The UUID in a token made for this user and scope, or None (tampered, expired or someone else's)."""
    try:
        data = signing.loads(value or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user_id or data.get("s") != scope:
        return None
    try:
        return uuid.UUID(hex=data["t"])
    except (KeyError, TypeError, ValueError):
        return None


def row_token(form_token: uuid.UUID, key: object) -> uuid.UUID:
    """A stable per-row token derived from one form's token (paper results: one per artisan)."""
    return uuid.uuid5(form_token, str(key))
