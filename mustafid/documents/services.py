"""Changes to a household's documents: permission-checked, validated, audited.

The upload page, the API and the privacy app's anonymisation all come through here
(P-PROC-2: the papers behind the data are checked when they are handed in).
"""

import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mustafid.accounts.permissions import ensure_can
from mustafid.core import audit
from mustafid.core.models import AuditAction
from mustafid.documents import errors
from mustafid.documents.models import Document, DocumentKind
from mustafid.documents.storage import document_storage
from mustafid.documents.validation import check_dates, clean_original_name, inspect_upload
from mustafid.registry.models import BeneficiaryFile, Person
from mustafid.timeline.models import EventKind
from mustafid.timeline.services import add_event

logger = logging.getLogger("mustafid.documents")


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def add_document(
    *,
    actor,
    file: BeneficiaryFile,
    kind: str,
    uploaded,
    person: Person | None = None,
    issue_date=None,
    expiry_date=None,
    note: str = "",
) -> Document:
    """Keep a checked PDF, JPEG or PNG on the household's file (P-PROC-2).

    ``uploaded`` is a Django ``File``; its type is decided by its content. Refused with a
    ``DocumentRefused`` naming the field: a wrong, disguised, empty or too large file, an
    issue date in the future, an expiry before the issue, a person of another household,
    the same file twice.
    """
    ensure_can(actor, "documents.add_document", branch=file.branch)
    kind = DocumentKind(kind)  # an unknown kind is a programming error, not data
    if person is not None and person.file_id != file.pk:
        raise errors.PersonNotInHousehold()
    check_dates(issue_date=issue_date, expiry_date=expiry_date, today=timezone.localdate())
    inspected = inspect_upload(uploaded)
    _refuse_duplicate(file=file, sha256=inspected.sha256)
    document = Document(
        file=file,
        person=person,
        kind=kind,
        original_name=clean_original_name(uploaded.name, content_type=inspected.content_type),
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        issue_date=issue_date,
        expiry_date=expiry_date,
        note=(note or "").strip()[:255],
        uploaded_by=_user(actor),
    )
    # The stored name comes from ``models.stored_name``: random, never the user's.
    document.stored.save("upload", uploaded, save=False)
    try:
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            # The same file saved at this very moment by a second click.
            _refuse_duplicate(file=file, sha256=inspected.sha256)
            raise
        audit.record_create(actor=actor, target=document)
        add_event(
            file=file,
            kind=EventKind.DOCUMENT_ADDED,
            actor=actor,
            person=person,
            detail=str(document.get_kind_display()),
            url=document.get_absolute_url(),
        )
    except BaseException:
        # Nothing was recorded: the bytes written above must not stay behind.
        document_storage.delete(document.stored.name)
        raise
    return document


def _refuse_duplicate(*, file: BeneficiaryFile, sha256: str) -> None:
    existing = Document.objects.live().filter(file=file, sha256=sha256).first()
    if existing is not None:
        raise errors.DuplicateDocument(kind=existing.get_kind_display())


@transaction.atomic
def remove_document(*, actor, document: Document, reason: str = "") -> Document:
    """Hide a document from the household's lists; the stored file stays until the
    household's documents are purged, and the removal is audited."""
    ensure_can(actor, "documents.change_document", branch=document.file.branch)
    before = audit.snapshot(document, fields=["removed_at", "removed_by"])
    now = timezone.now()
    # Filter on removed_at: two officers may press "remove" at once; one removal counts.
    claimed = Document.objects.filter(pk=document.pk, removed_at__isnull=True).update(
        removed_at=now, removed_by=_user(actor)
    )
    if not claimed:
        raise errors.DocumentAlreadyRemoved()
    document.removed_at, document.removed_by = now, _user(actor)
    audit.record_update(
        actor=actor, target=document, before=before, summary=(reason or "").strip()[:200]
    )
    add_event(
        file=document.file,
        kind=EventKind.DOCUMENT_REMOVED,
        actor=actor,
        person=document.person,
        detail=str(document.get_kind_display()),
    )
    return document


@transaction.atomic
def purge_file_documents(*, actor, file: BeneficiaryFile) -> int:
    """Delete every document of a household, rows and stored files, removed ones too;
    returns how many (PDPL Art. 18: destroy when the purpose ends).

    Called by services that have already checked their own permission (the privacy
    app's anonymisation), so only an actor is required. The purge is audited on the
    file, without names. Stored files are deleted once the transaction commits: a
    rolled-back purge leaves every document in place.
    """
    if actor is None:
        raise ValueError("purge_file_documents needs the actor who purges")
    documents = list(Document.objects.filter(file=file).values_list("pk", "stored"))
    if not documents:
        return 0
    Document.objects.filter(pk__in=[pk for pk, _name in documents]).delete()
    count = len(documents)
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        target=file,
        changes={"documents": {"before": sorted(pk for pk, _name in documents), "after": []}},
        summary=ngettext(
            "%(count)d document purged with its stored file.",
            "%(count)d documents purged with their stored files.",
            count,
        )
        % {"count": count},
    )
    transaction.on_commit(partial(_delete_stored, names=[name for _pk, name in documents]))
    return count


def _delete_stored(*, names: list[str]) -> None:
    for name in names:
        try:
            document_storage.delete(name)
        except OSError:
            # The rows are gone; a file left behind is reported, not retried forever.
            logger.exception("stored document not deleted", extra={"stored_name": name})


def record_document_viewed(*, actor, document: Document) -> None:
    """Who opened which paper of which family (PDPL): every download is in the audit log."""
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        target=document,
        summary=_("Downloaded from file %(number)s") % {"number": document.file.number},
    )
