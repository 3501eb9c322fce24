"""The roster import: one run of a sheet (``roster_import``), and the background job around it.

``roster_import`` reads a sheet (people.resources, core.spreadsheets) and imports it, as a dry run
for the preview or for real; ``ImportOutcome`` is what it did or would do, in the admin's words.
A large sheet takes longer than a web request may (gunicorn's 30 s), so the admin runs both steps
as tasks on a ``core.ImportJob`` of kind ``roster`` (core.imports runs ``roster_preview`` and
``roster_confirm`` here); the outcome is kept on the job as a dict (``outcome_as_dict``) for its page.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field

from core import events
from core.models import ImportJob
from core.spreadsheets import SpreadsheetError
from people.events import ArtisansImported
from people.models import User
from people.resources import ArtisanResource, Roster, read_roster

from . import labels

logger = logging.getLogger(__name__)

ROSTER = ImportJob.Kind.ROSTER  # its kind of core.ImportJob (registered in reports.apps)


@dataclass
class PreviewRow:
    row: int
    full_name: str
    cohort: str
    status: str  # new, update, skip, invalid, error
    changes: str = ""

    @property
    def status_label(self) -> str:
        return str(labels.STATUS_LABELS.get(self.status, self.status))


@dataclass
class ImportOutcome:
    """What an import did (or, in a dry run, would do): counts, rows, problems, what it creates."""

    ok: bool
    dry_run: bool
    filename: str = ""
    encoding: str = ""
    file_error: str = ""
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    created_centres: list[str] = field(default_factory=list)
    created_cohorts: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # rows merged or left out as the same person
    merged: int = 0  # rows read once because they repeat a person already in the sheet
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header in the sheet, what Telar reads)

    @property
    def encoding_label(self) -> str:
        return str(labels.ENCODING_LABELS.get(self.encoding, self.encoding))


def roster_import(*, content: bytes, filename: str, user: User | None, dry_run: bool) -> ImportOutcome:
    """Read a roster file and import it: a dry run for the preview, or for real after confirmation.

    All or nothing: ArtisanResource imports inside a transaction that is rolled back when
    any row is invalid (and always in a dry run). Each created or changed artisan, centre
    and cohort is logged in Wagtail's log under ``user``; a real import announces
    the artisans it created or changed (`people.events.ArtisansImported`).
    """
    try:
        roster: Roster = read_roster(content, filename)
    except SpreadsheetError as error:  # the file, or the roster's columns (RosterError)
        return ImportOutcome(ok=False, dry_run=dry_run, filename=filename, file_error=labels.file_error_message(error))

    resource = ArtisanResource()
    result = resource.import_data(roster.dataset, dry_run=dry_run, user=user, file_name=filename)
    outcome = ImportOutcome(
        ok=not (result.has_errors() or result.has_validation_errors()),
        dry_run=dry_run,
        filename=filename,
        encoding=roster.encoding,
        ignored_columns=roster.ignored,
        warnings=labels.duplicate_warnings(roster.merged, roster.near_duplicates),
        merged=len(roster.merged) + len(roster.near_duplicates),
        created_centres=[centre.name for centre in resource.created_centres],
        created_cohorts=[str(cohort) for cohort in resource.created_cohorts],
        columns=[
            (roster.headers[column], label)
            for column, label in labels.column_labels().items()
            if column in roster.headers
        ],
    )
    for base_error in result.base_errors:
        logger.warning("Roster import failed before the rows: %r", base_error.error)
        outcome.errors.append(str(base_error.error))
    totals = {"new": 0, "update": 0, "skip": 0, "invalid": 0}
    for row_result in result.rows:
        values = row_result.row_values or {}
        number = int(values.get("__row__") or 0)  # people.resources.ROW: every row carries its sheet row
        status = row_result.import_type
        cohort = values.get("__cohort__")
        outcome.rows.append(
            PreviewRow(
                row=number,
                full_name=str(values.get("full_name") or ""),
                cohort=str(cohort) if cohort is not None else str(values.get("cohort") or ""),
                status=status,
                changes=labels.change_summary(resource.changes.get(number, [])) if status == "update" else "",
            )
        )
        if status == "invalid":
            totals["invalid"] += 1
            outcome.errors.extend(
                labels.row_error_messages(
                    number, row_result.validation_error, headers=roster.headers, letters=roster.letters
                )
            )
        elif status == "error":
            totals["invalid"] += 1
            for row_error in row_result.errors:
                logger.warning("Roster import row %s failed: %r", number, row_error.error)
                outcome.errors.append(labels.unexpected_row_error(number, row_error.error))
        else:
            totals[status] = totals.get(status, 0) + 1
    outcome.totals = totals
    if not outcome.ok and not dry_run:
        outcome.created_centres, outcome.created_cohorts = [], []
    if outcome.ok and not dry_run:
        changed = tuple(
            row.instance.user_id
            for row in result.rows
            if row.import_type in ("new", "update") and row.instance is not None and row.instance.user_id
        )
        if changed:
            events.emit(ArtisansImported(user_ids=changed))  # after the import's commit (at once: it has committed)
    return outcome


def outcome_as_dict(outcome: ImportOutcome) -> dict:
    """The outcome as JSON can keep it (on an ImportJob)."""
    return dataclasses.asdict(outcome)


def outcome_from_dict(data: dict) -> ImportOutcome | None:
    """The outcome a job kept, for its page; None when there is none (yet)."""
    if not data:
        return None
    known = {item.name for item in dataclasses.fields(ImportOutcome)}
    values = {key: value for key, value in data.items() if key in known}
    values["rows"] = [PreviewRow(**row) for row in values.get("rows", [])]
    values["columns"] = [tuple(pair) for pair in values.get("columns", [])]
    return ImportOutcome(**values)


def roster_preview(job: ImportJob, files: dict[str, tuple[str, bytes]]) -> dict:
    """The preview task's work for a roster job (core.imports): a dry run of the kept file."""
    name, content = next(iter(files.values()))
    return outcome_as_dict(roster_import(content=content, filename=name, user=job.owner, dry_run=True))


def roster_confirm(job: ImportJob, files: dict[str, tuple[str, bytes]]) -> dict:
    """The confirmation task's work for a roster job (core.imports): the real import, all or nothing."""
    name, content = next(iter(files.values()))
    return outcome_as_dict(roster_import(content=content, filename=name, user=job.owner, dry_run=False))
