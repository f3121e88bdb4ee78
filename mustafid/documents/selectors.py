"""Reads of documents, always within the files the actor may see (issue 4 item 9)."""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import ngettext

from mustafid.accounts.permissions import can
from mustafid.core.flags import Flag
from mustafid.documents.models import Document, ExpiryStatus
from mustafid.registry.models import Person, Relation
from mustafid.registry.selectors import files_visible_to

VIEW_PERMISSION = "documents.view_document"


def warning_horizon(today: dt.date | None = None) -> dt.date:
    """The last day a document may expire on and still be flagged "expires soon"."""
    today = today or timezone.localdate()
    return today + dt.timedelta(days=settings.DOCUMENT_EXPIRY_WARNING_DAYS)


def documents_of_file(*, actor, file) -> list[Document]:
    """The household's documents not removed, newest first; none without the view
    permission. ``file`` comes from ``registry.selectors.file_for`` (already scoped).
    One query whatever their number."""
    if not actor.has_perm(VIEW_PERMISSION):
        return []
    documents = (
        Document.objects.live()
        .filter(file=file)
        .select_related("person", "uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )
    return list(documents)


def expiry_flags(documents: list[Document], *, today: dt.date | None = None) -> list[Flag]:
    """ "2 documents expired" (danger), "1 document expires soon" (warning), linking to the
    file page's documents section."""
    today = today or timezone.localdate()
    statuses = [document.expiry_status(today=today) for document in documents]
    flags = []
    if expired := statuses.count(ExpiryStatus.EXPIRED):
        text = ngettext("%(count)d document expired", "%(count)d documents expired", expired) % {
            "count": expired
        }
        flags.append(Flag(text=text, level="danger", url="#documents"))
    if expiring := statuses.count(ExpiryStatus.EXPIRING):
        text = ngettext(
            "%(count)d document expires soon", "%(count)d documents expire soon", expiring
        ) % {"count": expiring}
        flags.append(Flag(text=text, level="warning", url="#documents"))
    return flags


def file_context(*, actor, file) -> dict:
    """What the file page shows from this app: template variables, and ``flags``.

    ``documents`` is None for someone who may not see documents (the section is not
    shown). One query for the documents, whatever their number (P-PROC-2).
    """
    if not actor.has_perm(VIEW_PERMISSION):
        return {"flags": [], "documents": None}
    documents = documents_of_file(actor=actor, file=file)
    today = timezone.localdate()
    for document in documents:
        document.status = document.expiry_status(today=today)
    return {
        "flags": expiry_flags(documents, today=today),
        "documents": documents,
        "documents_can_add": can(actor, "documents.add_document", branch=file.branch),
        "documents_can_remove": can(actor, "documents.change_document", branch=file.branch),
        "documents_show_history": actor.has_perm("core.view_auditentry"),
    }


def document_for(*, actor, document_id: int) -> Document:
    """One live document of a file the actor may see, with its file; 404 otherwise (another
    branch's document looks like a missing one)."""
    if not actor.has_perm(VIEW_PERMISSION):
        raise Http404
    documents = Document.objects.live().filter(file__in=files_visible_to(actor=actor))
    try:
        return documents.select_related("file", "file__branch", "person").get(pk=document_id)
    except Document.DoesNotExist:
        raise Http404 from None


#: Worklist filters: expired, expiring soon, or both.
EXPIRED, EXPIRING = ExpiryStatus.EXPIRED.value, ExpiryStatus.EXPIRING.value


def expiring_documents(*, actor, status: str = "", kind: str = "") -> QuerySet[Document]:
    """Expired and soon-to-expire documents of the files the actor may see, the newest
    problem first (latest expiry date first); each with its file, branch, person and
    head of household (a fixed number of queries per page)."""
    if not actor.has_perm(VIEW_PERMISSION):
        raise Http404
    today = timezone.localdate()
    documents = Document.objects.expiring_by(warning_horizon(today)).filter(
        file__in=files_visible_to(actor=actor)
    )
    if status == EXPIRED:
        documents = documents.filter(expiry_date__lt=today)
    elif status == EXPIRING:
        documents = documents.filter(expiry_date__gte=today)
    if kind:
        documents = documents.filter(kind=kind)
    heads = Person.objects.filter(relation=Relation.HEAD)
    return (
        documents.select_related("file", "file__branch", "person")
        .prefetch_related(Prefetch("file__members", queryset=heads, to_attr="heads"))
        .order_by("-expiry_date", "-pk")
    )


def expiring_page_rows(page, *, today: dt.date | None = None) -> None:
    """Set ``status`` and ``head`` on the documents of one worklist page, for the template."""
    today = today or timezone.localdate()
    for document in page:
        document.status = document.expiry_status(today=today)
        document.head = next(iter(document.file.heads), None)
