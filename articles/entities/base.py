"""What every extractor is: :class:`Span`, the :class:`Extractor` protocol, BIO tags to token
ranges, and :class:`TaggingExtractor`, which turns any sentence tagger into ``extract()``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from articles.entities.lexicons import (
    GIVEN_NAMES,
    NAME_BOUNDARIES,
    ORG_HEADS,
    PLACE_PREFIXES,
    PLACE_WORDS,
    ROLE_WORDS,
    TITLES,
    dictionary_form,
)
from articles.text.normalize import normalize_word
from articles.text.stemmer import ARTICLE
from articles.text.tokens import sentence_tokens

KINDS = ("PERS", "ORG", "LOC")
# What ends a training sentence, and the quotes around names in news («الدكتور “حداد”»).
SENTENCE_END = frozenset({".", "؟", "!", "?"})
QUOTES = frozenset('"\'«»“”‘’')


@dataclass(frozen=True)
class Span:
    """One entity mention.

    ``start``/``end`` are character offsets into the text given to ``extract()`` and
    ``text == source[start:end]``. ``role`` is the title or office that introduces a person
    («وزير الصحة الدكتور»), ``None`` for other kinds or when there is none. ``name`` is the
    dictionary form when writing hides it: «للقاهرة» gives text «لقاهرة», name «القاهرة».
    ``confidence`` is the tagger's: the smallest probability it gave the label it chose on the
    span's words, ``None`` when the tagger gives none or a rule alone made the span.
    """

    kind: str
    start: int
    end: int
    text: str
    role: str | None = None
    name: str | None = None
    confidence: float | None = None


class Extractor(Protocol):
    """What every extractor offers."""

    name: str

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags (``B-PERS``, ``I-ORG``, ``O`` …), one per token of one sentence."""

    def extract(self, text: str) -> list[Span]:
        """Entity spans, in text order, found in raw article text."""

    def alone_share(self, token: str, kind: str) -> float | None:
        """How often ``token`` alone is a name of ``kind`` in the news (``None``: unknown)."""


def bio_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(kind, first, last + 1)`` token ranges from BIO tags; a stray ``I-`` starts an entity."""
    spans = []
    kind, start = None, 0
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, label = tag.partition("-")
        if kind is not None and (prefix != "I" or label != kind):
            spans.append((kind, start, i))
            kind = None
        if prefix in ("B", "I") and kind is None:
            kind, start = label, i
    return spans


class TaggingExtractor:
    """Shared ``extract()``: tokenise by sentence, ``tag()`` each, turn tags into Spans."""

    name = "base"

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags for one sentence; each extractor supplies its own."""
        raise NotImplementedError

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags for many sentences; subclasses batch when that is faster."""
        return [self.tag(s) for s in sentences]

    def article_tags(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags that ``extract()`` turns into spans; by default those of :meth:`tag_sentences`."""
        return self.tag_sentences(sentences)

    def scored_article_tags(self, sentences: list[list[str]]) -> tuple[list[list[str]], list[list[float | None]]]:
        """:meth:`article_tags` and, for each token, the probability the tagger gave its own
        label when that label was an entity's (``None`` otherwise, and from taggers that give
        no probabilities)."""
        tagged = self.article_tags(sentences)
        return tagged, [[None] * len(tags) for tags in tagged]

    def particle_before_name(self, token: str, kind: str) -> tuple[int, bool]:
        """Leading particle letters of ``token``, a name's first word, that the lexicons cannot
        tell from the name («وكوبنهاغن» in a list, «للسيسي»), and whether the article's alef is
        elided there; an extractor that knows how common words are decides. This one does not:
        ``(0, False)``."""
        return 0, False

    def alone_share(self, token: str, kind: str) -> float | None:
        """How often ``token``, where the news has it outside a longer name, is a name of ``kind``
        by itself: low for a common word the tagger now and then takes for a name («الله» or
        «تغريدة» as a person), or for a name of another kind («ترامب» as a place). ``None``
        when unknown, as here."""
        return None

    def extract(self, text: str) -> list[Span]:
        """Entity spans found in ``text`` (see :class:`Span`)."""
        sentences = sentence_tokens(text)
        all_tags, all_scores = self.scored_article_tags([[t for t, _, _ in s] for s in sentences])
        spans = []
        for sentence, tags, scores in zip(sentences, all_tags, all_scores):
            words = [t for t, _, _ in sentence]
            for kind, first, last in bio_spans(tags):
                if kind not in KINDS:
                    continue
                cut, elided = _proclitic_cut(words[first], kind)
                if not cut:
                    cut, elided = self.particle_before_name(words[first], kind)
                first_start = sentence[first][1] + cut
                end = sentence[last - 1][2]
                first_start, end = _trim_quotes(text, first_start, end)
                if first_start >= end:
                    continue
                role = _role(words, tags, first, last) if kind == "PERS" else None
                surface = text[first_start:end]
                name = "ا" + surface if elided and cut else None
                scored = [score for score in scores[first:last] if score is not None]
                confidence = round(min(scored), 4) if scored else None
                spans.append(Span(kind, first_start, end, surface, role, name, confidence))
        return spans


