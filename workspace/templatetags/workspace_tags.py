"""What an artisan still needs for her constancia, in one sentence for the facilitator's grid.

The items come from the certificate rule (``certificates.rules.standing``); this only says them:
"Le falta: 3 lecciones del módulo 2, la evaluación del módulo 3 y 2 sesiones".
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.rules import LESSONS, MODULES, QUIZ, SESSIONS, Standing

register = template.Library()


def _item(item, threshold_percent: int) -> str:
    number = getattr(item.module, "order", None)
    if item.kind == LESSONS:
        return ngettext("%(n)s lesson of module %(m)s", "%(n)s lessons of module %(m)s", item.count) % {
            "n": item.count,
            "m": number,
        }
    if item.kind == QUIZ:
        return _("the quiz of module %(m)s") % {"m": number}
    if item.kind == MODULES:
        return _("module %(m)s") % {"m": number} if number is not None else _("the programme's modules")
    if item.kind == SESSIONS:
        return ngettext("%(n)s session", "%(n)s sessions", item.count) % {"n": item.count}
    return _("%(p)s %% attendance (talk with her)") % {"p": threshold_percent}


@register.simple_tag
def still_needs(standing: Standing) -> str:
    """ "She still needs: a, b and c", or "" when nothing is missing."""
    items = [_item(item, standing.threshold_percent) for item in standing.missing]
    if not items:
        return ""
    listed = (
        items[0]
        if len(items) == 1
        else _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
    )
    return _("She still needs: %(list)s") % {"list": listed}
