"""A module is complete when all its lessons are done and its quiz is passed (the rule lives in progress.selectors)."""

import datetime
import uuid

import pytest

from assessments import selectors
from assessments.models import Counting, Quiz
from assessments.services import attempt_submit, paper_results_record
from courses.models import LessonPage
from progress import selectors as progress
from progress.selectors import COMPLETE, IN_PROGRESS, NOT_STARTED
from progress.services import lesson_mark_done
from tests import factories
from tests.assessments.conftest import build_quiz
from tests.budgets import query_count

pytestmark = pytest.mark.django_db


def finish_lessons(user, module):
    for lesson in LessonPage.objects.child_of(module).live():
        lesson_mark_done(user=user, lesson=lesson)


def submit(user, quiz, *, right: bool):
    """An online attempt through the service, every answer right or every one wrong."""
    answers = {}
    for question in quiz.questions.prefetch_related("options"):
        if question.kind == "numeric":
            answers[question.pk] = question.answer if right else question.answer + 999
            continue
        options = list(question.options.all())
        chosen = [o.pk for o in options if o.is_correct == right]
        answers[question.pk] = chosen if question.kind == "multiple" else chosen[:1]
    return attempt_submit(user=user, quiz=quiz, answers=answers, token=uuid.uuid4())[0]


def module_statuses(user, *, language=None):
    return progress.statuses_for_users([user.pk], language=language)[user.pk]


def first_status(user):
    return module_statuses(user)[0]


def test_lessons_done_but_quiz_not_passed_keeps_the_module_in_progress(artisan, modules, module_quiz):
    finish_lessons(artisan.user, modules[0])
    status = first_status(artisan.user)
    assert (status.status, status.quiz_passed) == (IN_PROGRESS, False)
    submit(artisan.user, module_quiz, right=False)
    assert first_status(artisan.user).status == IN_PROGRESS
    submit(artisan.user, module_quiz, right=True)
    status = first_status(artisan.user)
    assert (status.status, status.quiz_passed) == (COMPLETE, True)


def test_a_passed_quiz_alone_does_not_complete_the_module(artisan, module_quiz):
    submit(artisan.user, module_quiz, right=True)
    status = first_status(artisan.user)
    assert (status.status, status.quiz_passed) == (IN_PROGRESS, True)


def test_nobody_has_started_and_every_module_has_a_quiz_to_pass(artisan, modules):
    statuses = module_statuses(artisan.user)
    assert all(status.status == NOT_STARTED and status.quiz_passed is False for status in statuses)


def test_passing_in_english_completes_the_module_in_both_languages(artisan, modules, module_quiz):
    english = Quiz.objects.get(translation_key=module_quiz.translation_key, locale__language_code="en")
    finish_lessons(artisan.user, modules[0])
    submit(artisan.user, english, right=True)
    assert first_status(artisan.user).status == COMPLETE
    assert module_statuses(artisan.user, language="en")[0].status == COMPLETE


def test_a_paper_result_counts_like_an_online_attempt(artisan, facilitator, cohort, modules, module_quiz):
    finish_lessons(artisan.user, modules[0])
    paper_results_record(
        recorded_by=facilitator,
        quiz=module_quiz,
        cohort=cohort,
        taken_on=datetime.date(2026, 3, 3),
        scores={artisan.user_id: 90},
        token=uuid.uuid4(),
    )
    status = first_status(artisan.user)
    assert (status.status, status.quiz_passed) == (COMPLETE, True)


def test_a_module_without_a_published_quiz_needs_only_its_lessons(artisan, modules, module_quiz):
    Quiz.objects.filter(translation_key=module_quiz.translation_key).update(live=False)
    finish_lessons(artisan.user, modules[0])
    status = first_status(artisan.user)
    assert (status.status, status.quiz_passed) == (COMPLETE, None)


def test_a_lesson_quiz_does_not_decide_the_module(artisan, modules, lesson):
    lesson_quiz = build_quiz(lesson)
    Quiz.objects.filter(page__translation_key=modules[0].translation_key).delete()
    finish_lessons(artisan.user, modules[0])
    submit(artisan.user, lesson_quiz, right=False)
    assert first_status(artisan.user).status == COMPLETE


@pytest.mark.parametrize(
    ("counting", "passes"),
    [(Counting.HIGHEST, True), (Counting.LATEST, False), (Counting.FIRST, True)],
)
def test_which_attempt_counts_follows_the_quiz_setting(artisan, modules, module_quiz, counting, passes):
    Quiz.objects.filter(translation_key=module_quiz.translation_key).update(counting=counting)
    module_quiz.refresh_from_db()
    submit(artisan.user, module_quiz, right=True)
    submit(artisan.user, module_quiz, right=False)
    key = modules[0].translation_key
    assert (key in selectors.passed_module_keys([artisan.user])[artisan.user_id]) is passes
    assert selectors.best_scores([artisan.user])[artisan.user_id][key] == (100 if passes else 0)


def test_programme_complete_needs_every_quiz(artisan, modules):
    for module in modules:
        finish_lessons(artisan.user, module)
    assert not progress.all_modules_complete(module_statuses(artisan.user))
    quizzes = Quiz.objects.filter(locale__language_code="es", page__in=modules)
    for quiz in quizzes:
        submit(artisan.user, quiz, right=True)
    assert progress.all_modules_complete(module_statuses(artisan.user))


def test_quiz_reads_take_constant_queries(cohort, modules, module_quiz):
    users = [factories.ArtisanFactory(cohort=cohort, pin=False).user for _ in range(2)]
    keys = [module.translation_key for module in modules]
    small = (
        query_count(selectors.passed_module_keys, users),
        query_count(selectors.best_scores, users),
        query_count(selectors.module_quiz_outcomes, [u.pk for u in users], keys),
    )
    more = users + [factories.ArtisanFactory(cohort=cohort, pin=False).user for _ in range(10)]
    for user in more:
        for quiz in Quiz.objects.filter(page__in=modules[:3]):
            submit(user, quiz, right=user.pk % 2 == 0)
    large = (
        query_count(selectors.passed_module_keys, more),
        query_count(selectors.best_scores, more),
        query_count(selectors.module_quiz_outcomes, [u.pk for u in more], keys),
    )
    assert small == large == (2, 2, 2)
    assert len(progress.statuses_for_users([user.pk for user in more])) == 12


def test_of_equal_highest_scores_a_passed_attempt_counts(artisan, facilitator, cohort, modules, module_quiz):
    """Bug fixed: under "highest", of two attempts with the same score the later counted even when only the
    earlier one had passed (the pass mark was raised in between), so her passed quiz stopped counting."""
    Quiz.objects.filter(translation_key=module_quiz.translation_key).update(counting=Counting.HIGHEST, pass_mark=70)
    module_quiz.refresh_from_db()

    def paper(score):
        return paper_results_record(
            recorded_by=facilitator,
            quiz=module_quiz,
            cohort=cohort,
            taken_on=datetime.date(2026, 3, 3),
            scores={artisan.user_id: score},
            token=uuid.uuid4(),
        )[0][0]

    first = paper(70)
    Quiz.objects.filter(translation_key=module_quiz.translation_key).update(pass_mark=80)
    module_quiz.refresh_from_db()
    second = paper(70)
    assert (first.passed, second.passed) == (True, False)
    assert selectors.counting_attempt([first, second], Counting.HIGHEST) == first
    assert modules[0].translation_key in selectors.passed_module_keys([artisan.user])[artisan.user_id]