def _clitic_letters(token: str) -> tuple[int, bool, str]:
    """How many leading letters of ``token`` are proclitics (:func:`dictionary_form`), whether
    the article's alef is elided there («للقاهرة»), and the dictionary form.

    Nothing is cut (0) when normalising changes the token's length (diacritics, ligatures):
    offsets into the written token would not line up.
    """
    norm = normalize_word(token)
    bare = dictionary_form(norm)
    if len(norm) != len(token) or bare == norm:
        return 0, False, bare
    elided = bare.startswith(ARTICLE) and not norm.endswith(bare)
    return len(norm) - len(bare) + elided, elided, bare


def _proclitic_cut(token: str, kind: str) -> tuple[int, bool]:
    """Leading clitic letters to leave out of an entity's first token, and whether the article's
    alef is elided there: وجهاز → (1, False), للقاهرة → (1, True) giving «لقاهرة» = «القاهرة».

    Cuts only when what remains is a known place, institution head, given name or title, or a
    definite noun, or a place-name prefix for a place («بسيدي بوزيد»), so «وليد» or «فالنسيا» stay
    whole.
    """
    cut, elided, bare = _clitic_letters(token)
    norm = normalize_word(token)
    if not cut and kind == "LOC" and len(norm) == len(token) and norm[:1] in "وفبلك" \
            and norm[1:] in PLACE_PREFIXES:
        return 1, False  # «بسيدي بوزيد»: the prefix is outside the lexicons of dictionary_form
    if not cut or len(bare) < 2:
        return 0, False
    known = (bare in PLACE_WORDS or bare in ORG_HEADS or bare in GIVEN_NAMES or bare in ROLE_WORDS
             or (bare.startswith(ARTICLE) and kind != "PERS"))
    return (cut, elided) if known else (0, False)


def _trim_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not (text[start].isalnum()):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "%"):
        end -= 1
    return start, end


def _is_role_word(token: str) -> bool:
    norm = normalize_word(token)
    return norm in ROLE_WORDS or dictionary_form(norm) in ROLE_WORDS


def _role(words: list[str], tags: list[str], first: int, last: int) -> str | None:
    """The title/office words that introduce the person at ``words[first:last]``.

    Before the name: walk back (at most 8 words) over titles, office heads, ORG/LOC tokens and
    definite words («نائب رئيس المجلس البلدي الدكتور»); the role starts at the earliest
    office/title word reached, so «برئاسة», a comma or another person bound it. Failing that,
    an apposition after a dash («سمير حداد – مدير المستشفى الجامعي») up to the next punctuation.
    """
    start = None
    i = first - 1
    while i >= 0 and words[i] in QUOTES:
        i -= 1
    first = i + 1
    while i >= 0 and first - i <= 8:
        norm = normalize_word(words[i])
        bare = dictionary_form(norm)
        if _is_role_word(words[i]):
            start = i
            cut, _, word = _clitic_letters(words[i])
            if "ب" in words[i][:cut] and word in TITLES:
                break  # «ولي العهد بالرئيس الروسي»: the role starts at the title «بـ» governs
        elif norm in NAME_BOUNDARIES or tags[i].endswith("PERS") or not (
                tags[i] != "O" or norm.startswith(ARTICLE) or bare.startswith(ARTICLE)):
            break  # another person's name is not this one's title
        i -= 1
    if start is not None:
        role_words = words[start:first]
        cut, elided, bare = _clitic_letters(role_words[0])
        if bare in ROLE_WORDS and not elided:  # «ووزير» → «وزير»; «للوزير» stays as written
            role_words[0] = role_words[0][cut:]
        return " ".join(role_words)
    if last + 1 < len(words) and words[last] in ("-", "–", "—") and _is_role_word(words[last + 1]):
        end = last + 1
        while end < len(words) and end - last <= 8 and not is_punct(words[end]) \
                and normalize_word(words[end]) not in NAME_BOUNDARIES:
            end += 1
        return " ".join(words[last + 1:end])
    return None


def is_punct(token: str) -> bool:
    """Whether ``token`` has no letter or digit."""
    return not any(c.isalnum() for c in token)
