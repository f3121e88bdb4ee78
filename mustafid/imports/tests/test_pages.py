"""The import pages over HTTP: upload, mapping, progress, report, download, confirmation,
result and the list; scoped to the user's branches (issue 4 items 8 and 9)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from mustafid.core.models import AuditAction, AuditEntry
from mustafid.imports import tasks
from mustafid.imports.models import ImportJob, Mode, Status
from mustafid.imports.tests.helpers import (
    HEADERS,
    csv_upload,
    mixed_rows,
    upload,
    valid_rows,
    validate,
    xlsx_upload,
)
from mustafid.registry.models import BeneficiaryFile
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.django_db


def job_url(job, name="job", *args):
    return reverse(f"imports:{name}", args=[job.pk, *args])


def test_a_manager_uploads_a_file_and_sees_its_columns_mapped(manager_client, branch):
    response = manager_client.post(
        reverse("imports:new"),
        {"branch": branch.pk, "channel": "visit", "upload": xlsx_upload(valid_rows())},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = manager_client.get(job.get_absolute_url())
    form = page.context["mapping_form"]
    assert [form[f"column_{i}"].initial for i in range(len(HEADERS))] == [
        "household", "relation", "national_id", "first_name", "father_name",
        "grandfather_name", "family_name", "sex", "birth_date", "mobile", "city", "district",
    ]  # fmt: skip
    assert "عبدالرحمن" in page.content.decode()  # the first rows are shown beside the columns


def test_an_unsupported_file_is_refused_on_its_field(manager_client, branch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = manager_client.post(
        reverse("imports:new"),
        {
            "branch": branch.pk,
            "channel": "visit",
            "upload": SimpleUploadedFile("scan.pdf", b"%PDF-1.7 ..."),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["upload"]
    assert response.context["form"]["channel"].value() == "visit"
    assert not ImportJob.objects.exists()


def test_a_damaged_workbook_is_refused_with_a_clear_message(manager_client, branch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    damaged = SimpleUploadedFile("register.xlsx", b"PK\x03\x04" + b"not really a zip" * 10)
    response = manager_client.post(
        reverse("imports:new"), {"branch": branch.pk, "channel": "visit", "upload": damaged}
    )
    [message] = response.context["form"].errors["upload"]
    assert message and not ImportJob.objects.exists()


def test_an_oversized_file_is_refused(settings, manager_client, branch):
    settings.IMPORTS_MAX_UPLOAD_BYTES = 1024 * 1024
    big = csv_upload([HEADERS] + [["x" * 100] * 12] * 1000)
    response = manager_client.post(
        reverse("imports:new"), {"branch": branch.pk, "channel": "visit", "upload": big}
    )
    assert response.context["form"].errors["upload"]


def test_an_incomplete_mapping_is_refused_and_nothing_is_queued(manager, manager_client, branch):
    job = upload(manager, branch, csv_upload(valid_rows()))
    data = {f"column_{i}": field for i, field in job.mapping.items()}
    data["column_3"] = ""  # no first name
    data["column_4"] = "family_name"  # twice
    response = manager_client.post(job_url(job, "mapping"), data)
    assert response.status_code == 400
    form = response.context["mapping_form"]
    assert form.errors["column_6"] and form.non_field_errors()
    job.refresh_from_db()
    assert job.status == Status.UPLOADED


def test_the_page_polls_while_validating_then_reloads(
    manager, manager_client, branch, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(valid_rows()))
    data = {f"column_{i}": field for i, field in job.mapping.items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(job_url(job, "mapping"), data)
    assert response.status_code == 302
    page = manager_client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and job_url(job, "progress") in page
    partial = manager_client.get(job_url(job, "progress"), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<progress" in partial.content.decode()
    assert 'data-testid="job-queued"' in partial.content.decode()
    tasks.validate_import_job.call(job_id=job.pk)
    done = manager_client.get(job_url(job, "progress"), HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"


def test_the_report_page_lists_the_failed_rows_with_their_reasons(
    manager, manager_client, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(mixed_rows(registered_id=registered.national_id)))
    validate(job, manager, django_capture_on_commit_callbacks)
    html = manager_client.get(job.get_absolute_url(), {"show": "failed"}).content.decode()
    assert registered.file.number in html
    for number in (5, 7, 9, 10, 11):
        assert f'data-row="{number}"' in html
    assert 'data-row="2"' not in html
    partial = manager_client.get(
        job.get_absolute_url(), {"partial": "report", "show": "all"}, HTTP_HX_REQUEST="true"
    )
    assert partial.content.decode().count("data-row=") == 10
    assert "<html" not in partial.content.decode()


def test_the_report_downloads_as_csv_and_is_audited(
    manager, manager_client, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(mixed_rows(registered_id=registered.national_id)))
    validate(job, manager, django_capture_on_commit_callbacks)
    response = manager_client.get(job_url(job, "report", "csv"))
    assert response["Content-Disposition"] == f'attachment; filename="import-{job.pk}-report.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert len(lines) == 11
    by_row = {line[0]: line for line in lines[1:]}
    assert registered.file.number in by_row["7"][5] and "رقم الهوية" in by_row["7"][5]
    assert by_row["2"][5] == ""
    assert AuditEntry.objects.for_object(job).filter(action=AuditAction.VIEW).count() == 1


def test_the_report_downloads_as_xlsx(
    manager, manager_client, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, xlsx_upload(mixed_rows(registered_id=registered.national_id)))
    validate(job, manager, django_capture_on_commit_callbacks)
    response = manager_client.get(job_url(job, "report", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 11 and rows[1][0] == 2
    failed = {row[0] for row in rows[1:] if row[5]}
    assert failed == {5, 7, 9, 10, 11}


def test_confirming_valid_rows_only_shows_the_created_files(
    manager, manager_client, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(mixed_rows(registered_id=registered.national_id)))
    validate(job, manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(job_url(job, "confirm"), {"mode": Mode.VALID_ONLY})
    assert response.status_code == 302
    tasks.run_import_job.call(job_id=job.pk)
    html = manager_client.get(job.get_absolute_url()).content.decode()
    for file in BeneficiaryFile.objects.filter(branch=branch):
        assert file.get_absolute_url() in html
    assert 'data-testid="import-result"' in html


def test_all_or_nothing_is_refused_on_the_page_while_a_row_failed(
    manager, manager_client, branch, registered, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(mixed_rows(registered_id=registered.national_id)))
    validate(job, manager, django_capture_on_commit_callbacks)
    response = manager_client.post(job_url(job, "confirm"), {"mode": Mode.ALL_OR_NOTHING})
    assert response.status_code == 400
    assert "5" in response.context["confirm_form"].errors["mode"][0]
    job.refresh_from_db()
    assert job.status == Status.VALIDATED


def test_another_branchs_import_is_not_found(
    client, manager, branch, other_branch, django_capture_on_commit_callbacks
):
    from mustafid.accounts.roles import Role
    from mustafid.accounts.tests.factories import StaffFactory

    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    stranger = StaffFactory(username="stranger", roles=[Role.BRANCH_MANAGER],
                            branches=[other_branch])  # fmt: skip
    client.force_login(stranger)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(job_url(job, "report", "csv")).status_code == 404
    assert client.post(job_url(job, "confirm"), {"mode": Mode.VALID_ONLY}).status_code == 404
    assert job.original_name not in client.get(reverse("imports:list")).content.decode()


def test_a_relations_officer_cannot_open_the_import_pages(officer_client):
    assert officer_client.get(reverse("imports:list")).status_code == 403
    assert officer_client.get(reverse("imports:new")).status_code == 403


def test_the_list_shows_the_branchs_imports(manager, manager_client, branch):
    upload(manager, branch, csv_upload(valid_rows(), name="old-register.csv"))
    html = manager_client.get(reverse("imports:list")).content.decode()
    assert "old-register.csv" in html and reverse("imports:new") in html


def test_list_queries_do_not_grow_with_imports(
    manager, manager_client, branch, django_assert_max_num_queries
):
    for n in range(8):
        upload(manager, branch, csv_upload(valid_rows(), name=f"register-{n}.csv"))
    with django_assert_max_num_queries(8):
        manager_client.get(reverse("imports:list"))


def test_report_page_queries_do_not_grow_with_rows(
    manager, manager_client, branch, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):  # fmt: skip
    rows = [HEADERS] + [
        [str(n), "رب الأسرة", "1000000000", "محمد", "عبدالله", "", "العتيبي", "ذكر", "", "",
         "", ""]
        for n in range(120)
    ]  # fmt: skip
    job = validate(upload(manager, branch, csv_upload(rows)), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    with django_assert_max_num_queries(9):
        response = manager_client.get(job.get_absolute_url(), {"show": "all"})
    assert response.context["report_page"].paginator.count == 120


def test_result_page_queries_do_not_grow_with_files(
    manager, manager_client, branch, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):  # fmt: skip
    rows = [HEADERS] + [
        [str(n), "رب الأسرة", national_id(400 + n), "محمد", "عبدالله", "", "العتيبي", "ذكر", "",
         "", "", ""]
        for n in range(60)
    ]  # fmt: skip
    job = validate(upload(manager, branch, csv_upload(rows)), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(job_url(job, "confirm"), {"mode": Mode.VALID_ONLY})
    tasks.run_import_job.call(job_id=job.pk)
    # session, user, permissions (2), branches, job, report count, files, heads, messages
    with django_assert_max_num_queries(12):
        response = manager_client.get(job.get_absolute_url(), {"files": 2})
    assert len(response.context["files_page"].object_list) == 10


def test_the_dashboard_links_a_manager_to_the_imports(manager_client):
    links = [link["url"] for link in manager_client.get("/").context["tool_links"]]
    assert reverse("imports:list") in links


def test_the_administrator_reads_imports_in_the_admin(
    client, sysadmin, manager, branch, django_capture_on_commit_callbacks
):
    job = upload(manager, branch, csv_upload(valid_rows()))
    client.force_login(sysadmin)
    assert client.get(reverse("admin:imports_importjob_changelist")).status_code == 200
    assert client.get(reverse("admin:imports_importjob_change", args=[job.pk])).status_code == 200
    assert client.get(reverse("admin:imports_importjob_add")).status_code == 403


def test_a_superuser_deletes_a_finished_job_with_its_report_and_file(
    client, manager, branch, media, django_capture_on_commit_callbacks
):
    from mustafid.accounts.tests.factories import StaffFactory
    from mustafid.imports.models import ImportRow

    job = validate(upload(manager, branch, csv_upload(valid_rows())), manager,
                   django_capture_on_commit_callbacks)  # fmt: skip
    stored = media / job.upload.name
    client.force_login(StaffFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse("admin:imports_importjob_delete", args=[job.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not ImportJob.objects.exists() and not ImportRow.objects.exists()
    assert not stored.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_id=str(job.pk)).exists()
