"""A quiz's questions and options sheets as a background import (core.imports, kind ``questions``).

The preview and the confirmation run in tasks, like every spreadsheet import: the editor can close
the page and come back. Both read the kept sheets (core.spreadsheets) and run
``assessments.resources.import_quiz_sheets`` — a dry run for the preview, for real (one published
revision) on confirmation — and keep what the job's page shows: counts, each problem with its sheet,
row and column, and the rows read.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.imports import failure
from core.models import ImportJob
from core.spreadsheets import SpreadsheetError, read_sheet

from .models import Quiz
from .resources import import_quiz_sheets

KIND = ImportJob.Kind.QUESTIONS
SHEETS = ("questions", "options")
HEADER_ROW = 1  # an exported sheet's headers are its first row
MAX_UPLOAD = 2 * 1024 * 1024


def questions_preview(job: ImportJob, files: dict[str, tuple[str, bytes]]) -> dict:
    return _run(job, files, dry_run=True)


def questions_confirm(job: ImportJob, files: dict[str, tuple[str, bytes]]) -> dict:
    return _run(job, files, dry_run=False)


def _run(job: ImportJob, files: dict[str, tuple[str, bytes]], *, dry_run: bool) -> dict:
    quiz = Quiz.objects.select_related("locale").filter(pk=(job.params or {}).get("quiz")).first()
    if quiz is None:
        return failure(job, _("This quiz no longer exists. Nothing was saved."), dry_run=dry_run)
    datasets = {}
    for what in SHEETS:
        if what not in files:
            continue
        name, content = files[what]
        try:
            datasets[what] = read_sheet(content, filename=name, max_bytes=MAX_UPLOAD).dataset(header_row=HEADER_ROW)
        except SpreadsheetError as error:
            return failure(job, f"{name}: {error}", dry_run=dry_run)
    rows = _rows(datasets)
    outcome = import_quiz_sheets(quiz=quiz, user=job.owner, dry_run=dry_run, header_row=HEADER_ROW, **datasets)
    return {
        "ok": outcome.ok,
        "dry_run": dry_run,
        "filename": job.filename,
        "file_error": "",
        "errors": outcome.errors,
        "created": outcome.created,
        "updated": outcome.updated,
        "totals": {"new": outcome.created, "update": outcome.updated},
        "rows": rows if outcome.ok else [],
    }


def _rows(datasets: dict) -> list[dict]:
    """The rows read, as the editor typed them: sheet, row number as Excel shows it, number, text."""
    labels = {"questions": _("Questions"), "options": _("Options")}
    rows = []
    for what, dataset in datasets.items():
        for index, row in enumerate(dataset.dict):
            number = str(row.get("number") or "").strip()
            if what == "options":
                number = f"{str(row.get('question') or '').strip()}.{number}"
            text = row.get("text") if what == "questions" else row.get("label")
            if not number.strip(".") and not text:
                continue  # a blank row
            rows.append(
                {
                    "sheet": str(labels[what]),
                    "row": index + HEADER_ROW + 1,
                    "number": number,
                    "text": str(text or ""),
                }
            )
    return rows
