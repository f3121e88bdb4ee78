"""Dates as Saudi readers expect them: Hijri (Umm al-Qura) first, then Gregorian.

One helper renders every date the system shows, e.g. ``24 شعبان 1445 هـ — 5 مارس 2024``
(Bureau of Experts practice: the Hijri date, then the corresponding Gregorian). Dates are
stored Gregorian; Hijri input (citizens' birth dates) is converted on the way in.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext
from hijridate import Gregorian, Hijri

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _arabic(lang: str | None) -> bool:
    return (lang or get_language() or settings.LANGUAGE_CODE).startswith("ar")


def _digits(text: str, digits: str | None) -> str:
    style = digits or settings.MUSTAFID_DIGITS
    return text.translate(ARABIC_INDIC) if style == "arabic" else text


def local_date(value: dt.date | dt.datetime) -> dt.date:
    """The calendar day in Riyadh for a datetime; a date unchanged."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def to_hijri(value: dt.date | dt.datetime) -> Hijri | None:
    """The Umm al-Qura date, or None outside the calendar's range (1924–2077)."""
    day = local_date(value)
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        return None


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Convert a Hijri date; raises ValueError for a day the month does not have."""
    try:
        return Hijri(year, month, day).to_gregorian()
    except OverflowError as err:
        raise ValueError(str(err)) from err


def format_hijri(value, *, lang: str | None = None, digits: str | None = None) -> str:
    hijri = to_hijri(value)
    if hijri is None:
        return ""
    arabic = _arabic(lang)
    month = hijri.month_name("ar" if arabic else "en")
    notation = hijri.notation("ar" if arabic else "en")
    return _digits(f"{hijri.day} {month} {hijri.year} {notation}", digits)


def format_gregorian(value, *, lang: str | None = None, digits: str | None = None) -> str:
    day = local_date(value)
    return _digits(f"{day.day} {MONTHS[day.month]} {day.year}", digits)


def format_dual(value, *, lang: str | None = None, digits: str | None = None) -> str:
    """``24 شعبان 1445 هـ — 5 مارس 2024`` in Arabic, ``24 Sha’ban 1445 AH — 5 March 2024``
    in English; Gregorian alone outside the Hijri calendar's range; "" for no date."""
    if value in (None, ""):
        return ""
    gregorian = format_gregorian(value, lang=lang, digits=digits)
    hijri = format_hijri(value, lang=lang, digits=digits)
    return f"{hijri} — {gregorian}" if hijri else gregorian


def format_dual_datetime(value: dt.datetime, *, lang=None, digits=None) -> str:
    """The dual date followed by the local time, e.g. ``… 2024، 14:05``."""
    if value in (None, ""):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    time_text = _digits(local.strftime("%H:%M"), digits)
    # Translators: a date followed by a time, e.g. "5 March 2024, 14:05".
    return gettext("%(date)s, %(time)s") % {
        "date": format_dual(local, lang=lang, digits=digits),
        "time": time_text,
    }
