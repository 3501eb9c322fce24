"""The facilitator workspace: my cohorts → sessions → the attendance list; grid, sheets, spreadsheets.

Views stay thin: access checks (`attendance.access`), selectors to read,
services to write. A cohort that is not hers is a 403 with a plain message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import imports
from core.selectors import import_job_for, import_job_task_failed, import_jobs_recent
from core.spreadsheets import CONTENT_TYPES, export_bytes, export_filename
from people.selectors import sign_in_waits

from .access import can_record, cohorts_for, facilitator_required, require_cohort
from .forms import SessionForm, UploadForm, attendance_entries
from .imports import KIND as IMPORT_KIND
from .models import Status
from .pdf import attendance_sheet_pdf
from .resources import AttendanceResource
from .selectors import (
    cohort_records,
    cohort_sessions,
    coming_sessions,
    session_detail,
    session_lines,
    session_module_title,
    session_sheet_rows,
)
from .services import attendance_save, session_create

REFRESH_SECONDS = 3  # how often an import's page reloads itself while a task works on it
ALL_PRESENT = "all_present"  # the "Everyone present" button's name in the attendance form


def _forbidden(request):
    return render(request, "attendance/forbidden.html", status=403)


def _cohort_or_403(request, cohort_id):
    try:
        return require_cohort(request.user, cohort_id)
    except PermissionDenied:
        return None


def _session_or_403(request, session_id, *, to_save: bool = False):
    session = session_detail(session_id, to_save=to_save)
    if session is None:
        raise Http404
    if not can_record(request.user, session.cohort_id):
        return None
    return session


@require_GET
@facilitator_required
def cohorts(request):
    """Her start page (issue 16): today's and the next sessions first, then her cohorts."""
    items = cohorts_for(request.user).annotate(artisan_count=Count("artisans", distinct=True))
    coming = coming_sessions(cohorts_for(request.user), today=timezone.localdate())
    return render(
        request, "attendance/cohorts.html", {"cohorts": items, "coming": coming, "today": timezone.localdate()}
    )


