"""Content-Security-Policy on every response (django-csp, lms/csp.py): no inline script, no eval on the
site; the Wagtail admin as strict as Wagtail allows (inline scripts, never eval)."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory

from lms.views import server_error
from tests import factories
from tests.fixtures import PIN_BACKEND, STAFF_BACKEND

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
DATA_TYPES = {"application/json", "application/ld+json", "text/template"}


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def inline_scripts(html: str) -> list[str]:
    """Every <script> that runs code written in the page (data blocks and src= scripts are fine)."""
    found = []
    for attributes, body in SCRIPT_TAG.findall(html):
        kind = re.search(r'type="([^"]+)"', attributes)
        if "src=" in attributes or (kind and kind.group(1) in DATA_TYPES):
            continue
        found.append(body.strip()[:80])
    return found


def assert_strict_site_policy(response):
    policy = directives(response)
    assert policy["script-src"] == ["'self'"], policy
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src-elem"]
    assert policy["base-uri"] == ["'self'"] and policy["frame-ancestors"] == ["'self'"]
    assert all("'unsafe-eval'" not in sources for sources in policy.values())


def assert_no_inline_script(response):
    html = response.content.decode()
    assert inline_scripts(html) == [], inline_scripts(html)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html)


@pytest.fixture
def clients(cohort, facilitator, editor, admin_user):
    artisan = factories.ArtisanFactory(cohort=cohort)
    signed = {"guest": Client()}
    signed["artisan"] = Client()
    signed["artisan"].force_login(artisan.user, backend=PIN_BACKEND)
    for role, user in {"facilitator": facilitator, "editor": editor, "admin": admin_user}.items():
        signed[role] = Client()
        signed[role].force_login(user, backend=STAFF_BACKEND)
    return signed, artisan


def test_every_site_page_of_every_role_has_the_strict_policy_and_no_inline_script(clients, cohort, lesson, modules):
    signed, artisan = clients
    pages = {
        "guest": [
            "/sign-in/",
            f"/sign-in/cohort/{cohort.pk}/",
            f"/sign-in/artisan/{artisan.user_id}/",
            lesson.url,
            "/certificates/verify/",
            "/offline/",
            "/en/sign-in/",
        ],
        "artisan": ["/progress/", lesson.url, modules[0].url],
        "facilitator": [
            "/facilitator/",
            f"/facilitator/cohorts/{cohort.pk}/",
            f"/facilitator/cohorts/{cohort.pk}/progress/",
            f"/certificates/cohorts/{cohort.pk}/",
            "/quizzes/paper/",
        ],
    }
    for role, urls in pages.items():
        for url in urls:
            response = signed[role].get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            assert_strict_site_policy(response)
            assert_no_inline_script(response)


def test_files_and_errors_carry_the_policy_too(clients):
    signed, _artisan = clients
    for response in (
        signed["guest"].get("/no-such-page/"),
        signed["guest"].get("/sw.js"),
        signed["guest"].get("/healthz"),
    ):
        assert_strict_site_policy(response)


def test_the_admin_allows_wagtails_inline_scripts_but_never_eval(clients):
    signed, _artisan = clients
    for role in ("editor", "admin"):
        response = signed[role].get("/admin/")
        assert response.status_code == 200
        policy = directives(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], policy
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
        assert all("'unsafe-eval'" not in sources for sources in policy.values())
        assert all(
            source in ("'self'", "'none'", "'unsafe-inline'", "data:", "blob:")
            for sources in policy.values()
            for source in sources
        )


def test_the_error_page_keeps_its_own_style_by_its_hash():
    request = RequestFactory().get("/")
    response = server_error(request)
    from lms.csp import TelarCSPMiddleware

    response = TelarCSPMiddleware(lambda request: response).process_response(request, response)
    policy = directives(response)
    hashes = [source for source in policy["style-src-elem"] if source.startswith("'sha256-")]
    assert len(hashes) == 1 and "'unsafe-inline'" not in policy["style-src-elem"]
    assert policy["script-src"] == ["'self'"]


def test_the_kept_site_header_follows_the_policy_in_settings(client, settings, lesson):
    """The site's header is built once per worker for the policy it was built from (lms.csp): another policy
    in settings is built again, never the kept one sent."""
    first = client.get(lesson.url)["Content-Security-Policy"]
    assert "script-src 'self'" in first and "media-src 'self'" in first
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "media-src": ["'self'", "blob:"]}}
    settings.CONTENT_SECURITY_POLICY = policy
    changed = client.get(lesson.url)["Content-Security-Policy"]
    assert "media-src 'self' blob:" in changed and changed != first
