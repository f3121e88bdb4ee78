"""Background work of imports: each task loads the job by id and calls a service. Both
are safe to run twice: the service claims the job with a compare-and-swap first."""

from django_tasks import task

from mustafid.imports import services


@task()
def validate_import_job(*, job_id: int) -> str:
    """Validate every row of an uploaded file and keep the report (P-PROC-2)."""
    return services.validate_job(job_id=job_id)


@task()
def run_import_job(*, job_id: int) -> str:
    """Import a confirmed job's households in one transaction (P-PROC-6)."""
    return services.import_job(job_id=job_id)
