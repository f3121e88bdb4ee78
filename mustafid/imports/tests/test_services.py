"""Importing an existing registry through the services and tasks (issue 4 item 8;
P-PROC-2: each row matched and verified before registration; P-PROC-6: registration)."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.imports import report, services, tasks
from mustafid.imports.errors import ImportHasFailedRows, UnsupportedFile
from mustafid.imports.models import ImportJob, ImportRow, Mode, Status
from mustafid.imports.tests.helpers import (
    ARABIC_DIGITS,
    csv_upload,
    mixed_rows,
    run_import,
    upload,
    valid_rows,
    validate,
    xlsx_upload,
)
from mustafid.registry import selectors as registry_selectors
from mustafid.registry.models import BeneficiaryFile, FileNumberSequence, Person, Relation
from mustafid.registry.services import create_file, name_key
from mustafid.registry.tests.factories import FileFactory, PersonFactory, national_id
from mustafid.timeline.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db


def problems_of(job, number) -> list[str]:
    return [
        report.problem_text(job, p) for p in ImportRow.objects.get(job=job, number=number).problems
    ]


def failed_numbers(job) -> list[int]:
    return list(job.rows.filter(failed=True).values_list("number", flat=True))


# The acceptance test: a file with mixed good and bad rows -----------------------------


@pytest.mark.parametrize("make_upload", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_the_report_of_a_mixed_file_names_the_bad_rows_and_why(
    make_upload, manager, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, make_upload(mixed_rows(registered_id=registered.national_id)))
    job = validate(job, manager, django_capture_on_commit_callbacks)

    assert job.status == Status.VALIDATED
    assert (job.row_count, job.failed_rows) == (10, 5)
    assert (job.household_count, job.valid_households) == (7, 2)
    assert failed_numbers(job) == [5, 7, 9, 10, 11]
    # Each message names the column as the file calls it, and says why.
    [bad_id] = problems_of(job, 5)
    assert "رقم الهوية" in bad_id
    [known] = problems_of(job, 7)
    assert "رقم الهوية" in known and registered.file.number in known
    assert known.endswith(
        report.messages.text("id_in_registry", {"number": registered.file.number})
    )
    assert "10" in " ".join(problems_of(job, 9)) and "9" in " ".join(problems_of(job, 10))
    [bad_mobile] = problems_of(job, 11)
    assert "الجوال" in bad_mobile
    # The valid daughter of household 2 is told why she would be skipped.
    assert not ImportRow.objects.get(job=job, number=6).failed
    assert "5" in " ".join(problems_of(job, 6))


def test_a_hijri_date_and_arabic_indic_digits_are_read_like_typed_ones(
    manager, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(mixed_rows(registered_id=registered.national_id)))
    job = validate(job, manager, django_capture_on_commit_callbacks)
    spouse = ImportRow.objects.get(job=job, number=3).data
    son = ImportRow.objects.get(job=job, number=4).data
    fourth = ImportRow.objects.get(job=job, number=8).data
    assert spouse["birth_date"] == "1985-04-11"  # 21 Rajab 1405 AH (Umm al-Qura)
    assert son["national_id"] == national_id(103) and son["sex"] == "male"
    assert fourth["mobile"] == "+966551234567"


def test_an_id_already_in_the_registry_fails_with_its_file_number(
    manager, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(mixed_rows(registered_id=registered.national_id)))
    job = validate(job, manager, django_capture_on_commit_callbacks)
    [problem] = ImportRow.objects.get(job=job, number=7).problems
    assert problem == ["error", "national_id", "id_in_registry", {"number": registered.file.number}]


def test_the_same_id_twice_in_the_file_fails_both_rows(
    manager, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(mixed_rows(registered_id=registered.national_id)))
    job = validate(job, manager, django_capture_on_commit_callbacks)
    first, second = (ImportRow.objects.get(job=job, number=n) for n in (9, 10))
    assert first.failed and second.failed
    assert first.problems[-1][2:] == ["id_repeated", {"rows": "10", "count": 1}]
    assert second.problems[-1][2:] == ["id_repeated", {"rows": "9", "count": 1}]


def test_likely_duplicates_in_the_registry_are_warnings_not_failures(
    manager, branch, django_capture_on_commit_callbacks
):
    existing = PersonFactory(
        first_name="منيرة", father_name="عبدالله", grandfather_name="سعد", family_name="العتيبي",
        birth_date=dt.date(1988, 8, 8), mobile="+966541234567", national_id=national_id(900),
        name_key=name_key(first_name="منيرة", father_name="عبدالله", grandfather_name="سعد",
                          family_name="العتيبي"),
    )  # fmt: skip
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    row = ImportRow.objects.get(job=job, number=4)
    assert not row.failed and row.has_warnings
    assert [p[2] for p in row.problems] == ["likely_name_birth_registry", "likely_mobile_registry"]
    assert all(p[3] == {"number": existing.file.number} for p in row.problems)


# Importing ------------------------------------------------------------------------------


def test_all_or_nothing_imports_nothing_while_a_row_failed(
    manager, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(mixed_rows(registered_id=registered.national_id)))
    job = validate(job, manager, django_capture_on_commit_callbacks)
    with pytest.raises(ImportHasFailedRows):
        services.confirm_import(actor=manager, job=job, mode=Mode.ALL_OR_NOTHING)
    # Even if the task ran, it would find nothing to do.
    assert tasks.run_import_job.call(job_id=job.pk) == "skipped"
    assert BeneficiaryFile.objects.filter(branch=branch).count() == 0
    job.refresh_from_db()
    assert job.status == Status.VALIDATED


def test_all_or_nothing_imports_every_household_of_a_clean_file(
    manager, branch, django_capture_on_commit_callbacks
):
    job = validate(upload(manager, branch, xlsx_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    job = run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.ALL_OR_NOTHING)
    assert job.status == Status.IMPORTED
    assert (job.files_created, job.people_created, job.households_skipped) == (2, 3, 0)
    assert Person.objects.filter(file__branch=branch).count() == 3


def test_valid_rows_only_imports_exactly_the_valid_households(
    manager, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(mixed_rows(registered_id=registered.national_id)))
    job = validate(job, manager, django_capture_on_commit_callbacks)
    job = run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.VALID_ONLY)

    assert job.status == Status.IMPORTED
    assert (job.files_created, job.people_created, job.households_skipped) == (2, 4, 5)
    files = BeneficiaryFile.objects.filter(branch=branch).order_by("number")
    assert [sorted(f.members.values_list("national_id", flat=True)) for f in files] == [
        [national_id(101), national_id(102), national_id(103)],
        [national_id(107)],
    ]
    first = files[0]
    head = first.members.get(relation=Relation.HEAD)
    assert (first.channel, first.city, first.district, first.mobile) == (
        "visit", "الرياض", "النسيم", "+966501234567"
    )  # fmt: skip
    assert head.first_name == "محمد" and head.birth_date == dt.date(1985, 4, 12)
    assert first.created_by == manager
    # The daughter of household 2 (valid herself) was skipped with her household.
    assert not Person.objects.filter(national_id=national_id(105)).exists()


def test_imported_files_take_a_block_of_the_yearly_numbers(
    manager, branch, officer, django_capture_on_commit_callbacks
):
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    job = run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.VALID_ONLY)
    year = job.number_year
    assert [f.number for f in BeneficiaryFile.objects.order_by("number")] == [
        f"B-{year}-{job.first_number:06d}",
        f"B-{year}-{job.last_number:06d}",
    ]
    assert FileNumberSequence.objects.get(year=year).last == job.last_number
    by_hand = create_file(
        actor=officer, branch=branch, channel="visit", city="الرياض",
        head={"national_id": national_id(300), "first_name": "علي", "father_name": "حسن",
              "family_name": "الشهري", "sex": "male"},
    )  # fmt: skip
    assert by_hand.number == f"B-{year}-{job.last_number + 1:06d}"


def test_an_imported_person_is_stored_like_one_registered_by_hand(
    manager, officer, branch, django_capture_on_commit_callbacks
):
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.VALID_ONLY)
    imported = Person.objects.get(national_id=national_id(203))
    typed = create_file(
        actor=officer, branch=branch, channel="visit", city="الرياض",
        head={"national_id": national_id(204), "first_name": "منيرة", "father_name": "عبدالله",
              "grandfather_name": "سعد", "family_name": "العتيبي", "sex": "female",
              "mobile": "+966541234568"},
    ).members.get()  # fmt: skip
    assert imported.name_key == typed.name_key
    assert imported.file.mobile == "+966541234567" and imported.mobile == "+966541234567"
    # The name search finds imported people as it finds typed ones.
    found = registry_selectors.search_people(actor=manager, query="منيره عبد الله العتيبي")
    assert {imported.pk, typed.pk} <= {p.pk for p in found}


def test_each_imported_household_gets_an_imported_event_and_an_audit_entry(
    manager, branch, django_capture_on_commit_callbacks
):
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    job = run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.VALID_ONLY)
    files = list(BeneficiaryFile.objects.order_by("number"))
    events = TimelineEvent.objects.filter(kind=EventKind.IMPORTED).order_by("file__number")
    assert [(e.file, e.person.relation, e.url) for e in events] == [
        (file, Relation.HEAD, job.get_absolute_url()) for file in files
    ]
    file_type = ContentType.objects.get_for_model(BeneficiaryFile)
    entries = AuditEntry.objects.filter(content_type=file_type, action=AuditAction.CREATE)
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(str(f.pk) for f in files)
    assert all(entry.actor == manager for entry in entries)
    job_entries = AuditEntry.objects.for_object(job)
    assert set(job_entries.values_list("summary", flat=True)) >= {
        "", "map", "confirm", "start_validation", "finish_validation", "start_import",
        "finish_import",
    }  # fmt: skip


def test_running_the_import_task_twice_imports_once(
    manager, branch, django_capture_on_commit_callbacks
):
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=manager, job=job, mode=Mode.VALID_ONLY)
    assert tasks.run_import_job.call(job_id=job.pk) == "imported"
    assert tasks.run_import_job.call(job_id=job.pk) == "skipped"
    assert BeneficiaryFile.objects.count() == 2 and Person.objects.count() == 3


def test_running_the_validation_task_twice_keeps_one_report(
    manager, branch, django_capture_on_commit_callbacks
):
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    assert tasks.validate_import_job.call(job_id=job.pk) == "skipped"
    assert job.rows.count() == 3


def test_an_id_registered_after_the_validation_skips_its_household_in_valid_only(
    manager, officer, branch, django_capture_on_commit_callbacks
):
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    meanwhile = PersonFactory(national_id=national_id(203))
    job = run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.VALID_ONLY)
    assert (job.files_created, job.households_skipped) == (1, 1)
    row = ImportRow.objects.get(job=job, number=4)
    assert row.failed and row.problems[-1][2:] == [
        "registered_meanwhile",
        {"number": meanwhile.file.number},
    ]


def test_an_id_registered_after_the_validation_stops_all_or_nothing(
    manager, branch, django_capture_on_commit_callbacks
):
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    PersonFactory(national_id=national_id(201))
    job = run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.ALL_OR_NOTHING)
    assert job.status == Status.VALIDATED and job.failed_rows == 1
    assert job.error == {"code": "registered_meanwhile"}
    assert BeneficiaryFile.objects.filter(branch=branch).count() == 0


def test_the_uploaded_copy_is_removed_once_imported(
    manager, branch, media, django_capture_on_commit_callbacks
):
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    stored = media / job.upload.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.VALID_ONLY)
    job.refresh_from_db()
    assert not stored.exists() and not job.upload


def test_a_file_over_the_row_limit_fails_its_validation(
    settings, manager, branch, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(valid_rows()))
    settings.IMPORTS_MAX_ROWS = 2
    job = validate(job, manager, django_capture_on_commit_callbacks)
    assert job.status == Status.FAILED and job.error == {
        "code": "too_many_rows", "params": {"limit": 2}
    }  # fmt: skip


# Refusals --------------------------------------------------------------------------------


def test_an_old_excel_file_is_refused(manager, branch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    old = SimpleUploadedFile("register.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(UnsupportedFile):
        upload(manager, branch, old)
    assert not ImportJob.objects.exists()


def test_a_relations_officer_may_not_import(officer, branch):
    with pytest.raises(PermissionDenied):
        upload(officer, branch, csv_upload(valid_rows()))


def test_a_manager_may_not_import_into_another_branch(manager, other_branch):
    with pytest.raises(PermissionDenied):
        upload(manager, other_branch, csv_upload(valid_rows()))


def test_a_manager_of_another_branch_may_not_confirm(
    manager, branch, other_branch, django_capture_on_commit_callbacks
):
    from mustafid.accounts.roles import Role
    from mustafid.accounts.tests.factories import StaffFactory

    stranger = StaffFactory(username="stranger", roles=[Role.BRANCH_MANAGER],
                            branches=[other_branch])  # fmt: skip
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.confirm_import(actor=stranger, job=job, mode=Mode.VALID_ONLY)
    job.refresh_from_db()
    assert job.status == Status.VALIDATED


def test_the_upload_is_audited_without_its_rows(manager, branch):
    job = upload(manager, branch, csv_upload(valid_rows()))
    entry = AuditEntry.objects.for_object(job).get(action=AuditAction.CREATE)
    assert entry.actor == manager
    assert entry.changes["original_name"]["after"] == "households.csv"
    assert "sample" not in entry.changes


def test_arabic_indic_digits_in_a_file_are_stored_as_ascii(
    manager, branch, django_capture_on_commit_callbacks
):
    rows = valid_rows()
    rows[1][2] = rows[1][2].translate(ARABIC_DIGITS)
    rows[1][8] = "١٤٠٠/٠١/٠١"
    job = validate(upload(manager, branch, csv_upload(rows)), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.ALL_OR_NOTHING)
    head = Person.objects.get(national_id=national_id(201))
    assert head.birth_date == dt.date(1979, 11, 20)  # 1 Muharram 1400 AH (Umm al-Qura)


def test_bulk_name_postings_match_those_of_a_typed_registration(db):
    """registry.search.index_new_people_names, the bulk form imports use, posts and counts
    a name exactly as index_person_name does for one registration."""
    from mustafid.registry import search
    from mustafid.registry.models import NameToken, PersonNameKey

    parts = {"first_name": "محمد", "father_name": "محمد", "grandfather_name": "سعد",
             "family_name": "آل سعيد"}  # fmt: skip
    # The factory posts its person's name with index_person_name, as the services do.
    typed = PersonFactory(national_id=national_id(801), name_key=name_key(**parts), **parts)
    imported = Person.objects.create(
        file=FileFactory(), relation=Relation.HEAD, national_id=national_id(802), sex="male",
        name_key=name_key(**parts), **parts,
    )  # fmt: skip
    search.index_new_people_names(people=[imported])

    def keys(person):
        return set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))

    assert keys(typed) == keys(imported) and len(keys(typed)) > 3
    counts = dict(NameToken.objects.values_list("text", "people"))
    assert counts == {"محمد": 2, "سعد": 2, "السعيد": 2}


def test_imported_households_get_the_category_typed_ones_get(
    manager, officer, branch, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from mustafid.registry.models import Category
    from mustafid.registry.services import add_member

    Category.objects.create(code="A", name_ar="أ", name_en="A", income_ceiling=Decimal("500"))
    Category.objects.create(code="B", name_ar="ب", name_en="B", position=1)
    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    run_import(job, manager, django_capture_on_commit_callbacks, mode=Mode.VALID_ONLY)
    typed = create_file(
        actor=officer, branch=branch, channel="visit", city="الرياض",
        head={"national_id": national_id(310), "first_name": "علي", "father_name": "حسن",
              "family_name": "الشهري", "sex": "male"},
    )  # fmt: skip
    alone = typed.category
    add_member(actor=officer, file=typed, member={
        "relation": "son", "national_id": national_id(311), "first_name": "سعد",
        "father_name": "علي", "family_name": "الشهري", "sex": "male",
    })  # fmt: skip
    typed.refresh_from_db()
    with_member = Person.objects.get(national_id=national_id(201)).file
    single = Person.objects.get(national_id=national_id(203)).file
    # No incomes are imported, as none were typed: the rules wait for them (P-OBJ-1).
    assert (with_member.category, single.category) == (typed.category, alone) == (None, None)
    assert not with_member.category_is_manual
