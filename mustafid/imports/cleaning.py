"""Cleaning one row of a spreadsheet into registry values, with no database (P-PROC-2).

Every value goes through the normaliser a typed one goes through (``core.validators``,
``registry.services.name_key``), so an imported person is stored exactly like one
registered by hand. Arabic-Indic digits are accepted in every numeric cell; dates may be
Gregorian or Hijri (Umm al-Qura).
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError

from mustafid.core import validators
from mustafid.core.arabic import clean_name
from mustafid.core.dates import hijri_to_gregorian
from mustafid.core.forms import ascii_numeric
from mustafid.imports.fields import FULL_NAME, HOUSEHOLD, MAX_LENGTH, NAME_PARTS, fold
from mustafid.imports.messages import ERROR
from mustafid.registry.models import Relation, Sex
from mustafid.registry.services import name_key

#: A problem: (level, field, code, params).
Problem = tuple[str, str, str, dict]


class CellError(Exception):
    """A cell's value is refused: the code and parameters of ``imports.messages``."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)


SEXES = {
    fold(word): sex
    for sex, words in {
        Sex.MALE: ["ذكر", "ذ", "رجل", "male", "m", "man"],
        Sex.FEMALE: ["أنثى", "انثى", "أنثي", "ا", "أ", "امرأة", "female", "f", "woman"],
    }.items()
    for word in words
}
RELATIONS = {
    fold(word): relation
    for relation, words in {
        Relation.HEAD: [
            "رب الأسرة", "ربة الأسرة", "رب الاسره", "عائل الأسرة", "عائلة الأسرة", "رب أسرة",
            "المستفيد", "المستفيدة", "head", "head of household", "self",
        ],
        Relation.SPOUSE: ["زوج", "زوجة", "الزوج", "الزوجة", "spouse", "wife", "husband"],
        Relation.SON: ["ابن", "إبن", "الابن", "son"],
        Relation.DAUGHTER: ["ابنة", "بنت", "البنت", "الابنة", "daughter"],
        Relation.PARENT: ["أب", "أم", "الأب", "الأم", "والد", "والدة", "parent", "father", "mother"],
        Relation.OTHER: [
            "أخرى", "اخرى", "أخ", "أخت", "قريب", "قريبة", "حفيد", "حفيدة", "other", "brother",
            "sister", "relative",
        ],
    }.items()
    for word in words
}  # fmt: skip
YES_NO = {
    fold(word): answer
    for answer, words in {
        True: ["نعم", "ن", "yes", "y", "1", "true", "✓", "صح"],
        False: ["لا", "ل", "no", "n", "0", "false", "✗", "خطأ"],
    }.items()
    for word in words
}

DATE = re.compile(r"(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})")
HIJRI_MARKS = ("هـ", "ه", "هجري", "h", "ah")
GREGORIAN_MARKS = ("م", "ميلادي", "g", "ad")
# Words that join a name to the father's ("son of"), dropped when a full name is split.
CONNECTORS = frozenset({"بن", "ابن", "بنت", "إبن"})
# Words that belong with the next one: "عبد الله", "أبو بكر", "آل سعود".
JOINED_TO_NEXT = frozenset({"عبد", "أبو", "ابو", "آل", "ال", "ابن"})


