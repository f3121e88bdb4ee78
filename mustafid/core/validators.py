"""Saudi formats checked and normalised at submission (P-PROC-2: data verified at submission).

Each ``normalise_*`` function takes what a person typed (Arabic-Indic digits, spaces and
the usual variants accepted) and returns the one form we store, or raises
``ValidationError`` with a translated message and a stable ``code``. Each
``validate_*`` function is the model-field validator: it accepts only the stored form.
Rules come from shared/reference/saudi.md §1-§5.
"""

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from schwifty import IBAN
from schwifty.exceptions import InvalidChecksumDigits, InvalidLength, SchwiftyException

from mustafid.core.arabic import clean_name, to_ascii_digits

if TYPE_CHECKING:
    from mustafid.core.models import Bank

NationalIdType = Literal["citizen", "resident"]

MESSAGES = {
    "id_not_digits": _("A national ID or iqama number contains digits only."),
    "id_wrong_length": ngettext_lazy(
        "A national ID or iqama number has 10 digits; this one has %(count)d digit.",
        "A national ID or iqama number has 10 digits; this one has %(count)d digits.",
        "count",
    ),
    "id_wrong_first_digit": _(
        "A national ID starts with 1 and an iqama number with 2; this one starts with %(digit)s."
    ),
    "id_bad_check_digit": _(
        "This national ID or iqama number is not valid. Check it for a mistyped digit."
    ),
    "mobile_invalid": _("Enter a valid Saudi mobile number, for example 0501234567."),
    "mobile_not_saudi": _("Enter a Saudi mobile number: it starts with 05 or +9665."),
    "mobile_not_mobile": _(
        "This is a landline or service number. Enter a mobile number starting with 05."
    ),
    "iban_not_saudi": _("Enter a Saudi IBAN: it starts with SA. This one starts with %(country)s."),
    "iban_wrong_length": ngettext_lazy(
        "A Saudi IBAN has 24 characters; this one has %(count)d character.",
        "A Saudi IBAN has 24 characters; this one has %(count)d characters.",
        "count",
    ),
    "iban_bad_checksum": _("This IBAN is not valid. Check it for a mistyped character."),
    "iban_bad_structure": _(
        "A Saudi IBAN is SA followed by 2 check digits, a 2-digit bank code and "
        "18 digits or letters."
    ),
    "short_address_invalid": _(
        "A short address is 4 Latin letters followed by 4 digits, for example ECAB2823."
    ),
    "building_number_invalid": _("A building number has exactly 4 digits."),
    "additional_number_invalid": _("An additional number has exactly 4 digits."),
    "postal_code_invalid": _("A postal code has exactly 5 digits."),
    "postal_code_unknown_region": _(
        "A Saudi postal code starts with a region digit from 1 to 8; this one starts with "
        "%(digit)s."
    ),
    "name_has_digits": _("A name cannot contain digits."),
    "name_not_arabic": _(
        "Write the name in Arabic letters; only spaces, hyphens and apostrophes may "
        "separate its parts."
    ),
    "name_not_latin": _(
        "Write the name in Latin letters; only spaces, hyphens and apostrophes may "
        "separate its parts."
    ),
    "not_normalised": _("Store this value in its standard form: %(normalised)s."),
}

NAME_SEPARATORS = frozenset(" -'")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
WHITESPACE = re.compile(r"\s+")
MOBILE_CHARACTERS = re.compile(r"[+\d\s().-]+", re.ASCII)
SHORT_ADDRESS = re.compile(r"[A-Z]{4}\d{4}", re.ASCII)
ASCII_DIGITS = re.compile(r"[0-9]*")
FOUR_DIGITS = re.compile(r"\d{4}", re.ASCII)
FIVE_DIGITS = re.compile(r"\d{5}", re.ASCII)


def _refuse(code: str, **params) -> ValidationError:
    """The ValidationError for ``MESSAGES[code]``; ``code`` is the stable error code."""
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _compact(value: object) -> str:
    """Typed text with ASCII digits and no whitespace at all."""
    text = "" if value is None else str(value)
    return WHITESPACE.sub("", to_ascii_digits(text))


# National ID and iqama (saudi.md §1) -------------------------------------------------


