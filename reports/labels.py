"""The words of the roster import and the exports, in the admin's language.

people.resources describes problems with codes and parameters; this module turns them
into sentences that name the row and the column as the admin sees them in Excel.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import spreadsheets


def column_labels() -> dict[str, str]:
    """Headers of the roster columns. Each is also recognised when the sheet comes back (test_roster_import)."""
    return {
        "external_id": _("External id"),
        "full_name": _("Full name"),
        "preferred_name": _("Preferred name"),
        "preferred_language": _("Preferred language"),
        "centre": _("Community centre"),
        "municipality": _("Municipality"),
        "state": _("State"),
        "cohort": _("Cohort"),
        "cohort_start_date": _("Cohort start date"),
        "programme": _("Programme"),
        "consent_given": _("Consent"),
        "consent_date": _("Consent date"),
        "privacy_notice_version": _("Privacy notice version"),
    }


# The roster's own problems; problems reading the file (encoding, format) are worded by core.spreadsheets,
# except the two limits, said here in the roster's words.
MESSAGES = {
    "too_big": gettext_lazy("The file is larger than %(limit)s KB. Split the roster into smaller files."),
    "too_many_rows": gettext_lazy("The sheet has more than %(limit)s rows. Split it into smaller files."),
    "missing_columns": gettext_lazy(
        "The sheet needs the columns %(columns)s. Check the header row: Spanish or English names work, for "
        "example “Nombre completo” or “Full name”, “Grupo” or “Cohort”."
    ),
    "duplicate_column": gettext_lazy("This column repeats another column of the sheet for the same information."),
    "required": gettext_lazy("This cell is required."),
    "unknown_cohort": gettext_lazy(
        "There is no cohort “%(cohort)s”. Add a centre column (“Centro”) so that it can be created."
    ),
    "ambiguous_cohort": gettext_lazy(
        "The cohort “%(cohort)s” exists at more than one centre (%(centres)s). Add a centre column (“Centro”) "
        "to say which."
    ),
    "unknown_programme": gettext_lazy(
        "There is no published programme “%(programme)s”. Write its title as it appears in Telar."
    ),
    "programme_needed": gettext_lazy(
        "The cohort “%(cohort)s” is new and there is no published programme for it to take."
    ),
    "other_programme": gettext_lazy(
        "The cohort “%(cohort)s” takes another programme, not “%(programme)s”. A cohort keeps its programme: "
        "check the cohort or the programme."
    ),
    "centre_needs_municipality": gettext_lazy(
        "The centre “%(centre)s” is new: write its municipality (“Municipio”) so that it can be created."
    ),
    "bad_date": gettext_lazy(
        "“%(value)s” is not a date Telar can read. Write it as dd/mm/yyyy, for example 15/03/2026."
    ),
    "bad_yes_no": gettext_lazy("“%(value)s” is not yes or no. Write “sí” or “no”."),
    "bad_language": gettext_lazy("“%(value)s” is not one of the languages Telar offers (%(choices)s)."),
    "duplicate_row": gettext_lazy("This row is the same person as row %(other)s. Keep only one of them."),
    "ambiguous_name": gettext_lazy(
        "Two artisans of this cohort have this name. Add an external id column (“ID”) to tell them apart."
    ),
}


def _sentence(code: str, params: dict) -> str:
    if code == "invalid":
        return " ".join(params.get("messages", []))
    template = MESSAGES.get(code) or spreadsheets.MESSAGES.get(code)
    if template is None:
        return code
    params = dict(params)
    if "columns" in params:
        labels = column_labels()
        params["columns"] = ", ".join(f"“{labels.get(column, column)}”" for column in params["columns"])
    return str(template) % params if "%(" in str(template) else str(template)


def where(*, row: int | None, column: str | None, headers: dict[str, str], letters: dict[str, str]) -> str:
    """ "Row 5, column C (Grupo)" with the header as written in her sheet."""
    if row is None:
        return ""
    if not column or column == NON_FIELD_ERRORS:
        return _("Row %(row)s") % {"row": row}
    header = headers.get(column) or column_labels().get(column, column)
    letter = letters.get(column)
    if letter:
        return _("Row %(row)s, column %(letter)s (%(header)s)") % {"row": row, "letter": letter, "header": header}
    return _("Row %(row)s, column %(header)s") % {"row": row, "header": header}


def file_error_message(error: spreadsheets.SpreadsheetError, *, headers: dict | None = None) -> str:
    """A sentence for a problem with the whole file, naming the row and column when known."""
    text = _sentence(error.code, error.params)
    headers = dict(headers or {})
    if error.column and "header" in error.params:
        headers[error.column] = error.params["header"]
    letters = {error.column: error.params["letter"]} if error.column and "letter" in error.params else {}
    if error.row is not None and not error.column and "letter" in error.params:
        place = _("Row %(row)s, column %(letter)s") % {"row": error.row, "letter": error.params["letter"]}
    else:
        place = where(row=error.row, column=error.column, headers=headers, letters=letters)
    return f"{place}: {text}" if place else text


def row_error_messages(row: int, error: ValidationError, *, headers: dict, letters: dict) -> list[str]:
    """One sentence per problem of an invalid row, each naming the row and the column."""
    sentences = []
    for column, problems in error.error_dict.items():
        for problem in problems:
            code = problem.code or ""
            if code.startswith("roster."):
                text = _sentence(code.removeprefix("roster."), problem.params or {})
            else:
                text = " ".join(problem.messages)
            sentences.append(f"{where(row=row, column=column, headers=headers, letters=letters)}: {text}")
    return sentences


def unexpected_row_error(row: int, error: Exception) -> str:
    return _("Row %(row)s: this row could not be saved (%(error)s).") % {"row": row, "error": error}


def yes_no(value) -> str:
    if value is None or value == "":
        return ""
    return _("yes") if value else _("no")


def change_summary(changes) -> str:
    """ "Cohort: A → B; Consent: no → yes" for the preview of an updated row."""
    labels = column_labels()
    parts = []
    for column, old, new in changes:
        parts.append(f"{labels.get(column, column)}: {_show(old)} → {_show(new)}")
    return "; ".join(parts)


def _show(value) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if value is None or value == "":
        return "—"
    if hasattr(value, "tzinfo"):
        return date_format(timezone.localtime(value).date(), "SHORT_DATE_FORMAT")
    return str(value)


STATUS_LABELS = {
    "new": gettext_lazy("New"),
    "update": gettext_lazy("Updated"),
    "skip": gettext_lazy("Unchanged"),
    "invalid": gettext_lazy("Has errors"),
    "error": gettext_lazy("Has errors"),
}

ENCODING_LABELS = {
    "xlsx": gettext_lazy("Excel workbook (XLSX)"),
    "utf-8": gettext_lazy("CSV, UTF-8"),
    "utf-8-sig": gettext_lazy("CSV, UTF-8 with BOM (“CSV UTF-8” in Excel)"),
    "cp1252": gettext_lazy("CSV, Windows-1252 / Latin-1 (“CSV” in Excel on Windows)"),
    "utf-16": gettext_lazy("Text, UTF-16 (“Unicode text” in Excel)"),
}


def duplicate_warnings(merged, near_duplicates) -> list[str]:
    """The rows an import reads once because they are the same person (people.resources), in words."""
    warnings = [
        _("Rows %(first)s and %(row)s are the same person, written twice: she is imported once, from row %(first)s.")
        % {"first": first, "row": row}
        for first, row in merged
    ]
    for near in near_duplicates:
        differences = "; ".join(
            _("%(column)s: “%(first)s” in row %(first_row)s, “%(value)s” in row %(row)s")
            % {
                "column": column,
                "first": first or "—",
                "value": value or "—",
                "first_row": near.first_row,
                "row": near.row,
            }
            for column, first, value in near.differences
        )
        warnings.append(
            _(
                "Row %(row)s has the same name and group as row %(first_row)s but other values (%(differences)s). "
                "Row %(row)s is left out and row %(first_row)s is imported; if they are two people, give each an id."
            )
            % {"row": near.row, "first_row": near.first_row, "differences": differences}
        )
    return warnings
