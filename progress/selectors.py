"""Reads for progress: the ONE place where "module complete" and "programme complete" are decided.

Mi avance, the home page, the facilitator's cohort grid, the dashboard and the certificate rule all
call these functions; none of them re-implements the rule. Every function runs a fixed number of
queries whatever the number of modules, lessons, artisans or completions:

- the programme's structure: 2 queries (modules, lessons in the default language),
  plus 2 when the page is shown in another language (the translated titles and URLs);
- completions: 1 query for any number of users;
- quiz results: see ``quiz_results`` (the Quizzes issue adds its queries there).

Structure comes from the default-language tree (Spanish): progress is stored by translation
key, so that tree defines which lessons exist and in which order, and a lesson counts once
whichever language she read it in.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from django.conf import settings
from django.db import connections
from django.db.models import Q, Subquery
from wagtail.models import Page

from assessments.selectors import ModuleQuizResult, module_quiz_results, module_quiz_table
from core import sql
from courses import cache as tree_cache
from courses.models import LessonPage, ModulePage, ProgrammePage
from courses.selectors import display_language, live_translations, titles_in_language
from people.models import User
from people.selectors import programme_enrolments

from .models import LessonCompletion

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"

_LESSON_FIELDS = ("id", "title", "url_path", "path", "depth", "translation_key", "locale_id", "duration_minutes")


@dataclass
class ModuleStatus:
    """One artisan's standing in one module."""

    module: ModulePage
    lessons_done: int
    lessons_total: int
    quiz_passed: bool | None  # None: no quiz counts for this module (yet)
    status: str  # NOT_STARTED, IN_PROGRESS or COMPLETE
    next_lesson: LessonPage | None = None  # the first lesson of the module she has not finished
    done_keys: frozenset = field(default_factory=frozenset)
    counts: bool = True  # the module counts for its programme's certificate (ModulePage.counts_for_certificate)
    quiz_score: int | None = None  # the score of her attempt that counts (percent); None: no quiz or not tried

    @property
    def lessons_left(self) -> int:
        return max(self.lessons_total - self.lessons_done, 0)

    @property
    def is_complete(self) -> bool:
        return self.status == COMPLETE

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0


@dataclass
class Overview:
    """What Mi avance and the home page show: the modules, where to continue, how far she is."""

    statuses: list[ModuleStatus]
    continue_page: Page | None
    modules_complete: int
    programme_complete: bool
    lessons_done: int
    lessons_total: int
    programme: ProgrammePage | None = None  # the default-language page (None: the first programme)
    title: str = ""  # the programme's title in the display language

    @property
    def modules_counted(self) -> int:
        return sum(status.counts for status in self.statuses)


@dataclass(frozen=True)
class Structure:
    """One programme's modules and lessons, in order, as pages in the display language."""

    modules: list[ModulePage]
    lessons: dict[uuid.UUID, list[LessonPage]]  # module translation key → its lessons
    # The modules that count for the certificate (by translation key, read on the default-language tree).
    counted: frozenset[uuid.UUID] = frozenset()

    # Worked out once: a structure is kept per tree version and read on every Mi avance (each UUID hashed
    # in Python code: rebuilding these took a fifth of her overview).
    @functools.cached_property
    def lesson_order(self) -> tuple[LessonPage, ...]:
        """Every lesson, module after module, in order."""
        return tuple(lesson for module in self.modules for lesson in self.lessons[module.translation_key])

    @functools.cached_property
    def lesson_keys(self) -> tuple[uuid.UUID, ...]:
        return tuple(lesson.translation_key for lesson in self.lesson_order)

    @functools.cached_property
    def lesson_position(self) -> Mapping[uuid.UUID, int]:
        """Each lesson's place in ``lesson_order``, by translation key."""
        return MappingProxyType({key: index for index, key in enumerate(self.lesson_keys)})


def _first_programme_path() -> Subquery:
    """The path of the first live default-language programme, as a subquery (no query of its own)."""
    first = (
        ProgrammePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
        .values("path")[:1]
    )
    return Subquery(first)


