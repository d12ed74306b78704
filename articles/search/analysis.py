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
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import compress

from whoosh.analysis import Token, Tokenizer

from articles.text.dates import ARABIC_MONTHS, MONTH_CANONICAL
from articles.text.normalize import DIACRITICS_RE, FOLDS, TATWEEL, normalize_word
from articles.text.stemmer import PLURAL_STEMS, STOP_WORDS, stem_endings, strip_particles
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
    ``(terms, stem)`` of ``matchers``: :meth:`TermMatcher.spans`."""
    return TermMatcher(matchers).spans(text)


class TermSet:
    """Terms and term prefixes: a term is in it if it is one of ``terms`` or starts with one of
    ``prefixes`` (a query's ``word*``)."""

    def __init__(self, terms=(), prefixes=()):
        self.terms: set[str] = set(terms)
        self.prefixes: set[str] = set(prefixes)

    def __bool__(self):
        return bool(self.terms or self.prefixes)

    def __contains__(self, term):
        return bool(term) and (term in self.terms or any(term.startswith(p) for p in self.prefixes))


class TermMatcher:
    """The words of stored texts whose term is in the terms of any ``(terms, stem)`` pair
    (``stem``: the broad analyser's terms, else the exact one's; ``terms`` a set or a
    :class:`TermSet`), as :class:`ArabicTokenizer` would find them, without building its tokens.

    Built once per query: highlighting reads every result's stored text. A word can only match if
    its normalised form holds a term (the broad terms are the normalised word less its particles
    and endings), a broken plural's stem or a month name that takes that term, so one regular
    expression over the text without its marks (each letter with the letters that fold to it)
    finds the few words worth judging: judging every word of every result's body took four
    times as long (226 against 55 µs a text over 300 searches of the 41k archive). The expression
    spells no marks: allowing them between every two letters made compiling it cost 2 ms a query.
    Texts the expression cannot stand for (not NFKC, terms with letters outside Arabic and ASCII,
    whose case and compatibility forms it does not spell out) have all their words judged instead.
    """

    def __init__(self, matchers):
        self.matchers = tuple(matchers)
        # «كانون الثاني» is one month term spanning two words: only a walk over the words finds it.
        self._months = any(stem and any(map(terms.__contains__, _MONTH_TERMS)) for terms, stem in self.matchers)
        self._needles = _needle_pattern(self.matchers)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the matching words of ``text`` (and two-word months), in text order."""
        if not text or not self.matchers:
            return []
        if self._months and _PAIR_HINT_RE.search(text) is not None:
            return _spans_with_month_pairs(text, self.matchers)
        if self._needles is None or not unicodedata.is_normalized("NFKC", text):
            return _spans_of_all_words(text, self.matchers)
        # The expression spells letters only: the marks a word may carry between them
        # (harakat, tatweel, invisible characters) are taken out of the text it reads, and
        # where they stood is remembered to find its matches in the text as written.
        removed = [match.start() - i for i, match in enumerate(_MARK_RE.finditer(text))]
        searched = _MARK_RE.sub("", text) if removed else text
        occurrences, reversed_text, resume = [], None, 0
        for match in self._needles.finditer(searched):
            first, last = match.start(), match.end() - 1
            if removed:
                first, last = first + bisect_right(removed, first), last + bisect_right(removed, last)
            if first < resume:
                continue
            if reversed_text is None:
                reversed_text = text[::-1]
            start = len(text) - _RUN_RE.match(reversed_text, len(text) - first).end()
            # A word of WORD_RE begins at a letter or digit, not at the marks before it.
            while not _WORD_CHAR_RE.match(text, start):
                start += 1
            resume = _RUN_RE.match(text, last + 1).end()
            occurrences.append((start, resume))
        words = {text[start:end] for start, end in occurrences}
        matched = {
            word for word in words
            if any((broad_term(word) if stem else normalize_word(word)) in terms for terms, stem in self.matchers)
        }
        return [(start, end) for start, end in occurrences if text[start:end] in matched]


_MONTH_TERMS = frozenset(MONTH_CANONICAL.values())
# The words whose broad term is a stem without being a substring of them: broken plurals (the
# stem of their singular) and month names of other systems (the canonical month).
_SPELLINGS_OF_STEM: dict[str, set[str]] = {}
for _plural, _singular in PLURAL_STEMS.items():
    _SPELLINGS_OF_STEM.setdefault(_singular, set()).add(_plural)
for _name, _month in _MONTH_WORDS.items():
    _SPELLINGS_OF_STEM.setdefault(_month, set()).add(exact_term(_name))
# Letters whose every written form the needle pattern can spell: in NFKC text only the folds of
# normalize() (and ASCII case) lead to them.
_NEEDLE_LETTERS_RE = re.compile("[\u0621-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff0-9a-z]+")
_FOLDED_FROM: dict[str, str] = {}
for _code, _folded in FOLDS.items():
    if _folded is not None:
        # str.maketrans gives the digits' targets as code points, the other folds as strings.
        _folded = chr(_folded) if isinstance(_folded, int) else _folded
        _FOLDED_FROM[_folded] = _FOLDED_FROM.get(_folded, _folded) + chr(_code)
_RUN_RE = re.compile(f"(?:[^\\W_]|[{WORD_MARKS}])*")


def _needle_pattern(matchers) -> re.Pattern | None:
    """One expression for the strings a matching word must hold, as written; ``None`` if some
    term has letters it cannot spell."""
    needles = set()
    for terms, stem in matchers:
        whole, prefixes = set(getattr(terms, "terms", terms)), tuple(getattr(terms, "prefixes", ()))
        needles.update(whole, prefixes)
        if stem:
            for term in whole:
                needles |= _SPELLINGS_OF_STEM.get(term, set())
            if prefixes:
                for stem_, spellings in _SPELLINGS_OF_STEM.items():
                    if stem_.startswith(prefixes):
                        needles |= spellings
    needles.discard("")
    if not needles or not all(map(_NEEDLE_LETTERS_RE.fullmatch, needles)):
        return None
    return _compiled_needles(frozenset(needles))


@lru_cache(maxsize=256)
def _compiled_needles(needles: frozenset[str]) -> re.Pattern:
    def letter(char):
        forms = _FOLDED_FROM.get(char, char) + (char.upper() if char.isascii() and char.isalpha() else "")
        return re.escape(forms) if len(forms) == 1 else f"[{re.escape(forms)}]"

    return re.compile("|".join("".join(map(letter, needle)) for needle in sorted(needles, key=len, reverse=True)))


def _spans_of_all_words(text: str, matchers) -> list[tuple[int, int]]:
    """:meth:`TermMatcher.spans` judging every distinct word of ``text`` once per analyser and
    looking the matched ones up again with ``str.find``."""
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
