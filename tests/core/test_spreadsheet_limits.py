"""Bombs and oversized cells are refused before the work: a clear message, never a 500."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.utils import translation

from core.spreadsheets import MAX_CELL, MAX_COLUMNS, SpreadsheetError, export_bytes, read_sheet
from tests.reports.sheets import xlsx_bytes


def rewritten(workbook: bytes, member: str, content: bytes) -> bytes:
    """The workbook with one part replaced (the way a bomb is made from an ordinary file)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == member else source.read(item.filename))
        if member not in source.namelist():
            target.writestr(member, content)
    return out.getvalue()


def refused(content: bytes, code: str, **kwargs) -> SpreadsheetError:
    tracemalloc.start()
    started = time.process_time()
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(content, **kwargs)
    spent, (_now, peak) = time.process_time() - started, tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert error.value.code == code, error.value.code
    # Not a time budget (bench measures those): a sanity bound that the file was never expanded.
    assert peak < 50 * 1024 * 1024, peak
    print(f"{code}: {len(content)} bytes refused in {spent:.2f} s CPU, peak {peak / 1e6:.1f} MB")
    return error.value


def test_a_shared_string_that_expands_to_hundreds_of_megabytes_is_refused_unopened():
    workbook = xlsx_bytes([["Nombre completo", "Grupo"], ["Ana", "G"]])
    bomb_string = b"<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><si><t>"
    bomb = rewritten(workbook, "xl/sharedStrings.xml", bomb_string + b"A" * 300_000_000 + b"</t></si></sst>")
    assert len(bomb) < 400_000
    error = refused(bomb, "expands")
    with translation.override("es"):
        assert "CSV UTF-8" in error.message


def test_a_row_of_two_million_cells_is_refused_unopened():
    workbook = xlsx_bytes([["Nombre completo", "Grupo"]])
    cells = b"".join(b'<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(2_000_000))
    sheet = b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData><row>"
    bomb = rewritten(workbook, "xl/worksheets/sheet1.xml", sheet + cells + b"</row></sheetData></worksheet>")
    refused(bomb, "expands")


def test_a_wide_row_that_is_not_a_bomb_is_refused_by_its_width():
    refused(",".join(["x"] * (MAX_COLUMNS + 5)).encode(), "too_many_columns")
    wide = xlsx_bytes([["x"] * (MAX_COLUMNS + 5)])
    refused(wide, "too_many_columns")


def test_a_csv_cell_over_the_limit_is_a_message_not_a_500():
    error = refused(b"Nombre completo,Grupo\n" + b'"' + b"a" * 200_000 + b'",G\n', "cell_too_long")
    assert error.row == 2
    refused(b"Nombre completo,Grupo\n" + b"a" * (MAX_CELL + 1) + b",G\n", "cell_too_long")


def test_formatted_empty_columns_do_not_count_as_width():
    rows = read_sheet(("Nombre,Grupo" + "," * (MAX_COLUMNS + 50) + "\nAna,G\n").encode()).rows
    assert rows[0][:2] == ["Nombre", "Grupo"]


def test_exports_hold_any_text():
    import tablib

    dataset = tablib.Dataset(headers=["Nombre", "Nota"])
    dataset.append(["=1+1", "campana\x07 y NUL\x00"])
    dataset.append(["@SUM(A1)", "-2"])
    book = export_bytes(dataset, "xlsx")
    assert book.startswith(b"PK")
    text = export_bytes(dataset, "csv").decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=1+1" in text and "'@SUM(A1)" in text and "'-2" in text and "\x07" not in text
