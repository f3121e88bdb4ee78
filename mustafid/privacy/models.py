"""Consent and anonymisation: the household's say over its data (PDPL; P-OBJ-1, P-PROC-2).

A ``Consent`` records that a household agreed to one use of its data (PDPL Art. 5: a
purpose, when, on which channel, taken by whom), and its withdrawal, which the household
may make at any time. Only one consent per purpose is active at once; withdrawn ones stay
as evidence. An ``Anonymisation`` records that a closed file's identity was removed once
its retention period ended (PDPL Art. 18), with the statistics that were kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mustafid.core.channels import channel_field


class Purpose(models.TextChoices):
    """What the household agrees its data may be used for (PDPL Art. 5, Art. 12)."""

    REGISTRATION = "registration", _("Registration and eligibility study")
    CONTACT = "contact", _("Contact")
    PARTNER_SHARING = "partner_sharing", _("Sharing with partner bodies")
    SATISFACTION_SURVEY = "satisfaction_survey", _("Satisfaction surveys")


#: The whole sentence read to (or by) the household for each purpose.
PURPOSE_WORDING = {
    Purpose.REGISTRATION: _(
        "The association keeps the household's data to register it and to study its "
        "eligibility for support."
    ),
    Purpose.CONTACT: _(
        "The association may contact the household by SMS, WhatsApp, phone call or email "
        "about its file, its requests and its services."
    ),
    Purpose.PARTNER_SHARING: _(
        "The association may share the data needed with a partner body, only to deliver a "
        "service to the household."
    ),
    Purpose.SATISFACTION_SURVEY: _(
        "The association may ask the household to rate the services it received."
    ),
}


class Consent(models.Model):
    """A household's consent to one purpose, and its withdrawal (PDPL Art. 5)."""

    file = models.ForeignKey(
        "registry.BeneficiaryFile",
        verbose_name=_("file"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("given by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    channel = channel_field(help_text=_("Where the household gave its consent."))
    given_at = models.DateTimeField(_("given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    note = models.CharField(
        _("note or evidence reference"),
        max_length=255,
        blank=True,
        help_text=_("For example the number of the signed form, or who was present."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_channel = channel_field(verbose_name=_("withdrawal channel"), blank=True)
    withdrawal_reason = models.CharField(_("withdrawal reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_id} {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def wording(self) -> str:
        return str(PURPOSE_WORDING.get(self.purpose, ""))


class Anonymisation(models.Model):
    """The removal of a closed file's identity after its retention period (PDPL Art. 18)."""

    file = models.OneToOneField(
        "registry.BeneficiaryFile",
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        related_name="anonymisation",
    )
    anonymised_at = models.DateTimeField(_("anonymised"))
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("anonymised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What was kept for statistics: counts, sexes, birth years, category, city, incomes.
    statistics = models.JSONField(_("statistics kept"), default=dict)
    documents_purged = models.PositiveIntegerField(_("documents purged"), default=0)

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")
        ordering = ["-anonymised_at", "-pk"]

    def __str__(self) -> str:
        return str(self.statistics.get("file_number") or self.file_id)
