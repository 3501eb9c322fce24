"""Reads for course pages. Each returns what a page needs in a fixed number of queries.

Titles in the display language have one home here (``display_language``, ``live_translations``,
``titles_in_language``): the attendance list and sheet, the session form, Mi avance, the cohort
grid, the dashboard and the certificate (its snapshot and its PDF) all ask these, so a module or
programme is called the same everywhere, and a translation an editor has not published yet
(a draft, perhaps still a copy of the Spanish page) is never shown nor printed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page
from wagtail.query import PageQuerySet

# The page models call these selectors from get_context(), so this module imports the models
# module (resolved at call time) rather than its names: either module can then be imported first.
from . import cache, models

PageT = TypeVar("PageT", bound=Page)


def display_language(language: str | None = None) -> str:
    """The content language to show pages in: ``language`` (or the active one) as a supported content
    language, the default language when it is none of them."""
    try:
        return get_supported_content_language_variant(language or translation.get_language())
    except LookupError:
        return settings.LANGUAGE_CODE


def live_translations(
    model: type[PageT], keys: Iterable[uuid.UUID], *, language: str | None = None, fields: Sequence[str] = ()
) -> dict[uuid.UUID, PageT]:
    """The live page of each translation key in the display language, where one is published (1 query).

    ``fields`` limits the columns read (``.only``); StreamFields are never read. Keys without a live
    page in that language are absent: the caller keeps the page it has (the default language's).
    """
    pages = model.objects.live().filter(locale__language_code=display_language(language), translation_key__in=set(keys))
    pages = pages.only(*fields) if fields else pages.defer_streamfields()
    return {page.translation_key: page for page in pages}


def titles_in_language(keys: Iterable[uuid.UUID], *, language: str | None = None) -> dict[uuid.UUID, str]:
    """Each page's title in the display language: its live translation, else its live default-language
    page (1 query, any page type). A key with neither is absent (the caller keeps the title it has)."""
    keys = set(keys)
    if not keys:
        return {}
    language = display_language(language)
    # Kept per tree version (courses.cache): titles change only with a publish. Callers may not change it.
    return cache.memo(None, ("titles", tuple(sorted(keys)), language), lambda: _titles(keys, language))


def _titles(keys: set[uuid.UUID], language: str) -> dict[uuid.UUID, str]:
    titles: dict[uuid.UUID, str] = {}
    rows = (
        Page.objects.live()
        .filter(translation_key__in=keys, locale__language_code__in={language, settings.LANGUAGE_CODE})
        .values_list("translation_key", "title", "locale__language_code")
    )
    for key, title, code in rows:
        if code == language or key not in titles:
            titles[key] = title
    return titles


def live_programmes() -> list[models.ProgrammePage]:
    """Every live programme, as its default-language page, in tree order (1 query): the dashboard's and the
    exports' filter, the roster import's ``Programa`` column, the cohort's choices."""
    return list(
        models.ProgrammePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path")
    )


def current_programme() -> models.ProgrammePage | None:
    """The first live programme page of the default language (1 query): the programme of the single-programme
    days. Only what has no programme of its own to follow uses it (the demo's first cohort, the benchmark, a
    dashboard with no programme chosen); the certificate rule never does: it follows her cohorts' programmes.
    """
    return (
        models.ProgrammePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
        .first()
    )


def programme_modules(programme: models.ProgrammePage) -> PageQuerySet:
    """The live modules of a programme, in their order, with images ready to render."""
    return (
        models.ModulePage.objects.child_of(programme)
        .live()
        .select_related("image")
        .prefetch_related("image__renditions")
        .order_by("order", "path")
    )


def programme_module_keys(programmes: Iterable[models.ProgrammePage]) -> dict[int, set[uuid.UUID]]:
    """The translation keys of each programme's live modules (programme page id → keys): 1 query for any number."""
    programmes = list(programmes)
    if not programmes:
        return {}
    where = Q()
    for programme in programmes:
        where |= Q(path__startswith=programme.path, depth=programme.depth + 1)
    by_path = {programme.path: programme.pk for programme in programmes}
    found: dict[int, set[uuid.UUID]] = {programme.pk: set() for programme in programmes}
    for path, key in models.ModulePage.objects.live().filter(where).values_list("path", "translation_key"):
        found[by_path[path[: -Page.steplen]]].add(key)
    return found


def child_programmes(programme: models.ProgrammePage) -> PageQuerySet:
    """The live programmes under a programme (the home page lists them), in tree order (1 query)."""
    return models.ProgrammePage.objects.child_of(programme).live().order_by("path")


def module_lessons(module: models.ModulePage) -> PageQuerySet:
    """The live lessons of a module in tree order (the order editors arranged)."""
    return models.LessonPage.objects.child_of(module).live().order_by("path")


def lesson_navigation(lesson: models.LessonPage) -> dict:
    """Module, programme, position, previous and next lesson for a lesson page (3 queries)."""
    ancestors = {
        type(page): page
        for page in lesson.get_ancestors().filter(depth__gte=2).type(models.ModulePage, models.ProgrammePage).specific()
    }
    module = ancestors.get(models.ModulePage)
    programme = ancestors.get(models.ProgrammePage)
    siblings = list(
        models.LessonPage.objects.sibling_of(lesson, inclusive=True)
        .live()
        .only("id", "title", "url_path", "path", "depth")
        .order_by("path")
    )
    ids = [page.pk for page in siblings]
    position = ids.index(lesson.pk) if lesson.pk in ids else None
    previous_lesson = next_lesson = None
    if position is not None:
        previous_lesson = siblings[position - 1] if position > 0 else None
        next_lesson = siblings[position + 1] if position + 1 < len(siblings) else None
    return {
        "module": module,
        "programme": programme,
        "crumbs_pages": [page for page in (programme, module) if page is not None],
        "lesson_number": (position + 1) if position is not None else None,
        "lesson_count": len(siblings),
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
    }


def kept_lesson_navigation(lesson: models.LessonPage, request) -> dict:
    """``lesson_navigation``, kept in the worker per tree version (0 queries once kept; see courses.cache)."""
    if request is None:
        return lesson_navigation(lesson)
    return cache.memo(request, ("lesson-navigation", lesson.pk), lambda: lesson_navigation(lesson))


def module_after(module: models.ModulePage) -> models.ModulePage | None:
    """The next live module of the same programme (in the module's language), or None after the last (1 query)."""
    return (
        models.ModulePage.objects.sibling_of(module, inclusive=False)
        .live()
        .filter(order__gt=module.order)
        .order_by("order", "path")
        .first()
    )


def lesson_narrations(lessons: Iterable[models.LessonPage]) -> list[dict]:
    """The narration file of each given lesson that has one, for "Guardar sin conexión" (1 query).

    Each item: ``lesson_id``, ``url``, ``size`` (bytes), ``seconds`` and ``label`` ("2 min · 240 KB"), so a
    page can say how much keeping the audio as well would cost before she chooses it.
    """
    ids = {lesson.narration_id for lesson in lessons if lesson.narration_id}
    by_id = {narration.pk: narration for narration in models.Narration.objects.filter(pk__in=ids)} if ids else {}
    found = []
    for lesson in lessons:
        narration = by_id.get(lesson.narration_id)
        if narration is not None and narration.file:
            found.append(
                {
                    "lesson_id": lesson.pk,
                    "url": narration.url,
                    "size": narration.size,
                    "seconds": narration.seconds,
                    "label": narration.listen_label,
                }
            )
    return found