def programme_structure(*, programme: ProgrammePage | None = None, language: str | None = None) -> Structure:
    """A programme's live modules (by their order) and their live lessons (tree order): 2 queries, 4 in another
    language. Without ``programme``, the first live programme (views that do not follow a programme yet)."""
    if programme is not None:
        return programme_structures([programme], language=language).get(programme.pk) or Structure([], {})
    default = settings.LANGUAGE_CODE
    modules = list(
        ModulePage.objects.live()
        .filter(locale__language_code=default, depth=3, path__startswith=_first_programme_path())
        .order_by("order", "path")
        .defer_streamfields()
    )
    return _build_structures({None: modules}, language=language)[None]


def programme_structures(programmes: Sequence[ProgrammePage], *, language: str | None = None) -> dict[int, Structure]:
    """The structure of each programme (page id → Structure) in the same 2 queries (4 in another language),
    whatever the number of programmes; then kept per tree version in the worker (``courses.cache.memo``:
    every publish, move or unpublish renews it), so a page that asks again reads nothing. Programmes are
    default-language pages (``people.Cohort.programme``). Nothing personal: shared, read only."""
    programmes = list({programme.pk: programme for programme in programmes}.values())
    if not programmes:
        return {}
    shown = display_language(language)
    key = ("programme-structures", tuple(sorted(programme.pk for programme in programmes)), shown)
    return tree_cache.memo(None, key, lambda: _programme_structures(programmes, language=shown))


def _programme_structures(programmes: list[ProgrammePage], *, language: str) -> dict[int, Structure]:
    default = settings.LANGUAGE_CODE
    where = Q()
    for programme in programmes:
        where |= Q(path__startswith=programme.path, depth=programme.depth + 1)
    grouped: dict[int | None, list[ModulePage]] = {programme.pk: [] for programme in programmes}
    by_path = {programme.path: programme.pk for programme in programmes}
    rows = (
        ModulePage.objects.live()
        .filter(where, locale__language_code=default)
        .order_by("order", "path")
        .defer_streamfields()
    )
    for module in rows:
        grouped[by_path[module.path[: -Page.steplen]]].append(module)
    built = _build_structures(grouped, language=language)
    return {key: structure for key, structure in built.items() if key is not None}


def _build_structures(grouped: Mapping[int | None, list[ModulePage]], *, language: str | None) -> dict:
    """Lessons for every group of modules at once (1 query), then the display language (2 more)."""
    default = settings.LANGUAGE_CODE
    modules = [module for items in grouped.values() for module in items]
    by_path = {module.path: module for module in modules}
    lessons: dict[uuid.UUID, list[LessonPage]] = {module.translation_key: [] for module in modules}
    where = Q()
    for module in modules:
        where |= Q(path__startswith=module.path, depth=module.depth + 1)
    lesson_rows = (
        LessonPage.objects.live().filter(where, locale__language_code=default).only(*_LESSON_FIELDS).order_by("path")
        if modules
        else []
    )
    for lesson in lesson_rows:
        parent = by_path.get(lesson.path[: -Page.steplen])
        if parent is not None:
            lessons[parent.translation_key].append(lesson)
    counted = {module.translation_key for module in modules if module.counts_for_certificate}
    translated_modules: dict[uuid.UUID, ModulePage] = {}
    language = display_language(language)
    if language != default and modules:
        shown, lessons = _translated(modules, lessons, language)
        translated_modules = {module.translation_key: module for module in shown}
    return {
        key: Structure(
            modules=[translated_modules.get(module.translation_key, module) for module in items],
            lessons={module.translation_key: lessons[module.translation_key] for module in items},
            counted=frozenset(module.translation_key for module in items if module.translation_key in counted),
        )
        for key, items in grouped.items()
    }


def _translated(
    modules: list[ModulePage], lessons: dict[uuid.UUID, list[LessonPage]], language: str
) -> tuple[list[ModulePage], dict[uuid.UUID, list[LessonPage]]]:
    """Swap in the live pages of `language` (courses.selectors) where they exist; keep the default otherwise."""
    module_pages = live_translations(ModulePage, [module.translation_key for module in modules], language=language)
    lesson_pages = live_translations(
        LessonPage,
        [lesson.translation_key for items in lessons.values() for lesson in items],
        language=language,
        fields=_LESSON_FIELDS,
    )
    translated_modules = [module_pages.get(module.translation_key, module) for module in modules]
    translated_lessons = {
        key: [lesson_pages.get(lesson.translation_key, lesson) for lesson in items] for key, items in lessons.items()
    }
    return translated_modules, translated_lessons


