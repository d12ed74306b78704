"""Shingles, MinHash signatures and LSH bands: what decides that two texts are one agency text."""

import numpy as np
import pytest

from articles.text import shingles as shingling
from tests.syndication_texts import (
    BOILERPLATE,
    BULLETIN_ONE,
    BULLETIN_TWO,
    REWRITE,
    UPDATE_OPENING,
    WIRE,
    WIRE_COPY,
)


@pytest.mark.parametrize(
    "text, words",
    [
        ("قال «الوزير»، يوم الأربعاء:", ["قال", "الوزير", "يوم", "الاربعاء"]),
        ("الأربعاء ، الخميس", ["الاربعاء", "الخميس"]),
        ("مُحَمَّدٌ وعليّ", ["محمد", "وعلي"]),
        ("فاز 2-1 على (إف.بي.آي)", ["فاز", "2-1", "علي", "اف.بي.اي"]),
        ("٢٠١٨ مدرسة", ["2018", "مدرسه"]),
        ("— ، …", []),
        ("", []),
    ],
)
def test_shingle_words_are_normalised_without_surrounding_punctuation(text, words):
    assert shingling.shingle_words(text) == words


@pytest.mark.parametrize(
    "first, second",
    [
        ("أعلنت الوزارة، الأربعاء، افتتاح المستشفى", "أعلنت الوزارة الأربعاء افتتاح المستشفى"),
        ("أعلنت الوزارة افتتاح المستشفى", "أَعْلَنَت الوِزارة افتتاح المستشفى"),
        ("إعلان الوزارة", "اعلان الوزاره"),
    ],
)
def test_spelling_and_punctuation_differences_give_the_same_shingles(first, second):
    assert np.array_equal(shingling.shingles(first), shingling.shingles(second))


@pytest.mark.parametrize(
    "text, count",
    [
        ("", 0),
        ("كلمة", 1),
        ("كلمتان فقط", 1),
        ("ثلاث كلمات هنا", 1),
        ("أربع كلمات في سطر", 2),
        ("كلمة كلمة كلمة كلمة كلمة", 1),
    ],
)
def test_a_text_has_one_shingle_per_distinct_run_of_three_words(text, count):
    assert len(shingling.shingles(text)) == count


@pytest.mark.parametrize(
    "first, second, copy",
    [
        (WIRE, WIRE, True),
        (WIRE, WIRE_COPY, True),
        (WIRE, REWRITE, False),
        (WIRE, UPDATE_OPENING, False),
        (BULLETIN_ONE, BULLETIN_TWO, False),
        (BOILERPLATE, BOILERPLATE, False),
        (WIRE, "", False),
    ],
    ids=["identical", "agency-copy", "rewrite", "update", "template", "short", "empty"],
)
def test_copies_are_confirmed_and_near_misses_are_not(first, second, copy):
    assert shingling.is_copy(shingling.shingles(first), shingling.shingles(second)) is copy


@pytest.mark.parametrize(
    "first, second, candidates",
    [
        (WIRE, WIRE_COPY, True),
        (WIRE, WIRE, True),
        (WIRE, BOILERPLATE, False),
        (BOILERPLATE, BOILERPLATE, False),
    ],
)
def test_copies_share_a_band_and_short_texts_have_none(first, second, candidates):
    _, first_bands = shingling.signature_bands(first)
    _, second_bands = shingling.signature_bands(second)
    assert (bool(first_bands and second_bands) and shingling.share_band(first_bands, second_bands)) is candidates


@pytest.mark.parametrize(
    "first, second, expected",
    [
        ([1, 2, 3], [1, 2, 3], 1.0),
        ([1, 2, 3, 4], [3, 4, 5, 6], 2 / 6),
        ([1, 2], [3, 4], 0.0),
        ([], [], 0.0),
    ],
)
def test_resemblance_is_the_jaccard_index(first, second, expected):
    as_set = lambda values: np.array(values, dtype=np.uint64)  # noqa: E731
    assert shingling.resemblance(as_set(first), as_set(second)) == pytest.approx(expected)


@pytest.mark.parametrize(
    "first, second, in_common",
    [([1, 2, 3], [9, 2, 8], True), ([1, 2, 3], [3, 2, 1], True), ([1, 2, 3], [4, 5, 6], False)],
)
def test_a_band_is_shared_only_at_the_same_position(first, second, in_common):
    assert shingling.share_band(first, second) is in_common


def test_the_signature_has_one_hash_per_band_and_is_stable_across_processes():
    # Band hashes are stored in the database: a change of seeds or hashing would make every
    # stored article invisible to new ones until detect_copies runs again.
    found, bands = shingling.signature_bands(WIRE)
    assert len(bands) == shingling.BANDS
    assert len(shingling.minhash(found)) == shingling.PERMUTATIONS
    assert bands[:3] == [4370217465211094197, -8034954989685559630, 8325531089574058669]


def test_an_empty_text_has_no_signature():
    with pytest.raises(ValueError):
        shingling.minhash(shingling.shingles(""))
