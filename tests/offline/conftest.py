"""Offline fixtures: the shared people fixtures, an attendance session, and helpers to read form tokens."""

import json
import re

import pytest
from django.utils import translation

from tests import factories
from tests.certificates.conftest import announced  # noqa: F401 — every event emitted, for the hook's tests
from tests.fixtures import PIN_BACKEND, ROLES, STAFF_BACKEND, sign_in_as  # noqa: F401 — used by the suite's tests


@pytest.fixture(autouse=True)
def spanish():
    """reverse() follows the active language: start every test in Spanish, whatever ran before."""
    with translation.override("es"):
        yield


@pytest.fixture
def other_artisan(cohort):  # noqa: F811
    return factories.ArtisanFactory(cohort=cohort, full_name="Juana López Díaz", preferred_name="Juana")


@pytest.fixture
def session(cohort, facilitator):  # noqa: F811
    from tests.attendance.factories import SessionFactory

    session = SessionFactory(cohort=cohort)
    session.facilitators.add(facilitator)
    return session


def form_token(html: str, action: str | None = None) -> str:
    """The `token` of the form posting to `action` (or of the first form with one)."""
    forms = re.findall(r"<form\b[^>]*>.*?</form>", html, re.S)
    for form in forms:
        if action is not None and f'action="{action}"' not in form:
            continue
        found = re.search(r'name="token" value="([^"]*)"', form)
        if found:
            return found.group(1)
    raise AssertionError(f"no form token for {action}")


def sync(client, *items) -> list[dict]:
    """POST kept writes to the sync endpoint as the service worker does; the answers, in order."""
    response = client.post(
        "/offline/sync/",
        data=json.dumps({"items": [{"id": index, **item} for index, item in enumerate(items)]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Real browser (Playwright + Debian chromium): the e2e suite's browser, reused ------------------

from tests.e2e.conftest import PHONE, SKIP_REASON, browser, journey_factory  # noqa: E402, F401


@pytest.fixture
def media_served(settings):
    """live_server serves static files but not uploads; lessons' images must download like in production."""
    settings.ROOT_URLCONF = "tests.offline.urls"


def browser_sign_in(context, base_url: str, user, backend: str) -> None:
    """Give the browser a session for `user`, as signing in would (the sign-in screens have their own journeys)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend=backend)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}])
