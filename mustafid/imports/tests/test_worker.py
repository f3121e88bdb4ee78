"""The real task worker validates and imports a job queued by the pages' services."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mustafid.imports import services
from mustafid.imports.models import Mode, Status
from mustafid.imports.tests.helpers import upload, valid_rows, xlsx_upload
from mustafid.registry.models import BeneficiaryFile


@pytest.mark.django_db(transaction=True)  # the worker commits
def test_the_worker_validates_then_imports_a_job(manager, branch):
    job = upload(manager, branch, xlsx_upload(valid_rows()))
    services.map_columns(actor=manager, job=job, mapping=job.mapping)
    call_command("db_worker", batch=True, interval=0)
    job.refresh_from_db()
    assert job.status == Status.VALIDATED and job.row_count == 3

    services.confirm_import(actor=manager, job=job, mode=Mode.ALL_OR_NOTHING)
    call_command("db_worker", batch=True, interval=0)
    job.refresh_from_db()
    assert job.status == Status.IMPORTED
    assert BeneficiaryFile.objects.filter(branch=branch).count() == 2
    tasks = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert tasks == {
        "mustafid.imports.tasks.validate_import_job": "SUCCESSFUL",
        "mustafid.imports.tasks.run_import_job": "SUCCESSFUL",
        # The imported households are checked for duplicates, as typed ones are.
        "mustafid.registry.tasks.find_duplicates": "SUCCESSFUL",
    }
