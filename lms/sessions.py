"""Sessions that are written only when something changed, or when their expiry needs pushing back.

Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session row and sends a new cookie on every
request, so a signed-in page could never be answered "not modified" and every GET was a write.
Instead the session store remembers the expiry it read from the database (``SessionStore``), and
``SessionRefreshMiddleware`` marks the session modified only when that expiry is more than
``SESSION_REFRESH_SECONDS`` older than a fresh one would be. A session therefore still ends at most
``SESSION_COOKIE_AGE`` (30 minutes) after her last request, and at least ``SESSION_COOKIE_AGE -
SESSION_REFRESH_SECONDS`` (25 minutes) after it: the shared tablet's idle sign-out holds, and an
artisan reading lesson after lesson costs one session write every five minutes, not one per page.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

DEFAULT_REFRESH_SECONDS = 5 * 60


class SessionStore(db.SessionStore):
    """The database session store, keeping the expiry date of the row it read (``db_expiry``)."""

    db_expiry: datetime.datetime | None = None

    def _get_session_from_db(self):
        session = self._read(self.session_key)
        if session is None:
            self._session_key = None
        self.db_expiry = session.expire_date if session is not None else None
        return session

    def _read(self, key: str | None):
        """The live row for ``key``, read with one plain SELECT (what Django's ``objects.get`` asks, without
        building the query through the ORM on every request: a sixth of a signed-in lesson's CPU)."""
        if not key:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 (the table is the model's, quoted)
                [key, now],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        data, expiry = row
        field = model._meta.get_field("expire_date")
        for converter in connection.ops.get_db_converters(field.get_col(model._meta.db_table)):
            expiry = converter(expiry, field, connection)
        return model(session_key=key, session_data=data, expire_date=expiry)


def needs_refresh(session, now: datetime.datetime | None = None) -> bool:
    """Whether this loaded, non-empty session's expiry should be pushed back now."""
    expiry = getattr(session, "db_expiry", None)
    if expiry is None:
        return True  # another store (or nothing read): keep Django's behaviour, refresh
    now = now or timezone.now()
    refresh = getattr(settings, "SESSION_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS)
    return expiry - now < datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - refresh)


class SessionRefreshMiddleware:
    """After the view: mark a signed-in (non-empty) session modified when its expiry is getting old.

    Sits just inside ``SessionMiddleware``, which then saves it and sends the cookie. A request
    that never touched the session (a guest without a cookie, a static file) is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.session_key is None:
            return response
        if session.accessed and not session.is_empty() and needs_refresh(session):
            session.modified = True
        return response
