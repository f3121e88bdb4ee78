"""Reading an uploaded spreadsheet: an Excel workbook (.xlsx, openpyxl in read-only mode)
or a CSV file in UTF-8 (with or without BOM), UTF-16 or Windows-1256, the encoding Arabic
Excel uses when it saves "CSV".

The first non-empty row holds the headers; rows are numbered as the spreadsheet shows them,
so a report's "row 12" is the row the user sees as 12. Cells come back as text (numbers
without a trailing ".0", so an ID typed as a number keeps its digits) or as dates.
"""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from mustafid.imports.errors import FileTooLarge, TooManyRows, UnreadableFile, UnsupportedFile

#: Defaults, each overridable in settings (docs/imports.md).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 60
SAMPLE_ROWS = 3

Cell = str | dt.date
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
CSV_DELIMITERS = ",;\t|؛"


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORTS_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)


def max_rows() -> int:
    return getattr(settings, "IMPORTS_MAX_ROWS", MAX_ROWS)


@dataclass
class Table:
    """The headers and the data rows ``(row number, cells)`` of a file's first sheet."""

    kind: str
    encoding: str
    headers: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    #: Data rows expected (from the sheet's dimension or line count), 0 if unknown.
    estimated_rows: int


def detect_kind(name: str, head: bytes) -> str:
    """ "xlsx" or "csv" from the file's first bytes and name; anything else is refused."""
    lower = name.lower()
    if head.startswith(XLSX_MAGIC) and lower.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if head.startswith((XLSX_MAGIC, OLE_MAGIC)):
        raise UnsupportedFile()
    if lower.endswith((".csv", ".txt")):
        return "csv"
    raise UnsupportedFile()


def check_size(size: int) -> None:
    if size > max_upload_bytes():
        raise FileTooLarge(limit=max_upload_bytes() // (1024 * 1024))


def cell_value(value) -> Cell:
    """A cell as text or a date; numbers lose Excel's ".0" (1012345678.0 is an ID)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in raw[:4096]:
        raise UnreadableFile(reason=_("it is not a text file."))
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Not UTF-8: Arabic Excel saves "CSV" in Windows-1256, which any byte decodes in.
        return raw.decode("cp1256", errors="replace"), "cp1256"


def _headers(cells: list[Cell]) -> list[str]:
    last = max((i for i, cell in enumerate(cells) if cell != ""), default=-1)
    headers = []
    for i, cell in enumerate(cells[: last + 1]):
        text = cell.isoformat() if isinstance(cell, dt.date) else " ".join(str(cell).split())
        headers.append(text or f"({get_column_letter(i + 1)})")
    if len(headers) > MAX_COLUMNS:
        raise UnreadableFile(
            reason=_("it has more than %(limit)d columns.") % {"limit": MAX_COLUMNS}
        )
    return headers


def _with_headers(numbered: Iterator[tuple[int, list[Cell]]]) -> tuple[list[str], Iterator]:
    """Split off the first non-empty row as headers; the data rows cut or padded to fit."""
    for _number, cells in numbered:
        if any(cell != "" for cell in cells):
            headers = _headers(cells)
            break
    else:
        raise UnreadableFile(reason=_("it has no rows."))
    width = len(headers)

    def data() -> Iterator[tuple[int, list[Cell]]]:
        for number, cells in numbered:
            if any(cell != "" for cell in cells):
                yield number, (cells + [""] * width)[:width]

    return headers, data()


def _csv_rows(text: str) -> Iterator[tuple[int, list[Cell]]]:
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    for number, cells in enumerate(reader, start=1):
        yield number, [cell.strip() for cell in cells]


def _xlsx_rows(workbook) -> Iterator[tuple[int, list[Cell]]]:
    sheet = workbook.worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [cell_value(value) for value in values]


@contextmanager
def open_table(fileobj, *, kind: str) -> Iterator[Table]:
    """The first sheet of an uploaded or stored file; unreadable files are refused."""
    fileobj.seek(0)
    if kind == "csv":
        text, encoding = decode(fileobj.read())
        if any(ord(char) < 32 and char not in "\t\r\n" for char in text[:4096]):
            raise UnreadableFile(reason=_("it is not a text file."))
        try:
            headers, rows = _with_headers(_csv_rows(text))
        except csv.Error as err:
            raise UnreadableFile(reason=str(err)) from err
        estimated = max(0, text.count("\n") - 1)
        yield Table("csv", encoding, headers, rows, estimated)
        return
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raise UnreadableFile(reason=_("it is not a valid Excel workbook.")) from err
    try:
        if not workbook.worksheets:
            raise UnreadableFile(reason=_("it has no sheets."))
        headers, rows = _with_headers(_xlsx_rows(workbook))
        estimated = max(0, (workbook.worksheets[0].max_row or 0) - 1)
        yield Table("xlsx", "", headers, rows, estimated)
    finally:
        workbook.close()


def preview(fileobj, *, kind: str) -> tuple[Table, list[list[str]]]:
    """The file's headers and first rows (JSON-safe), for the mapping page."""
    try:
        with open_table(fileobj, kind=kind) as table:
            sample = []
            for _number, cells in table.rows:
                sample.append([c.isoformat() if isinstance(c, dt.date) else c for c in cells])
                if len(sample) == SAMPLE_ROWS:
                    break
    except (ParseError, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raise UnreadableFile(reason=_("it is damaged.")) from err
    if table.estimated_rows > max_rows():
        raise TooManyRows(limit=max_rows())
    return table, sample
