"""Whoosh analysers for Arabic text, built on :mod:`articles.text`.

Two strengths, one code path for documents and for queries:

* ``exact_analyzer()`` — words normalised by :func:`articles.text.normalize.normalize` (stop words kept, so that
  quoted phrases and names such as «علي», which normalises like the preposition على, stay findable).
* ``broad_analyzer()`` — the same words without stop words, light-stemmed by
  :func:`articles.text.stemmer.light_stem`, month names of every system folded to one term.

Each analyser is a single tokenizer doing the whole chain in one pass rather than a Whoosh
filter chain, which passes every token through one more generator per filter. Normalising and
stemming go through per-word caches because news vocabulary is Zipfian: most tokens are repeats
of a few thousand words (≈300k tokens/s warm, ≈210k cold, on news bodies).
"""

import re
from functools import lru_cache
from itertools import compress

from whoosh.analysis import Token, Tokenizer

from articles.text.dates import ARABIC_MONTHS, MONTH_CANONICAL
from articles.text.normalize import DIACRITICS_RE, TATWEEL, normalize_word
from articles.text.stemmer import STOP_WORDS, stem_endings, strip_particles
from articles.text.tokens import WORD_MARKS, WORD_RE

_CACHE_SIZE = 1 << 18


def exact_term(word: str) -> str:
    """The exact-strength index term of one word as written (may be ``""`` for a lone mark)."""
    return normalize_word(word)


# Month names of the Gregorian, Levantine/Iraqi and Maghrebi systems fold to one broad term, so
# «سبتمبر», «أيلول» and «شتنبر» meet. Single words that double as other words were measured on the
# news corpora: «آب» (also أب, father), «ماي», «أيار», «آذار» have a number or year beside them
# about as often (29–43 %) as unambiguous names (35–57 %), so they are folded too.
_MONTH_WORDS = {name: MONTH_CANONICAL[number] for name, number in ARABIC_MONTHS.items() if " " not in name}
# «كانون»/«تشرين» alone name no month: the pair with the following word does (see ArabicTokenizer).
_MONTH_PAIRS = {tuple(name.split()): MONTH_CANONICAL[number] for name, number in ARABIC_MONTHS.items() if " " in name}
_PAIR_FIRST_WORDS = frozenset(first for first, _ in _MONTH_PAIRS)
# A text that cannot hold «كانون»/«تشرين» (even with diacritics or tatweel inside) skips the
# look-ahead for month pairs: the analyser reads every highlighted snippet too.
_MARKS = f"[{TATWEEL}{DIACRITICS_RE.pattern[1:-1]}]*"
_WORD_CHAR_RE = re.compile(r"[^\W_]")
_MARK_RE = re.compile(f"[{WORD_MARKS}]")
_PAIR_HINT_RE = re.compile("|".join(_MARKS.join(word) for word in sorted(_PAIR_FIRST_WORDS)))


@lru_cache(maxsize=_CACHE_SIZE)
def broad_term(word: str) -> str:
    """The broad-strength index term of one word as written; ``""`` for stop words."""
    normal = exact_term(word)
    if not normal or normal in STOP_WORDS:
        return ""
    core = strip_particles(normal)
    return _MONTH_WORDS.get(normal) or _MONTH_WORDS.get(core) or stem_endings(core)


@lru_cache(maxsize=_CACHE_SIZE)
def _pair_first(word: str) -> str:
    """«كانون»/«تشرين» normalised if ``word`` as written is one of them (particles aside), else ``""``.

    Cached: the analyser asks this of every word it reads, highlighting included.
    """
    first = strip_particles(exact_term(word))
    return first if first in _PAIR_FIRST_WORDS else ""


def starts_month_pair(word: str) -> bool:
    """Whether ``word`` as written («كانون», «وتشرين») may begin a two-word month name."""
    return bool(_pair_first(word))


def month_pair_term(first: str, second: str) -> str:
    """The month term of a two-word name («كانون الثاني», «تشرين أول») as written, else ``""``."""
    first = _pair_first(first)
    return _MONTH_PAIRS.get((first, exact_term(second)), "") if first else ""


def normalize_prefix(prefix: str, broad: bool) -> str:
    """The index-side spelling of the start of a word typed before ``*``.

    Normalised like a whole word; for the broad field the attached particles are also removed
    (the stems there have lost them), but not endings, which a prefix cannot be judged to have.
    """
    normal = exact_term(prefix)
    if broad:
        normal = strip_particles(normal)
    return normal


