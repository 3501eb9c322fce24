"""Build the spreadsheets real programme staff send: CSV from Excel in several encodings, XLSX with date cells."""

from __future__ import annotations

import csv
import io

import openpyxl


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list], *, title: str | None = None) -> bytes:
    """An Excel workbook; date and datetime values become real date cells, as Excel stores them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Padrón"
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    for column in sheet.iter_cols():
        for cell in column:
            if hasattr(cell.value, "year"):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SPANISH_HEADER = [
    " ID ",
    "Nombre completo",
    "Nombre preferido",
    "Centro",
    "Municipio",
    "Grupo",
    "Consentimiento",
    "Fecha de consentimiento",
    "Versión del aviso",
]
ENGLISH_HEADER = [
    "External ID",
    "Full name",
    "Preferred name",
    "Centre",
    "Municipality",
    "Cohort",
    "Consent",
    "Consent date",
    "Privacy notice version",
]
