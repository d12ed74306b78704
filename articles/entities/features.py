"""What the CRF sees of each token: :func:`sentence_features`, shared by training and tagging,
and the :class:`Gazetteer` of what the training text taught. Any change here changes the
feature strings the shipped model's weights are tied to: retrain it (docs/entities.md)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable, Sequence

from articles.entities.base import bio_spans, is_punct
from articles.entities.lexicons import (
    GIVEN_NAMES,
    LOC_NOUNS,
    NAME_BOUNDARIES,
    NAME_LINKS,
    OFFICES,
    ORG_HEADS,
    ORG_SUFFIXES,
    PLACE_PREFIXES,
    PLACE_WORDS,
    SPEECH_VERBS,
    TITLES,
    dictionary_form,
    is_nisba,
)
from articles.text.normalize import normalize_word
from articles.text.stemmer import strip_proclitics


@functools.lru_cache(maxsize=200_000)
def _stem(norm: str) -> str:
    """A normalised word without a conjunction, a preposition before the article, or the article."""
    return strip_proclitics(norm)


# The kinds of :attr:`Gazetteer.alone`'s counts, in their order after the occurrences.
ALONE_KINDS = ("PERS", "ORG", "LOC")


def _shape(token: str) -> str:
    if len(token) > 1 and token.isascii() and token.isalpha() and token.isupper():
        return "acronym"
    if token.isdigit():
        return "digit"
    if any(c.isdigit() for c in token):
        return "hasdigit"
    if any("a" <= c.lower() <= "z" for c in token):
        return "latin"
    if is_punct(token):
        return "punct"
    return "ar"


class Gazetteer:
    """What the CRF's lexical features look up, saved beside the model (``.entities.json``).

    ``words`` maps a normalised word to the label it most often carries in training text when that
    label is an entity one (``PERS``/``LOC``/``ORG``/``MISC``); ``phrases`` holds whole
    multi-word entity strings for longest-match lookup; ``common`` the words seen at least twice
    and mostly outside entities; ``clusters`` word classes learned from unlabelled news
    (:func:`articles.entities.training.word_clusters`), its words commonest first; ``alone`` how
    the finished extractor read common words standing alone in that news
    (:func:`articles.entities.training.record_alone_counts`): ``[occurrences, as PERS, as ORG, as
    LOC]``.
    """

    MAX_LEN = 5

    def __init__(self, words: dict[str, str], phrases: dict[tuple[str, ...], str],
                 common: frozenset[str] = frozenset(), clusters: dict[str, list[int]] | None = None,
                 alone: dict[str, list[int]] | None = None):
        self.words = words
        self.phrases = phrases
        self.common = common
        self.clusters = clusters or {}
        self.alone = alone or {}

    def cluster(self, norm: str) -> list[int] | None:
        """Word classes of a normalised word (or of its clitic-stripped forms) if it has any."""
        return (self.clusters.get(norm) or self.clusters.get(dictionary_form(norm))
                or self.clusters.get(_stem(norm)))

    @classmethod
    def from_sentences(cls, sentences: Iterable[Sequence[tuple[str, str]]]) -> Gazetteer:
        """Memorise the entities of labelled sentences (``(token, tag)`` pairs)."""
        counts: dict[str, dict[str, int]] = {}
        phrases: dict[tuple[str, ...], dict[str, int]] = {}
        for sentence in sentences:
            tokens = [normalize_word(t) for t, _ in sentence]
            tags = [tag for _, tag in sentence]
            for tok, tag in zip(tokens, tags):
                label = tag.partition("-")[2] or "O"
                for key in {tok, _stem(tok)}:
                    counts.setdefault(key, {}).setdefault(label, 0)
                    counts[key][label] += 1
            for kind, a, b in bio_spans(tags):
                if b - a <= cls.MAX_LEN:
                    phrase = tuple(tokens[a:b])
                    phrases.setdefault(phrase, {}).setdefault(kind, 0)
                    phrases[phrase][kind] += 1
        words = {}
        common = set()
        for word, by_label in counts.items():
            label, n = max(by_label.items(), key=lambda kv: kv[1])
            if label != "O" and n * 2 > sum(by_label.values()):
                words[word] = label
            elif label == "O" and n >= 2:
                common.add(word)
        phrase_kinds = {p: max(k.items(), key=lambda kv: kv[1])[0] for p, k in phrases.items()}
        return cls(words, phrase_kinds, frozenset(common))

    def to_json(self) -> dict:
        """A JSON-serialisable form (see :meth:`from_json`)."""
        return {"words": self.words, "phrases": [[" ".join(p), k] for p, k in self.phrases.items()],
                "common": sorted(self.common), "clusters": self.clusters, "alone": self.alone}

    @classmethod
    def from_json(cls, data: dict) -> Gazetteer:
        """Inverse of :meth:`to_json`."""
        return cls(data["words"], {tuple(p.split(" ")): k for p, k in data["phrases"]},
                   frozenset(data["common"]), data.get("clusters"), data.get("alone"))

    def alone_share(self, norm: str, kind: str) -> float | None:
        """The share of a common normalised word's occurrences in the news, outside longer names,
        that the extractor read as a name of ``kind`` by itself; ``None`` for a word not counted."""
        counts = self.alone.get(norm)
        if counts is None or kind not in ALONE_KINDS:
            return None
        return counts[1 + ALONE_KINDS.index(kind)] / counts[0]

    def frequency_rank(self, norm: str) -> int | None:
        """How common a normalised word was in the news the word classes were learned from:
        0 for the commonest, ``None`` for one not among them."""
        return self._ranks.get(norm)

    @functools.cached_property
    def _ranks(self) -> dict[str, int]:
        return {word: rank for rank, word in enumerate(self.clusters)}

    @functools.cached_property
    def _first_words(self) -> frozenset[str]:
        return frozenset(phrase[0] for phrase in self.phrases)

    def match(self, norms: list[str]) -> list[str]:
        """BIO tags of the longest memorised phrases in ``norms`` (normalised tokens)."""
        tags = ["O"] * len(norms)
        stems = [dictionary_form(n) for n in norms]
        # Most words start no phrase: they skip the lookups of every length.
        first_words = self._first_words
        i = 0
        while i < len(norms):
            if norms[i] not in first_words and stems[i] not in first_words:
                i += 1
                continue
            for n in range(min(self.MAX_LEN, len(norms) - i), 0, -1):
                kind = self.phrases.get(tuple(norms[i:i + n]))
                if kind is None:
                    kind = self.phrases.get((stems[i], *norms[i + 1:i + n]))
                if kind is not None:
                    tags[i] = "B-" + kind
                    tags[i + 1:i + n] = ["I-" + kind] * (n - 1)
                    i += n
                    break
            else:
                i += 1
        return tags


def _token_flags(norm: str, gaz: Gazetteer) -> list[str]:
    bare = dictionary_form(norm)
    stem = _stem(norm)
    flags = [flag for flag, present in (
        ("place", bare in PLACE_WORDS or stem in PLACE_WORDS or ("ال" + stem) in PLACE_WORDS),
        ("given", bare in GIVEN_NAMES),
        ("title", bare in TITLES),
        ("office", bare in OFFICES),
        ("orghead", bare in ORG_HEADS or dictionary_form(stem) in ORG_HEADS),
        ("speech", norm in SPEECH_VERBS),
        ("stop", norm in NAME_BOUNDARIES),
        ("link", bare in NAME_LINKS),
        ("placepre", bare in PLACE_PREFIXES),
        ("locnoun", bare in LOC_NOUNS),
        ("orgsuf", norm in ORG_SUFFIXES or bare in ORG_SUFFIXES),
        ("nisba", is_nisba(norm)),
    ) if present]
    label = gaz.words.get(norm) or gaz.words.get(stem)
    if label:
        flags.append("mem=" + label)
    elif norm in gaz.common or stem in gaz.common:
        flags.append("common")
    else:
        flags.append("rare")
    return flags


@dataclass(frozen=True)
class _WordView:
    """What the features of a sentence take from one written word, whatever its neighbours.

    Built once per distinct word (news vocabulary is Zipfian: most tokens of a bulk import are
    repeats), so tagging builds only the strings that depend on the sentence.
    """

    norm: str
    stem: str
    flags: tuple[str, ...]
    own: tuple[str, ...]  # the word's own attributes, before its phrase tag
    own_tail: tuple[str, ...]  # its flags and word classes, after the phrase tag
    around: dict[int, tuple[str, ...]]  # as the neighbour at distance d: word, stem, flags
    classes_around: dict[int, tuple[str, ...]]  # as the neighbour at -1/+1: its word classes


@functools.lru_cache(maxsize=4)
def _views(gaz: Gazetteer):
    """The cached :class:`_WordView` builder of one gazetteer (one per loaded model; training
    and evaluation make a few)."""

    @functools.lru_cache(maxsize=_VIEW_CACHE_SIZE)
    def view(token: str) -> _WordView:
        w = normalize_word(token)
        s = _stem(w)
        flags = tuple(_token_flags(w, gaz))
        classes = tuple(f"c{k}={c}" for k, c in enumerate(gaz.cluster(w) or []))
        own = (
            "b", "w=" + w, "s=" + s, "shape=" + _shape(token), "len=" + str(min(len(s), 8)),
            "p2=" + s[:2], "p3=" + s[:3], "x2=" + s[-2:], "x3=" + s[-3:], "x1=" + s[-1:],
            "p4=" + s[:4], "x4=" + s[-4:],
            "al=" + str(w.startswith("ال") or s != w), "pre=" + w[: len(w) - len(s)],
        )
        around = {d: (f"{d}w={w}", f"{d}s={s}", *(f"{d}f={x}" for x in flags)) for d in _CONTEXT}
        classes_around = {d: tuple(f"{d}{c}" for c in classes) for d in (-1, 1)}
        return _WordView(w, s, flags, own, (*("f=" + x for x in flags), *classes), around, classes_around)

    return view


# Distinct words whose views stay cached (about 3.5 kB each, in every tagging process): the
# common vocabulary of the archive, which most tokens repeat.
_VIEW_CACHE_SIZE = 20_000
_CONTEXT = (-2, -1, 1, 2)


def sentence_features(tokens: Sequence[str], gaz: Gazetteer) -> list[list[str]]:
    """CRF attributes for each token of one sentence."""
    views = list(map(_views(gaz), tokens))
    norms = [v.norm for v in views]
    phrase_tags = gaz.match(norms)
    n = len(tokens)
    speech = [i for i, v in enumerate(views) if "speech" in v.flags]
    heads = [i for i, v in enumerate(views) if "orghead" in v.flags]
    feats = []
    for i, v in enumerate(views):
        w = v.norm
        f = [*v.own, "gz=" + phrase_tags[i], *v.own_tail]
        # Context that does not depend on the previous tag: a speech verb near the word
        # («قال … فلان», «فلان … أكد»), an institution head a few words back, and whether the
        # words since that head form a genitive/adjective chain («وكالة الأنباء المصرية»).
        if speech:
            if any(0 < i - j <= 3 for j in speech):
                f.append("spk<")
            if any(0 < j - i <= 3 for j in speech):
                f.append("spk>")
        back = [j for j in heads if 0 < i - j <= 4] if heads else ()
        if back:
            f.append("orgctx")
            j = max(back)
            if all(norms[k].startswith(("ال", "لل")) for k in range(j + 1, i + 1)):
                f.append("orgchain")
                if "nisba" in v.flags:
                    f.append("orgchain-nisba")
        for d in _CONTEXT:
            j = i + d
            if 0 <= j < n:
                f.extend(views[j].around[d])
                if d in (-1, 1):
                    f.append(f"{d}gz={phrase_tags[j]}")
                    f.extend(views[j].classes_around[d])
            else:
                f.append(f"{d}w=<pad>")
        if i > 0:
            f.append(f"bg-={norms[i - 1]}|{w}")
        if i + 1 < n:
            f.append(f"bg+={w}|{norms[i + 1]}")
        feats.append(f)
    return feats


# ---------------------------------------------------------------------------------------------
