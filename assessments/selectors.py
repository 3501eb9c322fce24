"""Reads for quizzes and attempts, each in a fixed number of queries.

`passed_module_keys` and `best_scores` are the shared interface the progress
rules, the facilitator grid and the certificates read: which attempt counts
(highest, latest or first, a quiz setting) is decided here and nowhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from wagtail.models import Page

from courses.models import ModulePage
from people.models import Cohort, User
from people.roles import AnyUser

from .models import Attempt, Counting, Option, Question, Quiz


def _user_ids(users: Iterable) -> list[int]:
    return [getattr(user, "pk", user) for user in users]


def visible_quizzes() -> QuerySet[Quiz]:
    """Published quizzes whose module or lesson is published: what artisans may open."""
    return Quiz.objects.filter(live=True, page__live=True).select_related("page", "locale")


def quiz_or_404(quiz_id: int, *, to_grade: bool = False) -> Quiz:
    """A visible quiz with its module page (1 query); a quiz of an unpublished module or quiz is a 404.

    ``to_grade``: only what grading and recording an attempt read (its page and locale, not the
    module's own fields the quiz page is drawn with): a posted form that ends in a redirect.
    """
    quizzes = visible_quizzes() if to_grade else visible_quizzes().select_related("page__modulepage")
    quiz = next(iter(quizzes.filter(pk=quiz_id).order_by()), None)  # one row at most: no ORDER BY to build
    if quiz is None:
        raise Http404
    return quiz


def quiz_translation(quiz: Quiz, language_code: str) -> Quiz | None:
    """The visible version of this quiz in another language, if there is one (1 query)."""
    return visible_quizzes().filter(translation_key=quiz.translation_key, locale__language_code=language_code).first()


def quiz_questions(quiz: Quiz) -> list[Question]:
    """Questions in order with their options, images (and renditions) and audio: 5 queries whatever the size."""
    options = (
        Option.objects.select_related("image", "audio").prefetch_related("image__renditions").order_by("sort_order")
    )
    return list(
        quiz.questions.select_related("image", "audio")
        .prefetch_related(Prefetch("options", queryset=options), "image__renditions")
        .order_by("sort_order")
    )


def quiz_questions_to_grade(quiz: Quiz) -> list[Question]:
    """Questions in order with their options, without images or audio: what the form checks and grading
    reads (2 queries). A page that draws the questions reads them with ``quiz_questions``."""
    options = Option.objects.order_by("sort_order")
    return list(quiz.questions.prefetch_related(Prefetch("options", queryset=options)).order_by("sort_order"))


def module_key_for(quiz: Quiz) -> UUID | None:
    """The module's translation key when the quiz belongs to a module (it counts for completion), else None."""
    page = quiz.page
    return page.translation_key if page.specific_class is ModulePage else None


def quiz_for_page(page: Page) -> Quiz | None:
    """The visible quiz of a module or lesson, preferring the page's own language (1 query)."""
    candidates = list(
        Quiz.objects.filter(live=True, page__live=True, page__translation_key=page.translation_key).only(
            "id", "title", "locale_id", "translation_key", "attempts_allowed", "pass_mark", "counting"
        )
    )
    if not candidates:
        return None
    for quiz in candidates:
        if quiz.locale_id == page.locale_id:
            return quiz
    return candidates[0]


def user_attempts(user: User, quiz: Quiz) -> list[Attempt]:
    """This artisan's attempts at this quiz in any language, oldest first (1 query)."""
    return list(Attempt.objects.filter(user=user, quiz_key=quiz.translation_key).order_by("number"))


def attempt_for_user_or_404(user: User, attempt_id: int) -> Attempt:
    """Her own attempt, or a 404: another artisan's attempt does not exist for her."""
    attempt = Attempt.objects.filter(pk=attempt_id, user=user).select_related("quiz__page").first()
    if attempt is None:
        raise Http404
    return attempt


def counting_attempt(attempts: list[Attempt], counting: str) -> Attempt | None:
    """The attempt that counts under a quiz's rule (attempts in any order).

    Whether it passed is its own ``passed`` (grading.passes decided it when it was recorded);
    under "highest", of equal scores a passed one counts (a paper 67 % passes a pass mark of
    67, an online 2 of 3 does not).
    """
    if not attempts:
        return None
    if counting == Counting.LATEST:
        return max(attempts, key=lambda a: (a.submitted_at, a.number))
    if counting == Counting.FIRST:
        return min(attempts, key=lambda a: (a.submitted_at, a.number))
    return max(attempts, key=lambda a: (a.score, a.passed, a.submitted_at))


def attempts_left(quiz: Quiz, attempts: list[Attempt]) -> int | None:
    """How many more attempts she may make (None: unlimited)."""
    if quiz.attempts_allowed is None:
        return None
    return max(quiz.attempts_allowed - len(attempts), 0)


def _quiz_rules() -> tuple[dict[UUID, str], set[UUID]]:
    """(which attempt counts, by quiz translation key; the modules with a published quiz): 1 query.

    The default language's setting wins when the languages of one quiz disagree.
    """
    rules: dict[UUID, str] = {}
    modules: set[UUID] = set()
    rows = Quiz.objects.values_list(
        "translation_key",
        "counting",
        "locale__language_code",
        "live",
        "page__modulepage__page_ptr_id",
        "page__translation_key",
    )
    for key, counting, language, live, module_id, page_key in rows:
        if key not in rules or language == settings.LANGUAGE_CODE:
            rules[key] = counting
        if live and module_id is not None:
            modules.add(page_key)
    return rules, modules


def _counting_by_module(users: Iterable, rules: dict[UUID, str]) -> dict[int, dict[UUID, Attempt]]:
    """The attempt that counts for each user and module (1 query)."""
    ids = _user_ids(users)
    grouped: dict[int, dict[tuple[UUID, UUID], list[Attempt]]] = defaultdict(lambda: defaultdict(list))
    attempts = Attempt.objects.filter(user_id__in=ids, module_key__isnull=False).only(
        "id", "user_id", "quiz_key", "module_key", "score", "passed", "submitted_at", "number", "source"
    )
    for attempt in attempts:
        if attempt.module_key is not None:  # the query asked for module attempts only
            grouped[attempt.user_id][(attempt.module_key, attempt.quiz_key)].append(attempt)
    result: dict[int, dict[UUID, Attempt]] = {user_id: {} for user_id in ids}
    for user_id, by_quiz in grouped.items():
        for (module_key, quiz_key), items in by_quiz.items():
            chosen = counting_attempt(items, rules.get(quiz_key, Counting.HIGHEST))
            if chosen is None:
                continue
            current = result[user_id].get(module_key)
            if current is None or (chosen.passed, chosen.score) > (current.passed, current.score):
                result[user_id][module_key] = chosen
    return result


def passed_module_keys(users: Iterable) -> dict[int, set[UUID]]:
    """For each user id, the translation keys of the modules whose quiz she passed (2 queries).

    Passing is judged on the attempt that counts (the quiz's rule), online or paper.
    """
    return {
        user_id: {key for key, attempt in by_module.items() if attempt.passed}
        for user_id, by_module in _counting_by_module(users, _quiz_rules()[0]).items()
    }


def best_scores(users: Iterable) -> dict[int, dict[UUID, int]]:
    """For each user id, the counting score of each module quiz she attempted (2 queries)."""
    return {
        user_id: {key: attempt.score for key, attempt in by_module.items()}
        for user_id, by_module in _counting_by_module(users, _quiz_rules()[0]).items()
    }


@dataclass(frozen=True)
class ModuleQuizResult:
    """Her result in one module's quiz: the attempt that counts (the quiz's rule), None before any."""

    passed: bool
    score: int | None  # percent of the counting attempt; None: not attempted yet


def module_quiz_results(
    user_ids: Iterable[int], module_keys: Iterable[UUID]
) -> dict[int, dict[UUID, ModuleQuizResult]]:
    """For each user id, her result for every module (among `module_keys`) that has a published quiz.

    A module without a quiz is absent from the inner dict: its completion needs no quiz. The score and
    "passed" are those of the attempt that counts (online or paper). 2 queries whatever the number of
    users, modules and attempts (Mi avance shows the score; the progress rule reads "passed").
    """
    user_ids = list(user_ids)
    rules, with_quiz = _quiz_rules()
    with_quiz &= set(module_keys)
    if not with_quiz or not user_ids:
        return {user_id: {} for user_id in user_ids}
    counting = _counting_by_module(user_ids, rules)
    results = {}
    for user_id in user_ids:
        mine = counting[user_id]
        results[user_id] = {
            key: ModuleQuizResult(passed=mine[key].passed, score=mine[key].score)
            if key in mine
            else ModuleQuizResult(passed=False, score=None)
            for key in with_quiz
        }
    return results


def module_quiz_outcomes(user_ids: Iterable[int], module_keys: Iterable[UUID]) -> dict[int, dict[UUID, bool]]:
    """For each user id, passed or not for every module (among `module_keys`) that has a published quiz
    (``module_quiz_results`` without the scores): 2 queries."""
    return {
        user_id: {key: result.passed for key, result in mine.items()}
        for user_id, mine in module_quiz_results(user_ids, module_keys).items()
    }


@dataclass
class QuizSummary:
    quiz: Quiz
    attempts: int
    best: Attempt | None
    left: int | None


def quiz_summary(user: AnyUser | None, quiz: Quiz) -> QuizSummary:
    """What the module page and the quiz page say about her attempts so far (1 query)."""
    attempts = user_attempts(user, quiz) if user is not None and user.is_authenticated else []
    return QuizSummary(
        quiz=quiz,
        attempts=len(attempts),
        best=counting_attempt(attempts, quiz.counting),
        left=attempts_left(quiz, attempts),
    )


def cohort_quiz_results(cohort: Cohort, quiz: Quiz) -> dict[int, list[Attempt]]:
    """Attempts at one quiz by the artisans of one cohort, by user id (1 query)."""
    result: dict[int, list[Attempt]] = defaultdict(list)
    attempts = Attempt.objects.filter(user__artisan__cohort=cohort, quiz_key=quiz.translation_key).order_by("number")
    for attempt in attempts:
        result[attempt.user_id].append(attempt)
    return result
