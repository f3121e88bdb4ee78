"""Reading uploaded files: XLSX, CSV in UTF-8 (with or without BOM), UTF-16 and
Windows-1256 (Arabic Excel's "CSV"); anything else refused with a clear message."""

import datetime as dt
import io

import openpyxl
import pytest

from mustafid.imports.errors import UnreadableFile, UnsupportedFile
from mustafid.imports.reading import cell_value, detect_kind, open_table, preview
from mustafid.imports.tests.helpers import xlsx_bytes

ROWS = "رقم الهوية,الاسم الأول,الجوال\r\n1000000008,محمد,0501234567\r\n"


def read(data: bytes, kind="csv"):
    with open_table(io.BytesIO(data), kind=kind) as table:
        return table.headers, list(table.rows), table.encoding


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (ROWS.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ROWS.encode("utf-8"), "utf-8-sig"),
        (ROWS.encode("cp1256"), "cp1256"),
        (ROWS.encode("utf-16"), "utf-16"),
    ],
    ids=["utf-8", "utf-8 with BOM", "windows-1256", "utf-16"],
)
def test_csv_in_each_encoding_arabic_excel_uses_reads_the_same(encoded, encoding):
    headers, rows, found = read(encoded)
    assert headers == ["رقم الهوية", "الاسم الأول", "الجوال"]
    assert rows == [(2, ["1000000008", "محمد", "0501234567"])]
    assert found == encoding


def test_a_semicolon_separated_csv_is_read():
    headers, rows, _ = read(ROWS.replace(",", ";").encode("utf-8"))
    assert len(headers) == 3 and rows[0][1][1] == "محمد"


def test_blank_rows_are_skipped_but_rows_keep_the_spreadsheets_numbers():
    _headers, rows, _ = read(("\r\n" + ROWS + ",,\r\n1000000016,خالد,\r\n").encode("utf-8"))
    assert [number for number, _cells in rows] == [3, 5]


def test_xlsx_cells_keep_ids_digits_and_dates():
    data = xlsx_bytes(
        [
            ["رقم الهوية", "تاريخ الميلاد", "الجوال"],
            [1000000008, dt.datetime(1985, 4, 12), 501234567.0],
        ]
    )
    _headers, rows, _ = read(data, "xlsx")
    assert rows == [(2, ["1000000008", dt.date(1985, 4, 12), "501234567"])]


def test_an_empty_header_gets_the_columns_letter():
    data = xlsx_bytes([["رقم الهوية", None, "الجوال"], ["1", "2", "3"]])
    headers, _rows, _ = read(data, "xlsx")
    assert headers == ["رقم الهوية", "(B)", "الجوال"]


@pytest.mark.parametrize(
    ("name", "head"),
    [("register.xls", b"\xd0\xcf\x11\xe0"), ("scan.pdf", b"%PDF"), ("photo.jpg", b"\xff\xd8")],
)
def test_other_files_are_unsupported(name, head):
    with pytest.raises(UnsupportedFile):
        detect_kind(name, head)


def test_a_zip_that_is_not_a_workbook_is_unreadable():
    with pytest.raises(UnreadableFile):
        preview(io.BytesIO(b"PK\x03\x04" + b"\0" * 200), kind="xlsx")


def test_an_empty_file_is_unreadable():
    with pytest.raises(UnreadableFile):
        preview(io.BytesIO(b""), kind="csv")


def test_a_binary_file_named_csv_is_unreadable():
    with pytest.raises(UnreadableFile):
        preview(io.BytesIO(b"\x00\x01\x02binary"), kind="csv")


def test_a_workbook_with_more_rows_than_allowed_is_refused(settings):
    from mustafid.imports.errors import TooManyRows

    settings.IMPORTS_MAX_ROWS = 2
    data = xlsx_bytes([["a"], ["1"], ["2"], ["3"]])
    with pytest.raises(TooManyRows):
        preview(io.BytesIO(data), kind="xlsx")


def test_numbers_lose_excels_trailing_zero():
    assert cell_value(1012345678.0) == "1012345678"
    assert cell_value(2.5) == "2.5"
    assert cell_value(None) == ""


def test_the_first_sheet_is_read():
    workbook = openpyxl.Workbook()
    workbook.active.append(["الاسم"])
    workbook.create_sheet("other").append(["ignored"])
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    headers, _rows, _ = read(buffer.getvalue(), "xlsx")
    assert headers == ["الاسم"]
