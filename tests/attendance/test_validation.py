"""attendance.validation: one validator for a line of attendance, whether it comes from the phone or a sheet."""

import pytest
import tablib
from django.core.exceptions import ValidationError

from attendance.models import AttendanceRecord
from attendance.services import Entry, attendance_import, attendance_save
from attendance.validation import NOTE_MAX, LineValidator

from .factories import artisans

pytestmark = pytest.mark.django_db


@pytest.fixture
def validator(session, members):
    return LineValidator(session.cohort_id)


def test_a_good_line_is_made_clean(validator, members):
    line = validator.check(artisan=str(members[0].user_id), status=" Presente ", note="  Llegó con su hija  ")
    assert (line.artisan_id, line.status, line.note, line.errors) == (
        members[0].user_id,
        "present",
        "Llegó con su hija",
        {},
    )


@pytest.mark.parametrize(
    ("written", "code"),
    [("present", "present"), ("TARDE", "late"), ("justificada", "excused"), ("Absent", "absent"), ("", "")],
)
def test_a_status_by_its_code_or_either_label_in_any_case(validator, members, written, code):
    line = validator.check(artisan=members[0].user_id, status=written)
    assert line.status == code and not line.errors


@pytest.mark.parametrize("artisan", [None, "", "abc", "12x", -3])
def test_who_is_not_an_id_is_not_in_the_cohort(validator, artisan):
    assert "artisan" in validator.check(artisan=artisan, status="present").errors


def test_every_problem_of_a_line_at_once(validator, other_cohort):
    stranger = artisans(other_cohort, 1)[0]
    line = validator.check(artisan=stranger.user_id, status="dormida", note="x" * (NOTE_MAX + 1))
    assert set(line.errors) == {"artisan", "status", "note"}
    assert any("dormida" in message for message in line.messages)


def test_once_per_artisan_or_per_session_and_artisan(validator, members):
    a = members[0].user_id
    assert not validator.check(artisan=a, status="present").errors
    assert "artisan" in validator.check(artisan=a, status="late").errors
    assert not validator.check(artisan=a, status="late", once_per=2).errors  # another session of a sheet
    assert not validator.check(artisan=a, status="").errors  # no status: nothing to repeat


def test_the_list_and_the_sheet_refuse_the_same_line_with_the_same_words(session, members, facilitator):
    """Bug fixed: the sheet import had its own copy of the rules: a too-long note got the model's generic
    message (or none), and every message differed from the list's."""
    a = members[0].user_id
    cases = {"status": ("dormida", ""), "note": ("present", "x" * (NOTE_MAX + 1))}
    for field, (status, note) in cases.items():
        with pytest.raises(ValidationError) as from_list:
            attendance_save(session=session, entries=[Entry(a, status, note)], recorded_by=facilitator)
        sheet = tablib.Dataset(headers=["session", "artisan", "status", "note"])
        sheet.append([session.pk, a, status, note])
        result = attendance_import(cohort=session.cohort, dataset=sheet, recorded_by=facilitator, dry_run=True)
        (invalid,) = result.invalid_rows
        assert list(invalid.error_dict) == [field]
        assert invalid.error_dict[field] == from_list.value.messages, field
    assert not AttendanceRecord.objects.exists()
