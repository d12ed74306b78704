"""Arabic text normalisation shared by the index analyser, the query path and entity keys.

Plain functions with no Django imports. Built on camel-tools' data-free utilities
(``camel_tools.utils``), which never touch the network.
"""

import re
import unicodedata

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


# A word is a letter or digit followed by letters, digits, combining marks (harakat are category Mn,
# which \w does not match, so a plain \w+ splits «مُحَمَّدٌ» into letters), tatweel, or invisible
# joiners pasted inside words. Offsets then point into the original, unnormalised text.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u00ad\u200b-\u200f\u2060-\u2064\ufeff"
WORD_RE = re.compile(f"[^\\W_](?:[^\\W_]|[{_MARKS}])*")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` as ``(word, start, end)``, offsets into ``text`` itself.

    Words are returned as written (not normalised) so callers can highlight them; vocalised
    words stay whole.
    """
    return [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


# Function words in their normalised spelling (so إلى and الى are one entry). Written by hand
# rather than taken from a library so that words that double as names or content words in news
# (e.g. «عمر», «سنة», «عام») are not on it. Question words are on it because readers type questions.
_BASE_STOP_WORDS = """
في من الي علي عن مع ان او ام ثم بل لا لم لن ما قد كان كانت يكون تكون كانوا هذا هذه ذلك تلك
هؤلاء اولئك هنا هناك هو هي هم هن هما انت انتم انا نحن الذي التي الذين اللذان اللتان اللاتي
حتي اذا اذ لو كل بعض غير بين عند عندما كما لكن لان حيث منذ خلال بعد قبل فوق تحت اي ايضا هل
كيف متي اين لماذا ماذا كم مثل دون ضد نحو لدي لقد الا الان اما انه انها ليس ليست يا به بها له
لها لهم منه منها عنه عنها فيه فيها عليه عليها اليه اليها ذات ذو تم ماهو ماهي
بما لما بماذا لمن بكم بهذا لهذا بهذه لهذه بذلك لذلك كذلك بعدما بينما
""".split()
# Common misspellings that are still function words (اللتي for التي), and a bare article or
# conjunction left by a typo or a space after it («و هي», «ال »).
_TYPO_STOP_WORDS = ("اللتي", "اللذي", "ال", "و", "ف", "ب", "ل", "ك")
# "and"/"so" + a function word is still a function word: وفي, ومن, فقد, ولكن ...
STOP_WORDS = frozenset(
    [*_BASE_STOP_WORDS, *_TYPO_STOP_WORDS]
    + [conjunction + word for conjunction in "وف" for word in _BASE_STOP_WORDS]
)

# The definite article with the particles that attach before it, longest first. «لل» is ل + ال.
_ARTICLE_PREFIXES = ("وبال", "وكال", "وال", "فال", "بال", "كال", "لل", "ال")
# Attached conjunctions and prepositions without an article. These letters also begin many
# stems and names (وليد, وائل, بيروت), so they are only taken off a word that stays ≥ 4 letters
# long: stripping a 4-letter word to 3 is where names get mangled (Lucene's وليد → ليد).
_PARTICLES = "وفبكل"
_MIN_AFTER_PARTICLE = 4
# Plural, feminine, nisba and pronoun endings, longest first. «ان» is left out: it ends far more
# names (لبنان, سلمان, عثمان) than duals in news text.
_SUFFIXES = ("هما", "كما", "تين", "يون", "يين", "ات", "ون", "ين", "ها", "هم", "هن", "كم", "نا", "يه", "ه", "ي")
_MIN_STEM = 3
_MAX_SUFFIX_PASSES = 2


def _strip_article(word: str) -> str:
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix):]
    return word


def _strip_single_particles(word: str) -> str:
    while word[:1] in _PARTICLES and len(word) - 1 >= _MIN_AFTER_PARTICLE:
        word = word[1:]
    return word


def strip_particles(word: str) -> str:
    """A normalised word without its attached article and particles, endings kept.

    The prefix-side half of :func:`light_stem`, for word beginnings typed before ``*``.
    """
    return _strip_single_particles(_strip_article(word))


def light_stem(word: str) -> str:
    """A light stem of an already normalised word: attached particles and endings removed.

    Order matters for consistency: the article goes first, then endings, and the single-letter
    particles are judged on what is left, so «وزيره», «الوزير» and «ووزير» all give «وزير» while
    «وليد» and «وائل» are untouched. The article leaves at least 2 letters, endings and particles
    at least 3.
    """
    word = _strip_article(word)
    for _ in range(_MAX_SUFFIX_PASSES):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return _strip_single_particles(word)
