"""The registry fields a column can feed, the header names each is recognised by (Arabic
and English), and the rules a mapping must follow."""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from mustafid.core.arabic import SEARCH_LETTERS, to_ascii_digits

HOUSEHOLD = "household"
FULL_NAME = "full_name"
NAME_PARTS = ("first_name", "father_name", "grandfather_name", "family_name")

#: field: (label, header names it is recognised by). Order = order on the mapping page.
FIELDS: dict[str, tuple] = {
    HOUSEHOLD: (
        _("Household reference"),
        [
            "رقم الأسرة", "رقم الاسرة", "مرجع الأسرة", "رقم العائلة", "كود الأسرة",
            "رقم ملف الأسرة", "رقم الملف", "الأسرة", "household", "household id",
            "household ref", "household reference", "household number", "family id",
            "family number", "family no", "file number",
        ],
    ),
    "relation": (
        _("Relation to the head"),
        [
            "صلة القرابة", "القرابة", "صلة القرابة برب الأسرة", "العلاقة", "العلاقة برب الأسرة",
            "الصلة", "relation", "relationship", "relation to head",
        ],
    ),
    "national_id": (
        _("National ID / iqama"),
        [
            "رقم الهوية", "الهوية", "رقم الهوية الوطنية", "الهوية الوطنية", "رقم الإقامة",
            "الإقامة", "رقم الهوية أو الإقامة", "رقم الهوية/الإقامة", "السجل المدني",
            "رقم السجل المدني", "رقم السجل", "national id", "id number", "id", "iqama",
            "iqama number", "national id / iqama", "nid",
        ],
    ),
    FULL_NAME: (
        _("Full name (split into four parts)"),
        [
            "الاسم", "الاسم الكامل", "الاسم الرباعي", "الاسم الثلاثي", "اسم المستفيد",
            "اسم رب الأسرة", "اسم الفرد", "name", "full name", "beneficiary name",
        ],
    ),
    "first_name": (_("First name"), ["الاسم الأول", "الأول", "first name", "given name"]),
    "father_name": (
        _("Father's name"),
        ["اسم الأب", "الأب", "father name", "father's name", "fathers name", "second name"],
    ),
    "grandfather_name": (
        _("Grandfather's name"),
        ["اسم الجد", "الجد", "grandfather name", "grandfather's name", "third name"],
    ),
    "family_name": (
        _("Family name"),
        ["اسم العائلة", "العائلة", "اللقب", "family name", "last name", "surname"],
    ),
    "latin_name": (
        _("Name in Latin letters"),
        [
            "الاسم بالإنجليزي", "الاسم بالانجليزية", "الاسم باللغة الإنجليزية",
            "الاسم الإنجليزي", "name in english", "english name", "latin name",
        ],
    ),
    "sex": (_("Sex"), ["الجنس", "النوع", "sex", "gender"]),
    "birth_date": (
        _("Date of birth (Gregorian or Hijri)"),
        [
            "تاريخ الميلاد", "الميلاد", "تاريخ الميلاد هجري", "تاريخ الميلاد الهجري",
            "تاريخ الميلاد ميلادي", "birth date", "date of birth", "dob", "birthdate",
        ],
    ),
    "mobile": (
        _("Mobile"),
        [
            "الجوال", "رقم الجوال", "الهاتف", "رقم الهاتف", "الهاتف الجوال", "جوال", "التواصل",
            "رقم التواصل", "mobile", "mobile number", "phone", "phone number", "cell",
        ],
    ),
    "is_dependant": (_("Dependant of the head (yes/no)"), ["معال", "تابع", "dependant", "dependent"]),
    "city": (_("City"), ["المدينة", "المدينه", "city"]),
    "district": (_("District"), ["الحي", "district", "neighbourhood", "neighborhood"]),
    "short_address": (
        _("Short address"),
        ["العنوان المختصر", "العنوان الوطني المختصر", "short address", "national address"],
    ),
}  # fmt: skip

#: Longest text each free-text field takes (the registry's column sizes).
MAX_LENGTH = {
    "first_name": 40,
    "father_name": 40,
    "grandfather_name": 40,
    "family_name": 60,
    "latin_name": 160,
    "city": 80,
    "district": 80,
    HOUSEHOLD: 80,
}

_NOT_WORD = re.compile(r"[^\w\s]|_")
_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")


def fold(text: str) -> str:
    """Text compared loosely: no diacritics, tatweel or punctuation; hamza forms, ة/ه and
    ى/ي alike; Latin case-folded; single spaces. Unlike the search key it keeps بن and ابن
    (a relation may be written "ابن")."""
    text = unicodedata.normalize("NFKD", to_ascii_digits(text).casefold())
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Mn", "Cf"})
    text = _NOT_WORD.sub(" ", text.translate(SEARCH_LETTERS))
    return " ".join(text.split())


_ALIASES = {fold(alias): field for field, (_label, aliases) in FIELDS.items() for alias in aliases}


def label(field: str) -> str:
    return str(FIELDS[field][0])


def guess_field(header: str) -> str:
    """The field a header names, or "" when it is not recognised."""
    text = fold(_BRACKETS.sub(" ", header))
    if text in _ALIASES:
        return _ALIASES[text]
    # "رقم هوية رب الأسرة"-style variants: the header without its article-free words.
    without_article = " ".join(word.removeprefix("ال") for word in text.split())
    for alias, field in _ALIASES.items():
        if " ".join(word.removeprefix("ال") for word in alias.split()) == without_article:
            return field
    return ""


def auto_map(headers: list[str]) -> dict[str, str]:
    """``{"<column index>": field}`` for the headers recognised, each field once (the
    first column naming it wins)."""
    mapping: dict[str, str] = {}
    for index, header in enumerate(headers):
        field = guess_field(header)
        if field and field not in mapping.values():
            mapping[str(index)] = field
    return mapping


def mapping_problems(mapping: dict[str, str], *, columns: int) -> list[tuple[str | None, str]]:
    """What is wrong with a mapping: ``(column index or None, message)`` pairs."""
    problems: list[tuple[str | None, str]] = []
    seen: dict[str, str] = {}
    for column, field in sorted(mapping.items(), key=lambda item: int(item[0])):
        if field not in FIELDS or not 0 <= int(column) < columns:
            problems.append((column, str(_("Choose a field from the list."))))
        elif field in seen:
            problems.append(
                (
                    column,
                    str(_("“%(field)s” is already fed by another column."))
                    % {"field": label(field)},
                )
            )
        else:
            seen[field] = column
    parts = [part for part in NAME_PARTS if part in seen]
    if FULL_NAME in seen and parts:
        problems.append(
            (None, str(_("Choose either the full name or its parts (first, father, family)."))),
        )
    elif FULL_NAME not in seen and not {"first_name", "father_name", "family_name"} <= set(parts):
        problems.append(
            (
                None,
                str(
                    _(
                        "Choose the column of the full name, or the columns of the first name, "
                        "the father's name and the family name."
                    )
                ),
            )
        )
    return problems