def quiz_results(
    user_ids: Iterable[int], module_keys: Iterable[uuid.UUID]
) -> dict[int, dict[uuid.UUID, ModuleQuizResult]]:
    """Quiz result per user and module (passed, and the score of the attempt that counts); a module absent
    has no quiz.

    THE single extension point for quizzes: ``assessments.selectors.module_quiz_results`` (constant
    queries). A module with a quiz then needs it passed to be complete (see ``_status``); a module
    without a published quiz keeps ``ModuleStatus.quiz_passed`` None.
    Passing follows the quiz's own rule for which attempt counts (online or
    paper): 2 queries, whatever the number of users, modules and attempts.
    """
    return module_quiz_results(user_ids, module_keys)


def _status(lessons_done: int, lessons_total: int, quiz_passed: bool | None) -> str:
    """The module-complete rule: every lesson done and, where the module has a quiz, the quiz passed."""
    if lessons_total and lessons_done >= lessons_total and quiz_passed is not False:
        return COMPLETE
    if lessons_done or quiz_passed:
        return IN_PROGRESS
    return NOT_STARTED


def _completions(user_ids: list[int]) -> dict[int, dict[uuid.UUID, int]]:
    """Per user, the keys of the lessons she finished, each with its place in the order she finished them
    (0 the first): all that ``_continue_page`` asks of when (her latest). The database sorts them, so no time is
    converted (Django's SQLite converter parsed each of hers on every Mi avance, a third of this read).

    Written as SQL: it runs on every Mi avance, and the ORM's build and converters cost twice the query.
    """
    found: dict[int, dict[uuid.UUID, int]] = defaultdict(dict)
    if not user_ids:
        return found
    table, column = sql.names(LessonCompletion, sql.read_alias(LessonCompletion))
    query = (
        f"SELECT {column['user']}, {column['lesson_key']} FROM {table} "  # noqa: S608
        f"WHERE {column['user']} IN ({sql.marks(len(user_ids))}) ORDER BY {column['completed_at']}, {column['id']}"
    )
    for order, (user_id, key) in enumerate(sql.fetch(LessonCompletion, query, user_ids)):
        found[user_id][sql.key(key)] = order
    return found


def _module_status(
    module: ModulePage,
    lessons_done: int,
    lessons_total: int,
    result: ModuleQuizResult | None,
    *,
    counts: bool,
    next_lesson: LessonPage | None = None,
    done_keys: frozenset = frozenset(),
) -> ModuleStatus:
    """One module's status from what she has done in it (``_status`` decides)."""
    quiz_passed = None if result is None else result.passed
    return ModuleStatus(
        module=module,
        lessons_done=lessons_done,
        lessons_total=lessons_total,
        quiz_passed=quiz_passed,
        status=_status(lessons_done, lessons_total, quiz_passed),
        next_lesson=next_lesson,
        done_keys=done_keys,
        counts=counts,
        quiz_score=None if result is None else result.score,
    )


def _statuses(
    structure: Structure, done: Mapping[uuid.UUID, object], quizzes: Mapping[uuid.UUID, ModuleQuizResult]
) -> list[ModuleStatus]:
    statuses = []
    for module in structure.modules:
        lessons = structure.lessons[module.translation_key]
        finished, next_lesson = [], None  # one pass: each key looked up once (a UUID hashes in Python code)
        for lesson in lessons:
            if lesson.translation_key in done:
                finished.append(lesson.translation_key)
            elif next_lesson is None:
                next_lesson = lesson
        done_keys = frozenset(finished)
        statuses.append(
            _module_status(
                module,
                len(done_keys),
                len(lessons),
                quizzes.get(module.translation_key),
                counts=module.translation_key in structure.counted,
                next_lesson=next_lesson,
                done_keys=done_keys,
            )
        )
    return statuses


def _completions_sql(alias: str, count: int) -> str:
    """Per user among `count`, the keys of the lessons she finished as one text, comma-separated."""
    table, column = sql.names(LessonCompletion, alias)
    owner, key = column["user"], column["lesson_key"]
    vendor = connections[alias].vendor
    keys = f"string_agg({key}::text, ',')" if vendor == "postgresql" else f"group_concat({key}, ',')"
    return f"SELECT {owner}, {keys} FROM {table} WHERE {owner} IN ({sql.marks(count)}) GROUP BY {owner}"  # noqa: S608


