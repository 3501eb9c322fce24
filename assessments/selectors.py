"""Reads for quizzes and attempts, each in a fixed number of queries.

`passed_module_keys`, `best_scores`, `module_quiz_results` and `module_quiz_table` (the
facilitator grid's: the same answers as lists in module order) are the shared interface the
progress rules, the facilitator grid and the certificates read: which attempt counts (highest,
latest or first, a quiz setting) is decided here, by `_replaces`, and nowhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from wagtail.models import Page

from core import sql
from courses import cache as tree_cache
from courses.models import ModulePage
from people.models import Cohort, User
from people.roles import AnyUser

from .models import Attempt, Counting, Option, Question, Quiz


def _user_ids(users: Iterable) -> list[int]:
    return [getattr(user, "pk", user) for user in users]


def visible_quizzes() -> QuerySet[Quiz]:
    """Published quizzes whose module or lesson is published: what artisans may open."""
    return Quiz.objects.filter(live=True, page__live=True).select_related("page", "locale")


def quiz_or_404(quiz_id: int) -> Quiz:
    """A visible quiz with its module page (1 query); a quiz of an unpublished module or quiz is a 404."""
    quizzes = visible_quizzes().select_related("page__modulepage")
    quiz = next(iter(quizzes.filter(pk=quiz_id).order_by()), None)  # one row at most: no ORDER BY to build
    if quiz is None:
        raise Http404
    return quiz


def quiz_kept(request, quiz_id: int) -> tuple[Quiz, list[Question]]:
    """The visible quiz and its questions as ``quiz_or_404`` and ``quiz_questions`` read them, kept per tree
    version in this worker (``courses.cache.memo``; a quiz, question or option saved or deleted bumps it:
    ``connect_tree_version``). The same for everyone: what is hers (attempts, tokens) is read apart."""

    def read() -> tuple[Quiz, list[Question]] | None:
        quiz = visible_quizzes().select_related("page__modulepage").filter(pk=quiz_id).first()
        return (quiz, quiz_questions(quiz)) if quiz is not None else None

    found = tree_cache.memo(request, ("quiz", quiz_id), read)
    if found is None:
        tree_cache.forget(request, ("quiz", quiz_id))  # an unknown id is not kept (ids are endless)
        raise Http404
    return found


def connect_tree_version() -> None:
    """A quiz, question or option saved or deleted (published from its editor, imported, reordered) renews
    what workers keep of the tree (AssessmentsConfig.ready)."""
    for model in (Quiz, Question, Option):
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(tree_cache.bump, sender=model, dispatch_uid=f"assessments.tree.{name}.{model.__name__}")


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


def attempt_id_for_token(token: UUID) -> int | None:
    """The attempt a quiz form's one-time token made, if any: its id (1 query).

    Written as SQL: every submit asks twice (before reading the answers, then under the lock) and it is
    almost always "none"; the ORM took longer to build this lookup than the database took to answer.
    """
    alias = sql.read_alias(Attempt)
    table, column = sql.names(Attempt, alias)
    value = Attempt._meta.get_field("token").get_db_prep_value(token, connections[alias])
    rows = sql.fetch(Attempt, f"SELECT {column['id']} FROM {table} WHERE {column['token']} = %s", [value])  # noqa: S608
    return rows[0][0] if rows else None


def last_attempt_number(user_id: int, quiz_key: UUID) -> int:
    """The number of her last attempt at this quiz in any language, 0 before any (1 query, as SQL: see above)."""
    alias = sql.read_alias(Attempt)
    table, column = sql.names(Attempt, alias)
    key = Attempt._meta.get_field("quiz_key").get_db_prep_value(quiz_key, connections[alias])
    query = f"SELECT MAX({column['number']}) FROM {table} WHERE {column['user']} = %s AND {column['quiz_key']} = %s"  # noqa: S608
    rows = sql.fetch(Attempt, query, [user_id, key])
    return rows[0][0] or 0


def attempt_for_user_or_404(user: User, attempt_id: int) -> Attempt:
    """Her own attempt, or a 404: another artisan's attempt does not exist for her."""
    attempt = Attempt.objects.filter(pk=attempt_id, user=user).select_related("quiz__page").first()
    if attempt is None:
        raise Http404
    return attempt


def _replaces(counting: str, current: tuple[int, bool], later: tuple[int, bool]) -> bool:
    """THE rule for which attempt counts, one attempt at a time in the order they were recorded (submitted_at,
    number): whether the `later` outcome (score, passed) takes the place of the `current` one.

    Latest: always; first: never; highest: when it is at least as good — under "highest", of equal scores a
    passed one counts (a paper 67 % passes a pass mark of 67, an online 2 of 3 does not), and of equal
    outcomes the later.
    """
    if counting == Counting.LATEST:
        return True
    if counting == Counting.FIRST:
        return False
    return later >= current


def counting_attempt(attempts: list[Attempt], counting: str) -> Attempt | None:
    """The attempt that counts under a quiz's rule (attempts in any order; ``_replaces`` decides).

    Whether it passed is its own ``passed`` (grading.passes decided it when it was recorded).
    """
    chosen = None
    for attempt in sorted(attempts, key=lambda a: (a.submitted_at, a.number)):
        if chosen is None or _replaces(counting, (chosen.score, chosen.passed), (attempt.score, attempt.passed)):
            chosen = attempt
    return chosen


