"""The beneficiary's timeline: what happened to a household, newest first (issue 4 item 7).

Every feature that touches a household writes here through
``timeline.services.add_event``: registration, members, documents, consent, merges, and
later contacts, requests, decisions, services and ratings. The audit log answers "who
changed which field"; the timeline answers "what has this family been through with us".
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_UPDATED = "member_updated", _("Member updated")
    PROFILE_UPDATED = "profile_updated", _("Profile updated")
    CATEGORY_CHANGED = "category_changed", _("Category changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    DOCUMENT_ADDED = "document_added", _("Document added")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    MERGED = "merged", _("Files merged")
    MERGE_REVERTED = "merge_reverted", _("Merge reverted")
    IMPORTED = "imported", _("Imported")
    ANONYMISED = "anonymised", _("Anonymised")
    CONTACT = "contact", _("Contact")
    REQUEST = "request", _("Support request")
    DECISION = "decision", _("Committee decision")
    SERVICE = "service", _("Service delivered")
    RATING = "rating", _("Rating")
    NOTE = "note", _("Note")


class TimelineEvent(models.Model):
    """One thing that happened to a household."""

    file = models.ForeignKey(
        "registry.BeneficiaryFile",
        verbose_name=_("file"),
        on_delete=models.CASCADE,
        related_name="timeline",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Language-neutral detail (a name, a number, a document type label as entered).
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    # Where the event's own record lives (a request, a document), if it has a page.
    url = models.CharField(_("link"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["file", "-occurred_at", "-id"], name="timeline_file")]

    def __str__(self) -> str:
        return f"{self.file_id} {self.kind} {self.occurred_at:%Y-%m-%d}"
