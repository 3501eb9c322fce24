"""The quiz card on a module (or lesson) page."""

from django import template

from people.roles import is_artisan

from ..selectors import quiz_for_page, quiz_summary

register = template.Library()


@register.inclusion_tag("assessments/includes/module_quiz_card.html", takes_context=True)
def module_quiz(context, page) -> dict:
    """The page's quiz with her result so far: 1 query, 2 for a signed-in artisan."""
    quiz = quiz_for_page(page) if page is not None else None
    request = context.get("request")
    user = getattr(request, "user", None)
    summary = quiz_summary(user, quiz) if quiz is not None and is_artisan(user) else None
    return {"quiz": quiz, "summary": summary}
