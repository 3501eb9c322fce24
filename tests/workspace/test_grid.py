"""The cohort progress grid: modules × artisans, attendance rate, eligibility; constant queries."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import LessonPage
from progress.models import LessonCompletion
from tests.attendance.conftest import login
from tests.attendance.factories import AttendanceRecordFactory, SessionFactory, artisans
from workspace.selectors import certificate_eligibility, cohort_grid

pytestmark = pytest.mark.django_db


def finish_module(user, module, *, cohort, facilitator, score=100):
    """Every lesson done, and the module's quiz (if any) passed on paper."""
    from assessments.models import Quiz
    from assessments.services import paper_results_record

    for lesson in LessonPage.objects.child_of(module).live():
        LessonCompletion.objects.get_or_create(user=user, lesson_key=lesson.translation_key)
    quiz = Quiz.objects.filter(page=module, live=True).first()
    if quiz is not None:
        paper_results_record(
            recorded_by=facilitator,
            quiz=quiz,
            cohort=cohort,
            taken_on=datetime.date(2026, 5, 4),
            scores={user.pk: score},
            token=uuid.uuid4(),
        )
    return quiz


def test_grid_rows_show_lessons_rate_and_eligibility(cohort, facilitator, modules):
    done, halfway, newcomer = artisans(cohort, 3)
    quizzes = [finish_module(done.user, module, cohort=cohort, facilitator=facilitator, score=90) for module in modules]
    first_lesson = LessonPage.objects.child_of(modules[0]).live().order_by("path").first()
    LessonCompletion.objects.create(user=halfway.user, lesson_key=first_lesson.translation_key)
    sessions = [SessionFactory(cohort=cohort) for _ in range(5)]
    for index, session in enumerate(sessions):
        AttendanceRecordFactory(session=session, artisan=done.user, status="absent" if index == 0 else "present")
        AttendanceRecordFactory(session=session, artisan=halfway.user, status="present")
    grid = cohort_grid(cohort)
    rows = {row.profile.pk: row for row in grid.rows}
    assert len(grid.modules) == 6 and grid.sessions == 5
    assert [s.lessons_done == s.lessons_total for s in (c.status for c in rows[done.pk].cells)] == [True] * 6
    assert all(c.status.is_complete for c in rows[done.pk].cells)
    assert [c.score for c in rows[done.pk].cells] == [90 if quiz else None for quiz in quizzes]
    assert [c.status.quiz_passed for c in rows[done.pk].cells] == [True if quiz else None for quiz in quizzes]
    assert rows[done.pk].percent == 80 and rows[done.pk].eligible  # exactly 80 % and every module complete
    assert rows[halfway.pk].cells[0].status.lessons_done == 1 and rows[halfway.pk].percent == 100
    assert not rows[halfway.pk].eligible
    assert rows[newcomer.pk].rate is None and not rows[newcomer.pk].eligible


def test_eligibility_needs_every_module_and_the_threshold(db):
    from decimal import Decimal
    from types import SimpleNamespace

    complete = [SimpleNamespace(is_complete=True, counts=True)] * 6
    almost = [SimpleNamespace(is_complete=True, counts=True)] * 5 + [SimpleNamespace(is_complete=False, counts=True)]
    statuses = {1: complete, 2: complete, 3: almost, 4: complete, 5: []}
    rates = {1: Decimal("0.8"), 2: Decimal("0.7999"), 3: Decimal("1"), 4: None, 5: Decimal("1")}
    assert certificate_eligibility(statuses, rates, threshold=Decimal("0.8")) == {
        1: True,
        2: False,
        3: False,
        4: False,
        5: False,
    }


