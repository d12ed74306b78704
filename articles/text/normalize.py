"""Arabic text normalisation: the one normaliser of the index, the queries, the parser and entities.

Plain functions with no Django imports. Built on camel-tools' data-free utilities
(``camel_tools.utils``), which never touch the network.
"""

import re
import unicodedata
from functools import lru_cache

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

# Zero-width characters, bidi controls and marks, BOM, soft hyphen: invisible in a browser but they
# split or disguise words in pasted text.
INVISIBLE_RE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Harakat, Quranic marks and the superscript alef; dediac_ar misses some of U+0653-U+065F.
DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
TATWEEL = "\u0640"
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_PERSIAN_LETTERS = str.maketrans({"ی": "ي", "ک": "ك", "ٱ": "ا"})


def clean(text: str) -> str:
    """Canonical Unicode (NFKC) with invisible and direction characters removed.

    Keeps diacritics and letter forms: this is what we store and show.
    """
    return INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text))


def normalize_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII 0-9."""
    return text.translate(_DIGITS)


def normalize(text: str) -> str:
    """The search-strength form of ``text``: what the index and the queries compare.

    NFKC, no invisible characters, no diacritics or tatweel, one alef (أ إ آ ٱ → ا), ى → ي,
    ة → ه, Persian ی ک → ي ك, ASCII digits, lower-case Latin.
    """
    text = clean(text).translate(_PERSIAN_LETTERS)
    text = DIACRITICS_RE.sub("", dediac_ar(text)).replace(TATWEEL, "")
    text = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))
    return normalize_digits(text).lower()




@lru_cache(maxsize=1 << 18)
def normalize_word(word: str) -> str:
    """:func:`normalize` of one word, cached: news vocabulary is Zipfian, so most calls are repeats."""
    return normalize(word)
