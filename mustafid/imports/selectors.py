"""Reads of imports, scoped to the actor's branches: another branch's job is a 404."""

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mustafid.accounts.models import Branch
from mustafid.accounts.permissions import branch_ids
from mustafid.imports.models import ImportJob, ImportRow
from mustafid.imports.services import file_number
from mustafid.registry.models import BeneficiaryFile, Person, Relation

JOBS_PER_PAGE = 25
ROWS_PER_PAGE = 50
FILES_PER_PAGE = 50
#: What the report table shows: problem rows (the default), failed rows, or every row.
ROW_FILTERS = ("problems", "failed", "all")


def jobs_visible_to(*, actor) -> QuerySet[ImportJob]:
    """Imports into the actor's own branches (every branch for a superuser), newest first."""
    if not actor.has_perm("imports.view_importjob"):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(branch_id__in=branch_ids(actor)).select_related(
        "branch", "created_by"
    )


def job_for(*, actor, pk: int) -> ImportJob:
    """One job in the actor's scope, else 404 (forbidden looks like missing)."""
    try:
        return jobs_visible_to(actor=actor).select_related("confirmed_by").get(pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None


def jobs_page(*, actor, page) -> Page:
    return Paginator(jobs_visible_to(actor=actor), JOBS_PER_PAGE).get_page(page)


def branches_for_import(*, actor) -> QuerySet[Branch]:
    """The active branches the actor may import into."""
    if not actor.has_perm("imports.add_importjob"):
        return Branch.objects.none()
    return Branch.objects.filter(pk__in=branch_ids(actor), is_active=True)


def report_rows(*, job: ImportJob, show: str = "problems") -> QuerySet[ImportRow]:
    rows = ImportRow.objects.filter(job=job).defer("data").order_by("number")
    if show == "failed":
        return rows.filter(failed=True)
    if show == "problems":
        return rows.filter(failed=True) | rows.filter(has_warnings=True)
    return rows


def report_page(*, job: ImportJob, show: str, page) -> Page:
    return Paginator(report_rows(job=job, show=show), ROWS_PER_PAGE).get_page(page)


def imported_files_page(*, job: ImportJob, page) -> Page | None:
    """The files the job created, a page at a time: their numbers are one block."""
    if not job.first_number:
        return None
    numbers = Paginator(range(job.first_number, job.last_number + 1), FILES_PER_PAGE)
    page = numbers.get_page(page)
    wanted = [file_number(job.number_year, serial) for serial in page.object_list]
    heads = Prefetch("members", Person.objects.filter(relation=Relation.HEAD), to_attr="heads")
    files = {
        file.number: file
        for file in BeneficiaryFile.objects.filter(number__in=wanted).prefetch_related(heads)
    }
    page.object_list = [files[number] for number in wanted if number in files]
    return page
