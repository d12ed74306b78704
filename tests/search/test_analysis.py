"""The Whoosh analysers of :mod:`articles.analysis`."""

import pytest

from articles.search.analysis import broad_analyzer, exact_analyzer, normalize_prefix


def _tokens(analyzer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True, **kwargs)]


def test_broad_analyzer_stems_drops_stop_words_and_points_into_the_original_text():
    text = "قال مُحَمَّدٌ في المدرسة"
    tokens = _tokens(broad_analyzer(), text)
    assert tokens == [("قال", 0, 0, 3), ("محمد", 1, 4, 13), ("مدرس", 2, 17, 24)]
    assert text[17:24] == "المدرسة"


def test_exact_analyzer_normalises_and_keeps_stop_words():
    assert [t[0] for t in _tokens(exact_analyzer(), "قال مُحَمَّدٌ في المدرسة")] == ["قال", "محمد", "في", "المدرسه"]


def test_broad_analyzer_returns_stop_words_marked_when_asked_to_keep_them():
    tokens = [(t.text, t.stopped) for t in broad_analyzer()("ذهب الي المدرسة", removestops=False)]
    assert tokens == [("ذهب", False), ("الي", True), ("مدرس", False)]


@pytest.mark.parametrize("analyzer", [broad_analyzer(), exact_analyzer()], ids=["broad", "exact"])
@pytest.mark.parametrize(("spelling_a", "spelling_b"), [("أحمد", "احمد"), ("مصطفى", "مصطفي"), ("مُحَمَّد", "محمد"), ("٢٠١٨", "2018")])
def test_both_analysers_give_spelling_variants_one_term(analyzer, spelling_a, spelling_b):
    assert [t.text for t in analyzer(spelling_a)] == [t.text for t in analyzer(spelling_b)]


@pytest.mark.parametrize(("prefix", "broad", "expected"), [("والمدرس", True, "مدرس"), ("والمدرس", False, "والمدرس"), ("أحم", False, "احم")])
def test_normalize_prefix_matches_the_field_spelling(prefix, broad, expected):
    assert normalize_prefix(prefix, broad=broad) == expected


def test_analysers_compare_equal_by_strength():
    assert broad_analyzer() == broad_analyzer()
    assert broad_analyzer() != exact_analyzer()


@pytest.mark.parametrize("analyzer", [broad_analyzer(), exact_analyzer()], ids=["broad", "exact"])
def test_queries_and_documents_are_analysed_alike(analyzer):
    text = "وَقالَ الوزيرُ إنّ المدارسَ ستُفتح «غداً» في ٢٠ مدينة"
    assert [t.text for t in analyzer(text, mode="index")] == [t.text for t in analyzer(text, mode="query")]
