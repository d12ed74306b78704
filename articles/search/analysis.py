"""Whoosh analysers for Arabic text, built on :mod:`articles.text`.

Two strengths, one code path for documents and for queries:

* ``exact_analyzer()`` — words normalised by :func:`articles.text.normalize.normalize` (stop words kept, so that
  quoted phrases and names such as «علي», which normalises like the preposition على, stay findable).
* ``broad_analyzer()`` — the same words without stop words, light-stemmed by
  :func:`articles.text.stemmer.light_stem`.

Each analyser is a single tokenizer doing the whole chain in one pass rather than a Whoosh
filter chain, which passes every token through one more generator per filter. Normalising and
stemming go through per-word caches because news vocabulary is Zipfian: most tokens are repeats
of a few thousand words (≈300k tokens/s warm, ≈210k cold, on news bodies).
"""

from functools import lru_cache

from whoosh.analysis import Token, Tokenizer

from articles.text.normalize import normalize_word
from articles.text.stemmer import STOP_WORDS, light_stem, strip_particles
from articles.text.tokens import WORD_RE

_CACHE_SIZE = 1 << 18


def exact_term(word: str) -> str:
    """The exact-strength index term of one word as written (may be ``""`` for a lone mark)."""
    return normalize_word(word)


@lru_cache(maxsize=_CACHE_SIZE)
def broad_term(word: str) -> str:
    """The broad-strength index term of one word as written; ``""`` for stop words."""
    normal = exact_term(word)
    if not normal or normal in STOP_WORDS:
        return ""
    return light_stem(normal)


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
        for match in WORD_RE.finditer(value):
            word = match.group()
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


def exact_analyzer() -> ArabicTokenizer:
    """Analyser of the exact-strength fields (normalised words, stop words kept)."""
    return ArabicTokenizer(stem=False)


def broad_analyzer() -> ArabicTokenizer:
    """Analyser of the broad-strength fields (normalised, stop words removed, light-stemmed)."""
    return ArabicTokenizer(stem=True)
