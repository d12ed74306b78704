"""The proclitic stripper of the one stemmer module, and the one table of clitics it shares with
the search stemmer, and sentences of tokens."""

import pytest

from articles.text.normalize import normalize
from articles.text.stemmer import (
    ARTICLE,
    CONJUNCTIONS,
    ELIDED_ARTICLE,
    PREPOSITIONS,
    _ARTICLE_PREFIXES,
    _PARTICLES,
    light_stem,
    strip_particles,
    strip_proclitics,
)
from articles.text.tokens import sentence_tokens


@pytest.mark.parametrize("word, stripped", [
    ("والمدرسة", "مدرسة"),   # conjunction, then the article
    ("بالمدرسة", "مدرسة"),   # preposition before the article
    ("وبالمدرسة", "مدرسة"),
    ("للمدرسة", "مدرسة"),    # ل + ال written «لل»
    ("فللمدرسة", "مدرسة"),
    ("المدرسة", "مدرسة"),
    ("بيروت", "بيروت"),      # a preposition before a bare word stays: names begin so
    ("كريم", "كريم"),
    ("وكريم", "كريم"),       # the conjunction goes when three letters remain
    ("وعد", "وعد"),          # ... and stays when they would not
    ("الم", "الم"),          # the article leaves two letters at least
    ("بال", "بال"),
])
def test_strip_proclitics_takes_off_conjunction_preposition_and_article_in_order(word, stripped):
    assert strip_proclitics(normalize(word)) == normalize(stripped)


@pytest.mark.parametrize("word, dictionary_form", [
    ("للقاهرة", "القاهرة"),   # the elided alef comes back
    ("وللقاهرة", "القاهرة"),
    ("بالقاهرة", "القاهرة"),
    ("والقاهرة", "القاهرة"),
    ("القاهرة", "القاهرة"),
    ("بمصر", "بمصر"),         # without the article, a preposition needs a known stem ...
])
def test_strip_proclitics_keeping_the_article_gives_the_dictionary_form(word, dictionary_form):
    assert strip_proclitics(normalize(word), keep_article=True) == normalize(dictionary_form)


@pytest.mark.parametrize("word, expected", [
    ("بمصر", "مصر"),          # ... given in ``stems``
    ("لمصر", "مصر"),
    ("وبمصر", "مصر"),
    ("بمصرف", "بمصرف"),
    ("وليد", "وليد"),         # a word in ``whole`` keeps even its conjunction-like letter
    ("وليدا", "ليدا"),
])
def test_strip_proclitics_honours_known_stems_and_whole_words(word, expected):
    assert strip_proclitics(normalize(word), keep_article=True, whole={"وليد"}, stems={"مصر"}) == expected


def test_every_article_prefix_is_made_of_the_clitic_table():
    for prefix in _ARTICLE_PREFIXES:
        body = prefix.removesuffix(ARTICLE) if prefix.endswith(ARTICLE) else prefix.removesuffix(ELIDED_ARTICLE)
        assert prefix in (ARTICLE, ELIDED_ARTICLE) or all(ch in CONJUNCTIONS + PREPOSITIONS for ch in body)
    assert set(_PARTICLES) == set(CONJUNCTIONS + PREPOSITIONS)


@pytest.mark.parametrize("word, particles, stem", [
    # The search stemmer, built on the same table, also takes a preposition off a bare word
    # unless the word is one of its mined whole words, and its endings.
    ("وبالمدرسة", "مدرسه", "مدرس"),
    ("بيروت", "بيروت", "بيروت"),
    ("وبيروت", "بيروت", "بيروت"),
    ("وليد", "وليد", "وليد"),
    ("للمعلمين", "معلمين", "معلم"),
])
def test_search_stemmer_on_the_shared_table_is_unchanged(word, particles, stem):
    assert strip_particles(normalize(word)) == particles
    assert light_stem(normalize(word)) == stem


@pytest.mark.parametrize("text, sentences", [
    ("قال سمير. وأضاف أمس", [["قال", "سمير", "."], ["وأضاف", "أمس"]]),
    ("عنوان الخبر\nنص الخبر!", [["عنوان", "الخبر"], ["نص", "الخبر", "!"]]),
    ("«انتهى.» ثم غادر", [["«", "انتهى", ".", "»"], ["ثم", "غادر"]]),   # closing quote stays
    ("بلغ 3.5% هذا العام", [["بلغ", "3.5%", "هذا", "العام"]]),
    ("\n\n", []),
])
def test_sentence_tokens_group_tokens_by_sentence_with_offsets(text, sentences):
    found = sentence_tokens(text)
    assert [[token for token, _, _ in sentence] for sentence in found] == sentences
    assert all(text[start:end] == token for sentence in found for token, start, end in sentence)
