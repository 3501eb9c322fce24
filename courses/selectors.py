"""Reads for course pages. Each returns what a page needs in a fixed number of queries."""

from __future__ import annotations

from django.conf import settings

# The page models call these selectors from get_context(), so this module imports the models
# module (resolved at call time) rather than its names: either module can then be imported first.
from . import models


def current_programme() -> models.ProgrammePage | None:
    """The programme artisans take: the live programme page of the default language (1 query).

    Telar runs one programme (progress selectors count the modules of the
    default-language tree); a certificate refers to it by translation key.
    """
    return (
        models.ProgrammePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .only("id", "title", "translation_key")
        .order_by("path")
        .first()
    )


def programme_modules(programme: models.ProgrammePage):
    """The live modules of a programme, in their order, with images ready to render."""
    return (
        models.ModulePage.objects.child_of(programme)
        .live()
        .select_related("image")
        .prefetch_related("image__renditions")
        .order_by("order", "path")
    )


def module_lessons(module: models.ModulePage):
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
