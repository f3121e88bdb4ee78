"""Importing an existing registry from a spreadsheet (issue 4 item 8; P-PROC-2, P-PROC-6).

An ``ImportJob`` is one uploaded file for one branch: its columns mapped to registry
fields, validated row by row in the background (``ImportRow`` keeps each row's cleaned
values and problems: the validation report), then imported all-or-nothing or valid rows
only. Its status moves only through ``imports.workflow``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mustafid.core.channels import channel_field


class Status(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    VALIDATION_QUEUED = "validation_queued", _("Waiting to be validated")
    VALIDATING = "validating", _("Validating")
    VALIDATED = "validated", _("Validated")
    IMPORT_QUEUED = "import_queued", _("Waiting to be imported")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")


#: Statuses during which a background task is queued or running: the page polls.
IN_PROGRESS = frozenset(
    {Status.VALIDATION_QUEUED, Status.VALIDATING, Status.IMPORT_QUEUED, Status.IMPORTING}
)


class Mode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing: import only if no row failed")
    VALID_ONLY = "valid_only", _("Valid rows only: skip every household with a failed row")


class Kind(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ImportJob(models.Model):
    """One uploaded file being mapped, validated and imported into one branch."""

    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    channel = channel_field(help_text=_("How the imported households first reached us."))
    # Outside the web root; removed once the import is done (PDPL: keep no extra copies).
    upload = models.FileField(_("uploaded file"), upload_to="imports/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=4, choices=Kind.choices)
    encoding = models.CharField(_("text encoding"), max_length=16, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    headers = models.JSONField(_("column headers"), default=list)
    sample = models.JSONField(_("first rows"), default=list)
    # {"<column index>": "<field>"}: which column feeds which registry field.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    mode = models.CharField(_("import mode"), max_length=16, choices=Mode.choices, blank=True)
    # Progress of the running task (rows done of rows to do), polled by the page.
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # The validation report in numbers.
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    failed_rows = models.PositiveIntegerField(_("failed rows"), default=0)
    warning_rows = models.PositiveIntegerField(_("rows with warnings"), default=0)
    household_count = models.PositiveIntegerField(_("households"), default=0)
    valid_households = models.PositiveIntegerField(_("households without a failed row"), default=0)
    # The import in numbers; imported files are numbered first_number..last_number.
    files_created = models.PositiveIntegerField(_("files created"), default=0)
    people_created = models.PositiveIntegerField(_("people created"), default=0)
    households_skipped = models.PositiveIntegerField(_("households skipped"), default=0)
    number_year = models.PositiveIntegerField(null=True, blank=True)
    first_number = models.PositiveIntegerField(null=True, blank=True)
    last_number = models.PositiveIntegerField(null=True, blank=True)
    # Why the last task stopped: {"code": ..., "params": {...}}, translated when shown.
    error = models.JSONField(_("error"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["branch", "-created_at"], name="import_job_branch")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:job", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, 100 * self.progress_done // self.progress_total)

    def column_for(self, field: str) -> int | None:
        """The index of the column mapped to ``field``, if any."""
        for column, mapped in self.mapping.items():
            if mapped == field:
                return int(column)
        return None


class ImportRow(models.Model):
    """One row of the file: its cleaned values and the problems found (the report)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    # The row's number as the spreadsheet shows it (the header is row 1).
    number = models.PositiveIntegerField(_("row"))
    household = models.CharField(_("household reference"), max_length=80, blank=True)
    national_id = models.CharField(_("national ID / iqama"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    failed = models.BooleanField(_("failed"), default=False)
    has_warnings = models.BooleanField(_("has warnings"), default=False)
    # [[level, field, code, params], ...]: translated when shown (imports.messages).
    problems = models.JSONField(_("problems"), default=list)
    # The cleaned values, in the shape the registry takes.
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="one_report_row_per_row")
        ]
        indexes = [models.Index(fields=["job", "failed", "number"], name="import_row_failed")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number}"
