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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core import uploads
from core.spreadsheets import CONTENT_TYPES, SpreadsheetError, export_bytes, export_filename, read_sheet
from people.models import ArtisanProfile
from people.selectors import sign_in_waits

from .access import can_record, cohorts_for, facilitator_required, require_cohort
from .forms import SessionForm, UploadForm, attendance_entries
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
from .services import attendance_import, attendance_save, session_create

HEADER_ROW = 1  # an exported sheet's headers are its first row
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


def _import_purpose(cohort) -> str:
    """The purpose of a sheet waiting for its confirmation (core.uploads): this cohort's attendance."""
    return f"attendance:{cohort.pk}"


@require_http_methods(["GET", "POST"])
@facilitator_required
def cohort_import(request, cohort_id: int):
    """Upload → dry-run preview (nothing saved) → confirm: every row or none."""
    cohort = _cohort_or_403(request, cohort_id)
    if cohort is None:
        return _forbidden(request)
    form = UploadForm()
    context = {"cohort": cohort, "form": form}
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request, cohort, context)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                dataset = read_sheet(data, filename=upload.name).dataset(header_row=HEADER_ROW)
            except SpreadsheetError as error:  # a file that is not what its name says: tell her, save nothing
                form.add_error("file", str(error))
            else:
                result = attendance_import(cohort=cohort, dataset=dataset, recorded_by=request.user, dry_run=True)
                context["result"] = result
                context["row_errors"] = _row_errors(result)
                if not context["row_errors"]:
                    context["preview"] = _preview(cohort, result)
                    kept = uploads.upload_keep(
                        owner=request.user, purpose=_import_purpose(cohort), name=upload.name, content=data
                    )
                    context["token"] = str(kept.pk)  # the form's "token" is the kept upload's id
        status = 400 if form.errors or context.get("row_errors") else 200
        return render(request, "attendance/import.html", context, status=status)
    return render(request, "attendance/import.html", context)


def _import_confirm(request, cohort, context):
    kept = uploads.upload_for(owner=request.user, purpose=_import_purpose(cohort), upload_id=request.POST["token"])
    data = uploads.upload_content(kept) if kept is not None else None
    if data is None:
        messages.error(request, _("This preview has expired. Upload the sheet again."))
        return redirect("attendance:cohort_import", cohort_id=cohort.pk)
    try:
        dataset = read_sheet(data, filename=kept.name).dataset(header_row=HEADER_ROW)
    except SpreadsheetError:  # it was read for the preview; storage gave back something else
        messages.error(request, _("This preview has expired. Upload the sheet again."))
        return redirect("attendance:cohort_import", cohort_id=cohort.pk)
    result = attendance_import(cohort=cohort, dataset=dataset, recorded_by=request.user, dry_run=False)
    context["row_errors"] = _row_errors(result)
    if context["row_errors"]:
        context["result"] = result
        return render(request, "attendance/import.html", context, status=400)
    uploads.upload_discard(upload=kept)
    totals = result.totals
    messages.success(
        request,
        _("Imported: %(new)s new and %(updated)s updated records; %(skipped)s rows without a status were skipped.")
        % {"new": totals["new"], "updated": totals["update"], "skipped": totals["skip"]},
    )
    return redirect(reverse("attendance:cohort", kwargs={"cohort_id": cohort.pk}))


def _preview(cohort, result) -> list[dict]:
    """What the dry run would save, row by row, with names and dates (2 queries)."""
    names = dict(ArtisanProfile.objects.filter(cohort=cohort).values_list("user_id", "full_name"))
    sessions = {session.pk: session for session in cohort.sessions.all()}
    rows = [
        {
            "session": sessions.get(row.instance.session_id),
            "name": names.get(row.instance.artisan_id, ""),
            "status": row.instance.get_status_display(),
            "note": row.instance.note,
            "new": row.import_type == "new",
        }
        for row in result.rows
        if row.import_type in ("new", "update") and row.instance is not None
    ]
    return sorted(rows, key=lambda item: (item["session"].date if item["session"] else 0, item["name"]))


def _row_errors(result) -> list[tuple[int | None, list[str]]]:
    """(row number as Excel shows it, messages) for every bad row, plus errors about the whole sheet (row None).

    import-export counts the rows under the header from 1; the sheet's row is that plus the header's.
    """
    found: list[tuple[int | None, list[str]]] = []
    for error in result.base_errors:
        found.append((None, list(getattr(error.error, "messages", [str(error.error)]))))
    for number, errors in result.row_errors():
        found.append((number + HEADER_ROW, [str(error.error) for error in errors]))
    for invalid in result.invalid_rows:
        messages_ = [msg for problems in invalid.error_dict.values() for msg in problems]
        found.append((invalid.number + HEADER_ROW, messages_))
    return sorted(found, key=lambda item: item[0] or 0)
