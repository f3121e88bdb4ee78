"""Reads for the outbox pages."""

from django.db.models import QuerySet
from django.http import Http404

from mustafid.notifications.models import OutboxMessage

VIEW_PERMISSION = "notifications.view_outboxmessage"


def outbox_messages(*, actor, status: str = "", channel: str = "") -> QuerySet[OutboxMessage]:
    """Messages newest first, optionally by status and channel; 404 without the permission."""
    if not actor.has_perm(VIEW_PERMISSION):
        raise Http404
    messages = OutboxMessage.objects.defer("context", "body")
    if status:
        messages = messages.filter(status=status)
    if channel:
        messages = messages.filter(channel=channel)
    return messages


def outbox_message(*, actor, message_id: int) -> OutboxMessage:
    """One message with who queued it; 404 without the permission or when missing."""
    if not actor.has_perm(VIEW_PERMISSION):
        raise Http404
    try:
        return OutboxMessage.objects.select_related("created_by", "content_type").get(pk=message_id)
    except OutboxMessage.DoesNotExist:
        raise Http404 from None
