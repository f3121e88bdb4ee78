"""Saudi formats verified at submission (P-PROC-2; shared/reference/saudi.md §1-§4)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import given, settings
from hypothesis import strategies as st
from schwifty import IBAN

from mustafid.core import validators as v

TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
BANK_CODES = ["05", "10", "15", "20", "30", "40", "45", "50", "55", "60", "65", "71", "75"]
BANK_CODES += ["76", "80", "81", "82", "84", "85", "86", "90", "95"]

# The mobile ranges of phonenumbers' SA metadata: 5 then [013-689]x or 7[0-8], or 579[0-8].
saudi_mobiles = st.from_regex(
    r"05(?:[013-689][0-9]{7}|7[0-8][0-9]{6}|79[0-8][0-9]{5})", fullmatch=True
)
id_prefixes = st.from_regex(r"[12][0-9]{8}", fullmatch=True)
saudi_ibans = st.builds(
    lambda bank, account: IBAN.generate("SA", bank_code=bank, account_code=account).compact,
    st.sampled_from(BANK_CODES),
    st.from_regex(r"[0-9A-Z]{18}", fullmatch=True),
)


def refusal(normalise, value) -> ValidationError:
    """The single error a normaliser raises for ``value``."""
    with pytest.raises(ValidationError) as caught:
        normalise(value)
    [error] = caught.value.error_list
    return error


# National ID and iqama ---------------------------------------------------------------


@pytest.mark.parametrize("number", ["1000000008", "1123456780", "2123456788"])
def test_the_reference_national_ids_are_accepted(number):
    assert v.normalise_national_id(number) == number


@pytest.mark.parametrize("number", ["1000000000", "1012345678", "2123456789"])
def test_a_national_id_with_a_wrong_check_digit_is_refused(number):
    assert refusal(v.normalise_national_id, number).code == "id_bad_check_digit"


def test_a_national_id_in_arabic_indic_digits_with_spaces_is_accepted():
    assert v.normalise_national_id(" ١٠٠٠ ٠٠٠ ٠٠٨ ") == "1000000008"


def test_a_national_id_in_persian_digits_is_accepted():
    assert v.normalise_national_id("۲۱۲۳۴۵۶۷۸۸") == "2123456788"


def test_a_national_id_with_letters_is_refused():
    assert refusal(v.normalise_national_id, "10000O0008").code == "id_not_digits"


def test_a_national_id_of_nine_digits_is_refused_with_its_length():
    error = refusal(v.normalise_national_id, "100000000")
    assert error.code == "id_wrong_length"
    assert error.params == {"count": 9}


def test_a_national_id_starting_with_3_is_refused():
    assert refusal(v.normalise_national_id, "3000000004").code == "id_wrong_first_digit"


def test_an_empty_national_id_is_refused():
    assert refusal(v.normalise_national_id, "").code == "id_wrong_length"


@translation.override("en")
def test_the_length_message_agrees_with_the_count():
    assert refusal(v.normalise_national_id, "1").messages == [
        "A national ID or iqama number has 10 digits; this one has 1 digit."
    ]


def test_a_national_id_starting_with_1_is_a_citizens():
    assert v.national_id_type("1123456780") == "citizen"


def test_an_iqama_number_starting_with_2_is_a_residents():
    assert v.national_id_type("٢١٢٣٤٥٦٧٨٨") == "resident"


def test_the_check_digit_completes_the_reference_ids():
    assert v.national_id_check_digit("112345678") == "0"
    assert v.national_id_check_digit("212345678") == "8"


def test_the_check_digit_needs_nine_ascii_digits():
    with pytest.raises(ValueError):
        v.national_id_check_digit("١١٢٣٤٥٦٧٨")


@given(id_prefixes)
def test_every_prefix_with_its_check_digit_is_a_valid_id(first9):
    number = first9 + v.national_id_check_digit(first9)
    assert v.normalise_national_id(number) == number


@given(id_prefixes, st.sampled_from("0123456789"))
def test_any_other_last_digit_is_refused(first9, last):
    if last == v.national_id_check_digit(first9):
        return
    assert refusal(v.normalise_national_id, first9 + last).code == "id_bad_check_digit"


@given(id_prefixes)
def test_an_id_in_arabic_indic_digits_normalises_like_ascii(first9):
    number = first9 + v.national_id_check_digit(first9)
    assert v.normalise_national_id(number.translate(TO_ARABIC_INDIC)) == number


# Mobile numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "0501234567",
        "501234567",
        "+966501234567",
        "00966501234567",
        "966501234567",
        "+966 50 123 4567",
        "٠٥٠١٢٣٤٥٦٧",
        "۰۵۰۱۲۳۴۵۶۷",
        "050-123-4567",
    ],
)
def test_every_common_form_of_a_mobile_number_becomes_e164(typed):
    assert v.normalise_mobile(typed) == "+966501234567"


@pytest.mark.parametrize("typed", ["0521234567", "0579912345", "05012345", "12345", ""])
def test_a_number_outside_the_saudi_mobile_ranges_is_refused(typed):
    assert refusal(v.normalise_mobile, typed).code == "mobile_invalid"


@pytest.mark.parametrize("typed", ["0112345678", "920012345", "8001234567"])
def test_a_landline_or_service_number_is_refused_as_not_a_mobile(typed):
    assert refusal(v.normalise_mobile, typed).code == "mobile_not_mobile"


@translation.override("en")
def test_the_landline_message_asks_for_a_mobile_number():
    assert "mobile number" in refusal(v.normalise_mobile, "0112345678").messages[0]


def test_a_foreign_mobile_number_is_refused():
    assert refusal(v.normalise_mobile, "+201001234567").code == "mobile_not_saudi"


def test_letters_in_a_mobile_number_are_refused_not_read_as_a_keypad():
    assert refusal(v.normalise_mobile, "050CALLME1").code == "mobile_invalid"


def test_a_gateway_gets_the_number_without_plus():
    assert v.mobile_for_gateway("+966501234567") == "966501234567"


def test_a_mobile_number_is_displayed_as_saudis_write_it():
    assert v.format_mobile_national("+966501234567") == "050 123 4567"


@settings(deadline=None)
@given(saudi_mobiles)
def test_mobile_normalising_twice_changes_nothing(raw):
    once = v.normalise_mobile(raw)
    assert once.startswith("+9665") and len(once) == 13
    assert v.normalise_mobile(once) == once


@settings(deadline=None)
@given(saudi_mobiles, st.sampled_from([TO_ARABIC_INDIC, TO_PERSIAN]))
def test_a_mobile_in_eastern_digits_normalises_like_ascii(raw, digits):
    assert v.normalise_mobile(raw.translate(digits)) == v.normalise_mobile(raw)


@settings(deadline=None)
@given(saudi_mobiles)
def test_a_gateway_number_is_the_e164_number_without_plus(raw):
    assert "+" + v.mobile_for_gateway(raw) == v.normalise_mobile(raw)


# IBAN ----------------------------------------------------------------------------------

AL_RAJHI = "SA0380000000608010167519"


def test_the_reference_iban_is_accepted():
    assert v.normalise_iban(AL_RAJHI) == AL_RAJHI


def test_an_iban_typed_in_lower_case_with_spaces_is_compacted():
    assert v.normalise_iban(" sa03 8000 0000 6080 1016 7519 ") == AL_RAJHI


def test_an_iban_with_arabic_indic_digits_is_accepted():
    assert v.normalise_iban("SA٠٣ ٨٠٠٠ ٠٠٠٠ ٦٠٨٠ ١٠١٦ ٧٥١٩") == AL_RAJHI


def test_a_foreign_iban_is_refused_even_when_valid():
    error = refusal(v.normalise_iban, "DE89370400440532013000")
    assert error.code == "iban_not_saudi"
    assert error.params == {"country": "DE"}


def test_an_iban_missing_a_character_is_refused_with_its_length():
    error = refusal(v.normalise_iban, AL_RAJHI[:-1])
    assert error.code == "iban_wrong_length"
    assert error.params == {"count": 23}


def test_an_iban_with_two_swapped_digits_is_refused_by_its_checksum():
    assert refusal(v.normalise_iban, "SA0380000000608010167591").code == "iban_bad_checksum"


def test_an_iban_with_a_letter_in_the_bank_code_is_refused_by_its_structure():
    assert refusal(v.normalise_iban, "SA038A000000608010167519").code == "iban_bad_structure"


def test_an_iban_with_a_symbol_is_refused_by_its_structure():
    assert refusal(v.normalise_iban, "SA03800000006080101675!9").code == "iban_bad_structure"


def test_an_iban_is_displayed_in_groups_of_four():
    assert v.format_iban(AL_RAJHI) == "SA03 8000 0000 6080 1016 7519"


def test_the_bank_code_is_read_from_positions_five_and_six():
    assert v.iban_bank_code(AL_RAJHI) == "80"


def test_an_unknown_bank_code_does_not_block_the_iban():
    unknown = IBAN.generate("SA", bank_code="99", account_code="123").compact
    assert v.normalise_iban(unknown) == unknown


def test_the_bank_of_an_iban_is_found_in_the_bank_table(db):
    assert v.bank_for_iban(AL_RAJHI).name_en == "Al Rajhi Bank"


def test_an_iban_of_an_unknown_bank_has_no_bank(db):
    unknown = IBAN.generate("SA", bank_code="99", account_code="123").compact
    assert v.bank_for_iban(unknown) is None


@settings(deadline=None)
@given(saudi_ibans)
def test_ibans_generated_for_saudi_banks_validate(iban):
    assert v.normalise_iban(iban) == iban
    assert v.normalise_iban(v.format_iban(iban)) == iban


@settings(deadline=None)
@given(saudi_ibans)
def test_an_iban_in_arabic_indic_digits_normalises_like_ascii(iban):
    assert v.normalise_iban(iban.translate(TO_ARABIC_INDIC)) == iban


@settings(deadline=None)
@given(saudi_ibans, st.integers(min_value=4, max_value=23), st.sampled_from("0123456789"))
def test_changing_one_digit_of_an_iban_is_always_caught(iban, position, digit):
    if not iban[position].isdigit() or iban[position] == digit:
        return
    mistyped = iban[:position] + digit + iban[position + 1 :]
    with pytest.raises(ValidationError):
        v.normalise_iban(mistyped)


# National address ----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ECAB2823", "ecab 2823", "ECAB٢٨٢٣", " EcAb 28 23 "])
def test_a_short_address_is_upper_cased_and_compacted(typed):
    assert v.normalise_short_address(typed) == "ECAB2823"


@pytest.mark.parametrize("typed", ["ECA2823", "ECAB282", "ECAB28234", "1CAB2823", "عصاب2823", ""])
def test_a_short_address_not_four_letters_and_four_digits_is_refused(typed):
    assert refusal(v.normalise_short_address, typed).code == "short_address_invalid"


def test_a_building_number_of_four_digits_is_accepted():
    assert v.normalise_building_number("٧٢٣٥") == "7235"


@pytest.mark.parametrize("typed", ["723", "72351", "72a5", ""])
def test_a_building_number_not_of_four_digits_is_refused(typed):
    assert refusal(v.normalise_building_number, typed).code == "building_number_invalid"


def test_an_additional_number_of_four_digits_is_accepted():
    assert v.normalise_additional_number(" 2121 ") == "2121"


def test_an_additional_number_of_five_digits_is_refused():
    error = refusal(v.normalise_additional_number, "21210")
    assert error.code == "additional_number_invalid"


def test_a_riyadh_postal_code_is_accepted():
    assert v.normalise_postal_code("١٢٦٤٣") == "12643"


@pytest.mark.parametrize("typed", ["1264", "126431", "12643-2121", "1264a"])
def test_a_postal_code_not_of_five_digits_is_refused(typed):
    assert refusal(v.normalise_postal_code, typed).code == "postal_code_invalid"


@pytest.mark.parametrize("typed", ["02643", "92643"])
def test_a_postal_code_without_a_region_digit_is_refused(typed):
    error = refusal(v.normalise_postal_code, typed)
    assert error.code == "postal_code_unknown_region"
    assert error.params == {"digit": typed[0]}


# Names ---------------------------------------------------------------------------------


def test_an_arabic_name_is_trimmed_collapsed_and_loses_its_tatweel():
    assert v.normalise_arabic_name("  محـــمد   بن  عبدالله ") == "محمد بن عبدالله"


def test_an_arabic_name_keeps_its_diacritics():
    assert v.normalise_arabic_name("مُحَمَّد") == "مُحَمَّد"


def test_an_arabic_name_may_have_a_hyphen():
    assert v.normalise_arabic_name("آل-سعود") == "آل-سعود"


@pytest.mark.parametrize("typed", ["محمد 2", "محمد ٢", "محمد ۲"])
def test_an_arabic_name_with_digits_is_refused(typed):
    assert refusal(v.normalise_arabic_name, typed).code == "name_has_digits"


@pytest.mark.parametrize("typed", ["Mohammed", "محمد Ali", "محمد@", "محمد،علي", "---", ""])
def test_an_arabic_name_with_other_letters_or_symbols_is_refused(typed):
    assert refusal(v.normalise_arabic_name, typed).code == "name_not_arabic"


def test_a_latin_name_is_trimmed_and_collapsed_keeping_its_case():
    assert v.normalise_latin_name("  Mary   O'Brien-Smith ") == "Mary O'Brien-Smith"


def test_a_typographic_apostrophe_in_a_latin_name_becomes_plain():
    assert v.normalise_latin_name("O’Brien") == "O'Brien"


def test_a_latin_name_may_have_accents():
    assert v.normalise_latin_name("José") == "José"


def test_a_latin_name_with_digits_is_refused():
    assert refusal(v.normalise_latin_name, "John 3").code == "name_has_digits"


@pytest.mark.parametrize("typed", ["محمد", "John_Smith", "John.Smith", "Иван"])
def test_a_latin_name_with_other_letters_or_symbols_is_refused(typed):
    assert refusal(v.normalise_latin_name, typed).code == "name_not_latin"


# Messages and model-field validators ---------------------------------------------------


def test_an_error_message_is_a_translatable_sentence_with_named_values():
    error = refusal(v.normalise_national_id, "100000000")
    assert isinstance(error.message, Promise)
    with translation.override("en"):
        assert error.messages == [
            "A national ID or iqama number has 10 digits; this one has 9 digits."
        ]


def test_the_error_message_is_arabic_by_default():
    error = refusal(v.normalise_national_id, "100000000")
    with translation.override("ar"):
        assert error.messages == [
            "يتكوّن رقم الهوية الوطنية أو رقم الإقامة من 10 أرقام، وما أدخلته يتكوّن من 9 أرقام."
        ]


def test_every_message_is_marked_for_translation():
    for code, message in v.MESSAGES.items():
        assert isinstance(message, Promise), code


@pytest.mark.parametrize(
    ("validate", "stored"),
    [
        (v.validate_national_id, "1000000008"),
        (v.validate_mobile, "+966501234567"),
        (v.validate_iban, AL_RAJHI),
        (v.validate_short_address, "ECAB2823"),
        (v.validate_building_number, "7235"),
        (v.validate_additional_number, "2121"),
        (v.validate_postal_code, "12643"),
        (v.validate_arabic_name, "محمد"),
        (v.validate_latin_name, "Mohammed"),
    ],
)
def test_a_model_validator_accepts_the_stored_form(validate, stored):
    assert validate(stored) is None


@pytest.mark.parametrize(
    ("validate", "typed"),
    [
        (v.validate_national_id, "١٠٠٠٠٠٠٠٠٨"),
        (v.validate_mobile, "0501234567"),
        (v.validate_iban, "SA03 8000 0000 6080 1016 7519"),
        (v.validate_short_address, "ecab2823"),
        (v.validate_arabic_name, "محـمد"),
    ],
)
def test_a_model_validator_refuses_a_second_spelling_of_a_valid_value(validate, typed):
    assert refusal(validate, typed).code == "not_normalised"


def test_a_model_validator_refuses_an_invalid_value_with_its_own_code():
    assert refusal(v.validate_national_id, "1000000000").code == "id_bad_check_digit"