def _grid_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_grid_page_queries_are_constant_up_to_200_artisans(client, facilitator, cohort, modules):
    login(client, facilitator)
    url = reverse("workspace:cohort_progress", args=[cohort.pk])
    few = artisans(cohort, 3)
    session = SessionFactory(cohort=cohort)
    AttendanceRecordFactory(session=session, artisan=few[0].user)
    small, _response = _grid_queries(client, url)
    many = artisans(cohort, 197)
    lesson = LessonPage.objects.child_of(modules[2]).live().first()
    for profile in many[::3]:
        LessonCompletion.objects.create(user=profile.user, lesson_key=lesson.translation_key)
        AttendanceRecordFactory(session=session, artisan=profile.user, status="late")
    for profile in many[:20]:
        finish_module(profile.user, modules[0], cohort=cohort, facilitator=facilitator, score=75)
    large, response = _grid_queries(client, url)
    print(f"cohort grid: {small} queries with 3 artisans, {large} with 200")
    assert large == small
    # sign-in 3, cohort 2, profiles, programme, structure 2, lessons done 1, quizzes 2, attendance 2, sessions, …
    assert small <= 17, small  # 19 before issue 17 (quiz outcomes and scores were read twice)
    html = response.content.decode()
    assert html.count('<th scope="row">') == 200
    assert html.count('data-l="M1"') == 200 and html.count('data-l="M6"') == 200
    assert html.count("✓ 75%") == 20


def test_grid_page_is_a_table_that_stacks_on_a_phone(client, facilitator, cohort, modules):
    artisans(cohort, 2)
    html = login(client, facilitator).get(reverse("workspace:cohort_progress", args=[cohort.pk])).content.decode()
    assert '<table class="grid">' in html and html.count('<th scope="col">') == 9
    assert modules[0].title in html
    from django.contrib.staticfiles import finders

    with open(finders.find("css/telar.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert re.search(r"\.grid td::before \{\s*content: attr\(data-l\)", css)  # each cell says its column


def test_the_grid_says_what_each_woman_still_needs_closest_first(client, facilitator, cohort, modules):
    done, almost, newcomer = artisans(cohort, 3)
    for module in modules:
        finish_module(done.user, module, cohort=cohort, facilitator=facilitator, score=90)
    for module in modules[:-1]:
        finish_module(almost.user, module, cohort=cohort, facilitator=facilitator, score=90)
    last_lessons = list(LessonPage.objects.child_of(modules[-1]).live())
    for lesson in last_lessons:
        LessonCompletion.objects.get_or_create(user=almost.user, lesson_key=lesson.translation_key)
    sessions = [SessionFactory(cohort=cohort) for _ in range(5)]
    for index, session in enumerate(sessions):
        AttendanceRecordFactory(session=session, artisan=done.user, status="present")
        AttendanceRecordFactory(session=session, artisan=almost.user, status="present" if index < 3 else "absent")
    grid = cohort_grid(cohort)
    assert [row.profile.pk for row in grid.rows] == [done.pk, almost.pk, newcomer.pk]  # closest first
    assert grid.ready == 1 and grid.threshold_percent == 80
    html = login(client, facilitator).get(reverse("workspace:cohort_progress", args=[cohort.pk])).content.decode()
    assert "al menos 80 % de asistencia" in html
    row = html.split('<th scope="row">')[2]  # almost: the last module's quiz and attendance (3 of 5 → needs 5 more)
    from assessments.models import Quiz

    quiz_missing = Quiz.objects.filter(page=modules[-1], live=True).exists()
    assert "Le falta:" in row and ("sesiones" in row)
    if quiz_missing:
        assert f"la evaluación del módulo {modules[-1].order}" in row
    assert "Lista para constancia" in html.split('<th scope="row">')[1]
    newcomer_row = html.split('<th scope="row">')[3]
    assert "✗" not in newcomer_row and "Sin empezar" in newcomer_row and "0/" not in newcomer_row
    ready = client.get(reverse("workspace:cohort_progress", args=[cohort.pk]) + "?ready=1").content.decode()
    assert ready.count('<th scope="row">') == 1 and done.full_name in ready and 'aria-current="page"' in ready


def test_the_certificates_page_shows_the_threshold(client, facilitator, cohort):
    html = login(client, facilitator).get(reverse("certificates:cohort", args=[cohort.pk])).content.decode()
    assert "al menos 80 % de asistencia" in html
