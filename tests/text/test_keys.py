"""Identity keys: when two spellings name the same outlet, article or entity (articles.text.keys)."""

import pytest

from articles.text.keys import content_hash, entity_key, source_key


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("صحيفة الوطن", "الوطن", True),
        ("جريدة الشروق اليومية", "الشروق", True),
        ("وكالة الأنباء", "الانباء", True),
        ("BBC | عربي", "bbc عربي", True),
        ("الوطن", "الوطن الليبية", False),
        ("العربية.نت", "العربية", False),
    ],
)
def test_source_key_meets_outlet_name_variants(a, b, same):
    assert (source_key(a) == source_key(b)) is same


def test_source_key_of_a_name_made_only_of_outlet_words_keeps_them():
    assert source_key("جريدة") == "جريده"


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("عنوانُ المقال", "فقرة أولى.\n\nفقرة ثانية."),
        ("عنوان  المقال", "فقرة أولى.   فقرة ثانية."),
        ("\u200fعنوان المقال", "فقرة اولى. فقرة ثانيه."),
    ],
)
def test_content_hash_ignores_spacing_vocalisation_and_spelling_variants(title, body):
    assert content_hash(title, body) == content_hash("عنوان المقال", "فقرة أولى. فقرة ثانية.")


def test_content_hash_tells_title_from_body():
    assert content_hash("أ ب", "ج") != content_hash("أ", "ب ج")


@pytest.mark.parametrize(
    ("name", "kind", "key"),
    [
        ("أبو بكر", "PERS", "PERS:ابوبكر"),
        ("عبد الله", "PERS", "PERS:عبدالله"),
        ("الشريف", "PERS", "PERS:الشريف"),
        ("السودان", "LOC", "LOC:سودان"),
        ("وزارة الداخلية", "ORG", "ORG:وزاره الداخليه"),
        ("«جهاز الأمن»", "ORG", "ORG:جهاز الامن"),
    ],
)
def test_entity_key_folds_spelling_and_joins_name_prefixes(name, kind, key):
    assert entity_key(name, kind) == key
