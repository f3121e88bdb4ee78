"""Recognising Arabic and English headers, and the rules of a mapping."""

import pytest

from mustafid.imports.fields import auto_map, guess_field, mapping_problems


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("رقم الهوية", "national_id"),
        ("رقم الهويه", "national_id"),
        ("رقم الهوية (10 أرقام)", "national_id"),
        ("السجل المدني", "national_id"),
        ("الاسم الأول", "first_name"),
        ("الاسم الاول", "first_name"),
        ("اسم الأب", "father_name"),
        ("اسم الجد", "grandfather_name"),
        ("اسم العائلة", "family_name"),
        ("الاسم الرباعي", "full_name"),
        ("الجوال", "mobile"),
        ("رقم الجوال*", "mobile"),
        ("تاريخ الميلاد", "birth_date"),
        ("تاريخ الميلاد (هجري)", "birth_date"),
        ("الجنس", "sex"),
        ("المدينة", "city"),
        ("الحي", "district"),
        ("صلة القرابة", "relation"),
        ("رقم الأسرة", "household"),
        ("National ID", "national_id"),
        ("First Name", "first_name"),
        ("Date of Birth", "birth_date"),
        ("Mobile", "mobile"),
        ("ملاحظات", ""),
    ],
)
def test_headers_are_recognised_in_arabic_and_english(header, field):
    assert guess_field(header) == field


def test_each_field_is_proposed_for_the_first_column_naming_it():
    assert auto_map(["الجوال", "رقم الجوال", "الاسم"]) == {"0": "mobile", "2": "full_name"}


def test_a_mapping_needs_the_names():
    assert mapping_problems({"0": "national_id"}, columns=1)
    assert not mapping_problems({"0": "full_name"}, columns=1)
    assert not mapping_problems(
        {"0": "first_name", "1": "father_name", "2": "family_name"}, columns=3
    )


def test_a_mapping_cannot_take_the_full_name_and_its_parts():
    problems = mapping_problems(
        {"0": "full_name", "1": "first_name", "2": "father_name", "3": "family_name"}, columns=4
    )
    assert [column for column, _message in problems] == [None]


def test_a_field_fed_by_two_columns_is_refused_on_the_second():
    problems = mapping_problems({"0": "full_name", "1": "mobile", "2": "mobile"}, columns=3)
    assert [column for column, _message in problems] == ["2"]


def test_an_unknown_field_or_column_is_refused():
    assert mapping_problems({"0": "full_name", "1": "salary"}, columns=2)
    assert mapping_problems({"0": "full_name", "7": "mobile"}, columns=2)
