"""Variant skeletons and the miner of loanword spellings (articles/text/variants.py)."""

import pytest

from articles.text.normalize import normalize
from articles.text.variants import (
    MinerSettings,
    differ_in_ending_only,
    mine_variants,
    native_look_alikes,
    skeleton,
)


def _skeleton(word):
    return skeleton(normalize(word))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("الأمريكي", "الأميركي"),  # long vowel written or dropped
        ("ترامب", "ترمب"),
        ("بوتين", "بوتن"),
        ("الديمقراطية", "الديموقراطية"),
        ("أوروبا", "أوربا"),
        ("غوغل", "جوجل"),  # the letters for /g/
        ("الكونغرس", "الكونجرس"),
        ("إنجلترا", "إنكلترا"),
        ("الإنجليزي", "الإنكليزي"),
        ("سوريا", "سورية"),  # final ا or ة
        ("مسؤول", "مسئول"),  # hamza seats
    ],
)
def test_spellings_of_one_loanword_share_a_skeleton(a, b):
    assert _skeleton(a) == _skeleton(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("لاعبي", "لاعبو"),  # a final و/ي is an ending, kept
        ("سوري", "سوريا"),
        ("الأمريكي", "الأمريكية"),
        ("ليبيا", "لبنان"),
    ],
)
def test_different_words_keep_different_skeletons(a, b):
    assert _skeleton(a) != _skeleton(b)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ترامب", "ترمب"),
        ("الامريكي", "المرGي"),
        ("جوجل", "GGل"),
        ("سوريه", "سرA"),
        ("مسئول", "مسءل"),
        ("", ""),
    ],
)
def test_skeleton_of_a_normalised_word(word, expected):
    assert skeleton(word) == expected


@pytest.mark.parametrize(
    ("a", "b", "only_ending"),
    [
        ("لاعبي", "لاعبو", True),
        ("مرتفعه", "مرتفعا", True),
        ("الارجنتيني", "الارجنتين", True),
        ("مقربين", "مقربون", True),
        ("سوريا", "سوريه", False),  # a name's final يا/ية is a spelling
        ("بوتين", "بوتن", False),
        ("الامريكي", "الاميركي", False),
    ],
)
def test_pairs_that_differ_only_in_an_inflectional_ending(a, b, only_ending):
    assert differ_in_ending_only(a, b) is only_ending


@pytest.mark.parametrize(
    ("a", "b", "native"),
    [
        ("وواصل", "واصل", True),  # a particle attached
        ("اسقاط", "اسقط", True),  # verbal noun and verb
        ("اعتناق", "اعتنق", True),
        ("وقال", "ويقول", True),  # two tenses of one verb
        ("السابق", "الاسبق", True),  # an adjective and its elative
        ("مصدر", "مصادر", True),  # a broken plural the stemmer already conflates
        ("سفيرها", "سفيريها", True),  # a dual
        ("ترامب", "ترمب", False),  # the same insertion in a name not starting with ا
        ("الامريكي", "الاميركي", False),
    ],
)
def test_native_morphology_that_a_skeleton_cannot_tell_from_a_spelling(a, b, native):
    assert native_look_alikes(a, b) is native


def _documents():
    """Two outlets that spell a name each their own way, and native look-alikes used together."""
    docs = []
    for n in range(12):
        docs.append((f"قال الرئيس الأمريكي دونالد ترامب في خطاب {n} إن بلاده ستواصل دعم الحلفاء. "
                     "وقرأ الكاتب كتاب التاريخ وكتب مقالا عن الكتب.", "أ"))
        docs.append((f"قال الرئيس الأميركي دونالد ترمب في خطاب {n} إن بلاده ستواصل دعم الحلفاء. "
                     "وقرأ الكاتب كتاب التاريخ وكتب مقالا عن الكتب.", "ب"))
    # Other news, so that the neighbours above are not in every article.
    for n in range(40):
        docs.append((f"أعلنت وزارة الصحة تسجيل {n} إصابات جديدة في المدينة خلال الأسبوع.", "أب"[n % 2]))
    return docs


def test_the_miner_folds_house_spellings_of_a_name_and_not_native_look_alikes():
    classes, scores = mine_variants(_documents(), MinerSettings(min_df=5))
    folded = {frozenset(normalize(form) for form in forms) for forms in classes}
    assert frozenset(("ترامب", "ترمب")) in folded
    assert frozenset(("الامريكي", "الاميركي")) in folded
    words = {normalize(form) for forms in classes for form in forms}
    assert not words & {"كتاب", "وكتب", "الكاتب", "الكتب"}
    native = [s for s in scores if {s.a, s.b} == {"كتاب", "الكتب"} or {s.a, s.b} == {"وكتب", "الكتب"}]
    assert all(s.together == 1.0 for s in native)


def test_mined_classes_show_the_written_forms_most_frequent_first():
    docs = _documents() + [("زار ترامب المدينة وقال الرئيس الأمريكي كلمة.", "أ")] * 3
    classes, _ = mine_variants(docs, MinerSettings(min_df=5))
    assert ["ترامب", "ترمب"] in classes
    assert ["الأمريكي", "الأميركي"] in classes
