"""Telar's own staff sign-in (issue 16): username and password, the per-username lock, where each role
lands, a safe `next`, Wagtail's login sent here, and the page inside the artisans' budget."""

import pytest
from django.core.cache import cache
from django.test import Client

from people import throttle
from tests import factories
from tests.budgets import PAGE_BUDGET, css_bytes, gzipped, page_query_count

pytestmark = pytest.mark.django_db

URL = "/staff/sign-in/"
PASSWORD = "a-strong-test-password"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_each_role_lands_where_she_works(client, facilitator, editor, admin_user, programme_staff):
    for user, lands in [
        (facilitator, "/facilitator/"),
        (editor, "/admin/"),
        (admin_user, "/admin/"),
        (programme_staff, "/admin/"),
    ]:
        client.logout()
        response = client.post(URL, {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == lands, user.username
        assert int(client.session["_auth_user_id"]) == user.pk


def test_next_is_followed_only_when_it_stays_on_the_site(client, facilitator):
    response = client.post(
        URL, {"username": facilitator.username, "password": PASSWORD, "next": "/facilitator/cohorts/1/"}
    )
    assert response["Location"] == "/facilitator/cohorts/1/"
    for unsafe in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        client.logout()
        response = client.post(URL, {"username": facilitator.username, "password": PASSWORD, "next": unsafe})
        assert response.status_code == 302 and response["Location"] == "/facilitator/", unsafe
        page = client.get(f"{URL}?next={unsafe}")
        assert unsafe not in page.content.decode()


def test_a_wrong_password_says_so_in_spanish_and_signs_nobody_in(client, facilitator):
    response = client.post(URL, {"username": facilitator.username, "password": "not-it"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "no coinciden" in response.content.decode()
    english = client.post(f"/en{URL}", {"username": facilitator.username, "password": "not-it"})
    assert "do not match" in english.content.decode()


def test_the_staff_lock_per_username_holds_on_this_page(facilitator):
    for n in range(throttle.STAFF_MAX_FAILURES):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(URL, {"username": facilitator.username, "password": f"x{n}"})
    refused = Client().post(URL, {"username": facilitator.username, "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    assert "Espera 15 minutos" in refused.content.decode()
    other = factories.FacilitatorFactory(username="facilitadora-otra")
    assert Client().post(URL, {"username": other.username, "password": PASSWORD}).status_code == 302


def test_artisans_cannot_sign_in_here(client, artisan):
    response = client.post(URL, {"username": artisan.user.username, "password": ""})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_wagtail_login_sends_here_keeping_a_safe_next(client, facilitator):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/staff/sign-in/?next=%2Fadmin%2Fpages%2F"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == URL
    # Guests asking for an admin screen or the workspace come here too.
    assert client.get("/admin/")["Location"].startswith("/staff/sign-in/?next=")
    assert client.get("/facilitator/")["Location"] == "/staff/sign-in/?next=/facilitator/"
    # A form still posted to the old address signs in the same way.
    assert client.post("/admin/login/", {"username": facilitator.username, "password": PASSWORD}).status_code == 302


def test_signed_in_staff_go_straight_on(client, facilitator):
    client.force_login(facilitator, backend="people.backends.StaffBackend")
    assert client.get(URL)["Location"] == "/facilitator/"


def test_every_field_is_labelled_and_no_script_is_needed(client):
    html = client.get(URL).content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html and html.count("<h1") == 1
    assert "<form" in html and 'type="submit"' in html


def test_the_page_fits_the_budget_and_its_queries_are_pinned(client, facilitator):
    css = css_bytes()
    for url in (URL, f"/en{URL}"):
        response = client.get(url)
        total = gzipped(response.content) + css
        assert total <= PAGE_BUDGET, (url, total)
    wrong = client.post(URL, {"username": facilitator.username, "password": "not-it"})
    assert gzipped(wrong.content) + css <= PAGE_BUDGET
    assert page_query_count(client, URL) == 0  # a guest: no session row, no user
