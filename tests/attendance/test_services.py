"""Services: sessions, the whole-list save with upsert semantics, validation that saves nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from attendance.models import AttendanceRecord, Session
from attendance.services import Entry, attendance_save, session_create, sessions_create_series

from .factories import AttendanceRecordFactory, artisans, facilitator_for

pytestmark = pytest.mark.django_db


def states(session):
    records = AttendanceRecord.objects.filter(session=session)
    return {r.artisan_id: (r.status, r.note, r.recorded_by_id) for r in records}


def test_session_create_is_idempotent_and_links_the_cohorts_facilitators(cohort, facilitator, modules):
    kwargs = {
        "cohort": cohort,
        "date": datetime.date(2026, 3, 9),
        "start_time": datetime.time(9, 30),
        "created_by": facilitator,
    }
    session, created = session_create(place=" Casa ejidal ", module=modules[1], **kwargs)
    again, created_again = session_create(**kwargs)
    assert created and not created_again and again.pk == session.pk
    assert session.place == "Casa ejidal" and session.module.pk == modules[1].pk
    assert list(session.facilitators.all()) == [facilitator]
    assert Session.objects.filter(cohort=cohort).count() == 1


def test_the_database_refuses_a_second_session_in_the_same_slot(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(cohort=session.cohort, date=session.date, start_time=session.start_time)


def test_another_facilitator_cannot_create_a_session_for_my_cohort(cohort, other_facilitator):
    with pytest.raises(ValidationError) as error:
        session_create(
            cohort=cohort, date=datetime.date(2026, 3, 9), start_time=datetime.time(9), created_by=other_facilitator
        )
    assert error.value.code == "not_your_cohort"
    assert not Session.objects.filter(cohort=cohort).exists()


def test_series_one_per_module_weekly_is_idempotent(cohort, facilitator, modules):
    kwargs = {
        "cohort": cohort,
        "first_date": datetime.date(2026, 3, 2),
        "start_time": datetime.time(10),
        "created_by": facilitator,
    }
    result = sessions_create_series(modules=modules, **kwargs)
    assert len(result.created) == 6 and not result.existing
    dates = [s.date for s in Session.objects.filter(cohort=cohort).order_by("date")]
    assert dates == [datetime.date(2026, 3, 2) + datetime.timedelta(weeks=n) for n in range(6)]
    assert [s.module.order for s in Session.objects.filter(cohort=cohort).order_by("date")] == [1, 2, 3, 4, 5, 6]
    again = sessions_create_series(modules=modules, **kwargs)
    assert not again.created and len(again.existing) == 6


def test_series_by_count_and_interval(cohort, facilitator):
    result = sessions_create_series(
        cohort=cohort,
        first_date=datetime.date(2026, 3, 2),
        start_time=datetime.time(16),
        every_days=3,
        count=4,
        created_by=facilitator,
    )
    assert [s.date.day for s in result.created] == [2, 5, 8, 11]
    with pytest.raises(ValidationError):
        sessions_create_series(
            cohort=cohort,
            first_date=datetime.date(2026, 3, 2),
            start_time=datetime.time(16),
            count=0,
            created_by=facilitator,
        )


def test_save_writes_the_whole_list_and_saving_again_updates(session, members, facilitator):
    a, b, c = (p.user_id for p in members)
    result = attendance_save(
        session=session,
        recorded_by=facilitator,
        entries=[Entry(a, "present"), Entry(b, "late", "Llegó con su hija"), Entry(c, "")],
    )
    assert (result.written, result.recorded, result.total) == (2, 2, 3)
    assert states(session) == {a: ("present", "", facilitator.pk), b: ("late", "Llegó con su hija", facilitator.pk)}
    second = facilitator_for(session.cohort, username="co-facilitadora")
    attendance_save(session=session, recorded_by=second, entries=[Entry(a, "absent"), Entry(c, "excused")])
    assert states(session) == {
        a: ("absent", "", second.pk),
        b: ("late", "Llegó con su hija", facilitator.pk),
        c: ("excused", "", second.pk),
    }
    assert AttendanceRecord.objects.filter(session=session).count() == 3


def test_a_line_shown_and_not_touched_never_overwrites_a_newer_save(session, members, facilitator):
    """Two facilitators load the same list; each corrects one artisan; neither loses the other's correction."""
    a, b, c = (p.user_id for p in members)
    second = facilitator_for(session.cohort, username="co-facilitadora")
    shown = ("present", "")  # both pressed "everyone present" on an empty list
    first = {a: "late", b: "present", c: "present"}
    other = {a: "present", b: "absent", c: "present"}
    for user, lines in ((facilitator, first), (second, other)):
        attendance_save(session=session, recorded_by=user, entries=[Entry(i, st, "", shown) for i, st in lines.items()])
    assert states(session) == {
        a: ("late", "", facilitator.pk),
        b: ("absent", "", second.pk),
        c: ("present", "", facilitator.pk),
    }


