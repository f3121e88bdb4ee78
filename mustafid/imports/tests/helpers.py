"""Files to upload and steps to drive a job, shared by the import tests."""

import csv
import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from mustafid.imports import services, tasks
from mustafid.imports.models import ImportJob
from mustafid.registry.tests.factories import national_id

ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
HEADERS = [
    "رقم الأسرة", "صلة القرابة", "رقم الهوية", "الاسم الأول", "اسم الأب", "اسم الجد",
    "اسم العائلة", "الجنس", "تاريخ الميلاد", "الجوال", "المدينة", "الحي",
]  # fmt: skip


def person(household, relation, nid, first, sex, born, mobile="", father="عبدالله"):
    return [household, relation, nid, first, father, "سعد", "العتيبي", sex, born, mobile,
            "الرياض", "النسيم"]  # fmt: skip


def mixed_rows(*, registered_id: str) -> list[list]:
    """Six households in rows 2-11, two of them without a failed row (H1 and H4).

    H1 rows 2-4: all valid (a Hijri date, Arabic-Indic digits); H2 rows 5-6: the head's ID
    has a wrong check digit; H3 row 7: the ID is already registered; H4 row 8: valid;
    H5 row 9 and H6 row 10: the same ID twice; H7 row 11: a mobile starting with 052.
    """
    twice = national_id(109)
    return [
        HEADERS,
        person("1", "رب الأسرة", national_id(101), "محمد", "ذكر", "1985-04-12", "0501234567"),
        person("1", "زوجة", national_id(102), "نورة", "أنثى", "١٤٠٥/٠٧/٢١ هـ"),
        person("1", "ابن", national_id(103).translate(ARABIC_DIGITS), "فهد", "", "2010/01/05"),
        person("2", "رب الأسرة", "1000000000", "خالد", "ذكر", "12/03/1980"),
        person("2", "ابنة", national_id(105), "سارة", "أنثى", "2012-06-01"),
        person("3", "رب الأسرة", registered_id, "سعد", "ذكر", "1970-01-01"),
        person("4", "رب الأسرة", national_id(107), "هند", "أنثى", "1990-02-02", "٠٥٥١٢٣٤٥٦٧"),
        person("5", "رب الأسرة", twice, "ماجد", "ذكر", "1975-05-05"),
        person("6", "رب الأسرة", twice, "ماجد", "ذكر", "1975-05-06"),
        person("7", "رب الأسرة", national_id(110), "تركي", "ذكر", "1979-07-07", "0521234567"),
    ]


def valid_rows() -> list[list]:
    return [
        HEADERS,
        person("A", "رب الأسرة", national_id(201), "عبدالرحمن", "ذكر", "1400/01/01"),
        person("A", "ابنة", national_id(202), "ريم", "", "2015-01-01"),
        person("B", "رب الأسرة", national_id(203), "منيرة", "أنثى", "1988-08-08", "0541234567"),
    ]


def csv_upload(rows, *, name="households.csv", encoding="utf-8-sig", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), "text/csv")


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows, *, name="households.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows), "application/octet-stream")


def upload(actor, branch, file, *, channel="visit") -> ImportJob:
    return services.create_import_job(actor=actor, branch=branch, channel=channel, upload=file)


def validate(job, actor, capture, *, mapping=None) -> ImportJob:
    """Map (the proposed mapping unless given), then run the validation task."""
    with capture(execute=True):
        services.map_columns(actor=actor, job=job, mapping=mapping or job.mapping)
    tasks.validate_import_job.call(job_id=job.pk)
    job.refresh_from_db()
    return job


def run_import(job, actor, capture, *, mode) -> ImportJob:
    with capture(execute=True):
        services.confirm_import(actor=actor, job=job, mode=mode)
    tasks.run_import_job.call(job_id=job.pk)
    job.refresh_from_db()
    return job


def born(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
