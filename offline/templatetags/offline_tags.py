"""Template tags for the offline forms: the signed token a kept form carries, and what it is in her words."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _

from core.tokens import make_token

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_token(context, kind: str, object_id) -> str:
    """A token naming the signed-in user and this form ("lesson", 42), or "" for a guest."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    return make_token(user_id=user.pk, scope=f"{kind}:{object_id}")


@register.simple_tag
def offline_label(kind: str, subject) -> str:
    """What a form kept on the phone is, in her words, for the list of what waits to be sent (/offline/).

    The service worker reads it from the page the form was on (`data-offline-label`) when it keeps
    the form, so the list names it before the server has answered.
    """
    if kind == "lesson":
        return _("Lesson finished: %(title)s") % {"title": subject.title}
    if kind == "quiz":
        try:
            order = subject.page.modulepage.order  # the module's row, already read for its colour band
        except (AttributeError, ObjectDoesNotExist):
            order = None
        if order:
            return _("Quiz of module %(number)s") % {"number": order}
        return _("Quiz: %(title)s") % {"title": subject.title}
    if kind == "attendance":
        # "Asistencia del martes 1 de diciembre": the weekday, then the day as the language writes it.
        return _("Attendance of %(weekday)s %(day)s") % {
            "weekday": formats.date_format(subject.date, "l"),
            "day": formats.date_format(subject.date, "MONTH_DAY_FORMAT"),
        }
    raise ValueError(kind)
