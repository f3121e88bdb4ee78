"""The eight channels through which beneficiaries reach the association (P-CH-1…8).

Every contact, request or ticket records the channel it came in on with this one
enumeration, so reports across the system count the same eight things.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    VISIT = "visit", _("In-person interview")  # P-CH-1
    PHONE = "phone", _("Phone call")  # P-CH-2
    SOCIAL_MEDIA = "social_media", _("Social media")  # P-CH-3
    LETTER = "letter", _("Letter")  # P-CH-4
    HELP_REQUEST = "help_request", _("Help-request service")  # P-CH-5
    VOLUNTEER = "volunteer", _("Volunteering service")  # P-CH-6
    WEBSITE = "website", _("Website")  # P-CH-7
    BRANCH_REPRESENTATIVE = "branch_representative", _("Branch-office representative")  # P-CH-8


#: The policy clause each channel stands for, for docs, reports and the API.
POLICY_CLAUSE = {
    Channel.VISIT: "P-CH-1",
    Channel.PHONE: "P-CH-2",
    Channel.SOCIAL_MEDIA: "P-CH-3",
    Channel.LETTER: "P-CH-4",
    Channel.HELP_REQUEST: "P-CH-5",
    Channel.VOLUNTEER: "P-CH-6",
    Channel.WEBSITE: "P-CH-7",
    Channel.BRANCH_REPRESENTATIVE: "P-CH-8",
}


def channel_field(**kwargs) -> models.CharField:
    """The model field every app uses to record how something came in."""
    kwargs.setdefault("verbose_name", _("channel"))
    return models.CharField(max_length=32, choices=Channel.choices, **kwargs)