def attempts_left(quiz: Quiz, attempts: list[Attempt]) -> int | None:
    """How many more attempts she may make (None: unlimited)."""
    if quiz.attempts_allowed is None:
        return None
    return max(quiz.attempts_allowed - len(attempts), 0)


@dataclass(frozen=True)
class ModuleQuizResult:
    """Her result in one module's quiz: the attempt that counts (the quiz's rule), None before any."""

    passed: bool
    score: int | None  # percent of the counting attempt; None: not attempted yet


def _quiz_rules() -> tuple[dict[UUID, str], frozenset[UUID]]:
    """(which attempt counts, by quiz translation key; the modules with a published quiz): 1 query, then kept
    per tree version (a quiz saved or a page published renews it: ``connect_tree_version``).

    The default language's setting wins when the languages of one quiz disagree.
    """
    return tree_cache.memo(None, ("quiz-rules",), _read_quiz_rules)


def _read_quiz_rules() -> tuple[dict[UUID, str], frozenset[UUID]]:
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
    return rules, frozenset(modules)  # kept and shared: nobody may change it in place


def _counting_outcomes(
    ids: list[int], rules: dict[UUID, str], module: UUID | None = None
) -> tuple[dict[tuple[int, str], tuple[bool, int]], dict]:
    """(user id, module key as text) → (passed, score) of the attempt that counts, for every module each one
    attempted, and each module key as text → its UUID: 1 query.

    Only the five columns the rule needs, each quiz's attempts in the order recorded (the index's order), the
    keys as the database gives them and each distinct key made a UUID once (the cohort grid reads a thousand
    attempts and more), each attempt put to ``_replaces`` as it comes. Of two quizzes of one module
    (languages apart), the better outcome counts. Written as SQL: for the grid of 200 the ORM's query and
    its converters cost a third of this function's time (13.6 ms against 8.9).
    """
    if not ids:
        return {}, {}
    alias = sql.read_alias(Attempt)
    params: list = list(ids)
    if module is not None:  # one module's attempts only (the index's second column)
        params.append(Attempt._meta.get_field("module_key").get_db_prep_value(module, connections[alias]))
    rows = sql.fetch(Attempt, _outcomes_sql(alias, len(ids), one_module=module is not None), params)
    counting_of: dict[str, str] = {}  # quiz key as the database gave it → which attempt counts
    by_quiz: dict[tuple[int, str, str], tuple[int, bool]] = {}
    for user_id, module_hex, quiz_hex, score, passed in rows:
        counting = counting_of.get(quiz_hex)
        if counting is None:
            counting = counting_of[quiz_hex] = rules.get(sql.key(quiz_hex), Counting.HIGHEST)
        key = (user_id, module_hex, quiz_hex)
        current = by_quiz.get(key)
        outcome = (score, bool(passed))
        if current is None or _replaces(counting, current, outcome):
            by_quiz[key] = outcome
    best: dict[tuple[int, str], tuple[bool, int]] = {}
    for (user_id, module_hex, _quiz_hex), (score, passed) in by_quiz.items():
        held = best.get((user_id, module_hex))
        if held is None or (passed, score) > held:
            best[(user_id, module_hex)] = (passed, score)
    return best, {module_hex: sql.key(module_hex) for module_hex in {module_hex for _user, module_hex in best}}


def _outcomes_sql(alias: str, count: int, *, one_module: bool = False) -> str:
    """The five columns of ``_counting_outcomes`` for the attempts of `count` users (at one module, its key the
    last parameter): each one's attempts at each quiz in the order recorded, read from the index
    ``attempt_user_module_outcome`` in its own order."""
    table, c = sql.names(Attempt, alias)
    module = "= %s" if one_module else "IS NOT NULL"
    return (
        f"SELECT {c['user']}, {c['module_key']}, {c['quiz_key']}, {c['score']}, {c['passed']} FROM {table} "  # noqa: S608
        f"WHERE {c['user']} IN ({sql.marks(count)}) AND {c['module_key']} {module} "
        f"ORDER BY {c['user']}, {c['module_key']}, {c['quiz_key']}, {c['submitted_at']}, {c['number']}"
    )


def _results() -> Callable[[tuple[bool, int]], ModuleQuizResult]:
    """A maker of results that makes one per distinct outcome (they are frozen: sharing is safe)."""
    made: dict[tuple[bool, int], ModuleQuizResult] = {}

    def result(outcome: tuple[bool, int]) -> ModuleQuizResult:
        found = made.get(outcome)
        if found is None:
            found = made[outcome] = ModuleQuizResult(passed=outcome[0], score=outcome[1])
        return found

    return result


