"""The working-day calendar every deadline uses: expected answer dates and SLA timers.

Friday and Saturday are the weekend (``settings.MUSTAFID_WEEKEND``, Royal Order A/185);
every day of a ``Holiday`` is off too, confirmed or not: an unconfirmed Eid is the best
projection we have until the administrator confirms the announced dates.

Conventions (issue 5 relies on them):

- Dates are days in the project's time zone (Asia/Riyadh); an aware datetime passed where
  a date is expected counts as its Riyadh day (``timezone.localdate``).
- A due date means "by the end of that day": work done any time on the due day is on time;
  the period ends at midnight after it.
- Counting starts the day after ``start``: ``start`` itself is never counted, as with
  "answered within two weeks of the request".

The holidays are read once and kept per process (a handful of rows a year); saving or
deleting a ``Holiday`` forgets them in that process, and every process reloads after
``CACHE_SECONDS`` so an edit made in another worker reaches it too.
"""

import datetime as dt
import time
from bisect import bisect_right
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from hijridate import Hijri

from mustafid.accounts.permissions import ensure_can
from mustafid.core import audit
from mustafid.core.dates import local_date
from mustafid.core.errors import DomainError
from mustafid.core.models import Holiday, HolidayKind

ONE_DAY = dt.timedelta(days=1)
SECONDS_PER_DAY = 86400  # Riyadh keeps no daylight saving time.

#: P-PROC-5: the applicant is told to expect the committee's answer in about two weeks.
EXPECTED_ANSWER_DAYS = 14

#: How long a process trusts its copy of the holidays before reading them again.
CACHE_SECONDS = 300

# Private and non-profit sector (our staff): MHRSD, Labor Law Executive Regulations
# Art. 24(2). Eid al-Fitr: 4 days from the end of work on 29 Ramadan, so from the day
# after 29 Ramadan (30 Ramadan or 1 Shawwal, whichever follows). Eid al-Adha: 4 days,
# 9 to 12 Dhu al-Hijjah (Arafah day first). Government staff get longer; the
# administrator adjusts each suggestion to the year's announcement before confirming it.
EID_AL_FITR_DAYS = 4
EID_AL_ADHA_FIRST_DAY = 9
EID_AL_ADHA_DAYS = 4
RAMADAN, DHU_AL_HIJJAH = 9, 12

# Fixed Gregorian days: Founding Day since the royal order of 27 January 2022; National
# Day has been a public holiday since 2005.
FOUNDING_DAY = (2, 22)
FOUNDING_DAY_SINCE = 2022
NATIONAL_DAY = (9, 23)
NATIONAL_DAY_SINCE = 2005

# Umm al-Qura range of hijridate: 1343-01-01 to 1500-12-30 AH.
FIRST_HIJRI_YEAR, LAST_HIJRI_YEAR = 1343, 1500


class HijriYearOutOfRange(DomainError):
    code, http_status = "hijri_year_out_of_range", 400
    message = _("The year %(year)s is outside the Umm al-Qura calendar (1343–1500 AH).")


# --- the cached calendar -------------------------------------------------------------


