"""Form fields for Saudi formats and Arabic-Indic digits in numeric fields (saudi.md §5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.http import QueryDict

from mustafid.core.forms import (
    AdditionalNumberField,
    ArabicNameField,
    BuildingNumberField,
    Form,
    LatinNameField,
    ModelForm,
    NationalIdField,
    PostalCodeField,
    SaudiIbanField,
    SaudiMobileField,
    ShortAddressField,
    TelInput,
)
from mustafid.core.models import Bank


class AidForm(Form):
    children = forms.IntegerField()
    amount = forms.DecimalField(decimal_places=2)
    visit_day = forms.DateField()
    summary = forms.CharField()


class PersonForm(Form):
    national_id = NationalIdField()
    mobile = SaudiMobileField()
    iban = SaudiIbanField(required=False)
    short_address = ShortAddressField(required=False)
    building_number = BuildingNumberField(required=False)
    additional_number = AdditionalNumberField(required=False)
    postal_code = PostalCodeField(required=False)
    name_ar = ArabicNameField()
    name_en = LatinNameField(required=False)


class NumbersField(forms.TypedMultipleChoiceField):
    arabic_digits = True


class ChoicesForm(Form):
    numbers = NumbersField(choices=[("1", "1"), ("2", "2"), ("3", "3")], coerce=int)
    notes = forms.MultipleChoiceField(choices=[("٣", "٣"), ("3", "3")])


class AppointmentForm(Form):
    starts_at = forms.SplitDateTimeField()


class BankForm(ModelForm):
    branches = forms.IntegerField()

    class Meta:
        model = Bank
        fields = ["code", "name_ar", "name_en"]


def querydict(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    data._mutable = False
    return data


def test_numeric_fields_accept_arabic_indic_digits_while_text_keeps_them():
    form = AidForm(
        {
            "children": "٣",
            "amount": "١٢٥٠٫٥٠",
            "visit_day": "٢٠٢٤-٠٣-٠٥",
            "summary": "أسرة من ٣ أفراد",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "children": 3,
        "amount": Decimal("1250.50"),
        "visit_day": dt.date(2024, 3, 5),
        "summary": "أسرة من ٣ أفراد",
    }


def test_numeric_fields_accept_persian_digits():
    form = AidForm({"children": "۴", "amount": "۱۰", "visit_day": "2024-03-05", "summary": "x"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["children"] == 4


def test_the_arabic_thousands_separator_and_direction_marks_are_dropped_in_numbers():
    form = AidForm(
        {"children": "\u200f٣", "amount": "١٬٢٥٠", "visit_day": "2024-03-05", "summary": "x"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("1250")


def test_a_prefixed_form_translates_its_own_fields():
    form = AidForm(
        {"aid-children": "٢", "aid-amount": "٥", "aid-visit_day": "2024-03-05", "aid-summary": "٣"},
        prefix="aid",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["children"] == 2
    assert form.cleaned_data["summary"] == "٣"


def test_submitted_querydict_values_are_translated_but_the_callers_data_is_untouched():
    data = querydict(children="٣", amount="٥", visit_day="2024-03-05", summary="٣")
    form = AidForm(data)
    assert form.is_valid(), form.errors
    assert data["children"] == "٣"


def test_every_value_of_a_multi_valued_numeric_field_is_translated():
    form = ChoicesForm(querydict(numbers=["١", "٣"], notes=["٣", "3"]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"numbers": [1, 3], "notes": ["٣", "3"]}


def test_a_split_date_and_time_accepts_arabic_indic_digits_in_both_parts():
    form = AppointmentForm({"starts_at_0": "٢٠٢٤-٠٣-٠٥", "starts_at_1": "١٠:٣٠"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"].date() == dt.date(2024, 3, 5)
    assert form.cleaned_data["starts_at"].time() == dt.time(10, 30)


def test_an_invalid_form_shows_the_number_in_ascii_digits():
    form = AidForm({"children": "٣", "amount": "abc", "visit_day": "", "summary": ""})
    assert not form.is_valid()
    assert 'value="3"' in str(form["children"])


@pytest.mark.django_db
def test_a_model_form_translates_numeric_fields_but_not_its_text_fields():
    form = BankForm({"code": "99", "name_ar": "بنك ٣", "name_en": "Bank 3", "branches": "١٢"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["branches"] == 12
    assert form.cleaned_data["name_ar"] == "بنك ٣"


def test_saudi_fields_clean_to_their_stored_forms():
    form = PersonForm(
        {
            "national_id": "١٠٠٠ ٠٠٠ ٠٠٨",
            "mobile": "٠٥٠ ١٢٣ ٤٥٦٧",
            "iban": "sa03 8000 0000 6080 1016 7519",
            "short_address": "ecab ٢٨٢٣",
            "building_number": "٧٢٣٥",
            "additional_number": "2121",
            "postal_code": "١٢٦٤٣",
            "name_ar": " مُحَمَّد  الـعلي ",
            "name_en": " Mohammed  Al-Ali ",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "national_id": "1000000008",
        "mobile": "+966501234567",
        "iban": "SA0380000000608010167519",
        "short_address": "ECAB2823",
        "building_number": "7235",
        "additional_number": "2121",
        "postal_code": "12643",
        "name_ar": "مُحَمَّد العلي",
        "name_en": "Mohammed Al-Ali",
    }


def test_a_saudi_field_reports_the_validators_error_code():
    form = PersonForm({"national_id": "1000000000", "mobile": "0112345678", "name_ar": "محمد 2"})
    assert not form.is_valid()
    codes = {
        name: [error.code for error in errors] for name, errors in form.errors.as_data().items()
    }
    assert codes == {
        "national_id": ["id_bad_check_digit"],
        "mobile": ["mobile_not_mobile"],
        "name_ar": ["name_has_digits"],
    }


def test_a_required_saudi_field_left_empty_is_required_not_malformed():
    form = PersonForm({"national_id": "", "mobile": "0501234567", "name_ar": "محمد"})
    assert not form.is_valid()
    assert form.errors.as_data()["national_id"][0].code == "required"


def test_an_optional_saudi_field_left_empty_cleans_to_an_empty_string():
    form = PersonForm({"national_id": "1000000008", "mobile": "0501234567", "name_ar": "محمد"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["iban"] == ""


def test_an_arabic_name_field_does_not_turn_digits_into_a_valid_name():
    form = PersonForm({"national_id": "1000000008", "mobile": "0501234567", "name_ar": "محمد ٣"})
    assert form.errors.as_data()["name_ar"][0].code == "name_has_digits"


def test_the_national_id_input_is_left_to_right_with_a_numeric_keypad():
    html = str(PersonForm()["national_id"])
    assert 'dir="ltr"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="off"' in html


def test_the_mobile_input_is_a_telephone_input():
    html = str(PersonForm()["mobile"])
    assert 'type="tel"' in html
    assert 'autocomplete="tel"' in html


def test_the_arabic_name_input_is_right_to_left():
    assert 'dir="rtl"' in str(PersonForm()["name_ar"])


def test_attributes_the_caller_sets_win_over_the_defaults():
    field = SaudiMobileField(widget=TelInput(attrs={"autocomplete": "off"}))
    assert field.widget.attrs["autocomplete"] == "off"
    assert field.widget.attrs["dir"] == "ltr"


def test_a_stored_iban_is_shown_in_groups_of_four():
    form = PersonForm(initial={"iban": "SA0380000000608010167519"})
    assert 'value="SA03 8000 0000 6080 1016 7519"' in str(form["iban"])


def test_a_stored_mobile_is_shown_as_saudis_write_it():
    form = PersonForm(initial={"mobile": "+966501234567"})
    assert 'value="050 123 4567"' in str(form["mobile"])


def test_a_stored_value_shown_in_another_format_is_not_a_change():
    form = PersonForm(
        {
            "national_id": "1000000008",
            "mobile": "050 123 4567",
            "iban": "SA03 8000 0000 6080 1016 7519",
            "name_ar": "محمد",
        },
        initial={
            "national_id": "1000000008",
            "mobile": "+966501234567",
            "iban": "SA0380000000608010167519",
            "name_ar": "محمد",
        },
    )
    assert form.changed_data == []