def _counting_by_module(
    users: Iterable, rules: dict[UUID, str], module: UUID | None = None
) -> dict[int, dict[UUID, ModuleQuizResult]]:
    """The result of the attempt that counts for each user and module she attempted (or `module` only): 1 query."""
    ids = _user_ids(users)
    best, keys = _counting_outcomes(ids, rules, module)
    result = _results()
    found: dict[int, dict[UUID, ModuleQuizResult]] = {user_id: {} for user_id in ids}
    for (user_id, module_hex), outcome in best.items():
        found[user_id][keys[module_hex]] = result(outcome)
    return found


def passed_module_keys(users: Iterable) -> dict[int, set[UUID]]:
    """For each user id, the translation keys of the modules whose quiz she passed (2 queries).

    Passing is judged on the attempt that counts (the quiz's rule), online or paper.
    """
    return {
        user_id: {key for key, result in by_module.items() if result.passed}
        for user_id, by_module in _counting_by_module(users, _quiz_rules()[0]).items()
    }


def best_scores(users: Iterable) -> dict[int, dict[UUID, int]]:
    """For each user id, the counting score of each module quiz she attempted (2 queries)."""
    return {
        user_id: {key: result.score for key, result in by_module.items() if result.score is not None}
        for user_id, by_module in _counting_by_module(users, _quiz_rules()[0]).items()
    }


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
    with_quiz = with_quiz & set(module_keys)  # a new set: the kept one is shared by every request
    if not with_quiz or not user_ids:
        return {user_id: {} for user_id in user_ids}
    # Asked of one module (every quiz submit: was it passed before?), only that module's attempts are read.
    only = next(iter(with_quiz)) if len(with_quiz) == 1 else None
    return _with_quiz(user_ids, with_quiz, _counting_by_module(user_ids, rules, only))


def module_quiz_passed(user_id: int, module_key: UUID | None) -> bool:
    """Whether the attempt that counts for her in this module passed (``module_quiz_results``, which reads
    that module's attempts only: 1 query)."""
    if module_key is None:
        return False
    result = module_quiz_results([user_id], [module_key])[user_id].get(module_key)
    return result is not None and result.passed


def _with_quiz(
    user_ids: list[int], with_quiz: frozenset[UUID], counting: dict[int, dict[UUID, ModuleQuizResult]]
) -> dict[int, dict[UUID, ModuleQuizResult]]:
    not_yet = ModuleQuizResult(passed=False, score=None)
    return {user_id: {key: counting[user_id].get(key, not_yet) for key in with_quiz} for user_id in user_ids}


def module_quiz_table(
    user_ids: Iterable[int], module_keys: Sequence[UUID]
) -> dict[int, tuple[list[ModuleQuizResult | None], list[int | None]]]:
    """``module_quiz_results`` and ``best_scores`` for a list of many (the cohort grid), as two lists per user
    in the order of `module_keys`: her result where the module has a published quiz (None: it has none), and
    the counting score of her attempts at the module (None: none). 2 queries; no dictionary keyed by UUID per
    artisan and module (hashing a UUID is Python code: 200 artisans × 6 modules felt it)."""
    user_ids = list(user_ids)
    rules, with_quiz = _quiz_rules()
    if not user_ids:
        return {}
    best, keys = _counting_outcomes(user_ids, rules)
    position = {key: index for index, key in enumerate(module_keys)}
    index_of = {module_hex: position.get(key) for module_hex, key in keys.items()}
    not_yet = ModuleQuizResult(passed=False, score=None)
    blank = [not_yet if key in with_quiz else None for key in module_keys]
    table: dict[int, tuple[list[ModuleQuizResult | None], list[int | None]]] = {
        user_id: (list(blank), [None] * len(blank)) for user_id in user_ids
    }
    result = _results()
    for (user_id, module_hex), outcome in best.items():
        index = index_of[module_hex]
        if index is None:  # a module of another programme
            continue
        results, scores = table[user_id]
        scores[index] = outcome[1]
        if results[index] is not None:
            results[index] = result(outcome)
    return table


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


# What the counting rule and the pages read of her attempts, not the snapshots (each a JSON document to decode).
_SUMMARY_FIELDS = ("id", "number", "score", "passed", "submitted_at")


def quiz_summary(user: AnyUser | None, quiz: Quiz) -> QuizSummary:
    """What the module page and the quiz page say about her attempts so far (1 query).

    As SQL: ``Attempt.objects.filter(user=…, quiz_key=…).order_by("number").only(…)``, the same objects; every
    quiz page asks, and the ORM took 0.35 ms to build it against the database's 0.05 (issue 17)."""
    attempts = []
    if user is not None and user.is_authenticated:
        alias = sql.read_alias(Attempt)
        table, column = sql.names(Attempt, alias)
        key = Attempt._meta.get_field("quiz_key").get_db_prep_value(quiz.translation_key, connections[alias])
        query = (
            f"SELECT {sql.columns(Attempt, alias, 'a', _SUMMARY_FIELDS)} FROM {table} a "  # noqa: S608
            f"WHERE a.{column['user']} = %s AND a.{column['quiz_key']} = %s ORDER BY a.{column['number']}"
        )
        rows = sql.fetch(Attempt, query, [user.pk, key])
        attempts = [sql.instance(Attempt, alias, row, _SUMMARY_FIELDS) for row in rows]
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
