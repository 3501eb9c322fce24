"""Two facilitators saving the same list at the same moment: nothing lost, nothing duplicated.

Real threads, real connections, committed transactions (transactional_db).
Runs on PostgreSQL (row lock on the session, ON CONFLICT upserts) and on
SQLite (writers serialised by BEGIN IMMEDIATE and the busy timeout).
"""

import threading

import pytest
from django.db import connection

from attendance.models import AttendanceRecord
from attendance.services import Entry, attendance_save

from .factories import SessionFactory, artisans, facilitator_for

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def wrap(job):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            job()
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


@pytest.fixture
def room():
    from tests.factories import CohortFactory

    cohort = CohortFactory(name="Grupo concurrente")
    first = facilitator_for(cohort, username="fac-uno")
    second = facilitator_for(cohort, username="fac-dos")
    people = [profile.user_id for profile in artisans(cohort, 30)]
    return cohort, first, second, people


@pytest.mark.parametrize("round_", range(5))
def test_each_facilitators_correction_survives(room, round_):
    cohort, first, second, people = room
    session = SessionFactory(cohort=cohort)
    shown = ("present", "")  # both pressed "everyone present" on the empty list
    mine = {people[round_]: "late", people[10 + round_]: "excused"}
    hers = {people[20 + round_]: "absent", people[5]: "late"}

    def save(user, corrections):
        entries = [Entry(pk, corrections.get(pk, "present"), "", shown) for pk in people]
        return lambda: attendance_save(session=session, entries=entries, recorded_by=user)

    run_together(save(first, mine), save(second, hers))
    records = list(AttendanceRecord.objects.filter(session=session))
    assert len(records) == len(people)
    statuses = {r.artisan_id: (r.status, r.recorded_by_id) for r in records}
    for pk, status in mine.items():
        assert statuses[pk] == (status, first.pk)
    for pk, status in hers.items():
        assert statuses[pk] == (status, second.pk)
    untouched = set(people) - set(mine) - set(hers)
    assert {statuses[pk][0] for pk in untouched} == {"present"}


def test_two_full_overwrites_leave_one_record_each_and_the_last_write_wins(room):
    cohort, first, second, people = room
    session = SessionFactory(cohort=cohort)
    lists = {first: "present", second: "absent"}

    def save(user):
        entries = [Entry(pk, lists[user]) for pk in people]  # no "shown": every line is a change
        return lambda: attendance_save(session=session, entries=entries, recorded_by=user)

    run_together(save(first), save(second))
    records = list(AttendanceRecord.objects.filter(session=session))
    assert len(records) == len(people)
    # The saves took turns: one whole list landed last, with who wrote it and when.
    pairs = {(r.status, r.recorded_by_id) for r in records}
    assert pairs in ({("present", first.pk)}, {("absent", second.pk)})


def test_the_database_vendor_is_reported():
    print(f"concurrency tests ran on {connection.vendor}")
