"""The working-day calendar (issue 5 item 7): expected answer dates and SLA timers.

P-PROC-5: the applicant is told when to expect the committee's answer; P-GOAL: fast
service, measured against deadlines that skip the weekend and official holidays.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from hijridate import Hijri
from hypothesis import given
from hypothesis import strategies as st

from mustafid.core import workdays
from mustafid.core.actors import SYSTEM
from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry, Holiday, HolidayKind
from mustafid.core.workdays import (
    HijriYearOutOfRange,
    add_calendar_days,
    add_working_days,
    due_date,
    is_overdue,
    is_working_day,
    sla_progress,
    suggest_holidays,
    unconfirmed_holidays_within,
    working_days_between,
)

pytestmark = pytest.mark.django_db

D = dt.date
THURSDAY, FRIDAY, SATURDAY, SUNDAY = D(2025, 1, 2), D(2025, 1, 3), D(2025, 1, 4), D(2025, 1, 5)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test's rows are rolled back without a signal: start and end with no cache."""
    workdays.forget_holidays()
    yield
    workdays.forget_holidays()


def holiday(start: dt.date, end: dt.date | None = None, **fields) -> Holiday:
    fields.setdefault("name_ar", "إجازة")
    fields.setdefault("name_en", "Holiday")
    return Holiday.objects.create(start=start, end=end or start, **fields)


