"""The text policy (core.text.clean_text) and its boundaries: forms, admin validators, services, stored rows."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.text import clean_text, has_bidi_controls, has_control_characters
from core.validators import validate_name
from people.services import artisan_create
from tests import factories


def test_accents_enye_and_the_saltillo_are_kept_exactly():
    for name in ["Loxaʼ Hernández", "Xunka' López", "Petrona Ñuñez", "Maruchʼ Santízʼ"]:
        assert clean_text(name) == name
    assert clean_text("Mari\u0301a") == "María"  # a decomposed accent made canonical (NFC)


def test_control_characters_never_stay_and_notes_keep_their_lines():
    assert clean_text("Ana\x07 Ruiz\x00\x1b") == "Ana Ruiz"
    assert clean_text(" Ana\u200b  Ruiz\xa0") == "Ana Ruiz"
    assert clean_text("llegó\r\ntarde\x00\n\tporque llovió", multiline=True) == "llegó\ntarde\n\tporque llovió"


@given(st.text())
def test_clean_text_leaves_no_control_character_and_is_idempotent(text):
    once = clean_text(text)
    assert not has_control_characters(once)
    assert clean_text(once) == once
    notes = clean_text(text, multiline=True)
    assert not has_control_characters(notes, multiline=True)
    assert clean_text(notes, multiline=True) == notes


def test_names_with_reordering_marks_or_control_characters_are_refused_with_a_message():
    with translation.override("es"):
        with pytest.raises(ValidationError) as bidi:
            validate_name("Eva \u202eziuR")
        assert "orden" in bidi.value.messages[0]
        with pytest.raises(ValidationError) as control:
            validate_name("Ana\x07")
        assert "control" in control.value.messages[0]
    assert has_bidi_controls("\u2066x\u2069")
    validate_name("Loxaʼ Hernández")


@pytest.mark.django_db
def test_the_admin_form_refuses_a_bell_in_a_name(cohort):
    profile = factories.ArtisanProfileFactory(cohort=cohort)
    profile.full_name = "Ana\x07 Ruiz"
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "full_name" in error.value.message_dict


@pytest.mark.django_db
def test_a_service_stores_names_under_the_policy(cohort):
    profile = artisan_create(full_name="  Mari\u0301a  Pérez\u200b ", preferred_name="Mari\u0301a", cohort=cohort)
    profile.refresh_from_db()
    assert profile.full_name == "María Pérez" and profile.preferred_name == "María"


@pytest.mark.django_db
def test_the_data_migrations_repair_rows_stored_before_the_policy(cohort, facilitator):
    from importlib import import_module

    from attendance.models import AttendanceRecord
    from people.models import ArtisanProfile
    from tests.attendance.factories import AttendanceRecordFactory, SessionFactory

    profile = factories.ArtisanProfileFactory(cohort=cohort)
    ArtisanProfile.objects.filter(pk=profile.pk).update(full_name="Eva\x07 \u202eRuiz", preferred_name="Eva\x1b")
    session = SessionFactory(cohort=cohort)
    record = AttendanceRecordFactory(session=session, artisan=profile.user, note="x", recorded_by=facilitator)
    AttendanceRecord.objects.filter(pk=record.pk).update(note="tarde\x07\nlluvia")
    import_module("people.migrations.0007_repair_names").repair(apps, None)
    import_module("attendance.migrations.0002_repair_notes").repair(apps, None)
    profile.refresh_from_db()
    record.refresh_from_db()
    assert (profile.full_name, profile.preferred_name) == ("Eva Ruiz", "Eva")
    assert record.note == "tarde\nlluvia"
