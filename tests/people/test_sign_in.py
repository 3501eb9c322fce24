"""Sign-in on a shared device: centre → group → name → PIN keypad, without JavaScript."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from people.models import PinCredential
from people.views import COHORT_COOKIE, KEYPAD_SESSION_KEY
from tests import factories
from tests.people.faces import faces_in

pytestmark = pytest.mark.django_db


def pin_url(profile):
    return f"/sign-in/artisan/{profile.user_id}/"


def tap(client, profile, digits, start=0, **extra):
    """Tap keypad digits one by one, as she would; returns the last response."""
    response = None
    for index, digit in enumerate(digits, start=start):
        response = client.post(pin_url(profile), {"key": digit, "n": str(index), **extra})
    return response


def test_start_page_skips_the_centre_when_there_is_only_one(client, cohort):
    html = client.get("/sign-in/").content.decode()
    assert "Grupo Bordadoras" in html and f"/sign-in/cohort/{cohort.pk}/" in html


def test_start_page_lists_centres_when_there_are_several(client, cohort):
    other = factories.CommunityCentreFactory(name="Zinacantán")
    html = client.get("/sign-in/").content.decode()
    assert f"/sign-in/centre/{cohort.centre_id}/" in html and f"/sign-in/centre/{other.pk}/" in html
    html = client.get(f"/sign-in/centre/{cohort.centre_id}/").content.decode()
    assert f"/sign-in/cohort/{cohort.pk}/" in html


def test_names_are_alphabetical_ignoring_accents_each_with_a_picture(client, cohort):
    for full, preferred in [
        ("Úrsula Gómez", "Úrsula"),
        ("Ana Díaz", "Ana"),
        ("Ángela Ruiz", "Ángela"),
        ("Beatriz Pérez", "Bety"),
    ]:
        factories.ArtisanFactory(cohort=cohort, full_name=full, preferred_name=preferred)
    html = client.get(f"/sign-in/cohort/{cohort.pk}/").content.decode()
    names = list(zip(faces_in(html), re.findall(r"</span>\s*<strong>([^<]+)</strong>", html), strict=True))
    assert [name for _face, name in names] == ["Ana", "Ángela", "Bety", "Úrsula"]
    assert len({face for face, _name in names}) == 4
    assert "background:#" in html and "faces.svg#" in html and "<img" not in html


def test_two_women_with_the_same_preferred_name_can_tell_which_is_which(client, cohort):
    factories.ArtisanFactory(cohort=cohort, full_name="María Pérez Gómez", preferred_name="María")
    factories.ArtisanFactory(cohort=cohort, full_name="María López Sántiz", preferred_name="María")
    html = client.get(f"/sign-in/cohort/{cohort.pk}/").content.decode()
    assert "María L." in html and "María P." in html


def test_inactive_artisans_are_not_listed(client, cohort):
    gone = factories.ArtisanFactory(cohort=cohort, preferred_name="Ausente")
    gone.user.is_active = False
    gone.user.save()
    assert "Ausente" not in client.get(f"/sign-in/cohort/{cohort.pk}/").content.decode()
    assert client.get(pin_url(gone)).status_code == 404


def test_unknown_centre_cohort_or_artisan_is_404(client, db):
    for url in ["/sign-in/centre/999999/", "/sign-in/cohort/999999/", "/sign-in/artisan/999999/"]:
        assert client.get(url).status_code == 404


def test_keypad_page_shows_her_preferred_name_and_works_without_javascript(client, artisan):
    html = client.get(pin_url(artisan)).content.decode()
    assert "Mari" in html and "faces.svg#" in html
    # Plain submit buttons in a POST form: nothing here needs a script (one may only enhance the page).
    keypad = re.search(r'<form method="post" class="keypad"[^>]*>(.*?)</form>', html, re.S).group(1)
    assert keypad.count('<button class="btn btn--secondary"') == 11  # ten digits and erase
    assert keypad.count('name="key"') == 11
    assert "onclick" not in html and "<script>" not in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_four_taps_sign_her_in_with_a_new_session_key(client, artisan):
    client.get(pin_url(artisan))
    tap(client, artisan, factories.TEST_PIN[:2])
    before = client.session.session_key
    assert before
    response = tap(client, artisan, factories.TEST_PIN[2:], start=2)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.session_key != before  # rotated at sign-in
    assert int(client.session["_auth_user_id"]) == artisan.user_id
    assert KEYPAD_SESSION_KEY not in client.session
    assert response.cookies[COHORT_COOKIE].value == str(artisan.cohort_id)
    home = client.get("/").content.decode()
    assert "Mari" in home and 'action="/sign-out/"' in home


def test_the_page_never_contains_the_digits_typed_so_far(client, artisan):
    response = tap(client, artisan, "258")
    html = response.content.decode()
    assert "258" not in html
    assert html.count('class="pin-dot pin-dot--filled"') == 3 and html.count('class="pin-dot"') == 1


def test_a_repeated_tap_is_ignored(client, artisan):
    tap(client, artisan, "2")
    client.post(pin_url(artisan), {"key": "2", "n": "0"})  # resent form: it saw 0 digits, there is 1 now
    response = tap(client, artisan, "580", start=1)
    assert response.status_code == 302


def test_erase_removes_the_last_digit(client, artisan):
    tap(client, artisan, "29")
    client.post(pin_url(artisan), {"key": "del", "n": "2"})
    assert tap(client, artisan, "580", start=1).status_code == 302


def test_a_typed_pin_also_works(client, artisan):
    assert client.post(pin_url(artisan), {"pin": factories.TEST_PIN}).status_code == 302


def test_a_malformed_typed_pin_is_explained_and_not_counted(client, artisan):
    response = client.post(pin_url(artisan), {"pin": "12"})
    assert response.status_code == 200
    assert PinCredential.objects.get(user=artisan.user).failed_attempts == 0


def test_wrong_pin_gets_a_plain_message_and_counts(client, artisan):
    response = tap(client, artisan, "9999")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "4" in html
    assert PinCredential.objects.get(user=artisan.user).failed_attempts == 1
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_wrong_pins_with_a_clear_message(client, artisan):
    for _ in range(5):
        response = tap(client, artisan, "9999")
    html = response.content.decode()
    assert 'name="key"' not in html  # no keypad while she waits
    assert "15" in html
    # Even the right PIN does not work now.
    assert client.post(pin_url(artisan), {"pin": factories.TEST_PIN}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_never_per_ip(artisan, cohort):
    """Thirty women share one IP: one woman's lockout must not stop another's sign-in, and a
    different IP does not get around a lockout."""
    neighbour = factories.ArtisanFactory(cohort=cohort)
    same_ip = {"REMOTE_ADDR": "10.0.0.5"}
    first = Client(**same_ip)
    for _ in range(5):
        tap(first, artisan, "9999")
    second = Client(**same_ip)
    assert tap(second, neighbour, factories.TEST_PIN).status_code == 302
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    assert elsewhere.post(pin_url(artisan), {"pin": factories.TEST_PIN}).status_code == 200


def test_no_pin_yet_says_whom_to_ask(client, cohort):
    profile = factories.ArtisanFactory(cohort=cohort, pin=False)
    html = client.get(pin_url(profile)).content.decode()
    assert 'name="key"' not in html and 'role="alert"' in html


def test_next_is_kept_through_the_steps_and_only_if_local(client, artisan, lesson):
    html = client.get(f"/sign-in/?next={lesson.url}").content.decode()
    assert "next=" in html
    response = tap(client, artisan, factories.TEST_PIN, next=lesson.url)
    assert response["Location"] == lesson.url
    client.logout()
    response = tap(client, artisan, factories.TEST_PIN, next="https://evil.example/")
    assert response["Location"] == "/"


def test_she_lands_in_her_preferred_language(client, cohort):
    profile = factories.ArtisanFactory(cohort=cohort, preferred_language="en")
    assert tap(client, profile, factories.TEST_PIN)["Location"] == "/en/"


def test_the_device_remembers_her_group(client, artisan):
    tap(client, artisan, factories.TEST_PIN)
    client.post("/sign-out/")
    html = client.get("/sign-in/").content.decode()
    assert f'href="/sign-in/cohort/{artisan.cohort_id}/"' in html


def test_sign_out_is_a_post_that_flushes_the_session(client, artisan):
    tap(client, artisan, factories.TEST_PIN)
    key = client.session.session_key
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert not Session.objects.filter(session_key=key).exists()
    assert "_auth_user_id" not in client.session


def test_salir_is_on_every_page_when_signed_in(client, artisan, lesson, modules):
    tap(client, artisan, factories.TEST_PIN)
    for url in ["/", lesson.url, modules[2].url, "/progress/", "/sign-in/", "/en/"]:
        html = client.get(url).content.decode()
        assert re.search(r'action="(/en)?/sign-out/"', html) and 'class="btn btn--compact"' in html, url


def test_session_expires_after_thirty_minutes_idle(client, artisan, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_REFRESH_SECONDS <= 5 * 60
    tap(client, artisan, factories.TEST_PIN)
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + timedelta(minutes=30, seconds=5)
    session.expire_date = timezone.now() - timedelta(seconds=1)  # as if she left the tablet for 30 minutes
    session.save()
    assert client.get("/progress/").status_code == 302


def test_activity_keeps_the_session_alive(client, artisan):
    tap(client, artisan, factories.TEST_PIN)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    client.get("/progress/")
    assert Session.objects.get(session_key=client.session.session_key).expire_date > timezone.now() + timedelta(
        minutes=29
    )


def test_signing_in_as_someone_else_replaces_the_previous_person(client, artisan, cohort):
    other = factories.ArtisanFactory(cohort=cohort, preferred_name="Juanita")
    tap(client, artisan, factories.TEST_PIN)
    assert "Mari" in client.get(pin_url(other)).content.decode()  # she is told who is still signed in
    tap(client, other, factories.TEST_PIN)
    assert int(client.session["_auth_user_id"]) == other.user_id


def test_staff_sign_in_is_linked_from_every_sign_in_page(client, artisan):
    for url in ["/sign-in/", f"/sign-in/cohort/{artisan.cohort_id}/", pin_url(artisan)]:
        assert 'href="/staff/sign-in/' in client.get(url).content.decode()


def test_staff_sign_in_with_username_and_password(client, facilitator):
    response = client.post("/admin/login/", {"username": facilitator.username, "password": "a-strong-test-password"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == facilitator.pk


def test_sign_in_pages_are_not_indexed(client, artisan):
    assert 'name="robots" content="noindex"' in client.get("/sign-in/").content.decode()


@pytest.mark.parametrize("url", ["pin", "/sign-out/"])
def test_every_post_needs_its_csrf_token(artisan, url):
    client = Client(enforce_csrf_checks=True)
    target = pin_url(artisan) if url == "pin" else url
    assert client.post(target, {"pin": factories.TEST_PIN}).status_code == 403
    assert PinCredential.objects.get(user=artisan.user).failed_attempts == 0
    page = client.get(pin_url(artisan)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(pin_url(artisan), {"pin": factories.TEST_PIN, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
