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

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from wagtail.models import Page

from assessments.selectors import module_quiz_outcomes
from courses.models import LessonPage, ModulePage
from courses.selectors import display_language, live_translations
from people.models import User

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


@dataclass(frozen=True)
class Structure:
    """The programme's modules and lessons, in order, as pages in the display language."""

    modules: list[ModulePage]
    lessons: dict[uuid.UUID, list[LessonPage]]  # module translation key → its lessons

    @property
    def lesson_keys(self) -> list[uuid.UUID]:
        return [lesson.translation_key for module in self.modules for lesson in self.lessons[module.translation_key]]


def programme_structure(*, language: str | None = None) -> Structure:
    """Live modules (by their order) and their live lessons (tree order): 2 queries, 4 in another language."""
    default = settings.LANGUAGE_CODE
    modules = list(
        ModulePage.objects.live().filter(locale__language_code=default).order_by("order", "path").defer_streamfields()
    )
    by_path = {module.path: module for module in modules}
    lessons: dict[uuid.UUID, list[LessonPage]] = {module.translation_key: [] for module in modules}
    lesson_rows = (
        LessonPage.objects.live()
        .filter(locale__language_code=default, depth__in={module.depth + 1 for module in modules} or {0})
        .only(*_LESSON_FIELDS)
        .order_by("path")
    )
    for lesson in lesson_rows:
        module = by_path.get(lesson.path[: -Page.steplen])
        if module is not None:
            lessons[module.translation_key].append(lesson)

    language = display_language(language)
    if language != default and modules:
        modules, lessons = _translated(modules, lessons, language)
    return Structure(modules=modules, lessons=lessons)


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


def quiz_results(user_ids: Iterable[int], module_keys: Iterable[uuid.UUID]) -> dict[int, dict[uuid.UUID, bool]]:
    """Quiz outcome per user and module: True passed, False not passed yet; a module absent has no quiz.

    THE single extension point for the Quizzes issue: fill it from
    ``assessments.selectors.passed_module_keys`` (constant queries). A module
    with a quiz then needs it passed to be complete (see ``_status``); a module
    without a published quiz keeps ``ModuleStatus.quiz_passed`` None.
    Passing follows the quiz's own rule for which attempt counts (online or
    paper): 2 queries, whatever the number of users, modules and attempts.
    """
    return module_quiz_outcomes(user_ids, module_keys)


def _status(lessons_done: int, lessons_total: int, quiz_passed: bool | None) -> str:
    """The module-complete rule: every lesson done and, where the module has a quiz, the quiz passed."""
    if lessons_total and lessons_done >= lessons_total and quiz_passed is not False:
        return COMPLETE
    if lessons_done or quiz_passed:
        return IN_PROGRESS
    return NOT_STARTED


def _completions(user_ids: list[int]) -> dict[int, dict[uuid.UUID, datetime]]:
    found: dict[int, dict[uuid.UUID, datetime]] = defaultdict(dict)
    rows = LessonCompletion.objects.filter(user_id__in=user_ids).values_list("user_id", "lesson_key", "completed_at")
    for user_id, key, completed_at in rows:
        found[user_id][key] = completed_at
    return found


def _statuses(
    structure: Structure, done: dict[uuid.UUID, datetime], quizzes: dict[uuid.UUID, bool]
) -> list[ModuleStatus]:
    statuses = []
    for module in structure.modules:
        lessons = structure.lessons[module.translation_key]
        done_keys = frozenset(lesson.translation_key for lesson in lessons if lesson.translation_key in done)
        quiz_passed = quizzes.get(module.translation_key)
        statuses.append(
            ModuleStatus(
                module=module,
                lessons_done=len(done_keys),
                lessons_total=len(lessons),
                quiz_passed=quiz_passed,
                status=_status(len(done_keys), len(lessons), quiz_passed),
                next_lesson=next((lesson for lesson in lessons if lesson.translation_key not in done_keys), None),
                done_keys=done_keys,
            )
        )
    return statuses


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


def all_modules_complete(statuses: Iterable[ModuleStatus]) -> bool:
    """The programme-complete rule: every module complete, and there is at least one (no queries).

    Mi avance, the dashboard and the certificate rule ask this on statuses they already have.
    """
    statuses = list(statuses)
    return bool(statuses) and all(status.is_complete for status in statuses)


def done_lesson_keys(user: User) -> set[uuid.UUID]:
    """Translation keys of the lessons she has finished (1 query)."""
    return set(LessonCompletion.objects.filter(user=user).values_list("lesson_key", flat=True))


def progress_overview(user: User, *, language: str | None = None) -> Overview:
    """Everything Mi avance shows, in the queries of ``statuses_for_users`` for her (2 more in another language)."""
    structure = programme_structure(language=language)
    completions = _completions([user.pk]).get(user.pk, {})
    quizzes = quiz_results([user.pk], [module.translation_key for module in structure.modules]).get(user.pk, {})
    statuses = _statuses(structure, completions, quizzes)
    total = sum(status.lessons_total for status in statuses)
    done = sum(status.lessons_done for status in statuses)
    complete = sum(status.is_complete for status in statuses)
    return Overview(
        statuses=statuses,
        continue_page=_continue_page(structure, statuses, completions),
        modules_complete=complete,
        programme_complete=all_modules_complete(statuses),
        lessons_done=done,
        lessons_total=total,
    )


def _continue_page(structure: Structure, statuses: list[ModuleStatus], completions: dict) -> Page | None:
    """Where she left off: the first unfinished lesson after the one she finished last.

    If that last lesson completed its module's lessons but the module's quiz is
    not passed yet, the module itself (where the quiz is): in the workshops the
    quiz follows the lessons. If nothing is left after it, the first unfinished
    lesson of the programme; if every lesson is done, the first module that is
    not complete yet (its quiz).
    """
    lessons = [lesson for module in structure.modules for lesson in structure.lessons[module.translation_key]]
    start = 0
    if completions:
        latest = max(completions, key=lambda key: completions[key])
        keys = [lesson.translation_key for lesson in lessons]
        start = keys.index(latest) + 1 if latest in keys else 0
        for status in statuses:
            if latest in status.done_keys and status.next_lesson is None and not status.is_complete:
                return status.module
    for lesson in lessons[start:] + lessons[:start]:
        if lesson.translation_key not in completions:
            return lesson
    return next((status.module for status in statuses if not status.is_complete), None)
