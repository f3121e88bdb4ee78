"""Cleaning a row like a typed form (P-PROC-2): Saudi formats, Hijri or Gregorian dates,
Arabic-Indic digits, four-part names from one column."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mustafid.core.dates import to_hijri
from mustafid.imports.cleaning import CellError, clean_row, parse_birth_date, split_full_name
from mustafid.registry.services import name_key
from mustafid.registry.tests.factories import national_id

TODAY = dt.date(2025, 1, 1)
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1445/08/24", dt.date(2024, 3, 5)),
        ("24/08/1445 هـ", dt.date(2024, 3, 5)),
        ("١٤٤٥/٠٨/٢٤", dt.date(2024, 3, 5)),
        ("1445-8-24", dt.date(2024, 3, 5)),
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("05/03/2024", dt.date(2024, 3, 5)),
        ("٠٥/٠٣/٢٠٢٤م", dt.date(2024, 3, 5)),
        ("2024-03-05 00:00:00", dt.date(2024, 3, 5)),
    ],
)
def test_birth_dates_in_either_calendar_and_any_digits(text, day):
    assert parse_birth_date(text, today=TODAY) == day


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1445/07/30", "hijri_invalid"),  # Rajab 1445 has 29 days (Umm al-Qura)
        ("2023-02-29", "date_invalid"),
        ("2030-01-01", "date_future"),
        ("yesterday", "date_format"),
        ("12/03/85", "date_format"),
        ("1850-01-01", "date_format"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(text, code):
    with pytest.raises(CellError) as refused:
        parse_birth_date(text, today=TODAY)
    assert refused.value.code == code


@given(st.dates(min_value=dt.date(1937, 3, 14), max_value=TODAY))
def test_any_day_written_as_hijri_in_arabic_digits_reads_back(day):
    hijri = to_hijri(day)
    text = f"{hijri.year}/{hijri.month:02d}/{hijri.day:02d}".translate(ARABIC_DIGITS)
    assert parse_birth_date(text, today=TODAY) == day


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("محمد عبدالله سعد العتيبي", ["محمد", "عبدالله", "سعد", "العتيبي"]),
        ("محمد بن عبدالله بن سعد العتيبي", ["محمد", "عبدالله", "سعد", "العتيبي"]),
        ("نورة بنت فهد القحطاني", ["نورة", "فهد", "", "القحطاني"]),
        ("عبد الله محمد عبد الرحمن آل سعود", ["عبد الله", "محمد", "عبد الرحمن", "آل سعود"]),
        ("محمد عبدالله سعد بن لادن", ["محمد", "عبدالله", "سعد", "بن لادن"]),
        ("محمد عبدالله سعد آل الشيخ", ["محمد", "عبدالله", "سعد", "آل الشيخ"]),
        ("  محمدـ   عبدالله سعد  ", ["محمد", "عبدالله", "", "سعد"]),
    ],
)
def test_a_full_name_is_split_into_four_parts(full, parts):
    assert list(split_full_name(full).values()) == parts


def test_a_name_of_two_words_is_too_short():
    with pytest.raises(CellError):
        split_full_name("محمد العتيبي")


def row(**cells):
    base = {
        "national_id": national_id(1).translate(ARABIC_DIGITS),
        "full_name": "هند بنت سعود فهد الشهري",
        "sex": "انثى",
        "birth_date": "١٤٠٥/٠٧/٢١",
        "mobile": "٠٥٥ ١٢٣ ٤٥٦٧",
        "relation": "ربة الأسرة",
    }
    return clean_row(base | cells, today=TODAY, default_city="الرياض")


def test_a_row_is_cleaned_like_the_registration_form():
    data, problems = row()
    assert problems == []
    assert data["national_id"] == national_id(1) and data["mobile"] == "+966551234567"
    assert (data["sex"], data["relation"], data["city"]) == ("female", "head", "الرياض")
    assert data["name_key"] == name_key(
        first_name="هند", father_name="سعود", grandfather_name="فهد", family_name="الشهري"
    )


def test_every_problem_of_a_row_is_reported_at_once():
    _data, problems = row(national_id="12345", sex="؟", mobile="0521234567", birth_date="x")
    assert [(field, code) for _level, field, code, _params in problems] == [
        ("national_id", "id_wrong_length"),
        ("sex", "sex_unknown"),
        ("birth_date", "date_format"),
        ("mobile", "mobile_invalid"),
    ]


def test_a_name_in_latin_letters_is_refused_in_an_arabic_name_column():
    _data, problems = row(full_name="Mohammed Abdullah Saad")
    assert {code for _level, _field, code, _params in problems} == {"name_not_arabic"}


def test_the_sex_of_a_son_or_daughter_follows_the_relation():
    assert row(sex="", relation="ابن")[0]["sex"] == "male"
    assert row(sex="", relation="بنت")[0]["sex"] == "female"
    assert row(sex="", relation="زوجة")[1][0][2] == "required"
