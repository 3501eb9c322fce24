"""Petrona fails her first quiz on a 360×640 phone (issue 15): the result page tells her which questions
were not yet right, with the explanation and a way back to the lessons, but not the right option while
she can still try again; after she passes, the main action is to go on. With and without JavaScript."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from . import journeys
from .test_artisan_journey import sign_in

PETRONA = "HUX-004"  # no lesson done, no quiz tried


def _answer(page, answers: dict) -> None:
    for question_id, answer in answers.items():
        name = f"q{question_id}"
        if isinstance(answer, list):
            for option_id in answer:
                page.locator(f"input[name='{name}'][value='{option_id}']").check()
        else:
            page.locator(f"input[name='{name}']").fill(str(answer))


def _wrong(quiz, right: dict) -> dict:
    """For each question, an answer that is not right: another option, or another number."""
    from assessments.selectors import quiz_questions

    wrong: dict = {}
    for question in quiz_questions(quiz):
        answer = right[question.pk]
        if isinstance(answer, Decimal):
            wrong[question.pk] = answer + 1000
        else:
            wrong[question.pk] = [next(o.pk for o in question.options.all() if o.pk not in answer)]
    return wrong


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_failed_quiz_teaches_without_giving_the_right_option_away(journey_factory, javascript):
    journeys.baseline()
    who = journeys.artisan(PETRONA)
    module, _lessons = journeys.programme_lessons()[0]
    quiz = journeys.module_quiz(module)
    right = journeys.correct_answers(quiz)
    right_texts = {
        option.label
        for question in quiz.questions.all()
        for option in question.options.all()
        if option.is_correct and len(option.label) > 12  # long enough not to appear by chance
    }
    j = journey_factory("quiz-feedback-" + ("javascript" if javascript else "no-javascript"), javascript=javascript)
    page = j.page
    j.goto("/")
    sign_in(j, who)

    # A first try with every answer wrong.
    j.goto(f"/quizzes/{quiz.pk}/")
    _answer(page, _wrong(quiz, right))
    page.locator("main form button[type=submit]").click()
    page.locator("p.score").wait_for()
    assert page.locator("p.score strong").inner_text() == "0%"
    results = page.locator("ol.results")
    text = results.inner_text()
    assert page.locator("ol.results li.result--wrong").count() == len(right)
    assert "Respuesta correcta" not in text  # not while she can still try again
    for option_text in right_texts:
        assert option_text not in text, option_text
    assert "Casi lo logras" not in page.locator("main").inner_text()  # 0 right is not "close"
    review = page.get_by_role("link", name="Repasa las lecciones que enseñan esto").first
    assert review.is_visible()
    retry = page.locator("main .pager a.btn").first
    assert retry.inner_text().strip() == "Intentar otra vez"
    if javascript:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    j.shot("failed: what to look at again, no answers given")

    # She goes over it and tries again: passed, and the main action is to go on.
    retry.click()
    page.locator("main form button[type=submit]").wait_for()
    _answer(page, right)
    page.locator("main form button[type=submit]").click()
    page.locator("p.score").wait_for()
    assert page.locator("p.score strong").inner_text() == "100%"
    main_action = page.locator("main .pager a.btn").first
    assert re.match(r"Sigue con: ", main_action.inner_text().strip()), main_action.inner_text()
    assert page.get_by_role("link", name="Intentar otra vez").count() == 0
    j.shot("passed: go on")
