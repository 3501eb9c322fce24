"""Cheap signed-in pages: the session is written only when it must be, an unchanged lesson is
"not modified", and what is cached is never stale after a publish nor shared between people.

Counted in queries and headers, never timed.
"""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.fixtures import PIN_BACKEND

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(context) -> list[str]:
    return [q["sql"] for q in context.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def signed_in(client, artisan):
    client.force_login(artisan.user, backend=PIN_BACKEND)
    return client


# --- Sessions ---------------------------------------------------------------------------------


def test_a_get_within_the_refresh_window_writes_nothing(client, artisan, lesson):
    signed_in(client, artisan)
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(lesson.url)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert writes(context) == []


def test_the_session_is_refreshed_once_its_expiry_is_five_minutes_old(client, artisan, lesson, settings):
    signed_in(client, artisan)
    key = client.session.session_key
    stale = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS - 5)
    Session.objects.filter(session_key=key).update(expire_date=stale)
    response = client.get(lesson.url)
    assert "sessionid" in response.cookies
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=29)
    with CaptureQueriesContext(connection) as context:  # refreshed: the next one writes nothing again
        response = client.get(lesson.url)
    assert writes(context) == [] and "sessionid" not in response.cookies


def test_idle_expiry_still_ends_the_session(client, artisan, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    signed_in(client, artisan)
    key = client.session.session_key
    assert Session.objects.get(session_key=key).expire_date <= timezone.now() + timedelta(minutes=30, seconds=5)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/progress/").status_code == 302  # sent to sign in


def test_a_guest_without_a_session_gets_no_session(client, lesson):
    client.get(lesson.url)  # the first view makes the image's rendition
    with CaptureQueriesContext(connection) as context:
        response = client.get(lesson.url)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert writes(context) == []


def test_signing_out_still_ends_the_session(client, artisan, lesson):
    signed_in(client, artisan)
    key = client.session.session_key
    client.post("/sign-out/")
    assert not Session.objects.filter(session_key=key).exists()
