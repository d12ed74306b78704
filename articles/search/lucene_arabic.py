"""Lucene's ArabicAnalyzer and BM25, ported to Python: the yardstick ``search_eval`` compares with.

The issue's bar is "MRR@10 above BM25 with the Lucene Arabic analyser", so this is a faithful port
of what a stock Lucene/Elasticsearch/Solr index of Arabic does, not of what we do:

* ``StandardTokenizer``: runs of letters, digits and combining marks (UAX #29 keeps harakat and
  tatweel inside a word; for Arabic and Latin text that is all it does that matters here);
* ``LowerCaseFilter`` and ``DecimalDigitFilter`` (Arabic-Indic digits → ASCII);
* ``StopFilter`` with Lucene's Arabic list (Savoy's, BSD), applied *before* normalisation as in
  Lucene, so «إلى» is a stop word but a vocalised «إِلى» is not;
* ``ArabicNormalizationFilter`` and ``ArabicStemFilter`` (``ArabicNormalizer.java``,
  ``ArabicStemmer.java``: Larkey's light stemming);
* ``BM25Similarity``: k1 = 1.2, b = 0.75, IDF ``log(1 + (N - df + 0.5) / (df + 0.5))``, over one
  field holding title and body; the query is the OR of its analysed terms (Lucene's
  ``QueryParser`` default), a repeated term counting once per occurrence.

Lucene stores document lengths in one lossy byte; here they are exact, which can only reorder
documents whose scores differ by less than that rounding.
"""

import math
import re
from collections import Counter

# lucene/analysis/common/src/resources/org/apache/lucene/analysis/ar/stopwords.txt, as shipped
# (unnormalised: the filter runs before normalisation).
STOP_WORDS = frozenset("""
من ومن منها منه في وفي فيها فيه و ف ثم او أو ب بها به ا أ اى اي أي أى لا ولا الا ألا إلا لكن ما وما
كما فما عن مع اذا إذا ان أن إن انها أنها إنها انه أنه إنه بان بأن فان فأن وان وأن وإن التى التي الذى
الذي الذين الى الي إلى إلي على عليها عليه اما أما إما ايضا أيضا كل وكل لم ولم لن ولن هى هي هو وهى وهي
وهو فهى فهي فهو انت أنت لك لها له هذه هذا تلك ذلك هناك كانت كان يكون تكون وكانت وكان غير بعض قد نحو
بين بينما منذ ضمن حيث الان الآن خلال بعد قبل حتى عند عندما لدى جميع
""".split())

_WORD_RE = re.compile("[^\\W_](?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640])*")
_DIGITS = str.maketrans({chr(code): str(code - base) for base in (0x660, 0x6F0) for code in range(base, base + 10)})

# ArabicNormalizer: alef with hamza or madda → alef, ى → ي, ة → ه; tatweel and the eight harakat
# (U+064B-U+0652) deleted. Nothing else: not U+0670, not ٱ, not the Quranic marks.
_NORMALIZE = str.maketrans({
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647",
    **dict.fromkeys(["\u0640", *map(chr, range(0x064B, 0x0653))]),
})

# ArabicStemmer: the first matching prefix goes, then every matching suffix in this order.
_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")

K1 = 1.2
B = 0.75


def normalize(word: str) -> str:
    """``ArabicNormalizationFilter`` of one token."""
    return word.translate(_NORMALIZE)


def stem(word: str) -> str:
    """``ArabicStemFilter`` of one normalised token (``stemPrefix`` then ``stemSuffix``)."""
    for prefix in _PREFIXES:
        # startsWithCheckLength: «و» needs a word of ≥ 4 letters, the others 2 letters left over.
        if word.startswith(prefix) and len(word) >= (4 if len(prefix) == 1 else len(prefix) + 2):
            word = word[len(prefix):]
            break
    for suffix in _SUFFIXES:
        # endsWithCheckLength: every suffix leaves at least 2 letters; all of them are tried in turn.
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def analyze(text: str) -> list[str]:
    """The terms Lucene's ``ArabicAnalyzer`` makes of ``text``, in order."""
    terms = []
    for match in _WORD_RE.finditer(text):
        token = match.group().lower().translate(_DIGITS)
        if token in STOP_WORDS:
            continue
        token = stem(normalize(token))
        if token:
            terms.append(token)
    return terms


class BM25Index:
    """An in-memory inverted index of ``{doc_id: text}`` ranked with Lucene's BM25."""

    def __init__(self, texts: dict[str, str]):
        self.postings: dict[str, dict[str, int]] = {}
        self.lengths: dict[str, int] = {}
        for doc_id, text in texts.items():
            terms = analyze(text)
            self.lengths[doc_id] = len(terms)
            for term, count in Counter(terms).items():
                self.postings.setdefault(term, {})[doc_id] = count
        self.average_length = sum(self.lengths.values()) / len(self.lengths) if self.lengths else 0.0

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        return math.log(1 + (len(self.lengths) - df + 0.5) / (df + 0.5))

    def search(self, text: str, limit: int = 10) -> list[str]:
        """The ``limit`` best document ids for the OR of the query's terms; ties by doc id, as Lucene
        breaks them by index order."""
        scores: Counter[str] = Counter()
        for term in analyze(text):
            idf = self.idf(term)
            for doc_id, tf in self.postings.get(term, {}).items():
                norm = K1 * (1 - B + B * self.lengths[doc_id] / self.average_length)
                scores[doc_id] += idf * tf / (tf + norm)
        order = {doc_id: position for position, doc_id in enumerate(self.lengths)}
        return sorted(scores, key=lambda doc_id: (-scores[doc_id], order[doc_id]))[:limit]
