"""The facilitator's cohort grid, a row at a time, and what an artisan still needs for her constancia.

The items come from the certificate rule (``certificates.rules.standing``); this only says them:
"Le falta: 3 lecciones del módulo 2, la evaluación del módulo 3 y 2 sesiones".

``grid_rows`` writes each artisan's whole row in Python: 200 rows of six cells through the template
language cost more than the rest of the page (issue 17: ≤ 40 ms CPU for 200). Every value is escaped.
"""

from __future__ import annotations

from html import escape  # names are text: Django's escape adds a lazy-string check per call

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
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


def _labels() -> dict:
    """The grid's words in the display language, escaped: once per page, not once per row."""
    return {
        "not_started": f'<span class="visually-hidden">{esc(_("Not started"))}</span>',
        "attendance": esc(_("Attendance")),
        "certificate": esc(_("Certificate")),
        "ready": f"<strong>{esc(_('Ready for the constancia'))}</strong>",
        "needs": {},  # what is missing → its sentence: women at the same stage share one
    }


def _needs(standing: Standing, said: dict) -> str:
    """``still_needs``, escaped, said once per distinct list of what is missing on the page."""
    key = (standing.threshold_percent, *((i.kind, i.count, getattr(i.module, "order", None)) for i in standing.missing))
    sentence = said.get(key)
    if sentence is None:
        sentence = said[key] = esc(still_needs(standing))
    return sentence


def _cell(number: int, cell, not_started: str) -> str:
    """ "3/4 ✓ 90%": lessons done of its lessons, ✓ quiz passed or ✗ tried, the score that counts; or not started."""
    status, score = cell.status, cell.score
    ok = ' class="ok"' if status.is_complete else ""
    if status.lessons_done or score is not None or status.quiz_passed:
        mark = " ✓" if status.quiz_passed else (" ✗" if score is not None else "")
        scored = "" if score is None else f" {score}%"
        text = f"{status.lessons_done}/{status.lessons_total}{mark}{scored}"
    else:
        text = not_started
    return f'<td data-l="M{number}"{ok}>{text}</td>'


def _row(row, labels: dict) -> str:
    """One artisan's row of the cohort grid (``workspace.selectors.GridRow``): her name, a cell per module,
    her attendance and her constancia (ready, or what she still needs)."""
    profile = row.profile
    cells = "".join(_cell(number, cell, labels["not_started"]) for number, cell in enumerate(row.cells, 1))
    percent = row.percent
    attendance = "—" if percent is None else f"{percent} %"
    certificate = labels["ready"] if row.eligible else _needs(row.standing, labels["needs"])
    return (
        f'<tr><th scope="row">{escape(profile.preferred_name)} <small>{escape(profile.full_name)}</small></th>{cells}'
        f'<td data-l="{labels["attendance"]}">{attendance}</td>'
        f'<td data-l="{labels["certificate"]}">{certificate}</td></tr>\n'
    )


@register.simple_tag
def grid_rows(rows) -> SafeString:
    """Every row of the cohort grid, in one tag: a tag per row cost the template engine more than the rows."""
    labels = _labels()
    return mark_safe("".join(_row(row, labels) for row in rows))  # noqa: S308 - every value is escaped or a number
