"""Shared records: the audit log (append-only) and the bank-code table."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    """The application never edits or removes an audit entry."""


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("Status changed")
    VIEW = "view", _("Viewed")
    LOGIN = "login", _("Signed in")
    LOGOUT = "logout", _("Signed out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be updated")

    def delete(self):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")

    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )


class AuditEntry(models.Model):
    """Who did what to which record, when and from where (append-only)."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("by (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_object"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit entries cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")


class Bank(models.Model):
    """A Saudi bank by its SAMA clearing code: the two digits after the IBAN check digits."""

    code = models.CharField(_("bank code"), max_length=2, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("bank")
        verbose_name_plural = _("banks")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_ar if (get_language() or "ar").startswith("ar") else self.name_en


class HolidayKind(models.TextChoices):
    EID_AL_FITR = "eid_al_fitr", _("Eid al-Fitr")
    EID_AL_ADHA = "eid_al_adha", _("Eid al-Adha")
    FOUNDING_DAY = "founding_day", _("Founding Day (22 February)")
    NATIONAL_DAY = "national_day", _("National Day (23 September)")
    OTHER = "other", _("Other or announced holiday")


class Holiday(models.Model):
    """Days off besides the weekend, first to last day inclusive; due dates skip them.

    Eid dates follow the moon sighting, so a suggested Eid stays unconfirmed until an
    administrator checks it against the official announcement. Holidays may overlap.
    """

    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=20, choices=HolidayKind.choices, default=HolidayKind.OTHER
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"), help_text=_("Inclusive: the last day off."))
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Tick once the dates match the official announcement."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["start", "end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="holiday_ends_after_start",
                violation_error_message=_("The last day cannot come before the first day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%Y-%m-%d}–{self.end:%Y-%m-%d})"

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_ar if (get_language() or "ar").startswith("ar") else self.name_en

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {"end": _("The last day cannot come before the first day.")},
                code="end_before_start",
            )


def _forget_cached_holidays(sender, **kwargs) -> None:
    # A cache, not domain flow: the working-day calendar reloads after any change.
    from mustafid.core.workdays import forget_holidays  # workdays imports this module

    forget_holidays()


models.signals.post_save.connect(
    _forget_cached_holidays, sender=Holiday, dispatch_uid="core.holiday.forget"
)
models.signals.post_delete.connect(
    _forget_cached_holidays, sender=Holiday, dispatch_uid="core.holiday.forget_deleted"
)
