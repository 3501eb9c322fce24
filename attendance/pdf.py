"""The printable attendance sheet (WeasyPrint): the paper fallback when the phone fails.

Rendered on request, never stored: it changes whenever the cohort does. Through
`core.pdf`, so the sheet loads nothing from the network or the disk.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from core import pdf
from core.text import sorted_by_name

from .models import Session
from .selectors import session_lines, session_module_title


def attendance_sheet_pdf(session: Session) -> bytes:
    """A4 portrait: the session's details, then one numbered line per artisan with room to sign."""
    context = {
        "session": session,
        "cohort": session.cohort,
        # On paper she looks for her name as written: alphabetical by full name.
        "lines": sorted_by_name(session_lines(session), lambda line: line.profile.full_name),
        "module_title": session_module_title(session),
        "facilitators": ", ".join(
            user.get_full_name() or user.username for user in session.facilitators.order_by("first_name")
        ),
        "organisation": settings.TELAR_ORGANISATION_NAME,
    }
    return pdf.render_pdf(render_to_string("attendance/sheet_pdf.html", context))
