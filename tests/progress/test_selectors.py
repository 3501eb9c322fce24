"""progress.selectors: the module-complete rule, continue where she left off, constant queries."""

import pytest

from assessments.selectors import ModuleQuizResult
from courses.models import LessonPage, ModulePage
from progress import selectors
from progress.selectors import COMPLETE, IN_PROGRESS, NOT_STARTED
from progress.services import lesson_mark_done
from tests import factories
from tests.budgets import query_count

pytestmark = pytest.mark.django_db

NOT_PASSED = ModuleQuizResult(passed=False, score=None)
PASSED = ModuleQuizResult(passed=True, score=100)


def lessons_of(module):
    return list(LessonPage.objects.child_of(module).live().order_by("path"))


def module_statuses(user, *, language=None):
    """One artisan's statuses, in module order, as every reader gets them (statuses_for_users)."""
    return selectors.statuses_for_users([user.pk], language=language)[user.pk]


def test_nobody_has_started(artisan, modules, without_quizzes):
    statuses = module_statuses(artisan.user)
    assert [status.module.pk for status in statuses] == [module.pk for module in modules]
    assert len(statuses) == 6
    assert all(status.status == NOT_STARTED and status.lessons_done == 0 for status in statuses)
    assert all(status.quiz_passed is None for status in statuses)
    assert not selectors.all_modules_complete(module_statuses(artisan.user))


def test_in_progress_then_complete_when_every_lesson_is_done(artisan, modules, without_quizzes):
    lessons = lessons_of(modules[0])
    lesson_mark_done(user=artisan.user, lesson=lessons[0])
    first = module_statuses(artisan.user)[0]
    assert first.status == IN_PROGRESS and first.lessons_done == 1 and first.lessons_total == len(lessons)
    assert first.next_lesson.pk == lessons[1].pk
    for lesson in lessons:
        lesson_mark_done(user=artisan.user, lesson=lesson)
    first = module_statuses(artisan.user)[0]
    assert first.status == COMPLETE and first.percent == 100 and first.next_lesson is None


def test_the_whole_programme(artisan, modules, without_quizzes):
    for module in modules:
        for lesson in lessons_of(module):
            lesson_mark_done(user=artisan.user, lesson=lesson)
    assert selectors.all_modules_complete(module_statuses(artisan.user))
    overview = selectors.progress_overview(artisan.user)
    assert overview.programme_complete and overview.continue_page is None and overview.modules_complete == 6


def test_a_quiz_that_is_not_passed_keeps_the_module_open(artisan, modules, monkeypatch):
    """The Quizzes issue plugs in through quiz_results; the rule in _status already honours it."""
    key = modules[0].translation_key
    monkeypatch.setattr(
        selectors,
        "quiz_results",
        lambda users, keys: {artisan.user_id: {key: NOT_PASSED}},
    )
    for lesson in lessons_of(modules[0]):
        lesson_mark_done(user=artisan.user, lesson=lesson)
    status = module_statuses(artisan.user)[0]
    assert status.status == IN_PROGRESS and status.quiz_passed is False
    # She just finished the module's lessons: continue with its quiz, on the module page.
    assert selectors.progress_overview(artisan.user).continue_page.pk == modules[0].pk
    monkeypatch.setattr(
        selectors,
        "quiz_results",
        lambda users, keys: {artisan.user_id: {key: PASSED}},
    )
    assert module_statuses(artisan.user)[0].status == COMPLETE


def test_progress_counts_in_every_language(artisan, modules, without_quizzes):
    english = [
        LessonPage.objects.get(translation_key=lesson.translation_key, locale__language_code="en")
        for lesson in lessons_of(modules[0])
    ]
    for lesson in english:
        lesson_mark_done(user=artisan.user, lesson=lesson)
    assert module_statuses(artisan.user, language="es")[0].status == COMPLETE
    statuses = module_statuses(artisan.user, language="en")
    assert statuses[0].status == COMPLETE
    assert statuses[0].module.locale.language_code == "en"


def test_unpublished_lessons_do_notquery_count(artisan, modules, without_quizzes):
    lessons = lessons_of(modules[0])
    for lesson in lessons[:-1]:
        lesson_mark_done(user=artisan.user, lesson=lesson)
    lessons[-1].unpublish()
    assert module_statuses(artisan.user)[0].status == COMPLETE


