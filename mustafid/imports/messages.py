"""The problems a row can have, by code: stored as codes with parameters, translated when
shown, so a report reads in the language of whoever opens it.

Codes of ``core.validators.MESSAGES`` (national ID, mobile, names, short address) are used
as the validators raise them, so an imported row is refused with the same words as a
typed one (P-PROC-2).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from mustafid.core import validators

ERROR, WARNING = "error", "warning"

MESSAGES = {
    # Cells
    "required": _("This value is missing."),
    "too_long": _("This is longer than %(limit)d characters."),
    "full_name_too_short": _(
        "Write at least three parts of the name: the first name, the father's name and the "
        "family name."
    ),
    "sex_unknown": _("Write the sex as ذكر or أنثى (male or female)."),
    "relation_unknown": _(
        "Unknown relation. Write one of: رب الأسرة، زوج، زوجة، ابن، ابنة، أب، أم، أخرى."
    ),
    "relation_missing": _("Write this member's relation to the head of the household."),
    "yes_no_unknown": _("Write yes or no (نعم or لا)."),
    "date_format": _(
        "Write the date as day/month/year or year/month/day, Gregorian (12/04/1985) or "
        "Hijri (1405/07/21)."
    ),
    "date_invalid": _("This date does not exist."),
    "hijri_invalid": _("This Hijri date does not exist in the Umm al-Qura calendar."),
    "date_future": _("A date of birth cannot be in the future."),
    "household_missing": _("The household reference is missing: the row cannot be grouped."),
    # The file and the registry
    "id_in_registry": _("This national ID is already registered in file %(number)s."),
    "id_repeated": ngettext_lazy(
        "This national ID is also in row %(rows)s of this file.",
        "This national ID is also in rows %(rows)s of this file.",
        "count",
    ),
    "head_repeated": _("Household %(household)s already has its head in row %(rows)s."),
    "head_assumed": _(
        "No row of household %(household)s is marked as its head: this first row is taken "
        "as the head."
    ),
    "household_has_failed_row": ngettext_lazy(
        "Row %(rows)s of the same household failed: with “valid rows only” the whole "
        "household is skipped.",
        "Rows %(rows)s of the same household failed: with “valid rows only” the whole "
        "household is skipped.",
        "count",
    ),
    "likely_name_birth_registry": _(
        "Possibly already registered: the same name and date of birth are in file %(number)s."
    ),
    "likely_mobile_registry": _(
        "Possibly already registered: the same mobile number is in file %(number)s."
    ),
    "likely_name_birth_file": ngettext_lazy(
        "Possibly the same person as row %(rows)s: the same name and date of birth.",
        "Possibly the same person as rows %(rows)s: the same name and date of birth.",
        "count",
    ),
    "likely_mobile_file": ngettext_lazy(
        "The same mobile number is in row %(rows)s, in another household.",
        "The same mobile number is in rows %(rows)s, in other households.",
        "count",
    ),
    "registered_meanwhile": _(
        "This national ID was registered in file %(number)s after the file was validated."
    ),
    # The whole job
    "unreadable": _("The file could not be read any more. Upload it again."),
    "too_many_rows": _("The file has more than %(limit)d rows. Split it into smaller files."),
    "no_permission": _("The person who started this step may no longer import into this branch."),
    "unexpected": _("Something went wrong on our side. It has been logged; try again."),
}


def text(code: str, params: dict | None = None) -> str:
    """The problem ``code`` in the active language, with its parameters."""
    template = MESSAGES.get(code) or validators.MESSAGES.get(code) or MESSAGES["unexpected"]
    return str(template % params) if params else str(template)