@require_http_methods(["GET", "POST"])
@facilitator_required
def cohort(request, cohort_id: int):
    cohort = _cohort_or_403(request, cohort_id)
    if cohort is None:
        return _forbidden(request)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session, created = session_create(cohort=cohort, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Session created. Take attendance below."))
            else:
                messages.info(request, _("This session already existed; here it is."))
            return redirect("attendance:session", session_id=session.pk)
    return render(
        request,
        "attendance/cohort.html",
        {"cohort": cohort, "sessions": cohort_sessions(cohort), "form": form, "waits": sign_in_waits(cohort.pk)},
        status=400 if form.errors else 200,
    )


def saved_message(result, entries) -> str:
    """What the save recorded, in words: how many present, late, excused, absent, and without a status."""
    counts = {code: 0 for code, _label in Status.choices}
    for entry in entries:
        if entry.status in counts:
            counts[entry.status] += 1
    without = result.total - sum(counts.values())
    parts = [
        ngettext("%(n)s present", "%(n)s present", counts["present"]) % {"n": counts["present"]},
        ngettext("%(n)s late", "%(n)s late", counts["late"]) % {"n": counts["late"]},
        ngettext("%(n)s excused", "%(n)s excused", counts["excused"]) % {"n": counts["excused"]},
        ngettext("%(n)s absent", "%(n)s absent", counts["absent"]) % {"n": counts["absent"]},
    ]
    message = _("Attendance saved: %(parts)s.") % {"parts": ", ".join(parts)}
    if without > 0:
        message += " " + ngettext(
            "%(n)s artisan still has no status.", "%(n)s artisans still have no status.", without
        ) % {"n": without}
    return message


@require_http_methods(["GET", "POST"])
@facilitator_required
def session(request, session_id: int):
    saving = request.method == "POST" and ALL_PRESENT not in request.POST
    session = _session_or_403(request, session_id, to_save=saving)
    if session is None:
        return _forbidden(request)
    errors = []
    posted = {}
    # ?all=present on a fresh page has no marks to lose; the button posts the form (below).
    fill_empty = request.method == "GET" and request.GET.get("all") == "present"
    if request.method == "POST":
        entries = attendance_entries(request.POST)
        if ALL_PRESENT in request.POST:
            # "Everyone present" without JavaScript: nothing is saved yet; every mark she posted is kept
            # as she left it and only the lines without a status become present. She then saves.
            posted = {entry.artisan_id: entry for entry in entries}
            fill_empty = True
        else:
            try:
                result = attendance_save(session=session, entries=entries, recorded_by=request.user)
            except ValidationError as error:
                errors = error.messages
                posted = {entry.artisan_id: entry for entry in entries}
                session = session_detail(session.pk) or session  # read with what the page draws
            else:
                messages.success(request, saved_message(result, entries))
                return redirect("attendance:session", session_id=session.pk)
    rows = []
    for line in session_lines(session):  # read only for a list drawn: a save goes back to the list (above)
        entry = posted.get(line.user_id)
        # What the form showed when first loaded (w, v): kept through re-renders, so a save can tell
        # what it changes and what someone else saved meanwhile.
        shown, shown_note = entry.shown if entry is not None and entry.shown is not None else (line.status, line.note)
        status = entry.status if entry is not None else line.status
        if fill_empty and not status:
            status = Status.PRESENT.value
        rows.append(
            {
                "id": line.user_id,
                "profile": line.profile,
                "shown": shown,
                "shown_note": shown_note,
                "status": status,
                "note": entry.note if entry is not None else line.note,
            }
        )
    missing = sum(1 for row in rows if not row["status"])
    context = {
        "session": session,
        "cohort": session.cohort,
        "module_title": session_module_title(session),
        "rows": rows,
        "choices": Status.choices,
        "errors": errors,
        "missing": missing,
        "all_present": fill_empty,
        "all_present_field": ALL_PRESENT,
    }
    return render(request, "attendance/session.html", context, status=400 if errors else 200)


@require_GET
@facilitator_required
def session_sheet(request, session_id: int):
    session = _session_or_403(request, session_id)
    if session is None:
        return _forbidden(request)
    response = HttpResponse(attendance_sheet_pdf(session), content_type="application/pdf")
    name = export_filename(_("attendance"), session.cohort.name, f"{session.date:%Y-%m-%d}", file_format="pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _spreadsheet(dataset, fmt: str, *name: object) -> HttpResponse:
    """Through the one export path (core.spreadsheets): formulas escaped, a BOM for Excel, a name in her language."""
    response = HttpResponse(export_bytes(dataset, fmt, title=str(_("Attendance"))), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(*name, file_format=fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@facilitator_required
def session_export(request, session_id: int, fmt: str):
    session = _session_or_403(request, session_id)
    if session is None:
        return _forbidden(request)
    dataset = AttendanceResource().export(session_sheet_rows(session))
    return _spreadsheet(dataset, fmt, _("attendance"), session.cohort.name, f"{session.date:%Y-%m-%d}")


@require_GET
@facilitator_required
def cohort_export(request, cohort_id: int, fmt: str):
    cohort = _cohort_or_403(request, cohort_id)
    if cohort is None:
        return _forbidden(request)
    dataset = AttendanceResource().export(cohort_records(cohort))
    return _spreadsheet(dataset, fmt, _("attendance"), cohort.name)


@require_http_methods(["GET", "POST"])
@facilitator_required
def cohort_import(request, cohort_id: int):
    """Upload: the sheet is kept and its preview queued (a task); she is sent to the job's page.

    The page also lists her recent imports for this cohort, so a closed page is found again.
    """
    cohort = _cohort_or_403(request, cohort_id)
    if cohort is None:
        return _forbidden(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        job = imports.import_job_start(
            owner=request.user,
            kind=IMPORT_KIND,
            files={"file": (upload.name, upload.read())},
            params={"cohort": cohort.pk},
        )
        return redirect(reverse("attendance:import_job", args=[cohort.pk, job.pk]), permanent=False)
    jobs = import_jobs_recent(owner=request.user, kind=IMPORT_KIND, params={"cohort": cohort.pk})
    return render(
        request,
        "attendance/import.html",
        {"cohort": cohort, "form": form, "jobs": jobs},
        status=400 if form.errors else 200,
    )


def _job_or_404(request, cohort, job_id):
    """Her job for this cohort; anyone else's, another cohort's or a forged id is not found."""
    job = import_job_for(owner=request.user, job_id=job_id, kind=IMPORT_KIND)
    if job is None or (job.params or {}).get("cohort") != cohort.pk:
        raise Http404
    return job


@require_GET
@facilitator_required
def import_job(request, cohort_id: int, job_id):
    """One import: while a task works, a plain page that refreshes itself; then its preview or its result."""
    cohort = _cohort_or_403(request, cohort_id)
    if cohort is None:
        return _forbidden(request)
    job = _job_or_404(request, cohort, job_id)
    stopped = import_job_task_failed(job)
    context = {
        "cohort": cohort,
        "job": job,
        "stopped": stopped,
        "refresh": REFRESH_SECONDS if job.working and not stopped else None,
        "outcome": _outcome(job.result or job.preview),
        "waiting": timezone.now() - job.updated_at,
        "form": UploadForm(),
    }
    return render(request, "attendance/import_job.html", context)


def _outcome(data: dict) -> dict:
    """The kept outcome with its rows' dates as dates again (JSON keeps them as text), for the date filter."""
    rows = [{**row, "date": parse_date(row["date"]) if row.get("date") else None} for row in data.get("rows", [])]
    return {**data, "rows": rows}


@require_POST
@facilitator_required
def import_confirm(request, cohort_id: int, job_id):
    """Her "Confirm": the import is queued once; a repeated confirmation queues nothing."""
    cohort = _cohort_or_403(request, cohort_id)
    if cohort is None:
        return _forbidden(request)
    job = _job_or_404(request, cohort, job_id)
    imports.import_job_confirm_request(job=job, user=request.user)
    return redirect(reverse("attendance:import_job", args=[cohort.pk, job.pk]))
