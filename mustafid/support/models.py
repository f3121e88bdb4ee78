"""Support requests (طلب دعم مستفيد, P-TOOL-4): their types and what each one requires.

A ``SupportRequestType`` is configured by administrators: what the support is (financial
aid, rent, bills, food basket...), the support-policy guide's text shown to the officer at
intake (P-TOOL-3), the information and documents the request cannot be submitted without
(P-PROC-2), and when the applicant should expect the committee's answer (P-PROC-5).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mustafid.documents.models import DocumentKind


class RequiredItem(models.TextChoices):
    """What a request type may require of the household's file before submission."""

    MOBILE = "mobile", _("A mobile number")
    NATIONAL_ADDRESS = "national_address", _("The national address (short address or full)")
    IBAN = "iban", _("A valid IBAN")
    INCOMES = "incomes", _("The household's incomes")
    HOUSING = "housing", _("The housing situation")
    RENT = "rent", _("The monthly rent (rented housing)")
    HEAD_ID = "head_id", _("The head's national ID or iqama")
    MEMBER_IDS = "member_ids", _("Every adult member's national ID or iqama")
    BIRTH_DATES = "birth_dates", _("Every member's date of birth")


class SupportRequestType(models.Model):
    """A kind of support the association gives, with its checklist and answer period."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    guide_ar = models.TextField(
        _("support-policy guide (Arabic)"),
        blank=True,
        help_text=_("Shown to the officer at intake (P-TOOL-3)."),
    )
    guide_en = models.TextField(_("support-policy guide (English)"), blank=True)
    eligibility_notes = models.TextField(_("eligibility notes"), blank=True)
    required_items = models.JSONField(
        _("required information"),
        default=list,
        blank=True,
        help_text=_("Codes of the information the file must hold before submission."),
    )
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("Document types that must be on file and valid on the submission date."),
    )
    requires_research = models.BooleanField(
        _("needs a social research report before the committee"), default=False
    )
    answer_days = models.PositiveSmallIntegerField(_("days to the expected answer"), default=14)
    answer_in_working_days = models.BooleanField(_("count working days"), default=False)
    appeal_days = models.PositiveSmallIntegerField(_("days to appeal a decision"), default=30)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("support request type")
        verbose_name_plural = _("support request types")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_ar if (get_language() or "ar").startswith("ar") else self.name_en

    @property
    def guide(self) -> str:
        """The guide in the reader's language, falling back to the Arabic (which governs)."""
        if (get_language() or "ar").startswith("ar"):
            return self.guide_ar
        return self.guide_en or self.guide_ar

    def clean(self):
        errors = {}
        if unknown := set(self.required_items or []) - set(RequiredItem.values):
            errors["required_items"] = _("Unknown items: %(items)s") % {
                "items": ", ".join(sorted(unknown))
            }
        if unknown := set(self.required_documents or []) - set(DocumentKind.values):
            errors["required_documents"] = _("Unknown document types: %(kinds)s") % {
                "kinds": ", ".join(sorted(unknown))
            }
        if errors:
            raise ValidationError(errors)
