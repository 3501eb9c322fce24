"""The benchmark's own page measurements, run on a small generated data set in the test database.

`make bench` measures the same pages on 10,000 artisans; this keeps its code honest (every page
still measurable, nothing "not yet built" any more) and pins the budgets of the two pages no app
pins by bytes: the cohort grid for 200 (its queries are pinned in tests/attendance/test_grid.py)
and the verification page's query count.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import datagen, dataset, measure

pytestmark = pytest.mark.django_db

TINY = datagen.Scale("tiny", centres=2, cohorts=3, artisans=250)


@pytest.fixture
def meta():
    return dataset.generate(TINY, prepare=False)


def test_every_bench_page_is_measured_and_fits_its_budget(meta):
    results = measure.Results(meta=meta)
    measure.measure_pages(results)
    assert [row.name for row in results.pages if row.total is None] == [], [r.note for r in results.pages]
    for row in results.pages:
        assert row.status == 200, (row.name, row.status)
        if row.budget:
            assert row.total <= row.budget, (row.name, row.total)  # HTML + CSS + JS, compressed
    table = measure.render(results, measure.datetime.datetime.now(measure.datetime.UTC), 1.0)
    assert "| Cohort grid for 200 | facilitator |" in table and "not yet built" not in table
    # What the phone receives: every page with its headers; a page with the script also the service worker's
    # five fetches (itself, the CSS and script again, the offline page in each language).
    for row in results.pages:
        assert row.headers > 0 and row.wire >= row.html + row.headers, row.name
        if row.js and "Admin" not in row.name:
            assert row.worker_fetches == 5 and row.worker > row.worker_again > 0, row.name
    lesson = next(row for row in results.pages if (row.name, row.who) == ("Lesson", "artisan"))
    assert lesson.fetches.get("img") and lesson.wire > lesson.total  # the lesson image, as sent


def test_cohort_grid_for_200_fits_the_budget(meta):
    row, client, url = measure.page_cohort_grid_200(meta)
    measure._measure(row, client, url)
    assert row.html > 1_000  # 200 rows really rendered
    assert row.total <= measure.PAGE_BUDGET, row.total


def test_verification_page_queries_do_not_grow_with_certificates(meta, client):
    from certificates import codes
    from certificates.models import Certificate

    url = measure._reverse("certificates:verify_code", meta["certificate_code"])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    template = Certificate.objects.get(code=codes.normalise(meta["certificate_code"]))
    from tests.factories import ArtisanFactory

    for index in range(30):
        profile = ArtisanFactory(cohort=template.user.artisan.cohort, full_name=f"Artesana {index} Pérez")
        Certificate.objects.create(
            user=profile.user,
            programme=template.programme,
            programme_key=template.programme_key,
            programme_title=template.programme_title,
            printed_name=profile.full_name,
            issued_on=template.issued_on,
            code=codes.generate(),
        )
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries) <= 3


def test_narration_is_measured_and_the_lesson_does_not_fetch_it(meta):
    results = measure.Results(meta=meta)
    measure.measure_pages(results)
    measure.measure_audio(results)
    audio = results.audio
    assert "error" not in audio, audio
    assert audio["count"] > 0 and audio["minutes"] > 0 and audio["lesson_audio"] > 0  # the demo voice is there
    assert not audio["audio_fetched"] and audio["lesson_total"] <= measure.PAGE_BUDGET
    section = "\n".join(measure.render_audio(audio))
    assert "per minute" in section and "kbit/s" in section and "not among its fetches" in section


def _without_attendance(count: int) -> None:
    """Some women whose cohorts have not met yet, as the default data set has (the tiny one has none)."""
    from attendance.models import AttendanceRecord
    from people.models import ArtisanProfile

    users = list(ArtisanProfile.objects.order_by("-pk").values_list("user_id", flat=True)[:count])
    AttendanceRecord.objects.filter(artisan_id__in=users).delete()


def test_the_lesson_done_row_taps_lessons_not_yet_done_each_once(meta, monkeypatch):
    """Each prepared tap is a lesson that artisan had not finished (so each records a completion), no tap is
    prepared twice, and the warm-up opens that lesson's page first."""
    from courses.models import LessonPage
    from progress.models import LessonCompletion

    _without_attendance(20)
    monkeypatch.setattr(measure, "LESSON_DONE_TAPS", 120)
    plan = measure.plan_lesson_done(meta)
    taps = [tuple(line.split("\t")[::2]) for line in plan.lines]  # (cookie, path)
    assert len(taps) >= 120 and len(set(taps)) == len(taps) and plan.one_time
    by_path = {measure._reverse("progress:lesson_done", lesson.pk): lesson for lesson in LessonPage.objects.live()}
    assert plan.opens(taps[0][1]) == by_path[taps[0][1]].url
    before = LessonCompletion.objects.count()
    measure._check_plan(plan)  # the first tap, through the test client
    assert plan.row.status == 302 and LessonCompletion.objects.count() == before + 1


def test_the_quiz_submit_row_prepares_a_fresh_token_for_each_request(meta, monkeypatch):
    _without_attendance(10)
    monkeypatch.setattr(measure, "QUIZ_SUBMIT_ARTISANS", 10)
    plan = measure.plan_quiz_submit(meta, 50)
    from urllib.parse import parse_qs

    tokens = [parse_qs(line.split("\t")[1])["token"][0] for line in plan.lines]
    assert len(tokens) == 50 and len(set(tokens)) == 50 and plan.one_time
    assert len({line.split("\t")[0] for line in plan.lines}) == 10  # ten artisans in turn
    measure._check_plan(plan)
    assert plan.row.status == 303
