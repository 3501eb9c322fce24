"""Sign-in that bounds guessing without locking a room out (issue 14).

The numbers behind README's "Security" section: a PIN is 4 digits minus the refused ones (all the
same, straight runs): 9,976 possible PINs. An attacker gets at most WRONG_PINS_BEFORE_HELD wrong
guesses before her account waits for a person (her facilitator), however slowly she guesses and
however often the owner signs in between: 15 / 9,976 = 0.15 % ≤ 0.2 %.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from people import throttle
from people.models import PinCredential
from people.services import (
    LOCKOUT,
    MAX_WRONG_PINS,
    WRONG_PINS_BEFORE_HELD,
    artisan_pin_check,
    artisan_unlock,
    pin_status,
    validate_pin,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def possible_pins() -> list[str]:
    return [f"{n:04d}" for n in range(10_000) if _allowed(f"{n:04d}")]


def _allowed(pin: str) -> bool:
    try:
        validate_pin(pin)
    except ValidationError:
        return False
    return True


def guesses_before_a_person_acts(user, *, owner_signs_in_every=None) -> int:
    """The most patient attacker: waits out every 15-minute lock, spaces locks more than a day apart,
    lets the owner sign in between (which clears the count in a row); counts guesses until held."""
    now = timezone.now()
    wrong = iter(pin for pin in possible_pins() if pin != factories.TEST_PIN)
    guesses = 0
    while guesses < 1000:
        status = pin_status(user=user, now=now)
        if status.held:
            return guesses
        if status.locked_until:
            now = status.locked_until + timedelta(days=1, seconds=1)  # never two locks within a day
            continue
        if owner_signs_in_every and guesses and guesses % owner_signs_in_every == 0:
            assert artisan_pin_check(user=user, pin=factories.TEST_PIN, now=now).ok
        artisan_pin_check(user=user, pin=next(wrong), now=now)
        guesses += 1
        now += timedelta(hours=5)
    raise AssertionError("never held")


def test_the_guessing_bound_is_at_most_two_in_a_thousand(artisan):
    pins = possible_pins()
    assert len(pins) == 9_976
    for owner_every in (None, 2, 4):
        artisan_unlock(user=artisan.user)
        guesses = guesses_before_a_person_acts(artisan.user, owner_signs_in_every=owner_every)
        assert guesses == WRONG_PINS_BEFORE_HELD == 15
        assert guesses / len(pins) <= 0.002  # 0.150 %


def test_locked_twice_in_a_day_she_waits_for_her_facilitator(artisan, facilitator):
    now = timezone.now()
    for _ in range(MAX_WRONG_PINS):
        first = artisan_pin_check(user=artisan.user, pin="9999", now=now)
    assert first.locked_until == now + LOCKOUT and not first.held
    later = now + LOCKOUT + timedelta(minutes=1)
    for _ in range(MAX_WRONG_PINS):
        second = artisan_pin_check(user=artisan.user, pin="9999", now=later)
    assert second.held and second.locked and second.locked_until is None
    # Held: no PIN is checked, not even hers, whatever the time.
    assert not artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN, now=later + timedelta(days=3)).ok
    credential = PinCredential.objects.get(user=artisan.user)
    assert credential.held and credential.wrong_since_unlock == 2 * MAX_WRONG_PINS
    artisan_unlock(user=artisan.user, by=facilitator)
    assert artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN).ok


def test_a_room_of_thirty_on_one_phone_each_with_two_typos_all_get_in(cohort):
    women = [factories.ArtisanFactory(cohort=cohort) for _ in range(30)]
    phone = Client(REMOTE_ADDR="10.0.0.7")  # one phone, the centre's one address
    signed_in = 0
    for woman in women:
        url = f"/sign-in/artisan/{woman.user_id}/"
        for typo in ("0000", "2468"):
            assert phone.post(url, {"pin": typo}).status_code == 200
        response = phone.post(url, {"pin": factories.TEST_PIN})
        assert response.status_code == 302, response.status_code
        signed_in += phone.session.get("_auth_user_id") == str(woman.user_id)
        phone.post("/sign-out/")
    assert signed_in == 30


def test_a_client_failing_across_many_accounts_is_slowed(cohort):
    women = [factories.ArtisanFactory(cohort=cohort) for _ in range(26)]
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    tried = 0
    for woman in women:
        for guess in ("0000", "2468", "1357", "8642"):  # four per account: no account is locked
            if tried < throttle.CLIENT_FREE_WRONG_PINS + 1:
                attacker.post(f"/sign-in/artisan/{woman.user_id}/", {"pin": guess})
                tried += 1
    target = women[-1]
    before = PinCredential.objects.get(user=target.user).failed_attempts
    slowed = attacker.post(f"/sign-in/artisan/{target.user_id}/", {"pin": factories.TEST_PIN})
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) == throttle.CLIENT_WAIT
    assert "_auth_user_id" not in attacker.session  # not even the right PIN is checked while it waits
    assert PinCredential.objects.get(user=target.user).failed_attempts == before
    # Another phone in another centre is not slowed by it.
    assert (
        Client(REMOTE_ADDR="198.51.100.4")
        .post(f"/sign-in/artisan/{target.user_id}/", {"pin": factories.TEST_PIN})
        .status_code
        == 302
    )


def test_staff_passwords_are_limited_per_username_not_per_address(facilitator):
    for n in range(throttle.STAFF_MAX_FAILURES):
        guesser = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")  # a new address each time
        response = guesser.post("/admin/login/", {"username": facilitator.username, "password": f"wrong-{n}"})
        assert response.status_code == 200
    refused = Client().post("/admin/login/", {"username": facilitator.username, "password": "a-strong-test-password"})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    other = factories.FacilitatorFactory(username="facilitadora-otra")
    fine = Client().post("/admin/login/", {"username": other.username, "password": "a-strong-test-password"})
    assert fine.status_code == 302


def test_the_facilitator_sees_who_waits_for_her_and_how_many_wrong_pins(client, artisan, facilitator):
    now = timezone.now()
    for minutes in (0, 20):
        for _ in range(MAX_WRONG_PINS):
            artisan_pin_check(user=artisan.user, pin="9999", now=now + timedelta(minutes=minutes))
    paused = factories.ArtisanFactory(cohort=artisan.cohort, preferred_name="Chepita")
    for _ in range(MAX_WRONG_PINS):
        artisan_pin_check(user=paused.user, pin="9999")
    client.force_login(facilitator)
    workspace = client.get(f"/facilitator/cohorts/{artisan.cohort_id}/").content.decode()
    assert "No pueden entrar ahora" in workspace
    assert "Espera que la desbloquees · 10 claves equivocadas" in workspace
    assert f"/facilitator/artisans/{artisan.pk}/" in workspace  # her page in the workspace (issue 16)
    assert "Chepita" in workspace and f"/facilitator/artisans/{paused.pk}/" in workspace
    html = client.get("/admin/people_artisans/").content.decode()
    assert "Espera que la desbloquees" in html and "10 claves equivocadas" in html
    assert client.post(f"/admin/people_artisans/unlock/{artisan.pk}/").status_code == 302
    assert not pin_status(user=artisan.user).locked
