"""Pages for documents: upload, download, remove, and the expiry worklist."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mustafid.accounts.permissions import can
from mustafid.documents import errors, selectors, services
from mustafid.documents.forms import DocumentForm, ExpiringFilterForm, RemoveDocumentForm
from mustafid.registry import selectors as registry_selectors

logger = logging.getLogger("mustafid.documents")

#: The downloaded document is a dead end: no scripts, no plugins, no frames, no requests
#: but its own image (a browser shows an image inside a page it makes up itself).
DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; frame-ancestors 'none'; sandbox"
PAGE_SIZE = 50


def _documents_section(file) -> str:
    return f"{file.get_absolute_url()}#documents"


@login_required
@require_http_methods(["GET", "POST"])
def add(request, number: str):
    """Upload a household's document (P-PROC-2); a refusal stays on its field."""
    file = registry_selectors.file_for(actor=request.user, number=number)
    if not can(request.user, "documents.add_document", branch=file.branch):
        raise Http404
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        people=file.members.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.add_document(actor=request.user, file=file, **form.document_data())
        except errors.DocumentRefused as err:
            form.add_error(err.field, str(err))
        else:
            messages.success(
                request,
                _("%(kind)s is added to the file.") % {"kind": document.get_kind_display()},
            )
            return redirect(_documents_section(file))
    return render(request, "documents/add.html", {"form": form, "file": file})


@login_required
def download(request, document_id: int):
    """The stored file, to those who may see the household's documents; logged (PDPL).

    Images open in the browser; PDFs are downloaded, because a browser refuses to show a
    PDF under the sandbox policy every document is served with.
    """
    document = selectors.document_for(actor=request.user, document_id=document_id)
    try:
        handle = document.stored.open("rb")
    except FileNotFoundError:
        logger.error("stored document missing", extra={"document_id": document.pk})
        raise Http404 from None
    services.record_document_viewed(actor=request.user, document=document)
    response = FileResponse(
        handle,
        as_attachment=not document.is_image,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def remove(request, document_id: int):
    """Ask, then remove a document from the household's lists (audited; kept until purge)."""
    document = selectors.document_for(actor=request.user, document_id=document_id)
    if not can(request.user, "documents.change_document", branch=document.file.branch):
        raise Http404
    form = RemoveDocumentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.remove_document(
            actor=request.user, document=document, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("%(kind)s is removed from the file.") % {"kind": document.get_kind_display()},
        )
        return redirect(_documents_section(document.file))
    return render(request, "documents/remove.html", {"form": form, "document": document})


@login_required
@permission_required("documents.view_document", raise_exception=True)
def expiring(request):
    """Expired and soon-to-expire documents across the files the user may see."""
    form = ExpiringFilterForm(request.GET or None)
    documents = selectors.expiring_documents(actor=request.user, **form.filters())
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.expiring_page_rows(page)
    query = request.GET.copy()
    query.pop("page", None)
    template = "documents/expiring.html" + ("#expiring-table" if request.htmx else "")
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})
