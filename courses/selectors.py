"""Reads for course pages. Each returns what a page needs in a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import LessonPage, ModulePage, ProgrammePage


def programme_modules(programme: ProgrammePage):
    """The live modules of a programme, in their order, with images ready to render."""
    from .models import ModulePage

    return (
        ModulePage.objects.child_of(programme)
        .live()
        .select_related("image")
        .prefetch_related("image__renditions")
        .order_by("order", "path")
    )


def module_lessons(module: ModulePage):
    """The live lessons of a module in tree order (the order editors arranged)."""
    from .models import LessonPage

    return LessonPage.objects.child_of(module).live().order_by("path")


def lesson_navigation(lesson: LessonPage) -> dict:
    """Module, programme, position, previous and next lesson for a lesson page (3 queries)."""
    from .models import LessonPage, ModulePage, ProgrammePage

    ancestors = {
        type(page): page
        for page in lesson.get_ancestors().filter(depth__gte=2).type(ModulePage, ProgrammePage).specific()
    }
    module = ancestors.get(ModulePage)
    programme = ancestors.get(ProgrammePage)
    siblings = list(
        LessonPage.objects.sibling_of(lesson, inclusive=True)
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