class ArabicTokenizer(Tokenizer):
    """Words → normalised (``stem=False``) or stop-filtered light stems (``stem=True``).

    Character offsets (``chars=True``) point into the original text, so highlighting marks the
    word as written, diacritics included. Stop words do not take a position, as with Whoosh's
    ``StopFilter``, so a phrase query analysed the same way lines up.
    """

    def __init__(self, stem: bool):
        self.stem = stem

    def __eq__(self, other):
        return isinstance(other, ArabicTokenizer) and other.stem == self.stem

    def __hash__(self):
        return hash((ArabicTokenizer, self.stem))

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        """Yield one reused :class:`whoosh.analysis.Token` per word, like Whoosh's tokenizers."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Whoosh asks for an untokenised value for wildcard and range terms: normalise only.
            token.text = exact_term(value)
            token.original = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        term_of = broad_term if self.stem else exact_term
        pos = start_pos
        pairs = self.stem and _PAIR_HINT_RE.search(value) is not None
        matches = list(WORD_RE.finditer(value)) if pairs else WORD_RE.finditer(value)
        following = dict(zip(matches, matches[1:])) if pairs else None
        for match in matches:
            word = match.group()
            if pairs and _pair_first(word) and match in following:
                second = following[match]
                month = month_pair_term(word, second.group())
                if month:
                    # The month of «كانون الثاني», spanning both words, beside their own terms.
                    token.text, token.stopped, token.boost = month, False, 1.0
                    if keeporiginal:
                        token.original = value[match.start():second.end()]
                    if positions:
                        token.pos = pos
                    if chars:
                        token.startchar = start_char + match.start()
                        token.endchar = start_char + second.end()
                    yield token
            term = term_of(word)
            stopped = False
            if not term:
                if removestops or not self.stem:
                    continue
                # Highlighters ask for stop words too (removestops=False), marked as stopped.
                term, stopped = exact_term(word), True
                if not term:
                    continue
            token.text = term
            token.stopped = stopped
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
                if not stopped:
                    pos += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def matching_spans(text: str, terms, *, stem: bool) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` (and two-word months) whose term is in ``terms``,
    in text order: :func:`spans_matching_any` of one analyser's terms."""
    return spans_matching_any(text, ((terms, stem),))


def spans_matching_any(text: str, matchers) -> list[tuple[int, int]]:
    """Character spans, in text order, of the words of ``text`` whose term is in the terms of any
    ``(terms, stem)`` of ``matchers`` (``stem``: the broad analyser's terms, else the exact one's).

    The terms of :class:`ArabicTokenizer` (stop words left out), without building its tokens:
    highlighting reads every result's stored text, and Whoosh's per-token attributes were a
    third of a search's time. The words of the text are found once for all the analysers, each
    distinct word is judged once per analyser (a news body repeats most of its words), and only
    the matched ones are looked for again, with ``str.find``.
    """
    if any(stem for _terms, stem in matchers) and _PAIR_HINT_RE.search(text) is not None:
        return _spans_with_month_pairs(text, matchers)
    words = list(set(WORD_RE.findall(text)))
    hits = set()
    for terms, stem in matchers:
        # normalize_word is exact_term without a call around it: this runs over every result's text.
        term_of = broad_term if stem else normalize_word
        hits.update(compress(words, map(terms.__contains__, map(term_of, words))))
    spans = []
    for word in hits:
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if _starts_word(text, start) and not _continues_word(text, end):
                spans.append((start, end))
            start = text.find(word, end)
    spans.sort()
    return spans


def _starts_word(text: str, start: int) -> bool:
    """Whether a word of :data:`WORD_RE` can begin at ``start``: no letter or digit before it,
    marks aside (a mark after a letter belongs to that letter's word)."""
    for i in range(start - 1, -1, -1):
        if _WORD_CHAR_RE.match(text, i):
            return False
        if not _MARK_RE.match(text, i):
            return True
    return True


def _continues_word(text: str, end: int) -> bool:
    return end < len(text) and (_WORD_CHAR_RE.match(text, end) or _MARK_RE.match(text, end)) is not None


def _spans_with_month_pairs(text: str, matchers) -> list[tuple[int, int]]:
    """:func:`spans_matching_any` of a text that may hold «كانون …»/«تشرين …»: a walk over its words."""
    matches = list(WORD_RE.finditer(text))
    spans = []
    for match, following in zip(matches, [*matches[1:], None]):
        word = match.group()
        for terms, stem in matchers:
            if stem and following is not None and _pair_first(word) \
                    and month_pair_term(word, following.group()) in terms:
                spans.append((match.start(), following.end()))
            if (broad_term if stem else normalize_word)(word) in terms:
                spans.append((match.start(), match.end()))
    # A month pair and its first word start together: the pair first, as the analyser yields them.
    return sorted(set(spans), key=lambda span: (span[0], -span[1]))


def exact_analyzer() -> ArabicTokenizer:
    """Analyser of the exact-strength fields (normalised words, stop words kept)."""
    return ArabicTokenizer(stem=False)


def broad_analyzer() -> ArabicTokenizer:
    """Analyser of the broad-strength fields (normalised, stop words removed, light-stemmed)."""
    return ArabicTokenizer(stem=True)
