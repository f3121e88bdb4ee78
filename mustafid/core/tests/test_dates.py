"""Dual Hijri + Gregorian display (issue 3 item 5; Bureau of Experts: Hijri first)."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from mustafid.core import dates


def test_policy_approval_day_reads_hijri_then_gregorian_in_arabic():
    with translation.override("ar"):
        assert dates.format_dual(dt.date(2024, 3, 5)) == "24 شعبان 1445 هـ — 5 مارس 2024"


def test_the_same_day_in_english():
    with translation.override("en"):
        assert dates.format_dual(dt.date(2024, 3, 5)) == "24 Sha'ban 1445 AH — 5 March 2024"


def test_arabic_indic_digits_when_configured(settings):
    settings.MUSTAFID_DIGITS = "arabic"
    with translation.override("ar"):
        assert dates.format_dual(dt.date(2024, 3, 5)) == "٢٤ شعبان ١٤٤٥ هـ — ٥ مارس ٢٠٢٤"


def test_a_date_outside_umm_al_qura_shows_gregorian_only():
    with translation.override("en"):
        assert dates.format_dual(dt.date(1900, 1, 1)) == "1 January 1900"


def test_an_aware_datetime_is_shown_on_its_riyadh_day():
    late_utc = dt.datetime(2024, 3, 4, 22, 30, tzinfo=dt.UTC)  # 01:30 on 5 March in Riyadh
    with translation.override("ar"):
        assert dates.format_dual(late_utc).startswith("24 شعبان 1445")


def test_the_template_filter_renders_both_calendars():
    with translation.override("ar"):
        html = Template("{% load hijri %}{{ day|dual_date }}").render(
            Context({"day": dt.date(2024, 3, 5)})
        )
    assert html == "24 شعبان 1445 هـ — 5 مارس 2024"


def test_no_date_renders_nothing():
    assert Template("{% load hijri %}{{ day|dual_date }}").render(Context({"day": None})) == ""


def test_hijri_input_converts_to_the_stored_gregorian_day():
    assert dates.hijri_to_gregorian(1445, 8, 24) == dt.date(2024, 3, 5)


def test_a_hijri_day_the_month_lacks_is_refused():
    with pytest.raises(ValueError):
        dates.hijri_to_gregorian(1445, 8, 30)  # Sha'ban 1445 has 29 days


@given(st.dates(min_value=dt.date(1924, 8, 1), max_value=dt.date(2077, 11, 16)))
def test_every_day_in_range_survives_the_round_trip_through_hijri(day):
    hijri = dates.to_hijri(day)
    assert dates.hijri_to_gregorian(hijri.year, hijri.month, hijri.day) == day
