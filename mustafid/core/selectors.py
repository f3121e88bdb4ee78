"""Reads for the core pages."""

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
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
    content_type = ContentType.objects.get_for_model(model_class, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=content_type, object_id=object_id).select_related(
        "actor"
    )


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
    return [{"url": reverse(name), "label": label} for name, label in candidates]
