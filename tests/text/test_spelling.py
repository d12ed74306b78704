import pytest

from articles.text.spelling import ARABIC_LETTERS, best_correction, corrected_text, one_edit_away, written_form

# Articles per normalised word in an imagined archive.
FREQUENCIES = {
    "الاقتصاد": 300,
    "الاقتراض": 15,
    "الاقتصاض": 1,
    "زعزعه": 40,
    "زقزقه": 1,
    "الامطار": 9,
    "المطار": 3,
    "ترامب": 120,
    "بوتين": 2,
    "google": 50,
    "سر": 90,
}


def frequency(word):
    return FREQUENCIES.get(word, 0)


@pytest.mark.parametrize(
    "word, correction",
    [
        ("الاقتصاص", "الاقتصاد"),  # replaced letter
        ("الاقتصد", "الاقتصاد"),  # deleted letter
        ("الاقتصااد", "الاقتصاد"),  # inserted letter
        ("الاقتصدا", "الاقتصاد"),  # swapped neighbours
        ("الاقتصاض", "الاقتصاد"),  # a typo found once, its correction 300 times
        ("الاقتراظ", "الاقتراض"),  # the closest frequent word, not the most frequent overall
        ("تارمب", "ترامب"),
        ("gogle", "google"),
        ("زقزقه", None),  # زعزعه is two edits away
        ("المطار", None),  # الامطار is one edit away but only three times as frequent
        ("بوتن", None),  # بوتين is in two articles only
        ("سرر", "سر"),  # three letters are enough
        ("سز", None),  # two letters: never
        ("2019", None),
        ("ترامب1", None),
        ("ترامب", None),  # a frequent word has no more frequent neighbour
        ("الاقتراض", None),  # in 15 articles: the archive's own word, though الاقتصاد is 20× as common
    ],
)
def test_best_correction_is_one_edit_away_and_much_more_frequent(word, correction):
    assert best_correction(word, frequency) == correction


def test_one_edit_away_makes_every_kind_of_edit_and_not_the_word_itself():
    edits = one_edit_away("باب", ARABIC_LETTERS)

    assert {"اب", "ابب", "بات", "بباب", "بابا"} <= edits
    assert "باب" not in edits
    assert "بب" in edits and "ببا" in edits


@pytest.mark.parametrize(
    ("text", "corrections", "expected"),
    [
        ("الاقتصاض في ليبيا", {"الاقتصاض": "الاقتصاد"}, "الاقتصاد في ليبيا"),
        ("«الاقتصاض» و«الرياضه»", {"الاقتصاض": "الاقتصاد", "الرياضه": "الرياضة"}, "«الاقتصاد» و«الرياضة»"),
        # Words are judged normalised (أ → ا, ة → ه) and replaced as the correction writes them.
        ("الأقتصاض", {"الاقتصاض": "الاقتصاد"}, "الاقتصاد"),
        ("ليبيا", {}, None),
        ("", {}, None),
    ],
)
def test_corrected_text_replaces_only_the_corrected_words(text, corrections, expected):
    assert corrected_text(text, corrections.get) == expected


@pytest.mark.parametrize(
    ("term", "texts", "expected"),
    [
        ("المدرسه", ["ذهب إلى المدرسةِ صباحاً"], "المدرسة"),
        ("الي", ["عاد إلـى بيته"], "إلى"),
        ("بيروت", ["لا شيء هنا", "في بيروت"], "بيروت"),
        ("طرابلس", ["لا شيء هنا"], "طرابلس"),
    ],
)
def test_written_form_is_the_first_spelling_the_texts_use(term, texts, expected):
    assert written_form(term, texts) == expected
