"""The validation report in words: each problem translated in the reader's language and
named by its column as the file calls it; downloadable as CSV (UTF-8 with BOM, which
Excel opens in Arabic) or XLSX."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from mustafid.imports import messages
from mustafid.imports.fields import FIELDS, label
from mustafid.imports.messages import ERROR
from mustafid.imports.models import ImportJob, ImportRow
from mustafid.imports.selectors import report_rows


def column_label(job: ImportJob, field: str) -> str:
    """The header of the column feeding ``field`` (as in the file), else the field's name."""
    column = job.column_for(field)
    if column is not None and column < len(job.headers):
        return job.headers[column]
    return label(field) if field in FIELDS else field


def problem_text(job: ImportJob, problem: list) -> str:
    _level, field, code, params = problem
    # Translators: a column of the uploaded file, then what is wrong in it.
    return _("%(column)s: %(message)s") % {
        "column": column_label(job, field),
        "message": messages.text(code, params),
    }


def describe(job: ImportJob, row: ImportRow) -> dict:
    """A report row for display: its errors and warnings as sentences."""
    return {
        "row": row,
        "errors": [problem_text(job, p) for p in row.problems if p[0] == ERROR],
        "warnings": [problem_text(job, p) for p in row.problems if p[0] != ERROR],
    }


def result_label(row: ImportRow) -> str:
    if row.failed:
        return _("Failed")
    return _("Valid, with warnings") if row.has_warnings else _("Valid")


def _lines(job: ImportJob):
    yield [
        _("Row"),
        _("Household reference"),
        _("National ID / iqama"),
        _("Name"),
        _("Result"),
        _("Errors"),
        _("Warnings"),
    ]
    for row in report_rows(job=job, show="all").iterator(chunk_size=2000):
        described = describe(job, row)
        yield [
            row.number,
            row.household,
            row.national_id,
            row.name,
            result_label(row),
            "\n".join(described["errors"]),
            "\n".join(described["warnings"]),
        ]


def report_csv(job: ImportJob) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _lines(job):
        # A cell starting with = + - @ is text, never a formula, when opened in Excel.
        writer.writerow([_safe(value) for value in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_xlsx(job: ImportJob) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Validation report")[:31])
    sheet.sheet_view.rightToLeft = True
    for width, letter in zip((8, 16, 14, 32, 18, 60, 60), "ABCDEFG", strict=True):
        sheet.column_dimensions[letter].width = width
    lines = _lines(job)
    bold = Font(bold=True)
    sheet.append([_cell(sheet, value, font=bold) for value in next(lines)])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in lines:
        sheet.append([_cell(sheet, value, alignment=wrap) for value in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
