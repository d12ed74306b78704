"""Normalisation, tokenisation, stop words and light stemming of :mod:`articles.arabic`."""

import pytest

from articles.text.normalize import clean, normalize, normalize_digits
from articles.text.stemmer import STOP_WORDS, light_stem, strip_particles
from articles.text.tokens import tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آمال", "امال"),
        ("ٱلكتاب", "الكتاب"),
        ("مصطفى", "مصطفي"),
        ("مدرسة", "مدرسه"),
        ("مُحَمَّدٌ", "محمد"),
        ("هٰذا", "هذا"),  # superscript alef U+0670
        ("قرآن\u0653", "قران"),  # maddah above, U+0653
        ("كتاب\u065f", "كتاب"),  # wavy hamza below, end of the U+0653–U+065F range
        ("جـــمـيـل", "جميل"),  # tatweel
        ("ﻻ", "لا"),  # lam-alef ligature (presentation form)
        ("ﺑﻴﺖ", "بيت"),  # presentation forms
        ("فار\u200cسی", "فارسي"),  # ZWNJ and Persian yeh
        ("کتاب", "كتاب"),  # Persian keheh
        ("\u200fسوريا\u202c", "سوريا"),  # direction marks
        ("عام ٢٠١٨", "عام 2018"),
        ("۱۹۹۹", "1999"),
        ("BBC News", "bbc news"),
    ],
)
def test_normalize_folds_spelling_variants_to_one_form(text, expected):
    assert normalize(text) == expected


def test_clean_keeps_diacritics_but_drops_invisible_characters():
    assert clean("مُحَمَّد\u200b") == "مُحَمَّد"


def test_normalize_digits_maps_arabic_indic_and_persian_digits():
    assert normalize_digits("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹") == "0123456789 0123456789"


def test_tokenize_keeps_a_vocalised_word_whole_with_offsets_into_the_original():
    text = "قال مُحَمَّدٌ: نعم"
    assert tokenize(text) == [("قال", 0, 3), ("مُحَمَّدٌ", 4, 13), ("نعم", 15, 18)]
    assert text[4:13] == "مُحَمَّدٌ"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("وُلِدَ في 1958، المدينة", ["وُلِدَ", "في", "1958", "المدينة"]),
        ("جـــمـيـل", ["جـــمـيـل"]),
        ("«الحرب» (2011)", ["الحرب", "2011"]),
        ("covid-19", ["covid", "19"]),
        ("؟!.", []),
    ],
)
def test_tokenize_splits_on_punctuation_only(text, words):
    assert [word for word, _, _ in tokenize(text)] == words


@pytest.mark.parametrize("word", ["في", "الي", "علي", "الذي", "وفي", "فقد", "متي", "ماهي", "بماذا", "و"])
def test_function_words_are_stop_words_in_normalised_form(word):
    assert word in STOP_WORDS


@pytest.mark.parametrize("word", ["عمر", "عام", "سنه", "وليد", "مصر"])
def test_names_and_content_words_are_not_stop_words(word):
    assert word not in STOP_WORDS


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("وليد", "وليد"),
        ("وائل", "وائل"),
        ("والمدرسة", "مدرس"),
        ("المدرسة", "مدرس"),
        ("بالمكتبات", "مكتب"),
        ("وكتابه", "كتاب"),
        ("الكتاب", "كتاب"),
        ("للمدرسة", "مدرس"),
        ("الوزير", "وزير"),
        ("وزيرة", "وزير"),
        ("ووزير", "وزير"),
        ("السعوديون", "سعود"),
        ("المسلمين", "مسلم"),
        ("لبنان", "بنان"),
        ("اللبناني", "بنان"),
        ("علي", "علي"),
        ("سنة", "سنه"),
    ],
)
def test_light_stem_removes_particles_and_endings_but_not_name_letters(word, stem):
    assert light_stem(normalize(word)) == stem


def test_light_stem_keeps_kitab_family_words_apart():
    stems = {light_stem(normalize(word)) for word in ("مكتبة", "مكتوب", "كاتب")}
    assert len(stems) == 3


@pytest.mark.parametrize("forms", [("وزير", "الوزير", "ووزير", "وزيره", "بالوزير"), ("كتاب", "الكتاب", "وكتاب", "بكتاب")])
def test_light_stem_gives_every_attached_form_of_a_word_the_same_stem(forms):
    assert len({light_stem(normalize(form)) for form in forms}) == 1


@pytest.mark.parametrize(("word", "expected"), [("والمدرس", "مدرس"), ("مدرسه", "مدرسه"), ("وليد", "وليد")])
def test_strip_particles_keeps_endings(word, expected):
    assert strip_particles(word) == expected


def test_stop_words_are_listed_in_their_normalised_spelling():
    assert {word for word in STOP_WORDS if normalize(word) != word} == set()