@dataclass(frozen=True)
class _Calendar:
    weekend: frozenset[int]
    off: frozenset[dt.date]  # every holiday day; overlapping holidays merge here
    weekday_off: tuple[dt.date, ...]  # holiday days outside the weekend, sorted
    loaded_at: float

    def is_working(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and day not in self.off


_calendar: _Calendar | None = None


def _load() -> _Calendar:
    """The weekend and every holiday day: one query per process every CACHE_SECONDS."""
    global _calendar
    calendar = _calendar
    weekend = frozenset(settings.MUSTAFID_WEEKEND)
    if (
        calendar is None
        or calendar.weekend != weekend
        or time.monotonic() - calendar.loaded_at > CACHE_SECONDS
    ):
        off: set[dt.date] = set()
        for start, end in Holiday.objects.values_list("start", "end"):
            off.update(start + dt.timedelta(days=n) for n in range((end - start).days + 1))
        calendar = _Calendar(
            weekend=weekend,
            off=frozenset(off),
            weekday_off=tuple(sorted(day for day in off if day.weekday() not in weekend)),
            loaded_at=time.monotonic(),
        )
        _calendar = calendar
    return calendar


def _forget() -> None:
    global _calendar
    _calendar = None


def forget_holidays() -> None:
    """Drop this process's copy of the holidays (called when a Holiday is saved or deleted).

    Forgotten now, for the saving transaction's own reads, and again after commit, so a
    read made meanwhile by another thread does not keep the old holidays."""
    _forget()
    transaction.on_commit(_forget)


# --- reading the calendar ------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    """False on Friday, Saturday and every day of a holiday."""
    return _load().is_working(local_date(day))


def add_working_days(*, start: dt.date, days: int) -> dt.date:
    """The day ``days`` working days after ``start`` (``start`` not counted); with 0 days,
    ``start`` if it is a working day, else the next working day."""
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = _load()
    day = local_date(start)
    if days == 0:
        while not calendar.is_working(day):
            day += ONE_DAY
        return day
    remaining = days
    while remaining:
        day += ONE_DAY
        if calendar.is_working(day):
            remaining -= 1
    return day


def add_calendar_days(*, start: dt.date, days: int) -> dt.date:
    """The day ``days`` calendar days after ``start``."""
    if days < 0:
        raise ValueError("days must not be negative")
    return local_date(start) + dt.timedelta(days=days)


def due_date(*, start: dt.date, days: int, working: bool) -> dt.date:
    """The day something started on ``start`` is due by (the end of), counting working
    or calendar days; e.g. the expected answer date told to the applicant (P-PROC-5)."""
    if working:
        return add_working_days(start=start, days=days)
    return add_calendar_days(start=start, days=days)


def working_days_between(*, start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is
    earlier. With ``start`` = today and ``end`` = a due date: the working days left
    (0 = due today or the due day is not a working day, below 0 = overdue)."""
    first, last = local_date(start), local_date(end)
    if last < first:
        return -working_days_between(start=last, end=first)
    calendar = _load()
    weeks, rest = divmod((last - first).days, 7)
    count = weeks * (7 - len(calendar.weekend))
    count += sum(
        1 for n in range(1, rest + 1) if (first + n * ONE_DAY).weekday() not in calendar.weekend
    )
    holidays = calendar.weekday_off
    return count - (bisect_right(holidays, last) - bisect_right(holidays, first))


def end_of_day(day: dt.date) -> dt.datetime:
    """The moment a due day ends: midnight after it, in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(local_date(day) + ONE_DAY, dt.time.min))


def is_overdue(*, due: dt.date, now: dt.datetime | None = None) -> bool:
    """True once the due day has ended."""
    return (now or timezone.now()) >= end_of_day(due)


def _working_seconds(start: dt.datetime, end: dt.datetime) -> float:
    """Time between two moments that falls on working days."""
    if end <= start:
        return 0.0
    calendar = _load()
    start, end = timezone.localtime(start), timezone.localtime(end)
    first, last = start.date(), end.date()
    if first == last:
        return (end - start).total_seconds() if calendar.is_working(first) else 0.0
    seconds = 0.0
    if calendar.is_working(first):
        seconds += (end_of_day(first) - start).total_seconds()
    if calendar.is_working(last):
        seconds += (end - end_of_day(last - ONE_DAY)).total_seconds()
    between = working_days_between(start=first, end=last - ONE_DAY)  # days strictly between
    return seconds + between * SECONDS_PER_DAY


def sla_progress(
    *,
    started_at: dt.datetime,
    due: dt.date,
    now: dt.datetime | None = None,
    working: bool,
) -> float:
    """The share of the period from ``started_at`` to the end of ``due`` already used:
    0.0 at the start, 0.75 at the warning point, 1.0 at the end, above 1 once overdue.

    Counting working days, only time on working days is used: the clock stands still
    over a weekend or holiday, so a period that ends on Thursday passes 1.0 only when
    work resumes on Sunday; ``is_overdue`` tells whether the due day itself has ended."""
    now = now or timezone.now()
    if local_date(started_at) > local_date(due):
        raise ValueError("due must not come before started_at")
    deadline = end_of_day(due)
    if working:
        total = _working_seconds(started_at, deadline)
        if total > 0:
            return _working_seconds(started_at, now) / total
    # Calendar days, or a period with no working time in it at all.
    total = (deadline - started_at).total_seconds()
    return max((now - started_at).total_seconds(), 0.0) / total


def unconfirmed_holidays_within(*, days: int = 60, today: dt.date | None = None) -> QuerySet:
    """Unconfirmed holidays not yet over that begin within ``days`` days, soonest first:
    the ones an administrator must check against the announcement."""
    today = local_date(today) if today else timezone.localdate()
    return Holiday.objects.filter(
        confirmed=False, end__gte=today, start__lte=today + dt.timedelta(days=days)
    ).order_by("start", "pk")


# --- suggesting a year's holidays ----------------------------------------------------


@dataclass(frozen=True)
class _Suggestion:
    kind: str
    name_ar: str
    name_en: str
    start: dt.date
    end: dt.date
    confirmed: bool
    window: tuple[dt.date, dt.date]  # an existing holiday of this kind here: skip


def _hijri_year_span(hijri_year: int) -> tuple[dt.date, dt.date]:
    last_month = Hijri(hijri_year, 12, 1)
    return (
        Hijri(hijri_year, 1, 1).to_gregorian(),
        last_month.to_gregorian() + dt.timedelta(days=last_month.month_length() - 1),
    )


def _fixed_day(day: dt.date, weekend: frozenset[int]) -> tuple[dt.date, dt.date]:
    """The days off for a fixed holiday. Civil-service rule: on the first weekend day
    (Friday) the working day before is off too; on the last (Saturday) the one after."""
    if day.weekday() in weekend:
        if (day - ONE_DAY).weekday() not in weekend:
            return day - ONE_DAY, day
        if (day + ONE_DAY).weekday() not in weekend:
            return day, day + ONE_DAY
    return day, day


def _suggestions(hijri_year: int) -> list[_Suggestion]:
    year_start, year_end = _hijri_year_span(hijri_year)
    fitr = Hijri(hijri_year, RAMADAN, 29).to_gregorian() + ONE_DAY
    adha = Hijri(hijri_year, DHU_AL_HIJJAH, EID_AL_ADHA_FIRST_DAY).to_gregorian()
    suggestions = [
        _Suggestion(
            kind=HolidayKind.EID_AL_FITR,
            name_ar=f"عيد الفطر {hijri_year} هـ",
            name_en=f"Eid al-Fitr {hijri_year} AH",
            start=fitr,
            end=fitr + dt.timedelta(days=EID_AL_FITR_DAYS - 1),
            confirmed=False,
            window=(year_start, year_end),
        ),
        _Suggestion(
            kind=HolidayKind.EID_AL_ADHA,
            name_ar=f"عيد الأضحى {hijri_year} هـ",
            name_en=f"Eid al-Adha {hijri_year} AH",
            start=adha,
            end=adha + dt.timedelta(days=EID_AL_ADHA_DAYS - 1),
            confirmed=False,
            window=(year_start, year_end),
        ),
    ]
    weekend = frozenset(settings.MUSTAFID_WEEKEND)
    for year in range(year_start.year, year_end.year + 1):
        whole_year = (dt.date(year, 1, 1), dt.date(year, 12, 31))
        if year >= FOUNDING_DAY_SINCE:
            start, end = _fixed_day(dt.date(year, *FOUNDING_DAY), weekend)
            suggestions.append(
                _Suggestion(
                    kind=HolidayKind.FOUNDING_DAY,
                    name_ar=f"يوم التأسيس {year}",
                    name_en=f"Founding Day {year}",
                    start=start,
                    end=end,
                    confirmed=True,
                    window=whole_year,
                )
            )
        if year >= NATIONAL_DAY_SINCE:
            start, end = _fixed_day(dt.date(year, *NATIONAL_DAY), weekend)
            suggestions.append(
                _Suggestion(
                    kind=HolidayKind.NATIONAL_DAY,
                    name_ar=f"اليوم الوطني {year}",
                    name_en=f"National Day {year}",
                    start=start,
                    end=end,
                    confirmed=True,
                    window=whole_year,
                )
            )
    return suggestions


@transaction.atomic
def suggest_holidays(*, actor, hijri_year: int) -> list[Holiday]:
    """Add the Hijri year's Eids (unconfirmed, Umm al-Qura projections) and the Founding
    and National Days of the Gregorian years it spans; a holiday of the same kind already
    there (confirmed, adjusted or not) is left alone, so a second run adds nothing."""
    ensure_can(actor, "core.add_holiday")
    if not FIRST_HIJRI_YEAR <= hijri_year <= LAST_HIJRI_YEAR:
        raise HijriYearOutOfRange(year=hijri_year)
    created = []
    for suggestion in _suggestions(hijri_year):
        window_start, window_end = suggestion.window
        if Holiday.objects.filter(
            kind=suggestion.kind, start__lte=window_end, end__gte=window_start
        ).exists():
            continue
        note = (
            ""
            if suggestion.confirmed
            else gettext(
                "Projected from the Umm al-Qura calendar. Adjust to the official "
                "announcement, then tick confirmed."
            )
        )
        holiday = Holiday.objects.create(
            kind=suggestion.kind,
            name_ar=suggestion.name_ar,
            name_en=suggestion.name_en,
            start=suggestion.start,
            end=suggestion.end,
            confirmed=suggestion.confirmed,
            note=note,
        )
        audit.record_create(
            actor=actor, target=holiday, summary=f"Suggested holidays for {hijri_year} AH"
        )
        created.append(holiday)
    return created
