"""Words and sentences with offsets into the text as written (articles.text.tokens)."""

import pytest

from articles.text.tokens import sentence_bounds, tokenize, tokenize_with_punctuation


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


def test_tokenize_with_punctuation_keeps_marks_and_decimal_percentages_as_tokens():
    text = "ارتفع بنسبة 3.5% «أمس»."
    tokens = tokenize_with_punctuation(text)
    assert [token for token, _, _ in tokens] == ["ارتفع", "بنسبة", "3.5%", "«", "أمس", "»", "."]
    assert all(text[start:end] == token for token, start, end in tokens)


def test_sentence_bounds_cover_the_text_and_keep_closing_quotes_with_their_sentence():
    text = "قال: «انتهى.» ثم غادر؟ نعم\nسطر"
    bounds = sentence_bounds(text)
    assert [text[start:end] for start, end in bounds] == ["قال: «انتهى.» ", "ثم غادر؟ ", "نعم\n", "سطر"]
    assert "".join(text[start:end] for start, end in bounds) == text
