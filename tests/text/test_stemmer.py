"""The one stop-word list and light stemmer (articles.text.stemmer)."""

import pytest

from articles.text.normalize import normalize
from articles.text.stemmer import STOP_WORDS, light_stem, strip_particles


@pytest.mark.parametrize("word", ["في", "الي", "علي", "الذي", "وفي", "فقد", "متي", "ماهي", "بماذا", "و"])
def test_function_words_are_stop_words_in_normalised_form(word):
    assert word in STOP_WORDS


@pytest.mark.parametrize("word", ["عمر", "عام", "سنه", "وليد", "مصر"])
def test_names_and_content_words_are_not_stop_words(word):
    assert word not in STOP_WORDS


def test_stop_words_are_listed_in_their_normalised_spelling():
    assert {word for word in STOP_WORDS if normalize(word) != word} == set()


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
        ("المسلمين", "مسلم"),
        ("علي", "علي"),
        ("سنة", "سنه"),
        pytest.param(
            "بيروت", "بيروت", marks=pytest.mark.xfail(strict=True, reason="the stemmer takes ب off بيروت (issue 8)")
        ),
        pytest.param(
            "لبنان", "لبنان", marks=pytest.mark.xfail(strict=True, reason="the stemmer takes ل off لبنان (issue 8)")
        ),
        pytest.param(
            "اللبناني", "لبنان", marks=pytest.mark.xfail(strict=True, reason="the stemmer takes ل off لبنان (issue 8)")
        ),
    ],
)
def test_light_stem_removes_particles_and_endings_but_not_name_letters(word, stem):
    assert light_stem(normalize(word)) == stem


def test_light_stem_keeps_kitab_family_words_apart():
    stems = {light_stem(normalize(word)) for word in ("مكتبة", "مكتوب", "كاتب")}
    assert len(stems) == 3


@pytest.mark.parametrize(
    "forms", [("وزير", "الوزير", "ووزير", "وزيره", "بالوزير"), ("كتاب", "الكتاب", "وكتاب", "بكتاب")]
)
def test_light_stem_gives_every_attached_form_of_a_word_the_same_stem(forms):
    assert len({light_stem(normalize(form)) for form in forms}) == 1


@pytest.mark.parametrize(("word", "expected"), [("والمدرس", "مدرس"), ("مدرسه", "مدرسه"), ("وليد", "وليد")])
def test_strip_particles_keeps_endings(word, expected):
    assert strip_particles(word) == expected