def test_recorded_at_is_kept_for_untouched_lines_and_renewed_for_changed_ones(session, members, facilitator):
    a, b, _c = (p.user_id for p in members)
    old = timezone.now() - datetime.timedelta(days=1)
    AttendanceRecordFactory(session=session, artisan_id=a, status="present", recorded_at=old, recorded_by=facilitator)
    AttendanceRecordFactory(session=session, artisan_id=b, status="present", recorded_at=old, recorded_by=facilitator)
    attendance_save(
        session=session,
        recorded_by=facilitator,
        entries=[Entry(a, "present", "", ("present", "")), Entry(b, "late", "", ("present", ""))],
    )
    records = {r.artisan_id: r for r in AttendanceRecord.objects.filter(session=session)}
    assert records[a].recorded_at == old
    assert records[b].recorded_at > old and records[b].status == "late"


def test_a_list_saved_again_writes_only_the_lines_that_differ_from_what_is_recorded(session, members, facilitator):
    """A second facilitator re-sends the whole list with one mark changed (and one line whose box she ticked
    back to what it already said): one row is written, the others keep who recorded them and when."""
    a, b, c = (p.user_id for p in members)
    old = timezone.now() - datetime.timedelta(hours=2)
    for artisan_id in (a, b, c):
        AttendanceRecordFactory(
            session=session, artisan_id=artisan_id, status="present", recorded_at=old, recorded_by=facilitator
        )
    second = facilitator_for(session.cohort, username="co-facilitadora")
    result = attendance_save(
        session=session,
        recorded_by=second,
        entries=[
            Entry(a, "late", "", ("present", "")),  # changed
            Entry(b, "present", "", ("late", "")),  # "changed" on her screen, the same as recorded
            Entry(c, "present", "", ("present", "")),  # untouched
        ],
    )
    assert (result.written, result.recorded, result.total) == (1, 3, 3)
    records = {r.artisan_id: r for r in AttendanceRecord.objects.filter(session=session)}
    assert (records[a].status, records[a].recorded_by_id) == ("late", second.pk) and records[a].recorded_at > old
    for artisan_id in (b, c):
        assert (records[artisan_id].status, records[artisan_id].recorded_by_id) == ("present", facilitator.pk)
        assert records[artisan_id].recorded_at == old
    again = attendance_save(session=session, recorded_by=second, entries=[Entry(a, "late"), Entry(b, "present")])
    assert again.written == 0  # the same list once more changes nothing
    note = attendance_save(session=session, recorded_by=second, entries=[Entry(b, "present", "Salió temprano")])
    assert note.written == 1 and AttendanceRecord.objects.get(session=session, artisan_id=b).note == "Salió temprano"


@pytest.mark.parametrize("bad", ["unknown_status", "not_in_cohort", "note_too_long", "duplicate"])
def test_bad_input_saves_nothing(session, members, facilitator, other_cohort, bad):
    a, b, c = (p.user_id for p in members)
    AttendanceRecordFactory(session=session, artisan_id=a, status="absent", recorded_by=facilitator)
    stranger = artisans(other_cohort, 1)[0].user_id
    good = [Entry(a, "present"), Entry(b, "late")]
    entries = {
        "unknown_status": [Entry(a, "present"), Entry(b, "sleeping")],
        "not_in_cohort": [*good, Entry(stranger, "present")],
        "note_too_long": [*good, Entry(c, "present", "x" * 201)],
        "duplicate": [*good, Entry(b, "absent")],
    }[bad]
    before = states(session)
    with pytest.raises(ValidationError) as error:
        attendance_save(session=session, entries=entries, recorded_by=facilitator)
    assert [e.code for e in error.value.error_list] == [bad]
    assert states(session) == before  # nothing saved, not even the good lines


def test_a_session_of_another_facilitators_cohort_saves_nothing(other_session, facilitator, other_cohort):
    people = artisans(other_cohort, 2)
    with pytest.raises(ValidationError) as error:
        attendance_save(
            session=other_session, entries=[Entry(p.user_id, "present") for p in people], recorded_by=facilitator
        )
    assert error.value.code == "not_your_cohort"
    assert not AttendanceRecord.objects.exists()


def test_the_database_enforces_one_record_per_session_and_artisan(session, members):
    AttendanceRecordFactory(session=session, artisan_id=members[0].user_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecordFactory(session=session, artisan_id=members[0].user_id)


def test_the_database_refuses_an_unknown_status(session, members):
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(
            session=session, artisan_id=members[0].user_id, status="x", recorded_at=timezone.now()
        )
