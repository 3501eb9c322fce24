"""core.spreadsheets: the sheets staff and facilitators really have, read into rows numbered as Excel numbers them."""

import codecs
import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from core.spreadsheets import SpreadsheetError, column_letter, decode_csv, read_sheet, sniff_delimiter

ROWS = [["Nombre completo", "Grupo", "Nota"], ["María Ñuñez", "Bordadoras", "sí"], ["Xunkaʼ Pérez", "Tejedoras", ""]]


def as_csv(rows, delimiter=","):
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (codecs.BOM_UTF8 + as_csv(ROWS).encode("utf-8"), "utf-8-sig"),  # Excel's "CSV UTF-8"
        (as_csv(ROWS).encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + as_csv(ROWS, "\t").encode("utf-16-le"), "utf-16"),  # "Unicode text"
        (codecs.BOM_UTF16_BE + as_csv(ROWS, "\t").encode("utf-16-be"), "utf-16"),
    ],
)
def test_every_encoding_excel_writes(content, encoding):
    text, found = decode_csv(content)
    assert found == encoding and "María Ñuñez" in text and "Xunkaʼ" in text


def test_windows_1252_is_read_when_nothing_in_it_is_utf8():
    rows = [row[:] for row in ROWS[:2]]  # cp1252 has no saltillo: the first rows only
    text, found = decode_csv(as_csv(rows, ";").encode("cp1252"))
    assert (found, "María Ñuñez" in text) == ("cp1252", True)


def test_a_file_mixing_encodings_is_refused_naming_where():
    content = as_csv(ROWS[:2]).encode("utf-8") + "Ana López,Tejedoras,sí\r\n".encode("cp1252")
    with pytest.raises(SpreadsheetError) as error:
        decode_csv(content)
    assert (error.value.code, error.value.row, error.value.params["letter"]) == ("encoding", 3, "A")
    with translation.override("es"):
        assert str(error.value).startswith("Fila 3, columna A: ")
    with translation.override("en"):
        assert "CSV UTF-8" in error.value.message


def test_utf16_without_its_bom_is_refused_not_garbled():
    with pytest.raises(SpreadsheetError) as error:
        decode_csv(as_csv(ROWS).encode("utf-16-le"))
    assert error.value.code == "encoding"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_found(delimiter):
    assert sniff_delimiter(as_csv(ROWS, delimiter)) == delimiter
    sheet = read_sheet(as_csv(ROWS, delimiter).encode("utf-8"))
    assert sheet.rows == ROWS and sheet.delimiter == delimiter


def test_rows_keep_excel_numbers_and_blank_rows_count():
    content = as_csv([ROWS[0], ["", "", ""], ROWS[1], ROWS[2], ["", "", ""]]).encode("utf-8")
    sheet = read_sheet(content)
    assert len(sheet.rows) == 4  # the trailing blank row is dropped, the one inside is kept
    assert [number for number, _cells in sheet.numbered(start=2)] == [2, 3, 4]
    dataset = sheet.dataset(header_row=1)
    assert dataset.headers == ROWS[0]
    assert dataset[1] == tuple(ROWS[1])  # import-export's row 2 is Excel's row 3: number + header row


def test_xlsx_reads_the_first_sheet_with_typed_cells_and_a_title_above():
    book = openpyxl.Workbook()
    book.active.append(["Padrón 2026"])
    book.active.append(["Nombre completo", "Inicio", "Folio"])
    book.active.append(["María Ñuñez", datetime.date(2026, 3, 2), 12])
    book.create_sheet("Otra").append(["no se lee"])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = read_sheet(buffer.getvalue(), filename="padron.xlsx")
    assert sheet.format == "xlsx"
    dataset = sheet.dataset(header_row=2)
    assert dataset.headers == ["Nombre completo", "Inicio", "Folio"]
    name, start, folio = dataset[0]
    assert (name, start.date(), folio) == ("María Ñuñez", datetime.date(2026, 3, 2), 12)


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (b"", "a.csv", "empty"),
        (b"  \r\n ", "a.csv", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "viejo.xls", "xls"),
        (b"PK\x03\x04 not a workbook", "a.xlsx", "unreadable"),
        (b"not a workbook at all", "a.xlsx", "unreadable"),
        (b"x" * 2001, "a.csv", "too_big"),
    ],
)
def test_what_cannot_be_read_says_why(content, filename, code):
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(content, filename=filename, max_bytes=2000)
    assert error.value.code == code
    with translation.override("es"):
        assert error.value.message != code  # a sentence, translated


def test_too_many_rows():
    content = as_csv([ROWS[0]] + [ROWS[1]] * 40).encode("utf-8")
    assert len(read_sheet(content, max_rows=40).rows) == 41
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(as_csv([ROWS[0]] + [ROWS[1]] * 80).encode("utf-8"), max_rows=40)
    assert error.value.code == "too_many_rows"


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]
