"""A cohort's attendance sheet as a background import (core.imports, kind ``attendance``).

The preview and the confirmation run in tasks, so a long sheet never waits inside a request and she
can close the page and come back. Both read the kept file (core.spreadsheets: any encoding and
delimiter Excel writes), then run ``attendance.services.attendance_import`` — a dry run for the
preview, for real on confirmation — and keep what the job's page shows: counts, each problem with
its row and column as Excel shows them, and the rows it would save.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.imports import failure
from core.models import ImportJob
from core.spreadsheets import SpreadsheetError, column_letter, read_sheet
from people.models import ArtisanProfile, Cohort

from .services import attendance_import

KIND = ImportJob.Kind.ATTENDANCE
HEADER_ROW = 1  # an exported sheet's headers are its first row


def attendance_preview(job: ImportJob, files: dict[str, tuple[str, bytes]]) -> dict:
    return _run(job, files, dry_run=True)


def attendance_confirm(job: ImportJob, files: dict[str, tuple[str, bytes]]) -> dict:
    return _run(job, files, dry_run=False)


def _run(job: ImportJob, files: dict[str, tuple[str, bytes]], *, dry_run: bool) -> dict:
    cohort = Cohort.objects.filter(pk=(job.params or {}).get("cohort")).first()
    if cohort is None:
        return failure(job, _("This cohort no longer exists. Nothing was saved."), dry_run=dry_run)
    name, content = next(iter(files.values()))
    try:
        sheet = read_sheet(content, filename=name)
        dataset = sheet.dataset(header_row=HEADER_ROW)
    except SpreadsheetError as error:  # a file that is not what its name says: tell her, save nothing
        return failure(job, str(error), dry_run=dry_run)
    try:
        result = attendance_import(cohort=cohort, dataset=dataset, recorded_by=job.owner, dry_run=dry_run)
    except ValidationError as error:  # she no longer facilitates this cohort
        return failure(job, " ".join(error.messages), dry_run=dry_run)
    problems = _problems(result, list(dataset.headers or []))
    totals = {key: result.totals.get(key, 0) for key in ("new", "update", "skip")}
    totals["invalid"] = len({problem["row"] for problem in problems if problem["row"]})
    return {
        "ok": not problems,
        "dry_run": dry_run,
        "filename": name,
        "file_error": "",
        "encoding": sheet.format,
        "errors": [],
        "problems": problems,
        "totals": totals,
        "rows": _rows(cohort, result) if not problems else [],
    }


def _letter(headers: list[str], field: str) -> str:
    """The column letter of a field (the resource put the normalised names in the dataset's headers)."""
    return column_letter(headers.index(field)) if field in headers else ""


def _problems(result, headers: list[str]) -> list[dict]:
    """Each problem as {row, column, messages}: the row as Excel shows it (import-export counts the rows under
    the header from 1), the column's letter when the problem is in one cell; row None is the whole sheet."""
    found: list[dict] = []
    for error in result.base_errors:
        messages = getattr(error.error, "messages", [str(error.error)])
        found.append({"row": None, "column": "", "messages": [str(message) for message in messages]})
    for number, errors in result.row_errors():
        found.append({"row": number + HEADER_ROW, "column": "", "messages": [str(error.error) for error in errors]})
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            found.append(
                {
                    "row": invalid.number + HEADER_ROW,
                    "column": _letter(headers, field),
                    "messages": [str(message) for message in messages],
                }
            )
    return sorted(found, key=lambda item: (item["row"] or 0, item["column"]))


def _rows(cohort: Cohort, result) -> list[dict]:
    """What the import saves (or would), row by row, with names and dates (2 queries)."""
    names = dict(ArtisanProfile.objects.filter(cohort=cohort).values_list("user_id", "full_name"))
    dates = dict(cohort.sessions.values_list("pk", "date"))
    rows = [
        {
            "date": dates[row.instance.session_id].isoformat() if row.instance.session_id in dates else "",
            "name": names.get(row.instance.artisan_id, ""),
            "status": str(row.instance.get_status_display()),
            "note": row.instance.note,
            "new": row.import_type == "new",
        }
        for row in result.rows
        if row.import_type in ("new", "update") and row.instance is not None
    ]
    return sorted(rows, key=lambda item: (item["date"], item["name"]))
