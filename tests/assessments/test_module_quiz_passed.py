"""Whether a module's quiz already counted as passed for her: asked on every quiz submit (it decides whether the
certificate rule is asked), reading that module's attempts only, by the quiz's own rule for which one counts."""

import uuid
from decimal import Decimal

import pytest

from assessments.choices import Counting
from assessments.selectors import module_quiz_passed, module_quiz_results, quiz_for_page, quiz_questions
from assessments.services import attempt_submit

pytestmark = pytest.mark.django_db


def _answers(quiz, *, right: bool) -> dict:
    answers = {}
    for question in quiz_questions(quiz):
        if question.kind == "numeric":
            answers[question.pk] = Decimal(question.answer) + (0 if right else 1000)
        else:
            answers[question.pk] = [o.pk for o in question.options.all() if o.is_correct == right][:1]
    return answers


def _submit(user, quiz, *, right: bool):
    return attempt_submit(user=user, quiz=quiz, answers=_answers(quiz, right=right), token=uuid.uuid4())[0]


def test_another_modules_pass_is_not_this_modules(artisan, modules):
    first, second = quiz_for_page(modules[0]), quiz_for_page(modules[1])
    _submit(artisan.user, first, right=True)
    assert module_quiz_passed(artisan.user.pk, modules[0].translation_key)
    assert not module_quiz_passed(artisan.user.pk, modules[1].translation_key)
    _submit(artisan.user, second, right=False)
    assert not module_quiz_passed(artisan.user.pk, modules[1].translation_key)
    assert module_quiz_passed(artisan.user.pk, modules[0].translation_key)


@pytest.mark.parametrize("counting", [Counting.HIGHEST, Counting.LATEST, Counting.FIRST])
def test_it_agrees_with_the_module_results_under_each_counting_rule(artisan, modules, counting):
    quiz = quiz_for_page(modules[0])
    quiz.counting = counting
    quiz.save_revision().publish()
    key = modules[0].translation_key
    for right in (False, True, False):
        _submit(artisan.user, quiz, right=right)
        expected = module_quiz_results([artisan.user.pk], [key])[artisan.user.pk][key].passed
        assert module_quiz_passed(artisan.user.pk, key) is expected
    # the third attempt failed: it counts under "latest", the pass under "highest", the first fail under "first"
    assert module_quiz_passed(artisan.user.pk, key) is (counting == Counting.HIGHEST)


def test_a_module_without_a_quiz_was_never_passed(artisan):
    assert not module_quiz_passed(artisan.user.pk, uuid.uuid4())
    assert not module_quiz_passed(artisan.user.pk, None)