def _lessons_done_by_module(user_ids: list[int], structure: Structure) -> dict[int, dict[int, int]]:
    """Lessons done per user and module (its index in ``structure.modules``): 1 query, a row per user with
    the keys of her completions (one per lesson: the database says so), counted here.

    Written as SQL, the keys joined by the database: for the grid of 200 the ORM's CASE over every module's
    lessons cost 17 ms, a row per completion 6 ms (most of it making 4,800 rows), a row per artisan 2.
    """
    module_of: dict[str, int] = {}
    for index, module in enumerate(structure.modules):
        for lesson in structure.lessons[module.translation_key]:
            # SQLite keeps the 32 hex digits, PostgreSQL writes a UUID with its dashes.
            module_of[lesson.translation_key.hex] = module_of[str(lesson.translation_key)] = index
    found: dict[int, dict[int, int]] = defaultdict(dict)
    if not module_of or not user_ids:
        return found
    for user_id, keys in sql.fetch(
        LessonCompletion, _completions_sql(sql.read_alias(LessonCompletion), len(user_ids)), user_ids
    ):
        counts = found[user_id]
        for key in keys.split(","):
            position = module_of.get(key)
            if position is not None:  # a lesson of another programme
                counts[position] = counts.get(position, 0) + 1
    return found


def cohort_statuses(
    user_ids: Iterable[int], *, structure: Structure
) -> tuple[dict[int, list[ModuleStatus]], dict[int, list[int | None]]]:
    """Module statuses for a list of many (the facilitator's cohort grid), with the counting score of her
    attempts at each module (``assessments.selectors.best_scores``; None: not attempted), both in the order of
    ``structure.modules``: 3 queries whatever their number.

    The same rule as ``statuses_for_users`` (``_status``), with the lessons done counted by the database;
    what the grid does not show is not read: ``next_lesson`` is None and ``done_keys`` empty.
    """
    user_ids = list(user_ids)
    done = _lessons_done_by_module(user_ids, structure)
    table = module_quiz_table(user_ids, [module.translation_key for module in structure.modules])
    modules = []  # what every artisan's row shares, read once
    for index, module in enumerate(structure.modules):
        key = module.translation_key
        modules.append((index, module, len(structure.lessons[key]), key in structure.counted))
    statuses, scores = {}, {}
    # Women at the same point of a module share one status (200 artisans × 6 modules are a few dozen
    # distinct ones): read only, like every status the grid gets.
    made: dict[tuple, ModuleStatus] = {}
    for user_id in user_ids:
        mine = done.get(user_id, {})
        results, scores[user_id] = table[user_id]
        row = []
        for index, module, total, counts in modules:
            key = (index, mine.get(index, 0), results[index])
            status = made.get(key)
            if status is None:
                status = made[key] = _module_status(module, key[1], total, key[2], counts=counts)
            row.append(status)
        statuses[user_id] = row
    return statuses, scores


def statuses_for_users(
    user_ids: Iterable[int], *, language: str | None = None, structure: Structure | None = None
) -> dict[int, list[ModuleStatus]]:
    """Module statuses for many users at once (3 queries + quiz results, whatever their number)."""
    user_ids = list(user_ids)
    structure = structure or programme_structure(language=language)
    completions = _completions(user_ids)
    quizzes = quiz_results(user_ids, [module.translation_key for module in structure.modules])
    return {
        user_id: _statuses(structure, completions.get(user_id, {}), quizzes.get(user_id, {})) for user_id in user_ids
    }


def statuses_by_programme(
    user_ids: Iterable[int], structures: Mapping[int, Structure]
) -> dict[int, dict[int, list[ModuleStatus]]]:
    """Module statuses per user and programme (user id → programme id → statuses) for the programmes of
    ``structures`` (``programme_structures``): 3 queries whatever the number of users and programmes."""
    user_ids = list(user_ids)
    completions = _completions(user_ids)
    module_keys = [module.translation_key for structure in structures.values() for module in structure.modules]
    quizzes = quiz_results(user_ids, module_keys)
    return {
        user_id: {
            programme_id: _statuses(structure, completions.get(user_id, {}), quizzes.get(user_id, {}))
            for programme_id, structure in structures.items()
        }
        for user_id in user_ids
    }


def all_modules_complete(statuses: Iterable[ModuleStatus]) -> bool:
    """The programme-complete rule: every module that counts for the certificate complete, and at least one
    counts (no queries). A module an editor marked as not counting (``counts_for_certificate``) is optional.

    Mi avance, the dashboard and the certificate rule ask this on statuses they already have.
    """
    counted = [status for status in statuses if status.counts]
    return bool(counted) and all(status.is_complete for status in counted)


