"""Arabic text normalisation: the one normaliser of the index, the queries, the parser and entities.

Plain functions with no Django imports. :func:`normalize` is one Unicode pass (NFKC and the
invisible characters, :func:`clean`) and one ``str.translate`` table; it gives what camel-tools'
``dediac_ar``, ``normalize_alef_ar``, ``normalize_alef_maksura_ar`` and ``normalize_teh_marbuta_ar``
give in turn (tests/text/test_normalize.py checks it on every code point and on real news).
"""

import re
import unicodedata
from functools import lru_cache

# Zero-width characters, bidi controls and marks, BOM, soft hyphen: invisible in a browser but they
# split or disguise words in pasted text.
INVISIBLE_RE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Harakat, Quranic marks and the superscript alef: a superset of camel-tools' dediac_ar, which
# misses U+0653-U+065F among others.
DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
TATWEEL = "\u0640"
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DIACRITICS = [*range(0x610, 0x61B), *range(0x64B, 0x660), 0x670, *range(0x6D6, 0x6EE)]
# Every letter-level fold at once: each rule maps one character, so their composition is a table.
FOLDS = {
    **_DIGITS,
    **dict.fromkeys([*_DIACRITICS, ord(TATWEEL)]),
    **dict.fromkeys(map(ord, "أإآٱ"), "ا"),
    ord("ى"): "ي",
    ord("ة"): "ه",
    # Persian yeh and keheh, common in pastes from Persian keyboards.
    ord("ی"): "ي",
    ord("ک"): "ك",
}


def clean(text: str) -> str:
    """Canonical Unicode (NFKC) with invisible and direction characters removed.

    Keeps diacritics and letter forms: this is what we store and show.
    """
    return INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text))


def normalize(text: str, *, cleaned: bool = False) -> str:
    """The search-strength form of ``text``: what the index and the queries compare.

    NFKC, no invisible characters, no diacritics or tatweel, one alef (أ إ آ ٱ → ا), ى → ي,
    ة → ه, Persian ی ک → ي ك, ASCII digits, lower-case Latin.

    ``cleaned=True`` is the fast path for text that is already the output of :func:`clean`
    (the parser's lines): it skips the Unicode pass, which is most of the cost, and gives the
    same result on such text.
    """
    if not cleaned:
        text = clean(text)
    return text.translate(FOLDS).lower()


@lru_cache(maxsize=1 << 18)
def normalize_word(word: str) -> str:
    """:func:`normalize` of one word, cached: news vocabulary is Zipfian, so most calls are repeats."""
    return normalize(word)
