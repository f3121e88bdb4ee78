"""Time a registry import at scale (issue 4 item 8, Performance): prints figures, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mustafid_ci \\
        .venv/bin/python benchmarks/imports.py [--rows 50000] [--households 200000]

Works in the benchmark database (``mustafid_bench`` next to the one DATABASE_URL names, as
benchmarks/registry.py does; var/bench.sqlite3 for SQLite): migrates it and generates the
synthetic registry (registry_generate, ~1,000,000 people for 200,000 households) unless it
is there. Then writes a file of ``--rows`` people with realistic Saudi names (the same
generator), some Hijri dates and Arabic-Indic digits, and about 2 % bad rows (bad check
digit, ID already registered, the same ID twice, an 052 mobile, a date in the future, a
missing name), as XLSX and as CSV, and runs each through the services the pages and tasks
call: upload, mapping, validation (with the duplicate checks), import (valid rows only).

Each run happens inside a transaction that is rolled back, so the registry, the numbering,
the name vocabulary and the (append-only) audit log are as they were: a second run starts
from the same state. Target (issue): at least 5,000 validated and duplicate-checked rows
per second on 50,000 rows into 1,000,000 people on PostgreSQL.
"""

import argparse
import csv
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mustafid.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from registry import bench_database_url  # benchmarks/registry.py, beside this file

HEADERS = [
    "رقم الأسرة", "صلة القرابة", "رقم الهوية", "الاسم الأول", "اسم الأب", "اسم الجد",
    "اسم العائلة", "الجنس", "تاريخ الميلاد", "الجوال", "المدينة", "الحي",
]  # fmt: skip
RELATIONS = {
    "head": "رب الأسرة", "spouse": "زوجة", "son": "ابن", "daughter": "ابنة",
}  # fmt: skip
DISTRICTS = ["النسيم", "الملز", "العليا", "الروضة", "السلامة", "الشفا", "النزهة", "الفيصلية"]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# First household index used for the file: far past the generated registry's.
FIRST_INDEX = 5_000_000


class Rollback(Exception):
    """Raised at the end of a run: its transaction is undone."""


def make_rows(count: int, *, registered_ids: list[str], seed: int) -> tuple[list[list], dict]:
    """``count`` people as spreadsheet rows (headers first) and how many of each defect."""
    from mustafid.core.dates import to_hijri
    from mustafid.core.validators import national_id_check_digit
    from mustafid.registry.management.commands.registry_generate import household

    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    rows, defects = [HEADERS], dict.fromkeys(
        ["bad check digit", "already registered", "same ID twice", "052 mobile",
         "future date", "missing name"], 0,
    )  # fmt: skip
    serial = 0
    index = FIRST_INDEX
    while len(rows) <= count:
        file, people = household(index, seed=seed)
        index += 1
        reference = f"H{index}"
        district = rng.choice(DISTRICTS)
        for person in people:
            if len(rows) > count:
                break
            serial += 1
            first9 = "1" + f"{70_000_000 + serial:08d}"
            nid = first9 + national_id_check_digit(first9)
            born: date = person["birth_date"]
            if rng.random() < 0.3:
                hijri = to_hijri(born)
                born_text = f"{hijri.year}/{hijri.month:02d}/{hijri.day:02d}"
            else:
                born_text = f"{born.day:02d}/{born.month:02d}/{born.year}"
            mobile = "0" + person["mobile"][4:] if person.get("mobile") else ""
            row = [
                reference, RELATIONS[person["relation"]], nid, person["first_name"],
                person["father_name"], person["grandfather_name"], person["family_name"],
                "ذكر" if person["sex"] == "male" else "أنثى", born_text, mobile,
                file["city"], district,
            ]  # fmt: skip
            if rng.random() < 0.2:  # typed on an Arabic keyboard
                for column in (2, 8, 9):
                    row[column] = row[column].translate(ARABIC_DIGITS)
            defect = rng.random()
            if defect < 0.004:
                row[2] = nid[:9] + str((int(nid[9]) + 1) % 10)
                defects["bad check digit"] += 1
            elif defect < 0.008 and registered_ids:
                row[2] = rng.choice(registered_ids)
                defects["already registered"] += 1
            elif defect < 0.012 and len(rows) > 1:
                row[2] = rows[rng.randrange(1, len(rows))][2]
                defects["same ID twice"] += 1
            elif defect < 0.016:
                row[9] = "0521234567"
                defects["052 mobile"] += 1
            elif defect < 0.018:
                row[8] = (date.today() + timedelta(days=400)).strftime("%d/%m/%Y")
                defects["future date"] += 1
            elif defect < 0.020:
                row[3] = ""
                defects["missing name"] += 1
            rows.append(row)
    return rows, defects


def write_csv(rows: list[list], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)


