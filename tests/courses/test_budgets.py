"""Byte and query budgets for the lesson pages (deterministic: pinned here, timed in bench/)."""

import pytest
from django.contrib.staticfiles import finders

from courses.models import LessonPage, ModulePage
from tests.budgets import PAGE_BUDGET, css_bytes, gzipped, subresources

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_lesson_page_fits_the_first_visit_budget(client, language):
    lessons = LessonPage.objects.live().filter(locale__language_code=language)
    assert lessons.count() >= 18
    css = css_bytes()
    worst = 0
    for lesson in lessons:
        response = client.get(lesson.url)
        assert response.status_code == 200
        html = response.content.decode()
        total = gzipped(response.content) + css
        worst = max(worst, total)
        assert total <= PAGE_BUDGET, (lesson.url, total)
        resources = subresources(html)
        assert len(resources) + 1 <= 3, resources
        assert "<script" not in html
        assert "@font-face" not in html and "fonts.googleapis" not in html
    print(f"worst lesson page: {worst} bytes compressed (HTML + CSS)")


def test_home_and_module_pages_fit_the_budget(client, modules):
    for url in ["/", "/en/", *[module.url for module in modules]]:
        response = client.get(url)
        assert gzipped(response.content) + css_bytes() <= PAGE_BUDGET, url


def test_css_has_no_web_fonts():
    with open(finders.find("css/telar.css"), encoding="utf-8") as handle:
        assert "@font-face" not in handle.read()


def _lesson_queries(client, django_assert_num_queries, lesson) -> int:
    client.get(lesson.url)  # warm per-process caches (site root paths)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(lesson.url).status_code == 200
    return len(ctx.captured_queries)


def test_lesson_queries_do_not_grow_with_modules_and_lessons(client, django_assert_num_queries, modules, programme):
    lesson = LessonPage.objects.child_of(modules[0]).live().order_by("path")[1]
    before = _lesson_queries(client, django_assert_num_queries, lesson)
    for number in range(3):
        extra = ModulePage(title=f"Extra {number}", slug=f"extra-{number}", summary="s", order=10 + number)
        programme.add_child(instance=extra)
        for index in range(6):
            extra.add_child(instance=LessonPage(title=f"L {number}.{index}", slug=f"l-{number}-{index}"))
    for index in range(5):
        modules[0].add_child(instance=LessonPage(title=f"More {index}", slug=f"more-{index}"))
    after = _lesson_queries(client, django_assert_num_queries, lesson)
    assert after == before, (before, after)
    # The page itself, its routing, navigation, language links and the whole drawn lesson are kept per
    # tree version (courses.cache; with the database cache, one read: the tree version). Was 15 before
    # issue 17, then 1 (the page row).
    assert before == 0, before


def test_home_queries_do_not_grow_with_modules(client, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    before = len(ctx.captured_queries)
    for number in range(4):
        programme.add_child(instance=ModulePage(title=f"Extra {number}", slug=f"x-{number}", summary="s", order=20))
    client.get("/")  # the tree changed: the worker learns it again once (courses.cache)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert len(ctx.captured_queries) == before
