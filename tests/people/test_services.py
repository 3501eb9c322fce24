"""PIN services: hashing, validation, per-account lockout, unlock; artisan creation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from people.models import ArtisanProfile, PinCredential
from people.services import (
    LOCKOUT,
    MAX_WRONG_PINS,
    artisan_create,
    artisan_pin_check,
    artisan_pin_set,
    artisan_unlock,
    pin_status,
    validate_pin,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_pin_is_stored_hashed_never_in_clear(artisan):
    credential = PinCredential.objects.get(user=artisan.user)
    assert factories.TEST_PIN not in credential.pin_hash
    assert credential.pin_hash.count("$") >= 2  # algorithm$...$hash


@pytest.mark.parametrize("pin", ["", "123", "12345", "12a4", "١٢٣٤", " 2580", "0000", "7777", "1234", "6789", "4321"])
def test_bad_pins_are_refused_with_a_clear_error(pin):
    with pytest.raises(ValidationError):
        validate_pin(pin)


@pytest.mark.parametrize("pin", ["2580", "1357", "0912", "1122"])
def test_ordinary_pins_are_accepted(pin):
    validate_pin(pin)


def test_setting_an_invalid_pin_saves_nothing(artisan):
    before = PinCredential.objects.get(user=artisan.user).pin_hash
    with pytest.raises(ValidationError):
        artisan_pin_set(user=artisan.user, pin="1111")
    assert PinCredential.objects.get(user=artisan.user).pin_hash == before


def test_only_artisans_get_a_pin(facilitator):
    with pytest.raises(ValidationError):
        artisan_pin_set(user=facilitator, pin="2580")


def test_right_pin_passes_and_clears_the_count(artisan):
    artisan_pin_check(user=artisan.user, pin="9999")
    assert PinCredential.objects.get(user=artisan.user).failed_attempts == 1
    assert artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN).ok
    assert PinCredential.objects.get(user=artisan.user).failed_attempts == 0


def test_five_wrong_pins_lock_the_account_for_fifteen_minutes(artisan):
    now = timezone.now()
    for attempt in range(1, MAX_WRONG_PINS):
        result = artisan_pin_check(user=artisan.user, pin="9999", now=now)
        assert not result.ok and not result.locked
        assert result.attempts_left == MAX_WRONG_PINS - attempt
    result = artisan_pin_check(user=artisan.user, pin="9999", now=now)
    assert result.locked and result.locked_until == now + LOCKOUT == now + timedelta(minutes=15)
    # While locked even the right PIN is not checked, and the lock is not extended.
    during = artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN, now=now + timedelta(minutes=14))
    assert not during.ok and during.locked_until == now + LOCKOUT
    # Afterwards she can sign in with the right PIN.
    assert artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN, now=now + timedelta(minutes=15, seconds=1)).ok


def test_after_a_lock_expires_a_wrong_pin_starts_a_fresh_count(artisan):
    now = timezone.now()
    for _ in range(MAX_WRONG_PINS):
        artisan_pin_check(user=artisan.user, pin="9999", now=now)
    later = artisan_pin_check(user=artisan.user, pin="9999", now=now + LOCKOUT + timedelta(seconds=1))
    assert not later.locked and later.attempts_left == MAX_WRONG_PINS - 1


def test_lockout_is_per_account_not_shared(cohort, artisan):
    other = factories.ArtisanFactory(cohort=cohort)
    for _ in range(MAX_WRONG_PINS):
        artisan_pin_check(user=artisan.user, pin="9999")
    assert pin_status(user=artisan.user).locked
    assert artisan_pin_check(user=other.user, pin=factories.TEST_PIN).ok


def test_facilitator_unlock_and_pin_reset_lift_the_lock(artisan, facilitator):
    for _ in range(MAX_WRONG_PINS):
        artisan_pin_check(user=artisan.user, pin="9999")
    artisan_unlock(user=artisan.user, by=facilitator)
    assert not pin_status(user=artisan.user).locked
    assert artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN).ok
    for _ in range(MAX_WRONG_PINS):
        artisan_pin_check(user=artisan.user, pin="9999")
    credential = artisan_pin_set(user=artisan.user, pin="1357", by=facilitator)
    assert credential.changed_by == facilitator and credential.locked_until is None
    assert artisan_pin_check(user=artisan.user, pin="1357").ok
    assert not artisan_pin_check(user=artisan.user, pin=factories.TEST_PIN).ok


def test_unlock_is_idempotent(artisan):
    artisan_unlock(user=artisan.user)
    artisan_unlock(user=artisan.user)
    assert PinCredential.objects.get(user=artisan.user).failed_attempts == 0


def test_no_pin_and_inactive_accounts_never_pass(cohort):
    without = factories.ArtisanFactory(cohort=cohort, pin=False)
    assert not artisan_pin_check(user=without.user, pin="2580").has_pin
    inactive = factories.ArtisanFactory(cohort=cohort)
    inactive.user.is_active = False
    inactive.user.save()
    assert not artisan_pin_check(user=inactive.user, pin=factories.TEST_PIN).ok


def test_artisan_create_makes_a_user_without_a_usable_password(cohort):
    profile = artisan_create(
        full_name="Petrona Díaz López", preferred_name="Petrona", cohort=cohort, consent_given=True
    )
    assert not profile.user.has_usable_password()
    assert profile.consent_date is not None
    assert profile.initials == "PD"


def test_every_artisan_account_is_made_one_way(cohort, admin_user):
    """Bug fixed: the admin made "artesana-<8 hex>" accounts with her name, the roster import
    "<her-name>-<4 hex>" accounts without it (the 4 hex digits needed a list of every username to avoid
    collisions). Both now go through artisan_account_create."""
    import re

    from people.services import artisan_account_create
    from reports.services import roster_import

    made = artisan_create(full_name="Petrona Díaz López", preferred_name="Petrona", cohort=cohort).user
    account = artisan_account_create(preferred_name="Juana")
    sheet = f"Nombre completo,Grupo,Centro\nRosa Pérez Gómez,{cohort.name},{cohort.centre.name}\n".encode()
    assert roster_import(content=sheet, filename="lista.csv", user=admin_user, dry_run=False).ok
    imported = ArtisanProfile.objects.select_related("user").get(full_name="Rosa Pérez Gómez").user
    for user, name in ((made, "Petrona"), (account, "Juana"), (imported, "Rosa")):
        assert re.fullmatch(r"artesana-[0-9a-f]{12}", user.username), user.username
        assert user.first_name == name and not user.has_usable_password() and not user.is_staff
    assert len({made.username, account.username, imported.username}) == 3


def test_artisan_create_with_bad_input_saves_nothing(cohort):
    from people.models import User

    before = User.objects.count()
    with pytest.raises(ValidationError):
        artisan_create(full_name="", preferred_name="", cohort=cohort)
    assert User.objects.count() == before


def test_authenticate_goes_through_the_pin_backend_only_for_pins(artisan):
    from django.contrib.auth import authenticate

    assert authenticate(artisan=artisan.user, pin=factories.TEST_PIN) == artisan.user
    assert authenticate(artisan=artisan.user, pin="9999") is None
    # An artisan never signs in with a password, whatever she types.
    assert authenticate(username=artisan.user.username, password=factories.TEST_PIN) is None