def parse_birth_date(value, *, today: dt.date) -> dt.date:
    """A date of birth from a date cell or text: ``12/04/1985``, ``1985-04-12``,
    ``1405/07/21`` or ``21/07/1405 هـ`` (Hijri, Umm al-Qura), any digits."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        text = ascii_numeric(str(value)).strip().lower()
        text = text.split(" ")[0] if re.fullmatch(r"\S+ \d\d:\d\d(:\d\d)?", text) else text
        hijri = text.endswith(HIJRI_MARKS)
        for mark in (*HIJRI_MARKS, *GREGORIAN_MARKS):
            text = text.removesuffix(mark).strip()
        match = DATE.fullmatch(text)
        if not match:
            raise CellError("date_format")
        first, month, last = match.groups()
        if len(first) >= 3:
            year, day_number = int(first), int(last)
        elif len(last) >= 3:
            year, day_number = int(last), int(first)
        else:
            raise CellError("date_format")
        month = int(month)
        if hijri or 1300 <= year <= 1500:
            try:
                day = hijri_to_gregorian(year, month, day_number)
            except ValueError as err:
                raise CellError("hijri_invalid") from err
        elif year >= 1900:
            try:
                day = dt.date(year, month, day_number)
            except ValueError as err:
                raise CellError("date_invalid") from err
        else:
            raise CellError("date_format")
    if day > today:
        raise CellError("date_future")
    return day


def split_full_name(text: str) -> dict[str, str]:
    """A full name in four parts: first, father, grandfather, family.

    "بن"/"بنت" between names are dropped ("محمد بن عبدالله بن سعد العتيبي"); "عبد الله",
    "أبو بكر" and "آل سعود" stay one part; three parts are first, father and family; past
    four, the rest is the family name ("محمد عبدالله سعد آل الشيخ"). A final "بن لادن" is
    kept as the family name when three names precede it.
    """
    words = clean_name(text).split()
    parts: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        at_end = i == len(words) - 2
        if word in CONNECTORS and i + 1 < len(words):
            if at_end and len(parts) >= 3:  # "بن لادن", a family name
                parts.append(f"{word} {words[i + 1]}")
                i += 2
                continue
            i += 1
            continue
        if word in JOINED_TO_NEXT and i + 1 < len(words):
            parts.append(f"{word} {words[i + 1]}")
            i += 2
            continue
        parts.append(word)
        i += 1
    if len(parts) < 3:
        raise CellError("full_name_too_short")
    if len(parts) == 3:
        return dict(zip(NAME_PARTS, [parts[0], parts[1], "", parts[2]], strict=True))
    return dict(zip(NAME_PARTS, [parts[0], parts[1], parts[2], " ".join(parts[3:])], strict=True))


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value).strip()


def _limited(field: str, value: str) -> str:
    if len(value) > MAX_LENGTH[field]:
        raise CellError("too_long", limit=MAX_LENGTH[field])
    return value


def _validated(normalise, value: str) -> str:
    try:
        return normalise(value)
    except ValidationError as err:
        params = {key: value for key, value in (err.params or {}).items()}
        raise CellError(err.code, **params) from err


def _choice(table: dict, value: str, code: str):
    try:
        return table[fold(value)]
    except KeyError:
        raise CellError(code) from None


def clean_row(
    cells: dict[str, object], *, today: dt.date, default_city: str
) -> tuple[dict, list[Problem]]:
    """The registry values of one row (``cells``: field → raw cell) and its problems.

    Every cell is checked, so the report lists all of a row's problems at once.
    """
    data: dict = {}
    problems: list[Problem] = []

    def check(field: str, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except CellError as err:
            problems.append((ERROR, field, err.code, err.params))
            return None

    raw = {field: _text(value) for field, value in cells.items()}
    data[HOUSEHOLD] = raw.get(HOUSEHOLD, "")
    # Names: four columns, or one split in four.
    if FULL_NAME in cells:
        if not raw[FULL_NAME]:
            problems.append((ERROR, FULL_NAME, "required", {}))
            names = None
        else:
            names = check(FULL_NAME, split_full_name, raw[FULL_NAME])
        for part in NAME_PARTS:
            value = (names or {}).get(part, "")
            if names and value:
                value = check(FULL_NAME, _name, part, value)
            data[part] = value or ""
    else:
        for part in NAME_PARTS:
            value = raw.get(part, "")
            if not value:
                if part != "grandfather_name":
                    problems.append((ERROR, part, "required", {}))
                data[part] = ""
                continue
            data[part] = check(part, _name, part, value) or ""
    data["name_key"] = name_key(**{part: data[part] for part in NAME_PARTS})
    data["latin_name"] = (
        check("latin_name", _latin, raw["latin_name"]) or "" if raw.get("latin_name") else ""
    )
    data["national_id"] = (
        check("national_id", _validated, validators.normalise_national_id, raw["national_id"])
        if raw.get("national_id")
        else None
    )
    data["relation"] = (
        check("relation", _choice, RELATIONS, raw["relation"], "relation_unknown")
        if raw.get("relation")
        else ""
    )
    if raw.get("sex"):
        data["sex"] = check("sex", _choice, SEXES, raw["sex"], "sex_unknown")
    elif data["relation"] in (Relation.SON, Relation.DAUGHTER):
        data["sex"] = Sex.MALE if data["relation"] == Relation.SON else Sex.FEMALE
    else:
        problems.append((ERROR, "sex", "required", {}))
        data["sex"] = None
    born = (
        check("birth_date", parse_birth_date, cells["birth_date"], today=today)
        if raw.get("birth_date")
        else None
    )
    data["birth_date"] = born.isoformat() if born else None
    data["mobile"] = (
        check("mobile", _validated, validators.normalise_mobile, raw["mobile"]) or ""
        if raw.get("mobile")
        else ""
    )
    data["is_dependant"] = bool(
        check("is_dependant", _choice, YES_NO, raw["is_dependant"], "yes_no_unknown")
        if raw.get("is_dependant")
        else False
    )
    data["city"] = check("city", _limited, "city", raw.get("city") or default_city) or ""
    data["district"] = check("district", _limited, "district", raw.get("district", "")) or ""
    data["short_address"] = (
        check("short_address", _validated, validators.normalise_short_address, raw["short_address"])
        or ""
        if raw.get("short_address")
        else ""
    )
    return data, problems


def _name(part: str, value: str) -> str:
    return _limited(part, _validated(validators.normalise_arabic_name, value))


def _latin(value: str) -> str:
    return _limited("latin_name", _validated(validators.normalise_latin_name, value))