def national_id_check_digit(first9: str) -> str:
    """The Luhn check digit completing the first 9 digits of an ID (saudi.md §1).

    Positions 1, 3, 5, 7 and 9 are doubled (minus 9 above 9), the others added as they
    are; the check digit brings the total to a multiple of 10.
    """
    if len(first9) != 9 or not (first9.isascii() and first9.isdigit()):
        raise ValueError(f"expected 9 ASCII digits, got {first9!r}")
    total = 0
    for position, char in enumerate(first9):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def normalise_national_id(value: str) -> str:
    """A Saudi national ID (starts with 1) or iqama number (starts with 2) as 10 ASCII
    digits, with its Luhn check digit verified (saudi.md §1). Luhn proves the number is
    well formed, not that it exists (§9)."""
    number = _compact(value)
    if not ASCII_DIGITS.fullmatch(number):
        raise _refuse("id_not_digits")
    if len(number) != 10:
        raise _refuse("id_wrong_length", count=len(number))
    if number[0] not in "12":
        raise _refuse("id_wrong_first_digit", digit=number[0])
    if national_id_check_digit(number[:9]) != number[9]:
        raise _refuse("id_bad_check_digit")
    return number


def national_id_type(value: str) -> NationalIdType:
    """ "citizen" for a national ID (first digit 1), "resident" for an iqama (2)."""
    return "citizen" if normalise_national_id(value)[0] == "1" else "resident"


# Mobile numbers (saudi.md §2) ---------------------------------------------------------


