"""The Whoosh analysers of :mod:`articles.search.analysis`."""

import pytest

from articles.search.analysis import broad_analyzer, exact_analyzer, normalize_prefix
from articles.search.query import TEXT_EXACT_FIELD, TEXT_FIELD, build_query


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


def _query_terms(q, mode):
    """The terms a query for ``q`` looks up in the mode's text field."""
    field = TEXT_FIELD if mode == "broad" else TEXT_EXACT_FIELD
    return [leaf.text for leaf in build_query(q, mode=mode).leaves() if leaf.field() == field]


@pytest.mark.parametrize("mode", ["broad", "exact"])
@pytest.mark.parametrize(
    "word",
    ["والمدرسةُ", "بالمكتبات", "مُحَمَّدٌ", "الإسكندرية", "مـحـمـد", "مستشفى", "٢٠١٨", "وليد", "للأطفال", "المسؤولين", "Beirut"],
)
def test_a_query_word_gives_the_term_the_same_word_gets_in_a_document(mode, word):
    # The query builder and the index analyser are separate code paths (tokenize + term
    # functions, and the tokenizer): a word must become the same term on both sides.
    document = f"قال الوزير «{word}»، في ٢٠ مدينة."
    analyzer = broad_analyzer() if mode == "broad" else exact_analyzer()
    start = document.index(word)
    indexed = [t.text for t in analyzer(document, chars=True) if t.startchar == start]

    assert indexed and _query_terms(word, mode) == indexed
