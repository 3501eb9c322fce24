"""Reading the spreadsheets programme staff and facilitators really have: CSV or XLSX into numbered rows.

Staff work in Excel on Windows; facilitators export from Telar, edit on a laptop and upload
back. A sheet arrives as one of:

- XLSX (the first worksheet is read; date cells stay dates, numbers stay numbers);
- CSV as Excel writes it: "CSV UTF-8" (UTF-8 with a BOM), "CSV" on a Spanish Windows
  (Windows-1252), "Unicode text" (UTF-16 with a BOM, tab-separated), or plain UTF-8 — with
  commas, semicolons (Excel's choice where the decimal separator is a comma) or tabs.

``read_sheet`` turns any of them into a ``Sheet``: the rows exactly as the cells were, each with
its row number as Excel shows it, so every message can say "row 5" and mean the row she sees.
What cannot be read is a ``SpreadsheetError`` with a code and a translated sentence naming the
row and column where known — never a guess: a file that is valid UTF-8 in places and not in
others mixes two encodings and is refused rather than silently garbled, and the old binary
.xls gets its own advice.

The roster import (people.resources), the attendance import (attendance.views) and the quiz
sheets (assessments.admin_views) all read through here. Nothing here knows what the columns
mean: ``Sheet.dataset`` makes a ``tablib.Dataset`` for django-import-export from a header row.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import tablib
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
# Work is bounded before parsing: a workbook is a zip whose parts may expand a thousandfold.
MAX_XLSX_EXPANDED = 40 * 1024 * 1024  # bytes, all parts together, uncompressed
MAX_XLSX_RATIO = 100  # a real workbook's XML compresses 5–20 times; a bomb, hundreds or thousands
MAX_COLUMNS = 200
MAX_CELL = 10_000  # characters in one cell
DELIMITERS = ",;\t"
XLSX = "xlsx"

_UTF8_MULTIBYTE = re.compile(rb"[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}")
_OLD_XLS = b"\xd0\xcf\x11\xe0"  # the OLE2 container of Excel 97–2003 .xls
_ZIP = b"PK\x03\x04"

MESSAGES = {
    "empty": gettext_lazy("The file is empty."),
    "too_big": gettext_lazy("The file is larger than %(limit)s KB. Split it into smaller files."),
    "too_many_rows": gettext_lazy("The sheet has more than %(limit)s rows. Split it into smaller files."),
    "xls": gettext_lazy(
        "This is an old Excel file (.xls). In Excel, save it as “Excel workbook (.xlsx)” or as “CSV UTF-8” and "
        "upload it again."
    ),
    "unreadable": gettext_lazy("The file could not be read as a spreadsheet. Upload a CSV or XLSX file."),
    "expands": gettext_lazy(
        "The workbook expands to far more data than its size suggests, so Telar does not open it. Copy the rows "
        "into a new workbook, or save it as “CSV UTF-8”, and upload it again."
    ),
    "too_many_columns": gettext_lazy(
        "A row has more than %(limit)s columns. Remove the empty columns and upload again."
    ),
    "cell_too_long": gettext_lazy("A cell has more than %(limit)s characters. Shorten it and upload again."),
    "encoding": gettext_lazy(
        "The file is not in a text encoding Telar can read from here on (it mixes encodings, or it is not a "
        "spreadsheet). In Excel, save it as “CSV UTF-8” or as “Excel workbook (.xlsx)” and upload it again."
    ),
}


class SpreadsheetError(ValueError):
    """A sheet that cannot be used, with a code, parameters and where (row as Excel shows it, column letter).

    Subclasses (people.resources.RosterError) add their own codes; ``message`` words this module's.
    """

    def __init__(self, code: str, *, row: int | None = None, column: str | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.row = row
        self.column = column
        self.params = params

    @property
    def message(self) -> str:
        """The sentence, in the active language, without the place."""
        template = MESSAGES.get(self.code)
        if template is None:
            return self.code
        return str(template) % self.params if "%(" in str(template) else str(template)

    @property
    def place(self) -> str:
        if self.row is None:
            return ""
        if "letter" in self.params:
            return _("Row %(row)s, column %(letter)s") % {"row": self.row, "letter": self.params["letter"]}
        return _("Row %(row)s") % {"row": self.row}

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


@dataclass
class Sheet:
    """A sheet's cells as read: ``rows[0]`` is row 1. ``format`` is "xlsx" or the CSV's encoding."""

    rows: list[list]
    format: str
    delimiter: str = ""

    def numbered(self, *, start: int = 1) -> Iterator[tuple[int, list]]:
        """(row number as Excel shows it, cells) from row ``start`` on, blank rows included."""
        yield from enumerate(self.rows[start - 1 :], start=start)

    def dataset(self, *, header_row: int = 1) -> tablib.Dataset:
        """The rows below ``header_row`` under its headers, for django-import-export.

        Blank rows are kept (as empty cells), so the dataset's n-th row is the sheet's row
        ``header_row + n``: import-export's row numbers plus ``header_row`` are Excel's.
        """
        header = self.rows[header_row - 1] if len(self.rows) >= header_row else []
        headers = ["" if cell is None else str(cell).strip() for cell in header]
        dataset = tablib.Dataset(headers=headers)
        width = len(headers)
        for _number, cells in self.numbered(start=header_row + 1):
            dataset.append((list(cells) + [None] * width)[:width])
        return dataset


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def decode_csv(content: bytes) -> tuple[str, str]:
    """The text of a CSV and its encoding ("utf-16", "utf-8-sig", "utf-8" or "cp1252"); SpreadsheetError otherwise.

    A BOM decides; without one, UTF-8 if the whole file is UTF-8, Windows-1252 if it has no
    UTF-8 sequence at all. A file with UTF-8 sequences that is not valid UTF-8 throughout mixes
    encodings: refused, naming the row and column where it breaks.
    """
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise _encoding_error(content, error.start) from None
    if content.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = content[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise _encoding_error(content, error.start + 3) from None
    else:
        try:
            text, encoding = content.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            if _UTF8_MULTIBYTE.search(content):
                raise _encoding_error(content, error.start) from None
            try:
                text, encoding = content.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as error:
                raise _encoding_error(content, error.start) from None
    if "\x00" in text:  # UTF-16 without its BOM, or not a text file at all
        raise _encoding_error(content, content.index(b"\x00"))
    return text, encoding


def _encoding_error(content: bytes, offset: int) -> SpreadsheetError:
    line_start = content.rfind(b"\n", 0, offset) + 1
    row = content.count(b"\n", 0, offset) + 1
    first_line = content.split(b"\n", 1)[0]
    delimiter = max((b",", b";", b"\t"), key=first_line.count)
    return SpreadsheetError("encoding", row=row, letter=column_letter(content.count(delimiter, line_start, offset)))


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab, from the first lines; a comma when the sample says nothing."""
    lines = text.splitlines()[:20]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    # Rows of different lengths (a row typed short, a note with a comma) defeat the sniffer: the
    # delimiter is then the one that splits the first line with something in it the most.
    first = next((line for line in lines if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    for delimiter in DELIMITERS:  # outside quotes, where the csv module can tell
        with contextlib.suppress(csv.Error):
            counts[delimiter] = len(next(csv.reader([first], delimiter=delimiter), [])) - 1
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


def _checked_row(cells: list, number: int) -> list:
    if len(cells) > MAX_COLUMNS:
        while cells and _blank(cells[-1]):  # Excel pads rows with formatted empty cells
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise SpreadsheetError("too_many_columns", row=number, limit=MAX_COLUMNS)
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL:
            raise SpreadsheetError("cell_too_long", row=number, letter=column_letter(index), limit=MAX_CELL)
    return cells


def _csv_rows(text: str, delimiter: str, max_rows: int) -> list[list]:
    rows: list[list] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            rows.append(_checked_row(list(row), len(rows) + 1))
            if len(rows) > max_rows:
                break
    except csv.Error:  # a field past the csv module's limit (128 KB), or a NUL byte
        raise SpreadsheetError("cell_too_long", row=len(rows) + 1, limit=MAX_CELL) from None
    return rows


def _check_expansion(content: bytes) -> None:
    """Refuse a zip bomb from its directory, before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SpreadsheetError("unreadable", detail=str(error)[:200]) from None
    expanded = sum(member.file_size for member in members)
    if expanded > MAX_XLSX_EXPANDED:
        raise SpreadsheetError("expands")
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1):
            raise SpreadsheetError("expands")


def _xlsx_rows(content: bytes, max_rows: int) -> list[list]:
    import openpyxl  # here: a worker that never reads a workbook never loads it (gunicorn.conf.py)

    _check_expansion(content)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SpreadsheetError("unreadable", detail=str(error)[:200]) from None
    try:
        rows: list[list] = []
        sheet = book.worksheets[0]
        # A row is read at most MAX_COLUMNS + 1 cells wide, whatever the sheet claims.
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            rows.append(_checked_row(list(values), len(rows) + 1))
            if len(rows) > max_rows:
                break
        return rows
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise SpreadsheetError("unreadable", detail=str(error)[:200]) from None
    finally:
        book.close()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(content: bytes, *, filename: str = "", max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> Sheet:
    """Read a CSV or XLSX file (told apart by its content; a name ending in .xlsx must be a workbook) into a ``Sheet``.

    Trailing blank rows are dropped (Excel keeps formatted empty rows); at most ``max_rows``
    rows with something in them, and ``max_bytes`` bytes.
    """
    if not content or not content.strip():
        raise SpreadsheetError("empty")
    if len(content) > max_bytes:
        raise SpreadsheetError("too_big", limit=max_bytes // 1000)
    if content.startswith(_OLD_XLS):
        raise SpreadsheetError("xls")
    # A few lines of header or title above the data are allowed for on top of max_rows.
    limit = max_rows + 20
    if content.startswith(_ZIP) or filename.lower().endswith(".xlsx"):
        sheet = Sheet(rows=_xlsx_rows(content, limit), format=XLSX)
    else:
        text, encoding = decode_csv(content)
        delimiter = sniff_delimiter(text)
        sheet = Sheet(rows=_csv_rows(text, delimiter, limit), format=encoding, delimiter=delimiter)
    while sheet.rows and all(_blank(cell) for cell in sheet.rows[-1]):
        sheet.rows.pop()
    if sum(1 for row in sheet.rows if not all(_blank(cell) for cell in row)) > limit:
        raise SpreadsheetError("too_many_rows", limit=max_rows)
    return sheet


# --- Writing: one path for every CSV and XLSX Telar hands out -----------------------------------

# Text a spreadsheet would run as a formula; written with an apostrophe before it (the roster
# import removes it again), the way Excel itself marks text that only looks like a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What an XLSX cell cannot hold (XML 1.0 forbids C0 controls but tab, newline, carriage return).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
REPLACEMENT = "\ufffd"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value: object, *, native_dates: bool) -> object:
    """A value as a spreadsheet may hold it: no formula, no character XLSX refuses, dates as dates in XLSX."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, microsecond=0) if native_dates else local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value if native_dates else value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool | int | float):
        return value if native_dates else str(value)
    text = _XLSX_ILLEGAL.sub(REPLACEMENT, str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def export_bytes(dataset: tablib.Dataset, file_format: str, *, title: str = "Telar") -> bytes:
    """The dataset as an XLSX workbook (real date cells) or a CSV in UTF-8 with a BOM (Excel then reads
    "Loxaʼ Hernández" as written), every cell through ``safe_cell``."""
    # import-export's formats load openpyxl (to see whether XLSX is available) when imported: imported here.
    from import_export.formats import base_formats

    native = file_format == XLSX
    clean = tablib.Dataset(headers=[safe_cell(header, native_dates=False) for header in dataset.headers or []])
    clean.title = _XLSX_ILLEGAL.sub("", title)[:31] or "Telar"
    for row in dataset:
        clean.append([safe_cell(value, native_dates=native) for value in row])
    if native:
        return base_formats.XLSX().export_data(clean)
    return ("\ufeff" + base_formats.CSV().export_data(clean)).encode("utf-8")


def export_filename(*parts: object, file_format: str) -> str:
    """A file name from words in the interface language ("asistencia-grupo-bordadoras-2026-12-01.csv")."""
    return f"{slugify(' '.join(str(part) for part in parts if part)) or 'telar'}.{file_format}"
