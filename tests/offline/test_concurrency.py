"""The same kept write arriving twice at the same moment (two tabs, a retry racing the original): done once.

Real threads, real connections, committed transactions (transactional_db): on
PostgreSQL the one-time key's unique constraint settles the race; on SQLite,
writers take turns (BEGIN IMMEDIATE) and the second finds the first's row.
"""

import threading
import urllib.parse

import pytest
from django.urls import reverse
from django.utils import translation

from attendance.models import AttendanceRecord
from core.tokens import make_token
from offline.models import OfflineWrite
from offline.services import queued_write_accept

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs) -> list:
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def wrap(job):
        from django.db import connection

        try:
            barrier.wait(timeout=10)
            results.append(job())
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.parametrize("round_", range(3))
def test_one_write_sent_twice_at_once_is_recorded_once(round_):
    from tests.attendance.factories import SessionFactory, artisans, facilitator_for
    from tests.factories import CohortFactory

    cohort = CohortFactory(name=f"Grupo {round_}")
    facilitator = facilitator_for(cohort, username=f"fac-{round_}")
    people = [profile.user_id for profile in artisans(cohort, 5)]
    session = SessionFactory(cohort=cohort)
    with translation.override("es"):
        path = reverse("attendance:session", args=[session.pk])
    data = {"token": make_token(user_id=facilitator.pk, scope=f"attendance:{session.pk}")}
    data.update({f"s{user_id}": "present" for user_id in people})
    body = urllib.parse.urlencode(data)

    answers = run_together(*[lambda: queued_write_accept(path=path, body=body)] * 2)
    assert {answer.status for answer in answers} == {"recorded"}
    assert sorted(answer.repeat for answer in answers) == [False, True]  # one did it, the other was told
    assert OfflineWrite.objects.count() == 1
    assert AttendanceRecord.objects.filter(session=session).count() == len(people)
