"""Arabic text helpers: digits, tatweel, diacritics, names and search keys.

Users type Arabic-Indic (٠-٩) or Persian (۰-۹) digits as often as Western ones, and
Python's ``int()``, ``isdigit()`` and ``re``'s ``\\d`` accept them all, so every numeric
value is translated to ASCII before it is checked or stored (shared/reference/saudi.md §5).
"""

import re
import unicodedata

ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

TATWEEL = "\u0640"

# Harakat and tanween (U+064B-U+065F, including shadda, sukun, maddah and hamza marks),
# superscript alef (U+0670) and the Quranic annotation marks.
DIACRITICS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]"
)

# Invisible direction and joining marks that copy-paste from documents and phones leaves
# behind: LRM, RLM, Arabic letter mark, zero-width (non-)joiner, embeddings, isolates, BOM.
INVISIBLE_MARKS = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

# Letters a search treats as the same letter (alef wasla, teh marbuta, alef maksura,
# Persian yeh and keheh). Hamza on a carrier (أ إ آ ؤ ئ) needs no entry: NFKD splits it
# into the carrier and a combining mark, which the search key drops with the diacritics.
SEARCH_LETTERS = str.maketrans({"ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", TATWEEL: ""})

# Words that join a name to the father's name ("son of", "daughter of"), in the form they
# take after SEARCH_LETTERS and hamza folding ("إبن" becomes "ابن").
NAME_CONNECTORS = frozenset({"بن", "ابن", "بنت", "bin", "ibn", "bint"})

# "عبد الله" and "عبدالله" are the same name: the search key joins "عبد" to a following
# word that starts with the definite article.
ABD_AL = re.compile(r"(?<!\S)عبد (?=ال)")


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic (U+0660-0669) and Persian (U+06F0-06F9) digits as 0-9 (saudi.md §5)."""
    return text.translate(ASCII_DIGITS)


def remove_tatweel(text: str) -> str:
    """Drop the tatweel (ـ U+0640), the stretching stroke that carries no meaning."""
    return text.replace(TATWEEL, "")


def remove_diacritics(text: str) -> str:
    """Drop harakat, tanween, shadda, sukun, superscript alef and Quranic marks."""
    return DIACRITICS.sub("", text)


def clean_name(text: str) -> str:
    """A name as typed, tidied: composed (NFC), invisible marks and tatweel removed,
    trimmed and with single spaces. Letters, diacritics and digits are kept; whether
    they are allowed is the validators' decision (``core.validators``)."""
    text = unicodedata.normalize("NFC", text)
    text = remove_tatweel(INVISIBLE_MARKS.sub("", text))
    return " ".join(text.split())


def normalise_for_search(text: str) -> str:
    """A key under which spellings of one name meet, for search and duplicate checks.

    Hamza forms (أ إ آ ؤ ئ) and alef wasla fold to their carrier, ة to ه, ى to ي;
    diacritics, tatweel and punctuation go; digits become ASCII; Latin is case-folded and
    loses its accents; "عبد الله" becomes "عبدالله"; the connectors بن/ابن/بنت (and
    bin/ibn/bint) are dropped. Applying it twice changes nothing. Only for comparing:
    never store or display the result.
    """
    text = unicodedata.normalize("NFKD", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = to_ascii_digits(text).translate(SEARCH_LETTERS)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Mn", "Cf"})
    text = re.sub(r"[^\w\s]|_", " ", text)
    words = [word for word in text.split() if word not in NAME_CONNECTORS]
    return ABD_AL.sub("عبد", " ".join(words))
