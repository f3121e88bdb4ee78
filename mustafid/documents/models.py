"""A household's documents: ID copies, the family record, proofs of income (P-PROC-2).

The officer "matches the data and verifies its validity at the time of submission"
(P-PROC-2): the papers behind the data are kept on the household's file, with their
issue and expiry dates, so an expired ID or lease is seen before a request goes on.

Files are stored outside the web root under random names (``storage.DocumentStorage``);
the original name is kept only to be shown and offered on download. Removal is soft
(``removed_at``): the row and the stored file stay until the household's documents are
purged (``services.purge_file_documents``, PDPL Art. 18).
"""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.documents.storage import document_storage


class DocumentKind(models.TextChoices):
    ID_COPY = "id_copy", _("ID copy")
    FAMILY_RECORD = "family_record", _("Family record")
    INCOME_PROOF = "income_proof", _("Proof of income")
    LEASE = "lease", _("Lease")
    MEDICAL_REPORT = "medical_report", _("Medical report")
    BANK_LETTER = "bank_letter", _("Bank letter")
    OTHER = "other", _("Other document")


class ContentType(models.TextChoices):
    """The types accepted, as decided from the file's content (``validation.inspect_upload``)."""

    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


#: The extension given to the stored name of each type (the user's name is never used).
EXTENSIONS = {ContentType.PDF: "pdf", ContentType.JPEG: "jpg", ContentType.PNG: "png"}


class ExpiryStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expires soon")
    EXPIRED = "expired", _("Expired")


def stored_name(document: "Document", filename: str) -> str:
    """``<year>/<month>/<random>.<ext>``: nothing of the uploaded name reaches the disk."""
    today = timezone.localdate()
    extension = EXTENSIONS.get(document.content_type, "bin")
    return f"{today:%Y}/{today:%m}/{secrets.token_hex(16)}.{extension}"


class DocumentQuerySet(models.QuerySet):
    def live(self) -> "DocumentQuerySet":
        """Documents not removed."""
        return self.filter(removed_at__isnull=True)

    def expiring_by(self, day: dt.date) -> "DocumentQuerySet":
        """Live documents whose expiry date is on or before ``day``."""
        return self.live().filter(expiry_date__isnull=False, expiry_date__lte=day)


class Document(models.Model):
    """One document of a household, optionally about one of its members."""

    file = models.ForeignKey(
        "registry.BeneficiaryFile",
        verbose_name=_("file"),
        # A household's documents are purged on purpose (their stored files with them),
        # never by a cascade that would leave the files on disk.
        on_delete=models.PROTECT,
        related_name="documents",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(_("document type"), max_length=16, choices=DocumentKind.choices)
    stored = models.FileField(
        _("stored file"), storage=document_storage, upload_to=stored_name, max_length=200
    )
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=20, choices=ContentType.choices)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True)
                | Q(issue_date__isnull=True)
                | Q(expiry_date__gte=F("issue_date")),
                name="document_expires_after_issue",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
            # The same bytes twice on one household is a double click, not a second paper.
            models.UniqueConstraint(
                fields=["file", "sha256"],
                condition=Q(removed_at__isnull=True),
                name="one_live_copy_per_household",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expiry_date"],
                condition=Q(removed_at__isnull=True, expiry_date__isnull=False),
                name="document_live_expiry",
            ),
        ]

    def __str__(self) -> str:
        # No original name here: it may hold a person's name, and this goes to the audit log.
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type in (ContentType.JPEG, ContentType.PNG)

    def expiry_status(self, *, today: dt.date | None = None) -> str:
        """Expired, expiring within ``DOCUMENT_EXPIRY_WARNING_DAYS``, or valid."""
        if self.expiry_date is None:
            return ExpiryStatus.VALID
        today = today or timezone.localdate()
        if self.expiry_date < today:
            return ExpiryStatus.EXPIRED
        if self.expiry_date <= today + dt.timedelta(days=settings.DOCUMENT_EXPIRY_WARNING_DAYS):
            return ExpiryStatus.EXPIRING
        return ExpiryStatus.VALID
