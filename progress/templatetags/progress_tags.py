"""Template tags that put an artisan's progress on the course pages (home, module, lesson).

Each reads through progress.selectors and memoises on the request, so a page
costs the same few queries however many lessons it lists. Guests and staff
cost nothing: the tags return early. An artisan may be in several programmes:
``overviews`` is each of hers, ``overview page`` the one the page belongs to.
"""

from django import template

from courses.models import ModulePage, ProgrammePage
from people.roles import is_artisan

from ..selectors import Overview, done_lesson_keys, programme_overviews

register = template.Library()


def _artisan(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return (request, user) if user is not None and is_artisan(user) else (request, None)


@register.simple_tag(takes_context=True)
def done_keys(context) -> set:
    """Translation keys of the lessons the signed-in artisan has finished (one query per request)."""
    request, user = _artisan(context)
    if user is None:
        return set()
    if not hasattr(request, "_telar_done_keys"):
        mine = getattr(request, "_telar_overviews", None)
        if mine is not None:  # the page already read her progress (module page): reuse it
            request._telar_done_keys = set().union(*(status.done_keys for item in mine for status in item.statuses))
        else:
            request._telar_done_keys = done_lesson_keys(user)
    return request._telar_done_keys


@register.simple_tag(takes_context=True)
def overviews(context) -> list[Overview]:
    """The signed-in artisan's programmes, each with its progress overview (memoised per request); [] for others."""
    request, user = _artisan(context)
    if user is None:
        return []
    if not hasattr(request, "_telar_overviews"):
        request._telar_overviews = programme_overviews(user)
    return request._telar_overviews


@register.simple_tag(takes_context=True)
def overview(context, page=None) -> Overview | None:
    """Her overview of the programme `page` belongs to (a programme or one of its modules; any language),
    None when she does not take it. Without a page, her first programme's."""
    mine = overviews(context)
    if not mine:
        return None
    if page is None:
        return mine[0]
    specific = getattr(page, "specific", page)
    for item in mine:
        if isinstance(specific, ProgrammePage):
            found = item.programme is not None and item.programme.translation_key == specific.translation_key
        elif isinstance(specific, ModulePage):
            found = any(status.module.translation_key == specific.translation_key for status in item.statuses)
        else:
            found = False
        if found:
            return item
    return None


@register.simple_tag(takes_context=True)
def other_overviews(context, page=None) -> list[Overview]:
    """Her programmes other than the one `page` belongs to (the home page lists them)."""
    current = overview(context, page)
    return [item for item in overviews(context) if item is not current]