def write_xlsx(rows: list[list], path: Path) -> None:
    """An ordinary workbook; not openpyxl's write-only kind, which omits the sheet's
    dimension (Excel always writes it) and so costs readers an extra pass."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def run(path: Path, *, actor, branch) -> dict:
    """Upload, map, validate and import one file in a transaction that is rolled back."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from mustafid.imports import reading, services
    from mustafid.imports.models import ImportJob, Mode
    from mustafid.registry import search, selectors
    from mustafid.registry.models import Person

    figures: dict = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            upload = SimpleUploadedFile(path.name, path.read_bytes())
            job = services.create_import_job(
                actor=actor, branch=branch, channel="visit", upload=upload
            )
            services.map_columns(actor=actor, job=job, mapping=job.mapping)
            figures["upload"] = time.perf_counter() - started

            # Parsing alone, for the split of the validation's time.
            started = time.perf_counter()
            with job.upload.open("rb") as stored, reading.open_table(stored, kind=job.kind) as t:
                parsed = sum(1 for _ in t.rows)
            figures["parse"] = time.perf_counter() - started

            started = time.perf_counter()
            outcome = services.validate_job(job_id=job.pk)  # what the task runs
            figures["validate_total"] = time.perf_counter() - started
            job.refresh_from_db()
            assert outcome == "validated", (outcome, job.error)
            assert job.row_count == parsed

            started = time.perf_counter()
            services.confirm_import(actor=actor, job=job, mode=Mode.VALID_ONLY)
            outcome = services.import_job(job_id=job.pk)  # what the task runs
            figures["import"] = time.perf_counter() - started
            job.refresh_from_db()
            assert outcome == "imported", (outcome, job.error)

            number = f"B-{job.number_year}-{job.first_number:06d}"
            head = Person.objects.get(file__number=number, relation="head")
            # Found by ID, and by name through its new postings (a common name may have
            # hundreds of earlier namesakes ahead of it in the registry-wide top ten).
            by_id = selectors.search_people(actor=actor, query=head.national_id)
            by_name = search.find_people(
                people=Person.objects.filter(pk=head.pk), query=head.full_name
            )
            figures["search finds an imported head"] = head in by_id and head in by_name
            figures["job"] = ImportJob.objects.get(pk=job.pk)
            stored_name = job.upload.name
            raise Rollback
    except Rollback:
        ImportJob._meta.get_field("upload").storage.delete(stored_name)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--database", default="mustafid_bench")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--formats", default="xlsx,csv", help="which files, in this order")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = bench_database_url(args.database)
    media = Path(tempfile.mkdtemp(prefix="mustafid-import-bench-"))
    os.environ["MEDIA_ROOT"] = str(media)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from mustafid.accounts.models import Branch, User
    from mustafid.registry.models import Person

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("registry_generate", households=args.households)
    print(f"Setup (migrate + generate) took {time.perf_counter() - started:.0f} s.")
    print(f"Registry: {Person.objects.count():,} people.")

    actor, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    branch, _ = Branch.objects.get_or_create(
        code="bench-imports",
        defaults={"name_ar": "فرع الاستيراد", "name_en": "Imports bench", "city": "الرياض"},
    )
    rng = random.Random(args.seed)  # noqa: S311
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = [rng.randrange(1, last + 1) for _ in range(500)] if last else []
    registered = list(
        Person.objects.filter(pk__in=picks, national_id__isnull=False).values_list(
            "national_id", flat=True
        )
    )
    started = time.perf_counter()
    rows, defects = make_rows(args.rows, registered_ids=registered, seed=args.seed)
    folder = Path(tempfile.mkdtemp(prefix="mustafid-import-files-"))
    files = {kind: folder / f"households.{kind}" for kind in args.formats.split(",")}
    writers = {"xlsx": write_xlsx, "csv": write_csv}
    for kind, path in files.items():
        writers[kind](rows, path)
    sizes = ", ".join(f"{kind} {path.stat().st_size / 1e6:.1f} MB" for kind, path in files.items())
    print(
        f"Generated {len(rows) - 1:,} rows in {time.perf_counter() - started:.1f} s "
        f"({sizes}); defects planted: {defects}"
    )

    try:
        for kind, path in files.items():
            figures = run(path, actor=actor, branch=branch)
            job = figures["job"]
            n = job.row_count
            validate = figures["validate_total"] - figures["parse"]
            total = figures["upload"] + figures["validate_total"] + figures["import"]
            print(f"\n{kind.upper()}: {n:,} rows, {job.failed_rows:,} failed, "
                  f"{job.warning_rows:,} with warnings; {job.household_count:,} households, "
                  f"{job.files_created:,} files and {job.people_created:,} people imported, "
                  f"{job.households_skipped:,} households skipped")  # fmt: skip
            lines = [
                ("upload + mapping (headers, first rows)", figures["upload"], None),
                ("parse", figures["parse"], n),
                ("validate + duplicate check + report (parse excluded)", validate, n),
                ("validation task as run (parse included)", figures["validate_total"], n),
                ("import (valid rows only, one transaction)", figures["import"], n),
                ("total", total, n),
            ]
            for label, seconds, rows_done in lines:
                rate = f"{rows_done / seconds:10,.0f} rows/s" if rows_done else ""
                print(f"  {label:<54} {seconds:7.2f} s  {rate}")
            print(f"  search finds an imported head: {figures['search finds an imported head']}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(media, ignore_errors=True)
    print(f"\nRolled back: the registry still holds {Person.objects.count():,} people.")
    if connection.vendor == "postgresql":
        # The rolled-back rows are dead tuples: clear them as autovacuum would, so the next
        # benchmark's planner does not wade through them.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