def at(day: dt.date, hour: int = 0) -> dt.datetime:
    """``hour`` o'clock on ``day`` in Riyadh."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# --- the weekend and holidays -------------------------------------------------------


def test_friday_and_saturday_are_the_weekend():
    assert is_working_day(THURSDAY) and is_working_day(SUNDAY)
    assert not is_working_day(FRIDAY) and not is_working_day(SATURDAY)


def test_one_working_day_after_thursday_is_sunday():
    assert add_working_days(start=THURSDAY, days=1) == SUNDAY


def test_every_day_of_a_holiday_is_off():
    holiday(D(2025, 1, 6), D(2025, 1, 7))  # Monday and Tuesday
    assert not is_working_day(D(2025, 1, 6)) and not is_working_day(D(2025, 1, 7))
    assert add_working_days(start=SUNDAY, days=1) == D(2025, 1, 8)


def test_overlapping_holidays_count_each_day_once():
    holiday(D(2025, 1, 6), D(2025, 1, 8))  # Monday to Wednesday
    holiday(D(2025, 1, 7), D(2025, 1, 9))  # Tuesday to Thursday
    assert working_days_between(start=SUNDAY, end=D(2025, 1, 12)) == 1  # only Sunday 12th
    assert add_working_days(start=SUNDAY, days=1) == D(2025, 1, 12)


def test_an_unconfirmed_holiday_is_off_until_an_administrator_corrects_it():
    holiday(D(2025, 1, 6), confirmed=False)
    assert not is_working_day(D(2025, 1, 6))


def test_zero_days_from_a_working_day_is_that_day():
    assert add_working_days(start=THURSDAY, days=0) == THURSDAY


def test_zero_days_from_the_weekend_or_a_holiday_is_the_next_working_day():
    holiday(SUNDAY)
    assert add_working_days(start=FRIDAY, days=0) == D(2025, 1, 6)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(start=THURSDAY, days=-1)
    with pytest.raises(ValueError):
        add_calendar_days(start=THURSDAY, days=-1)


def test_fourteen_working_days_run_past_eid_al_fitr():
    """P-PROC-5: the expected answer date moves by the Eid days that fall on working days."""
    start = D(2026, 3, 15)  # Sunday
    assert due_date(start=start, days=14, working=True) == D(2026, 4, 2)
    holiday(D(2026, 3, 19), D(2026, 3, 22), kind=HolidayKind.EID_AL_FITR)  # Thu to Sun
    assert due_date(start=start, days=14, working=True) == D(2026, 4, 6)


def test_calendar_days_ignore_the_weekend_and_holidays():
    holiday(D(2025, 1, 6), D(2025, 1, 9))
    assert due_date(start=THURSDAY, days=14, working=False) == D(2025, 1, 16)
    assert due_date(start=THURSDAY, days=14, working=True) == D(2025, 1, 28)


def test_an_aware_datetime_counts_as_its_riyadh_day():
    thursday_late_utc = dt.datetime(2025, 1, 2, 21, 30, tzinfo=dt.UTC)  # 00:30 Friday, Riyadh
    assert not is_working_day(thursday_late_utc)
    assert add_working_days(start=thursday_late_utc, days=0) == SUNDAY


# --- time left ------------------------------------------------------------------------


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(start=SUNDAY, end=SUNDAY) == 0
    assert working_days_between(start=THURSDAY, end=SUNDAY) == 1
    assert working_days_between(start=SUNDAY, end=D(2025, 1, 12)) == 5
    assert working_days_between(start=SUNDAY, end=D(2025, 3, 2)) == 40  # eight weeks


def test_working_days_between_skips_holidays():
    holiday(D(2025, 1, 6), D(2025, 1, 7))
    holiday(FRIDAY)  # a holiday on the weekend changes nothing
    assert working_days_between(start=THURSDAY, end=D(2025, 1, 12)) == 4


def test_time_left_is_negative_once_the_due_day_has_passed():
    assert working_days_between(start=D(2025, 1, 12), end=THURSDAY) == -6


# --- SLA progress ---------------------------------------------------------------------


def test_progress_is_zero_at_the_start():
    started = at(SUNDAY, 0)
    assert sla_progress(started_at=started, due=D(2025, 1, 8), now=started, working=True) == 0


def test_three_of_four_working_days_used_is_the_75_percent_warning():
    # Sunday 00:00 to the end of Wednesday: four working days; Wednesday 00:00 is 3/4.
    progress = sla_progress(
        started_at=at(SUNDAY), due=D(2025, 1, 8), now=at(D(2025, 1, 8)), working=True
    )
    assert progress == pytest.approx(0.75)


def test_the_weekend_does_not_use_working_time():
    # Started Thursday 12:00, due Sunday: 12 h Thursday + 24 h Sunday; Saturday still 1/3.
    started = at(THURSDAY, 12)
    progress = sla_progress(started_at=started, due=SUNDAY, now=at(SATURDAY, 18), working=True)
    assert progress == pytest.approx(1 / 3)


def test_progress_passes_one_when_the_due_day_is_over():
    progress = sla_progress(
        started_at=at(SUNDAY), due=D(2025, 1, 8), now=at(D(2025, 1, 9), 12), working=True
    )
    assert progress == pytest.approx(1.125)
    assert is_overdue(due=D(2025, 1, 8), now=at(D(2025, 1, 9)))
    assert not is_overdue(due=D(2025, 1, 8), now=at(D(2025, 1, 8), 23))


def test_calendar_progress_counts_every_hour():
    progress = sla_progress(started_at=at(THURSDAY), due=FRIDAY, now=at(FRIDAY, 12), working=False)
    assert progress == pytest.approx(0.75)


def test_progress_uses_the_clock_when_no_now_is_given():
    with freeze_time(at(D(2025, 1, 8))):
        progress = sla_progress(started_at=at(SUNDAY), due=D(2025, 1, 8), working=True)
    assert progress == pytest.approx(0.75)


def test_a_due_day_before_the_start_is_a_programming_error():
    with pytest.raises(ValueError):
        sla_progress(started_at=at(SUNDAY), due=THURSDAY, working=True)


# --- cache ----------------------------------------------------------------------------


def test_the_holidays_are_read_once_whatever_the_span(django_assert_num_queries):
    holiday(D(2025, 3, 30), D(2025, 4, 2))
    with django_assert_num_queries(1):
        add_working_days(start=THURSDAY, days=250)
        working_days_between(start=THURSDAY, end=D(2026, 1, 1))
    with django_assert_num_queries(0):
        add_working_days(start=THURSDAY, days=250)


def test_a_new_holiday_counts_at_once():
    assert is_working_day(D(2025, 1, 6))
    added = holiday(D(2025, 1, 6))
    assert not is_working_day(D(2025, 1, 6))
    added.end = D(2025, 1, 7)
    added.save()
    assert not is_working_day(D(2025, 1, 7))
    added.delete()
    assert is_working_day(D(2025, 1, 6))


# --- the Holiday record ---------------------------------------------------------------


def test_a_holiday_cannot_end_before_it_starts():
    with pytest.raises(ValidationError) as raised:
        Holiday(name_ar="إجازة", name_en="Holiday", start=SUNDAY, end=THURSDAY).full_clean()
    assert "end" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        holiday(SUNDAY, THURSDAY)


def test_the_administrator_adds_a_holiday_in_the_admin_and_it_is_audited(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:core_holiday_add"),
        {
            "name_ar": "إجازة مطر",
            "name_en": "Rain day",
            "kind": HolidayKind.OTHER,
            "start": "2025-01-06",
            "end": "2025-01-06",
            "note": "",
        },
    )
    assert response.status_code == 302
    added = Holiday.objects.get()
    assert AuditEntry.objects.for_object(added).get().actor == sysadmin
    assert not is_working_day(D(2025, 1, 6))


def test_the_admin_shows_an_end_before_the_start_on_the_field(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:core_holiday_add"),
        {
            "name_ar": "إجازة",
            "name_en": "Holiday",
            "kind": "other",
            "start": "2025-01-06",
            "end": "2025-01-05",
        },
    )
    assert response.status_code == 200
    assert "end" in response.context["adminform"].form.errors
    assert not Holiday.objects.exists()


def test_the_holiday_list_opens_for_the_administrator(client, sysadmin):
    suggest_holidays(actor=SYSTEM, hijri_year=1447)
    client.force_login(sysadmin)
    assert client.get(reverse("admin:core_holiday_changelist")).status_code == 200


def test_a_branch_manager_reads_holidays_but_cannot_change_them(manager):
    assert manager.has_perm("core.view_holiday")
    assert not manager.has_perm("core.add_holiday")
    assert not manager.has_perm("core.change_holiday")


def test_unconfirmed_holidays_in_the_next_sixty_days_are_listed():
    soon = holiday(D(2025, 2, 20), D(2025, 2, 23), confirmed=False)
    holiday(D(2025, 2, 1), confirmed=True)
    holiday(D(2025, 6, 1), confirmed=False)  # too far
    holiday(D(2024, 12, 1), confirmed=False)  # over
    assert list(unconfirmed_holidays_within(days=60, today=THURSDAY)) == [soon]
    with freeze_time("2025-01-02 12:00"):
        assert list(unconfirmed_holidays_within()) == [soon]


# --- suggesting a year's holidays -----------------------------------------------------


def _one(kind: str) -> Holiday:
    return Holiday.objects.get(kind=kind)


def test_eid_al_fitr_1447_starts_the_day_after_29_ramadan_and_includes_1_shawwal(sysadmin):
    suggest_holidays(actor=sysadmin, hijri_year=1447)
    fitr = _one(HolidayKind.EID_AL_FITR)
    assert fitr.start == Hijri(1447, 9, 29).to_gregorian() + dt.timedelta(days=1)
    assert fitr.start <= Hijri(1447, 10, 1).to_gregorian() <= fitr.end
    assert fitr.days == workdays.EID_AL_FITR_DAYS
    assert not fitr.confirmed and fitr.note


def test_eid_al_adha_1447_runs_from_arafah_over_10_dhu_al_hijjah(sysadmin):
    suggest_holidays(actor=sysadmin, hijri_year=1447)
    adha = _one(HolidayKind.EID_AL_ADHA)
    sacrifice = Hijri(1447, 12, 10).to_gregorian()
    assert adha.start == sacrifice - dt.timedelta(days=1)
    assert adha.days == workdays.EID_AL_ADHA_DAYS
    assert not adha.confirmed


def test_fixed_days_of_the_gregorian_years_the_hijri_year_spans_are_confirmed(sysadmin):
    # 1447 AH runs from 26 June 2025 to 15 June 2026.
    suggest_holidays(actor=sysadmin, hijri_year=1447)
    fixed = Holiday.objects.filter(
        kind__in=[HolidayKind.FOUNDING_DAY, HolidayKind.NATIONAL_DAY]
    ).values_list("kind", "start", "end", "confirmed")
    assert set(fixed) == {
        # Saturday 22 February 2025: the following Sunday is off too.
        (HolidayKind.FOUNDING_DAY, D(2025, 2, 22), D(2025, 2, 23), True),
        (HolidayKind.NATIONAL_DAY, D(2025, 9, 23), D(2025, 9, 23), True),
        (HolidayKind.FOUNDING_DAY, D(2026, 2, 22), D(2026, 2, 22), True),
        (HolidayKind.NATIONAL_DAY, D(2026, 9, 23), D(2026, 9, 23), True),
    }


def test_a_fixed_day_on_friday_gives_the_thursday_before(sysadmin):
    suggest_holidays(actor=sysadmin, hijri_year=1451)  # spans 22 February 2030, a Friday
    founding = Holiday.objects.get(kind=HolidayKind.FOUNDING_DAY, start__year=2030)
    assert (founding.start, founding.end) == (D(2030, 2, 21), D(2030, 2, 22))


def test_each_suggested_holiday_is_audited(sysadmin):
    created = suggest_holidays(actor=sysadmin, hijri_year=1447)
    assert len(created) == 6
    for added in created:
        entry = AuditEntry.objects.for_object(added).get()
        assert (entry.action, entry.actor) == (AuditAction.CREATE, sysadmin)


def test_suggesting_twice_adds_nothing(sysadmin):
    suggest_holidays(actor=sysadmin, hijri_year=1447)
    entries = AuditEntry.objects.count()
    assert suggest_holidays(actor=sysadmin, hijri_year=1447) == []
    assert Holiday.objects.count() == 6
    assert AuditEntry.objects.count() == entries


def test_neighbouring_years_share_their_fixed_days(sysadmin):
    suggest_holidays(actor=sysadmin, hijri_year=1447)
    suggest_holidays(actor=sysadmin, hijri_year=1448)  # 2026 again, and 2027
    assert Holiday.objects.filter(kind=HolidayKind.NATIONAL_DAY, start__year=2026).count() == 1


def test_a_confirmed_eid_is_never_touched(sysadmin):
    announced = holiday(
        D(2026, 3, 20), D(2026, 3, 24), kind=HolidayKind.EID_AL_FITR, confirmed=True
    )
    suggest_holidays(actor=sysadmin, hijri_year=1447)
    assert list(Holiday.objects.filter(kind=HolidayKind.EID_AL_FITR)) == [announced]
    announced.refresh_from_db()
    assert (announced.start, announced.end) == (D(2026, 3, 20), D(2026, 3, 24))
    assert not AuditEntry.objects.for_object(announced).exists()


def test_an_adjusted_suggestion_is_kept_on_a_second_run(sysadmin):
    suggest_holidays(actor=sysadmin, hijri_year=1447)
    adha = _one(HolidayKind.EID_AL_ADHA)
    adha.end += dt.timedelta(days=2)
    adha.save()
    suggest_holidays(actor=sysadmin, hijri_year=1447)
    assert _one(HolidayKind.EID_AL_ADHA).end == adha.end


@pytest.mark.parametrize("role", ["officer", "manager", "quality_officer"])
def test_only_an_administrator_may_suggest_holidays(request, role):
    with pytest.raises(PermissionDenied):
        suggest_holidays(actor=request.getfixturevalue(role), hijri_year=1447)
    assert not Holiday.objects.exists()


def test_a_year_outside_umm_al_qura_is_refused(sysadmin):
    with pytest.raises(HijriYearOutOfRange):
        suggest_holidays(actor=sysadmin, hijri_year=1501)


def test_the_command_adds_the_year_once_as_the_system(capsys):
    call_command("holidays_suggest", "--year", "1447")
    assert "Added 6 holidays for 1447 AH, 2 to confirm" in capsys.readouterr().out
    entry = AuditEntry.objects.for_object(_one(HolidayKind.EID_AL_FITR)).get()
    assert (entry.actor, entry.actor_label) == (None, "system")
    call_command("holidays_suggest", "--year", "1447")
    assert "Added 0 holidays" in capsys.readouterr().out
    assert Holiday.objects.count() == 6


def test_the_command_reports_a_bad_year():
    with pytest.raises(CommandError):
        call_command("holidays_suggest", "--year", "99")


# --- properties -----------------------------------------------------------------------


def test_adding_working_days_lands_on_a_working_day_that_many_days_on():
    for hijri_year in (1446, 1447, 1448):
        suggest_holidays(actor=SYSTEM, hijri_year=hijri_year)
    holiday(D(2025, 12, 1), D(2025, 12, 10))
    holiday(D(2025, 12, 8), D(2025, 12, 14))

    @given(
        start=st.dates(min_value=D(2024, 10, 1), max_value=D(2027, 6, 30)),
        days=st.integers(min_value=1, max_value=300),
    )
    def check(start, days):
        result = add_working_days(start=start, days=days)
        assert is_working_day(result)
        assert working_days_between(start=start, end=result) == days
        assert working_days_between(start=result, end=start) == -days

    check()