def test_continue_where_she_left_off(artisan, modules, without_quizzes):
    assert selectors.progress_overview(artisan.user).continue_page.pk == lessons_of(modules[0])[0].pk
    fourth = lessons_of(modules[3])
    lesson_mark_done(user=artisan.user, lesson=lessons_of(modules[0])[0])
    lesson_mark_done(user=artisan.user, lesson=fourth[0])
    assert selectors.progress_overview(artisan.user).continue_page.pk == fourth[1].pk
    for lesson in fourth[1:]:
        lesson_mark_done(user=artisan.user, lesson=lesson)
    # Nothing left right after her last lesson in module 4: the next gap (module 5) comes next.
    assert selectors.progress_overview(artisan.user).continue_page.pk == lessons_of(modules[4])[0].pk


def test_where_she_left_off_follows_the_time_of_her_lessons_to_the_fraction_of_a_second(
    artisan, modules, without_quizzes
):
    """Her last lesson is the latest in time, also when one time has whole seconds and another a fraction
    (SQLite keeps them as text: 10:00:00 and 10:00:00.5 must still sort as times)."""
    import datetime

    from django.utils import timezone

    from progress.models import LessonCompletion

    first, second = lessons_of(modules[0])[0], lessons_of(modules[2])[0]
    noon = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0, 0))
    for lesson, at in ((first, noon + datetime.timedelta(microseconds=500_000)), (second, noon)):
        LessonCompletion.objects.create(user=artisan.user, lesson_key=lesson.translation_key, completed_at=at)
    assert selectors.progress_overview(artisan.user).continue_page.pk == lessons_of(modules[0])[1].pk
    LessonCompletion.objects.filter(user=artisan.user, lesson_key=second.translation_key).update(
        completed_at=noon + datetime.timedelta(seconds=1)
    )
    assert selectors.progress_overview(artisan.user).continue_page.pk == lessons_of(modules[2])[1].pk


def test_an_artisan_never_sees_another_artisans_progress(artisan, cohort, lesson):
    other = factories.ArtisanFactory(cohort=cohort)
    lesson_mark_done(user=other.user, lesson=lesson)
    assert module_statuses(artisan.user)[0].lessons_done == 0
    assert selectors.done_lesson_keys(artisan.user) == set()


def test_query_counts_do_not_grow_with_artisans_lessons_or_completions(cohort, modules, programme):
    first = factories.ArtisanFactory(cohort=cohort, pin=False)

    def cohort_ids():
        return list(cohort.artisans.values_list("user_id", flat=True))

    small = {
        "cohort": query_count(selectors.statuses_for_users, cohort_ids()),
        "cohort_en": query_count(selectors.statuses_for_users, cohort_ids(), language="en"),
        "mine": query_count(module_statuses, first.user),
        "overview": query_count(selectors.progress_overview, first.user),
    }
    # Structure 2 (+2 in English), completions 1; quiz results add a few of their own.
    assert small["mine"] == small["overview"] == small["cohort"]
    assert small["cohort_en"] == small["cohort"] + 2 and small["mine"] <= 6, small
    for _ in range(20):
        profile = factories.ArtisanFactory(cohort=cohort, pin=False)
        for lesson in lessons_of(modules[0]):
            lesson_mark_done(user=profile.user, lesson=lesson)
    extra = ModulePage(title="Extra", slug="extra", summary="s", order=7)
    programme.add_child(instance=extra)
    for index in range(8):
        extra.add_child(instance=LessonPage(title=f"L{index}", slug=f"l{index}"))
    for lesson in lessons_of(modules[1]):
        lesson_mark_done(user=first.user, lesson=lesson)
    large = {
        "cohort": query_count(selectors.statuses_for_users, cohort_ids()),
        "cohort_en": query_count(selectors.statuses_for_users, cohort_ids(), language="en"),
        "mine": query_count(module_statuses, first.user),
        "overview": query_count(selectors.progress_overview, first.user),
    }
    assert large == small
    assert len(selectors.statuses_for_users(cohort_ids())) == 21
    assert len(module_statuses(first.user)) == 7