def normalise_mobile(value: str) -> str:
    """A Saudi mobile number in E.164, ``+9665XXXXXXXX`` (saudi.md §2).

    Accepts 05…, 5…, +966…, 00966…, 966…, spaced or with Arabic-Indic digits. The number
    must be valid and of type MOBILE, so 052…, 05799…, landlines (011…), 9200… and 800…
    are refused: we reach beneficiaries by SMS and WhatsApp.
    """
    text = to_ascii_digits("" if value is None else str(value)).strip()
    # Letters are refused before parsing: phonenumbers reads "050CALLME1" as a number.
    if not MOBILE_CHARACTERS.fullmatch(text):
        raise _refuse("mobile_invalid")
    try:
        number = phonenumbers.parse(text, "SA")
    except phonenumbers.NumberParseException as err:
        raise _refuse("mobile_invalid") from err
    if number.country_code != 966:
        raise _refuse("mobile_not_saudi")
    if not phonenumbers.is_valid_number(number):
        raise _refuse("mobile_invalid")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise _refuse("mobile_not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mobile_for_gateway(e164: str) -> str:
    """The number as SMS and WhatsApp gateways want it: ``9665XXXXXXXX``, no + or 00
    (saudi.md §7)."""
    return normalise_mobile(e164).removeprefix("+")


def format_mobile_national(e164: str) -> str:
    """The number as Saudis write it: ``050 123 4567``."""
    number = phonenumbers.parse(normalise_mobile(e164), "SA")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


# IBAN (saudi.md §3) -------------------------------------------------------------------


def normalise_iban(value: str) -> str:
    """A Saudi IBAN, compact and upper-case: ``SA`` + 2 check digits + 2-digit bank code
    + 18 account characters (saudi.md §3). Checked by schwifty (length, mod-97 check
    digits, structure). An unknown bank code is not refused: see ``bank_for_iban``."""
    text = _compact(value).replace("-", "").upper()
    country = text[:2]
    if len(country) == 2 and country.isascii() and country.isalpha() and country != "SA":
        raise _refuse("iban_not_saudi", country=country)
    try:
        iban = IBAN(text)
    except InvalidLength as err:
        raise _refuse("iban_wrong_length", count=len(text)) from err
    except InvalidChecksumDigits as err:
        raise _refuse("iban_bad_checksum") from err
    except SchwiftyException as err:
        raise _refuse("iban_bad_structure") from err
    return iban.compact


def format_iban(compact: str) -> str:
    """The IBAN in groups of four for display: ``SA03 8000 0000 6080 1016 7519``."""
    iban = normalise_iban(compact)
    return " ".join(iban[start : start + 4] for start in range(0, len(iban), 4))


def iban_bank_code(compact: str) -> str:
    """The 2-digit SAMA bank code, IBAN positions 5-6: ``"80"`` for Al Rajhi."""
    return normalise_iban(compact)[4:6]


def bank_for_iban(compact: str) -> "Bank | None":
    """The bank an IBAN belongs to, from the admin-editable table, or None when its code
    is unknown: the caller warns but does not refuse (saudi.md §3)."""
    from mustafid.core.models import Bank

    return Bank.objects.filter(code=iban_bank_code(compact)).first()


# National address (saudi.md §4) ------------------------------------------------------


def normalise_short_address(value: str) -> str:
    """The national address short address: 4 Latin letters then 4 digits, upper-case,
    e.g. ``ECAB2823`` (saudi.md §4)."""
    text = _compact(value).upper()
    if not SHORT_ADDRESS.fullmatch(text):
        raise _refuse("short_address_invalid")
    return text


def normalise_building_number(value: str) -> str:
    """A building number: 4 digits (saudi.md §4)."""
    text = _compact(value)
    if not FOUR_DIGITS.fullmatch(text):
        raise _refuse("building_number_invalid")
    return text


def normalise_additional_number(value: str) -> str:
    """An additional number (الرقم الإضافي): 4 digits (saudi.md §4)."""
    text = _compact(value)
    if not FOUR_DIGITS.fullmatch(text):
        raise _refuse("additional_number_invalid")
    return text


def normalise_postal_code(value: str) -> str:
    """A postal code: 5 digits, the first naming the region, 1 (Riyadh) to 8 (Jazan)
    (saudi.md §4)."""
    text = _compact(value)
    if not FIVE_DIGITS.fullmatch(text):
        raise _refuse("postal_code_invalid")
    if text[0] not in "12345678":
        raise _refuse("postal_code_unknown_region", digit=text[0])
    return text


# Names ---------------------------------------------------------------------------------


def _is_arabic_letter(char: str) -> bool:
    # Letters of the Arabic block and its supplement (including پ چ گ, found in some
    # residents' names) and the harakat, shadda, sukun and superscript alef that people
    # write names with: kept, since names are displayed as written. Presentation forms
    # are not accepted.
    if "\u064b" <= char <= "\u065f" or char == "\u0670":
        return True
    return ("\u0621" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f") and char.isalpha()


def _is_latin_letter(char: str) -> bool:
    # Latin-1 Supplement and Latin Extended-A/B: accents as in "José" are allowed.
    return char.isalpha() and (char.isascii() or "\u00c0" <= char <= "\u024f")


def _check_name(name: str, is_letter: Callable[[str], bool], wrong_script: str) -> str:
    if any(char.isdigit() for char in name):
        raise _refuse("name_has_digits")
    has_a_letter = any(char.isalpha() for char in name)
    if not has_a_letter or not all(is_letter(char) or char in NAME_SEPARATORS for char in name):
        raise _refuse(wrong_script)
    return name


def normalise_arabic_name(value: str) -> str:
    """A name in Arabic letters, tidied by ``clean_name``: no digits; only spaces,
    hyphens and apostrophes between letters. Diacritics are allowed and kept, because
    names are displayed as written."""
    name = clean_name("" if value is None else str(value))
    return _check_name(name, _is_arabic_letter, "name_not_arabic")


def normalise_latin_name(value: str) -> str:
    """A name in Latin letters (as in a passport), tidied by ``clean_name``; typographic
    apostrophes become ``'``. Case is kept as typed."""
    name = clean_name("" if value is None else str(value)).translate(APOSTROPHES)
    return _check_name(name, _is_latin_letter, "name_not_latin")


# Model-field validators ------------------------------------------------------------------


def _require_stored_form(value: str, normalise: Callable[[str], str]) -> None:
    """Refuse a value that is invalid, or valid but not in the form we store, so that
    nothing reaches the database in a second spelling."""
    normalised = normalise(value)
    if normalised != value:
        raise _refuse("not_normalised", normalised=normalised)


def validate_national_id(value: str) -> None:
    """Model-field validator: a national ID or iqama number in its stored form."""
    _require_stored_form(value, normalise_national_id)


def validate_mobile(value: str) -> None:
    """Model-field validator: a mobile number (E.164) in its stored form."""
    _require_stored_form(value, normalise_mobile)


def validate_iban(value: str) -> None:
    """Model-field validator: a IBAN (compact) in its stored form."""
    _require_stored_form(value, normalise_iban)


def validate_short_address(value: str) -> None:
    """Model-field validator: a short address in its stored form."""
    _require_stored_form(value, normalise_short_address)


def validate_building_number(value: str) -> None:
    """Model-field validator: a building number in its stored form."""
    _require_stored_form(value, normalise_building_number)


def validate_additional_number(value: str) -> None:
    """Model-field validator: an additional number in its stored form."""
    _require_stored_form(value, normalise_additional_number)


def validate_postal_code(value: str) -> None:
    """Model-field validator: a postal code in its stored form."""
    _require_stored_form(value, normalise_postal_code)


def validate_arabic_name(value: str) -> None:
    """Model-field validator: an Arabic name in its stored form."""
    _require_stored_form(value, normalise_arabic_name)


def validate_latin_name(value: str) -> None:
    """Model-field validator: a Latin name in its stored form."""
    _require_stored_form(value, normalise_latin_name)