@functools.cache
def _done_keys_sql(alias: str) -> str:
    """The query of ``done_lesson_keys`` for one database, written once per worker."""
    table, column = sql.names(LessonCompletion, alias)
    return f"SELECT {column['lesson_key']} FROM {table} WHERE {column['user']} = %s"  # noqa: S608


def done_lesson_keys(user: User) -> set[uuid.UUID]:
    """Translation keys of the lessons she has finished (1 query).

    Written as SQL: it runs on every lesson she opens, a "not modified" answer included, and the ORM
    spent five times longer building the query than the database spent answering it.
    """
    rows = sql.fetch(LessonCompletion, _done_keys_sql(sql.read_alias(LessonCompletion)), [user.pk])
    return {sql.key(key) for (key,) in rows}


def progress_overview(user: User, *, language: str | None = None, programme: ProgrammePage | None = None) -> Overview:
    """Everything Mi avance shows, in the queries of ``statuses_for_users`` for her (2 more in another language)."""
    structure = programme_structure(programme=programme, language=language)
    completions = _completions([user.pk]).get(user.pk, {})
    quizzes = quiz_results([user.pk], [module.translation_key for module in structure.modules]).get(user.pk, {})
    return _overview(structure, completions, quizzes, programme=programme)


def programme_overviews(user: User, *, language: str | None = None) -> list[Overview]:
    """Her programmes (the programmes of her enrolments' cohorts, in the order she enrolled), each with its
    own modules, progress and where to continue: Mi avance and the home page. 7 queries for any number of
    programmes (her programmes 1, structures 2, completions 1, quizzes 2, titles 1), 2 more in another language.
    """
    enrolments = programme_enrolments([user.pk]).get(user.pk, {})
    programmes = [entry.programme for entry in enrolments.values()]
    if not programmes:
        return []
    structures = programme_structures(programmes, language=language)
    completions = _completions([user.pk]).get(user.pk, {})
    module_keys = [module.translation_key for structure in structures.values() for module in structure.modules]
    quizzes = quiz_results([user.pk], module_keys).get(user.pk, {})
    titles = titles_in_language([programme.translation_key for programme in programmes], language=language)
    return [
        _overview(
            structures[programme.pk],
            completions,
            quizzes,
            programme=programme,
            title=titles.get(programme.translation_key) or programme.title or "",
        )
        for programme in programmes
    ]


def _overview(
    structure: Structure,
    completions: dict[uuid.UUID, int],
    quizzes: Mapping[uuid.UUID, ModuleQuizResult],
    *,
    programme: ProgrammePage | None,
    title: str = "",
) -> Overview:
    """One programme's overview, from data already read (no queries)."""
    keys = structure.lesson_position
    mine = {key: at for key, at in completions.items() if key in keys}
    statuses = _statuses(structure, completions, quizzes)
    total = sum(status.lessons_total for status in statuses)
    done = sum(status.lessons_done for status in statuses)
    complete = sum(status.is_complete for status in statuses)
    return Overview(
        statuses=statuses,
        continue_page=_continue_page(structure, statuses, mine),
        modules_complete=complete,
        programme_complete=all_modules_complete(statuses),
        lessons_done=done,
        lessons_total=total,
        programme=programme,
        title=title or (programme.title if programme is not None else ""),
    )


def _continue_page(structure: Structure, statuses: list[ModuleStatus], completions: dict) -> Page | None:
    """Where she left off: the first unfinished lesson after the one she finished last.

    If that last lesson completed its module's lessons but the module's quiz is
    not passed yet, the module itself (where the quiz is): in the workshops the
    quiz follows the lessons. If nothing is left after it, the first unfinished
    lesson of the programme; if every lesson is done, the first module that is
    not complete yet (its quiz).
    """
    lessons = structure.lesson_order
    start = 0
    if completions:
        latest = max(completions, key=completions.__getitem__)
        position = structure.lesson_position.get(latest)
        start = position + 1 if position is not None else 0
        for status in statuses:
            if latest in status.done_keys and status.next_lesson is None and not status.is_complete:
                return status.module
    for lesson in (*lessons[start:], *lessons[:start]):
        if lesson.translation_key not in completions:
            return lesson
    return next((status.module for status in statuses if not status.is_complete), None)
