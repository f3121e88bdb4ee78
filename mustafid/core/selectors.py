"""Reads for the core pages."""

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from mustafid.core.models import AuditEntry


def audit_entries_for_record(*, actor, model: str, object_id: str) -> QuerySet[AuditEntry]:
    """The history of one record, newest first; 404 unless the actor may read audit logs."""
    if not actor.has_perm("core.view_auditentry"):
        raise Http404
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError) as err:
        raise Http404 from err
    branch_id = _record_branch_id(model_class, object_id)
    if branch_id is not None:
        from mustafid.accounts.permissions import branch_ids, sees_every_branch

        if not sees_every_branch(actor) and branch_id not in branch_ids(actor):
            raise Http404  # another branch's family: not acknowledged (issue 4 item 9)
    content_type = ContentType.objects.get_for_model(model_class, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=content_type, object_id=object_id).select_related(
        "actor"
    )


def _record_branch_id(model_class, object_id: str) -> int | None:
    """The branch a record belongs to: its own ``branch``, or its household file's (people,
    documents, consents...); None for records of no branch or no longer there."""
    try:
        record = model_class._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        return None
    if record is None:
        return None
    if (branch_id := getattr(record, "branch_id", None)) is not None:
        return branch_id
    file = getattr(record, "file", None)
    return getattr(file, "branch_id", None)


def recent_activity(*, actor, limit: int = 10) -> QuerySet[AuditEntry]:
    """The actor's own latest actions, for the dashboard."""
    return AuditEntry.objects.filter(actor=actor).select_related("content_type")[:limit]


def tool_links(*, actor, request) -> list[dict[str, str]]:
    """Links to the back-office tools this actor may open."""
    candidates = []
    if admin.site.has_permission(request):
        candidates += [
            ("admin:index", _("System administration")),
            ("api-docs", _("API documentation")),
        ]
    if actor.has_perm("notifications.view_outboxmessage"):
        candidates.append(("notifications:outbox", _("Messages sent (outbox)")))
    if actor.has_perm("privacy.view_anonymisation"):
        candidates.append(("privacy:retention", _("Files past their retention period")))
    if actor.has_perm("imports.view_importjob"):
        candidates.append(("imports:list", _("Registry imports")))
    return [{"url": reverse(name), "label": label} for name, label in candidates]
