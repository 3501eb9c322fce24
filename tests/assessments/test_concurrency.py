"""Concurrent submissions: the attempts limit and the one-time token hold (row lock on PostgreSQL).

These tests commit for real (transactional_db) and run threads with their own
database connections, so they build their own small world: a flush after each
one removes the curriculum.
"""

import threading
import uuid

import pytest
from django.db import connection

from assessments.models import Attempt
from assessments.services import AttemptLimitReached, attempt_submit
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def _world(**quiz_settings):
    from wagtail.models import Locale, Page

    from courses.models import ModulePage

    locale, _created = Locale.objects.get_or_create(language_code="es")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    module = ModulePage(title="Costos", slug=f"costos-{uuid.uuid4().hex[:6]}", summary="s", order=5, locale=locale)
    root.add_child(instance=module)
    quiz = factories.QuizFactory(page=module, **quiz_settings)
    question = factories.QuestionFactory(quiz=quiz, kind="single")
    right = factories.OptionFactory(question=question, is_correct=True)
    factories.OptionFactory(question=question)
    artisan = factories.ArtisanFactory(pin=False)
    return quiz, artisan.user, {question.pk: [right.pk]}


def _race(target, count=THREADS):
    """Run `target(index)` in `count` threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = target(index)
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_submissions_cannot_exceed_the_attempts_limit():
    quiz, user, answers = _world(attempts_allowed=2)
    results = _race(lambda index: attempt_submit(user=user, quiz=quiz, answers=answers, token=uuid.uuid4()))
    made = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if isinstance(result, AttemptLimitReached)]
    assert len(made) == 2 and len(refused) == THREADS - 2, results
    assert sorted(Attempt.objects.filter(user=user).values_list("number", flat=True)) == [1, 2]


def test_concurrent_submissions_without_a_limit_are_numbered_in_turn():
    quiz, user, answers = _world()
    results = _race(lambda index: attempt_submit(user=user, quiz=quiz, answers=answers, token=uuid.uuid4()))
    assert all(isinstance(result, tuple) and result[1] for result in results), results
    assert sorted(Attempt.objects.filter(user=user).values_list("number", flat=True)) == list(range(1, THREADS + 1))


def test_the_same_form_sent_at_once_from_a_flaky_connection_makes_one_attempt():
    quiz, user, answers = _world()
    token = uuid.uuid4()
    results = _race(lambda index: attempt_submit(user=user, quiz=quiz, answers=answers, token=token))
    assert all(isinstance(result, tuple) for result in results), results
    assert len({attempt.pk for attempt, _created in results}) == 1
    assert sum(created for _attempt, created in results) == 1
    assert Attempt.objects.filter(user=user).count() == 1
