"""Arabic text helpers: digits, tatweel, diacritics, names, search keys (saudi.md §5)."""

from hypothesis import given
from hypothesis import strategies as st

from mustafid.core.arabic import (
    clean_name,
    normalise_for_search,
    remove_diacritics,
    remove_tatweel,
    to_ascii_digits,
)

ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

arabic_words = st.text(alphabet=ARABIC_LETTERS, min_size=1, max_size=8)
arabic_text = st.lists(arabic_words, min_size=1, max_size=5).map(" ".join)


def test_arabic_indic_digits_become_ascii():
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"


def test_persian_digits_become_ascii():
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"


def test_letters_around_digits_are_left_alone():
    assert to_ascii_digits("الغرفة ٣ - Room 3") == "الغرفة 3 - Room 3"


def test_tatweel_is_removed():
    assert remove_tatweel("محـــمد") == "محمد"


def test_harakat_shadda_and_tanween_are_removed():
    assert remove_diacritics("مُحَمَّدٌ") == "محمد"


def test_superscript_alef_is_removed():
    assert remove_diacritics("هٰذا") == "هذا"


def test_removing_diacritics_keeps_hamza_letters():
    assert remove_diacritics("أَحْمَد إِبْرَاهِيم") == "أحمد إبراهيم"


def test_a_name_is_trimmed_and_its_spaces_collapsed():
    assert clean_name("  محمد \t  بن   علي  ") == "محمد بن علي"


def test_a_name_loses_its_tatweel_and_invisible_direction_marks():
    assert clean_name("\u200fمحـــمد\u200e علي\ufeff") == "محمد علي"


def test_a_name_keeps_its_diacritics_and_digits_for_the_validator_to_judge():
    assert clean_name("مُحَمَّد 3") == "مُحَمَّد 3"


def test_hamza_forms_meet_bare_alef_in_search():
    assert {normalise_for_search(name) for name in ["أحمد", "إحمد", "آحمد", "احمد"]} == {"احمد"}


def test_teh_marbuta_and_alef_maksura_fold_in_search():
    assert normalise_for_search("فاطمة مصطفى") == normalise_for_search("فاطمه مصطفي")


def test_abd_allah_with_or_without_a_space_is_one_search_key():
    assert normalise_for_search("عبد الله") == normalise_for_search("عبدالله") == "عبدالله"


def test_abd_followed_by_a_word_without_the_article_keeps_its_space():
    assert normalise_for_search("عبد ربه") == "عبد ربه"


def test_the_connectors_bin_ibn_and_bint_are_dropped_in_search():
    assert normalise_for_search("محمد بن عبد الله") == "محمد عبدالله"
    assert normalise_for_search("فاطمة بنت علي") == normalise_for_search("فاطمه علي")
    assert normalise_for_search("علي إبن سعد") == "علي سعد"


def test_diacritics_and_tatweel_do_not_change_the_search_key():
    assert normalise_for_search("مُحَمَّـــد") == "محمد"


def test_latin_is_case_folded_without_accents_or_punctuation_in_search():
    assert normalise_for_search("  José  AL-Rajhi ") == "jose al rajhi"


def test_digits_are_ascii_in_the_search_key():
    assert normalise_for_search("ملف ١٢٣") == "ملف 123"


def test_presentation_forms_pasted_from_a_pdf_meet_plain_letters_in_search():
    assert normalise_for_search("ﻋﺒﺪ ﺍﻟﻠﻪ") == "عبدالله"


@given(st.text())
def test_search_normalising_twice_changes_nothing(text):
    once = normalise_for_search(text)
    assert normalise_for_search(once) == once


@given(st.text())
def test_a_search_key_has_single_spaces_and_no_forms_it_folds(text):
    key = normalise_for_search(text)
    assert key == key.strip()
    assert "  " not in key
    assert not set(key) & set("أإآؤئٱةىـ" + HARAKAT)
    assert not any(char.isascii() and char.isupper() for char in key)


@given(arabic_text, st.data())
def test_diacritics_and_tatweel_anywhere_leave_the_search_key_unchanged(text, data):
    decorated = "".join(
        char + data.draw(st.text(alphabet=HARAKAT + "ـ", max_size=2)) if char != " " else char
        for char in text
    )
    assert normalise_for_search(decorated) == normalise_for_search(text)


@given(arabic_text, st.sampled_from([" ", "  ", "\t", "\u00a0"]))
def test_extra_whitespace_leaves_the_search_key_unchanged(text, gap):
    spaced = f" {gap}" + text.replace(" ", gap + " ") + gap
    assert normalise_for_search(spaced) == normalise_for_search(text)


@given(st.from_regex(r"[0-9]{1,12}", fullmatch=True))
def test_arabic_indic_digits_give_the_same_search_key_as_ascii(number):
    assert normalise_for_search(number.translate(TO_ARABIC_INDIC)) == number


@given(st.text())
def test_clean_name_is_idempotent(text):
    once = clean_name(text)
    assert clean_name(once) == once
