"""Template tags that put an artisan's progress on the course pages (home, module, lesson).

Each reads through progress.selectors and memoises on the request, so a page
costs the same few queries however many lessons it lists. Guests and staff
cost nothing: the tags return early.
"""

from django import template

from people.roles import is_artisan

from ..selectors import done_lesson_keys, progress_overview

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
        overview = getattr(request, "_telar_overview", None)
        if overview is not None:  # the page already read her progress (module page): reuse it
            request._telar_done_keys = set().union(*(status.done_keys for status in overview.statuses))
        else:
            request._telar_done_keys = done_lesson_keys(user)
    return request._telar_done_keys


@register.simple_tag(takes_context=True)
def overview(context):
    """The signed-in artisan's progress overview, or None."""
    request, user = _artisan(context)
    if user is None:
        return None
    if not hasattr(request, "_telar_overview"):
        request._telar_overview = progress_overview(user)
    return request._telar_overview
