"""Import pages: upload, map columns, follow the validation, read the report, confirm,
follow the import, see the result; and the list of past imports (issue 4 item 8)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from mustafid.accounts.permissions import can
from mustafid.core.errors import DomainError
from mustafid.imports import messages as import_messages
from mustafid.imports import reading, report, selectors, services, workflow
from mustafid.imports.forms import ConfirmForm, MappingForm, UploadForm
from mustafid.imports.models import ImportJob, Status


@login_required
@permission_required("imports.view_importjob", raise_exception=True)
def job_list(request):
    """Past imports of the user's branches, newest first."""
    context = {
        "page": selectors.jobs_page(actor=request.user, page=request.GET.get("page")),
        "can_import": selectors.branches_for_import(actor=request.user).exists(),
    }
    return render(request, "imports/list.html", context)


@login_required
@permission_required("imports.add_importjob", raise_exception=True)
def new(request):
    """Upload a file for one branch and the channel its households came through."""
    branches = selectors.branches_for_import(actor=request.user)
    form = UploadForm(request.POST or None, request.FILES or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_import_job(
                actor=request.user,
                branch=form.cleaned_data["branch"],
                channel=form.cleaned_data["channel"],
                upload=form.cleaned_data["upload"],
            )
        except DomainError as err:
            form.add_error("upload", str(err))
        else:
            return redirect(job)
    megabytes = reading.max_upload_bytes() // (1024 * 1024)
    return render(request, "imports/new.html", {"form": form, "max_megabytes": megabytes})


def _job_context(request, job: ImportJob, **forms) -> dict:
    """Everything the job page shows, for its status and the user's permissions."""
    may_change = can(request.user, "imports.add_importjob", branch=job.branch)
    context = {"job": job, "Status": Status}
    if job.error:
        context["error_text"] = import_messages.text(
            job.error.get("code", ""), job.error.get("params")
        )
    if may_change and workflow.can_move(job, "map"):
        form = forms.get("mapping_form") or MappingForm(job=job)
        context["mapping_form"] = form
        context["columns"] = [
            {"field": form[f"column_{index}"], "samples": [row[index] for row in job.sample]}
            for index in range(len(job.headers))
        ]
    if job.validated_at:
        show = request.GET.get("show", "problems")
        show = show if show in selectors.ROW_FILTERS else "problems"
        page = selectors.report_page(job=job, show=show, page=request.GET.get("page"))
        context |= {
            "show": show,
            "report_filters": [
                ("problems", _("Rows with problems")),
                ("failed", _("Failed rows")),
                ("all", _("All rows")),
            ],
            "report_page": page,
            "report_rows": [report.describe(job, row) for row in page.object_list],
        }
    if may_change and job.status == Status.VALIDATED:
        context["confirm_form"] = forms.get("confirm_form") or ConfirmForm()
    if job.status == Status.IMPORTED:
        context["files_page"] = selectors.imported_files_page(
            job=job, page=request.GET.get("files")
        )
    return context


@login_required
def job_page(request, pk: int):
    """One import: mapping, progress, report, confirmation or result, as it stands."""
    job = selectors.job_for(actor=request.user, pk=pk)
    context = _job_context(request, job)
    if request.htmx and request.GET.get("partial") in {"report", "files"}:
        return render(request, f"imports/job.html#{request.GET['partial']}", context)
    return render(request, "imports/job.html", context)


@login_required
@require_POST
def mapping(request, pk: int):
    job = selectors.job_for(actor=request.user, pk=pk)
    form = MappingForm(request.POST, job=job)
    if form.is_valid():
        try:
            services.map_columns(actor=request.user, job=job, mapping=form.mapping())
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.info(request, _("The file is being validated. This page follows it."))
            return redirect(job)
    job.refresh_from_db()
    context = _job_context(request, job, mapping_form=form)
    return render(request, "imports/job.html", context, status=400)


@login_required
@require_POST
def confirm(request, pk: int):
    job = selectors.job_for(actor=request.user, pk=pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_import(actor=request.user, job=job, mode=form.cleaned_data["mode"])
        except DomainError as err:
            form.add_error("mode", str(err))
        else:
            messages.info(request, _("The import has started. This page follows it."))
            return redirect(job)
    job.refresh_from_db()
    context = _job_context(request, job, confirm_form=form)
    return render(request, "imports/job.html", context, status=400)


@login_required
def progress(request, pk: int):
    """The progress bar, polled by htmx; once the task is done the page reloads."""
    job = selectors.job_for(actor=request.user, pk=pk)
    if not job.in_progress:
        return HttpResponseClientRefresh() if request.htmx else redirect(job)
    return render(request, "imports/job.html#progress", {"job": job, "Status": Status})


@login_required
def report_download(request, pk: int, fmt: str):
    """The validation report of every row, as CSV or XLSX; the download is audited."""
    job = selectors.job_for(actor=request.user, pk=pk)
    if not job.validated_at:
        raise Http404
    services.record_report_downloaded(actor=request.user, job=job, fmt=fmt)
    if fmt == "xlsx":
        body = report.report_xlsx(job)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = report.report_csv(job)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.{fmt}"'
    return response
