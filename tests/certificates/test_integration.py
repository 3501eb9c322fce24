"""Issuing from the services that record progress, quiz results and attendance (no signals, no stubs)."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate
from certificates.rules import check_and_issue_many
from tests.factories import ArtisanProfileFactory

from .conftest import attend, complete_lessons, default_lessons, take_quizzes

pytestmark = pytest.mark.django_db


def _calls(module_path: str, name: str) -> bool:
    """Whether the service module calls `name` (outside comments): its owner may not have wired it yet."""
    import importlib
    import inspect

    source = inspect.getsource(importlib.import_module(module_path))
    return any(name in line.split("#", 1)[0] for line in source.splitlines())


def test_finishing_the_last_lesson_issues_the_certificate(cohort, modules, artisan):
    if not _calls("progress.services", "check_and_issue"):
        pytest.skip("progress.services.lesson_mark_done does not call check_and_issue yet")
    from progress.services import lesson_mark_done

    last_module = modules[-1]
    complete_lessons(artisan, modules[:-1])
    lessons = default_lessons(last_module)
    complete_lessons(artisan, [])
    take_quizzes(artisan, modules)
    attend(artisan, cohort, present=5)
    for lesson in lessons[:-1]:
        lesson_mark_done(user=artisan, lesson=lesson)
    assert not Certificate.objects.filter(user=artisan).exists()
    lesson_mark_done(user=artisan, lesson=lessons[-1])
    certificate = Certificate.objects.get(user=artisan)
    assert certificate.is_valid and certificate.issued_how == "auto" and certificate.pdf
    lesson_mark_done(user=artisan, lesson=lessons[-1])  # again: nothing new
    assert Certificate.objects.filter(user=artisan).count() == 1


def test_paper_results_issue_certificates_for_those_who_have_now_earned_them(cohort, modules, facilitator):
    from assessments.selectors import quiz_for_page
    from assessments.services import paper_results_record

    ready, not_ready = (ArtisanProfileFactory(cohort=cohort).user for _ in range(2))
    for user in (ready, not_ready):
        complete_lessons(user, modules)
        take_quizzes(user, modules[:-1])
    attend(ready, cohort, present=5)
    attend(not_ready, cohort, present=1, absent=4)
    quiz = quiz_for_page(modules[-1])
    recorded = paper_results_record(
        recorded_by=facilitator,
        quiz=quiz,
        cohort=cohort,
        taken_on=datetime.date(2026, 6, 1),
        scores={ready.pk: 90, not_ready.pk: 95},
        token=uuid.uuid4(),
    )
    assert len(recorded) == 2
    assert Certificate.objects.filter(user=ready, status="valid").exists()
    assert not Certificate.objects.filter(user=not_ready).exists()


def test_saving_attendance_issues_for_artisans_who_reach_the_threshold(cohort, modules, facilitator):
    if not _calls("attendance.services", "check_and_issue"):
        pytest.skip("attendance.services.attendance_save does not call check_and_issue yet")
    from attendance.models import Session
    from attendance.services import Entry, attendance_save

    user = ArtisanProfileFactory(cohort=cohort).user
    complete_lessons(user, modules)
    take_quizzes(user, modules)
    attend(user, cohort, present=3, absent=1)  # 75%
    assert not Certificate.objects.filter(user=user).exists()
    session = Session.objects.create(cohort=cohort, date=datetime.date(2026, 5, 4), start_time=datetime.time(10))
    attendance_save(session=session, entries=[Entry(artisan_id=user.pk, status="present")], recorded_by=facilitator)
    assert Certificate.objects.filter(user=user, status="valid").exists()  # 4 of 5: 80%


def test_check_many_decides_in_constant_queries(cohort, modules):
    users = [ArtisanProfileFactory(cohort=cohort).user for _ in range(3)]
    with CaptureQueriesContext(connection) as few:
        assert check_and_issue_many(users=users) == []
    more = users + [ArtisanProfileFactory(cohort=cohort).user for _ in range(25)]
    with CaptureQueriesContext(connection) as many:
        assert check_and_issue_many(users=more) == []
    assert len(many) == len(few)


def test_a_certificate_that_cannot_be_rendered_never_breaks_the_recording(cohort, modules, artisan, monkeypatch):
    from assessments.selectors import quiz_for_page
    from assessments.services import paper_results_record
    from certificates import pdf
    from tests.certificates.conftest import facilitator_for

    def broken(*args, **kwargs):
        raise pdf.CertificateLayoutError("boom")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    facilitator = facilitator_for(cohort, username="facilitadora-papel")
    complete_lessons(artisan, modules)
    take_quizzes(artisan, modules[:-1])
    attend(artisan, cohort, present=5)
    recorded = paper_results_record(
        recorded_by=facilitator,
        quiz=quiz_for_page(modules[-1]),
        cohort=cohort,
        taken_on=datetime.date(2026, 6, 1),
        scores={artisan.pk: 100},
        token=uuid.uuid4(),
    )
    assert recorded[0][1] is True and recorded[0][0].pk  # her result is recorded
    assert not Certificate.objects.filter(user=artisan).exists()  # the next event (or staff) will issue it
