"""The outbox: every email and SMS the system sends, as rendered and as it fared.

A message is written here first and sent by a background task, so a gateway that is down
delays a message but never loses it, and the row shows what was sent, to whom and when.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Waiting to retry")
    FAILED = "failed", _("Failed")


#: Statuses a worker may claim a message from (when it is due).
SENDABLE = (Status.QUEUED, Status.RETRYING)


class OutboxMessage(models.Model):
    """One message to one recipient, rendered when queued, sent at most once."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    recipient = models.CharField(
        _("recipient"), max_length=254, help_text=_("Email address or mobile number (E.164).")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ARABIC
    )
    template = models.CharField(_("template"), max_length=64)
    context = models.JSONField(
        _("template data"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"))

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(
        _("sending since"),
        null=True,
        blank=True,
        help_text=_("When a worker took the message for its latest attempt."),
    )
    last_error = models.TextField(_("last error"), blank=True)
    provider = models.CharField(_("provider"), max_length=32, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=255, blank=True)
    segments = models.PositiveSmallIntegerField(
        _("SMS parts"), null=True, blank=True, help_text=_("Billed parts of an SMS.")
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("record type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("queued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-pk"]
        permissions = [("retry_outboxmessage", _("Can retry failed messages"))]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="outbox_newest"),
            models.Index(fields=["status", "-created_at"], name="outbox_status"),
            models.Index(fields=["channel", "-created_at"], name="outbox_channel"),
            # The requeue sweep: due or stale messages by status.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["content_type", "object_id"], name="outbox_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk} ({self.template})"

    def get_absolute_url(self) -> str:
        return reverse("notifications:message", args=[self.pk])

    @property
    def reference(self) -> str:
        """Our id for the message at the gateway (Unifonic's CorrelationID, email Message-ID)."""
        return f"mustafid-{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {Status.SENT, Status.FAILED}
