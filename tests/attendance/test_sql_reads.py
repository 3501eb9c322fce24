"""The reads a list's save makes as SQL (attendance.selectors, attendance.validation) answer what the ORM
answers: the same session, the same records, the same count, the same members."""

import datetime

import pytest

from attendance.models import AttendanceRecord, Session
from attendance.selectors import recorded_count, records_as_they_are, session_detail
from attendance.validation import LineValidator, status_lookup
from people.models import ArtisanProfile
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(cohort, other_cohort, facilitator):
    session = Session.objects.create(
        cohort=cohort, date=datetime.date(2026, 3, 2), start_time=datetime.time(10), place="Salón"
    )
    here = [factories.ArtisanFactory(cohort=cohort, preferred_name=f"Ana{n}") for n in range(3)]
    moved = factories.ArtisanFactory(cohort=other_cohort, preferred_name="Rosa")  # a record kept after a move
    now = datetime.datetime(2026, 3, 2, 11, tzinfo=datetime.UTC)
    for profile, status, note in (
        (here[0], "present", ""),
        (here[1], "late", "Llegó con su hija"),
        (moved, "absent", ""),
    ):
        AttendanceRecord.objects.create(
            session=session, artisan=profile.user, status=status, note=note, recorded_at=now, recorded_by=facilitator
        )
    return session, here, moved


def test_the_session_to_save_is_the_orm_s(marked):
    session, _here, _moved = marked
    found, expected = session_detail(session.pk, to_save=True), Session.objects.get(pk=session.pk)
    assert all(getattr(found, f.attname) == getattr(expected, f.attname) for f in Session._meta.concrete_fields)
    assert session_detail(987654, to_save=True) is None


def test_records_and_count_are_the_orm_s(marked):
    session, here, moved = marked
    ids = [profile.user_id for profile in (*here, moved)]
    assert records_as_they_are(session.pk, ids) == {
        artisan_id: (status, note)
        for artisan_id, status, note in AttendanceRecord.objects.filter(
            session=session, artisan_id__in=ids
        ).values_list("artisan_id", "status", "note")
    }
    assert records_as_they_are(session.pk, []) == {}
    orm = AttendanceRecord.objects.filter(session=session, artisan__artisan__cohort_id=session.cohort_id).count()
    assert recorded_count(session.pk, session.cohort_id) == orm == 2  # the moved artisan is not counted


def test_the_validator_knows_the_cohort_s_members_and_every_way_to_write_a_status(marked):
    session, here, moved = marked
    validator = LineValidator(session.cohort_id)
    assert validator.members == dict(
        ArtisanProfile.objects.filter(cohort_id=session.cohort_id).values_list("user_id", "preferred_name")
    )
    assert moved.user_id not in validator.members
    lookup = status_lookup()
    assert dict(lookup) == {
        "present": "present", "presente": "present", "late": "late", "tarde": "late",
        "excused": "excused", "justificada": "excused", "absent": "absent", "ausente": "absent",
    }  # fmt: skip
    with pytest.raises(TypeError):
        lookup["nuevo"] = "present"  # shared by every list: read-only
