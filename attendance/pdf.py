"""The printable attendance sheet (WeasyPrint): the paper fallback when the phone fails.

Rendered on request, never stored: it changes whenever the cohort does.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from .models import Session
from .selectors import module_titles, session_lines


def attendance_sheet_pdf(session: Session) -> bytes:
    """A4 portrait: the session's details, then one numbered line per artisan with room to sign."""
    context = {
        "session": session,
        "cohort": session.cohort,
        # On paper she looks for her name as written: alphabetical by full name.
        "lines": sorted(session_lines(session), key=lambda line: line.profile.full_name.casefold()),
        "module_title": module_titles([session.module]).get(session.module.translation_key) if session.module else "",
        "facilitators": ", ".join(
            user.get_full_name() or user.username for user in session.facilitators.order_by("first_name")
        ),
        "organisation": settings.TELAR_ORGANISATION_NAME,
    }
    html = render_to_string("attendance/sheet_pdf.html", context)
    # WeasyPrint adds ~20 MB and 1-2 s to the process that imports it; only a printed sheet needs it.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
