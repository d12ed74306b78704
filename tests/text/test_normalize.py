"""The one normaliser (articles.text.normalize): what it folds, and that its one-table form
gives exactly what the camel-tools chain it replaced gave."""

import gzip
import json
import sys
from itertools import islice

import pytest
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import normalize_alef_ar, normalize_alef_maksura_ar, normalize_teh_marbuta_ar

from articles.text.normalize import DIACRITICS_RE, TATWEEL, clean, normalize, normalize_word

_PERSIAN_LETTERS = str.maketrans({"ی": "ي", "ک": "ك", "ٱ": "ا"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def folded_by_camel_chain(text: str) -> str:
    """What normalize() did before its one translate table: the camel-tools calls in turn.

    Everything but the final lower() and the leading clean(); both sides share those.
    """
    text = text.translate(_PERSIAN_LETTERS)
    text = DIACRITICS_RE.sub("", dediac_ar(text)).replace(TATWEEL, "")
    text = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))
    return text.translate(_DIGITS)


def normalized_by_camel_chain(text: str) -> str:
    return folded_by_camel_chain(clean(text)).lower()


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
        ("صلى\u0610", "صلي"),  # Quranic sign sallallahou, U+0610
        ("ذلك\u06d6", "ذلك"),  # Quranic pause mark, U+06D6
        ("جـــمـيـل", "جميل"),  # tatweel
        ("ﻻ", "لا"),  # lam-alef ligature (presentation form)
        ("ﺑﻴﺖ", "بيت"),  # presentation forms
        ("ﺁﻣﺎﻝ", "امال"),  # alef-madda presentation form: NFKC first, then the alef fold
        ("ا\u0653", "ا"),  # decomposed alef + maddah: NFKC composes آ, which folds to ا
        ("و\u0654", "ؤ"),  # decomposed waw + hamza: NFKC composes ؤ, which stays
        ("فار\u200cسی", "فارسي"),  # ZWNJ and Persian yeh
        ("کتاب", "كتاب"),  # Persian keheh
        ("\u200fسوريا\u202c", "سوريا"),  # direction marks
        ("عام ٢٠١٨", "عام 2018"),
        ("۱۹۹۹", "1999"),
        ("①٢", "12"),  # circled digit via NFKC, Arabic-Indic digit via the table
        ("BBC News", "bbc news"),
        ("ΟΔΟΣ", "οδος"),  # lower() of the whole text: final sigma
        ("", ""),
    ],
)
def test_normalize_folds_spelling_variants_to_one_form(text, expected):
    assert normalize(text) == expected
    assert normalize(text) == normalized_by_camel_chain(text)


def test_normalize_table_equals_the_camel_chain_on_every_code_point():
    characters = [chr(code) for code in range(sys.maxunicode + 1) if code != 0x0A and not 0xD800 <= code <= 0xDFFF]
    # Every step maps one character to at most one, so one pass over all of them, one per line,
    # compares the two per character.
    text = "\n".join(characters)
    ours = normalize(text, cleaned=True).split("\n")
    reference = folded_by_camel_chain(text).lower().split("\n")
    differing = [(hex(ord(c)), a, b) for c, a, b in zip(characters, ours, reference, strict=True) if a != b]
    assert differing == []


def test_fast_path_equals_normalize_on_cleaned_text():
    text = clean("قال مُحَمَّدٌ\u200b إنّ ﻻ فرق في ١٩ أغسطس ٢٠٢٤ بين ٱلكتابين وﺑﻴﺖ")
    assert normalize(text, cleaned=True) == normalize(text)


def test_normalize_word_is_normalize():
    assert normalize_word("وَالمَدرَسَةُ") == normalize("وَالمَدرَسَةُ") == "والمدرسه"


def test_clean_keeps_diacritics_but_drops_invisible_characters():
    assert clean("مُحَمَّد\u200b") == "مُحَمَّد"


def test_arabic_indic_and_persian_digits_normalise_to_ascii():
    assert normalize("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹") == "0123456789 0123456789"


def _news_lines(shared, count: int) -> list[str]:
    lines = []
    for path in sorted((shared / "data" / "news").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as records:
            for record in islice(map(json.loads, records), count // 4):
                lines.append(record["title"])
                lines.extend(line for line in record["body"].splitlines() if line.strip())
    return lines


@pytest.mark.corpus
def test_normalize_equals_the_camel_chain_on_real_news(shared):
    lines = _news_lines(shared, 4000)
    assert len(lines) > 3000
    assert [normalize(line) for line in lines] == [normalized_by_camel_chain(line) for line in lines]


@pytest.mark.corpus
def test_fast_path_equals_normalize_on_real_cleaned_news(shared):
    lines = [clean(line) for line in _news_lines(shared, 4000)]
    assert [normalize(line, cleaned=True) for line in lines] == [normalize(line) for line in lines]
