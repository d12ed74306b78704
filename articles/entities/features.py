"""What the CRF sees of each token: :func:`sentence_features`, shared by training and tagging,
and the :class:`Gazetteer` of what the training text taught. Any change here changes the
feature strings the shipped model's weights are tied to: retrain it (docs/entities.md)."""

from __future__ import annotations

import functools
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
    (:func:`articles.entities.training.word_clusters`).
    """

    MAX_LEN = 5

    def __init__(self, words: dict[str, str], phrases: dict[tuple[str, ...], str],
                 common: frozenset[str] = frozenset(), clusters: dict[str, list[int]] | None = None):
        self.words = words
        self.phrases = phrases
        self.common = common
        self.clusters = clusters or {}

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
                "common": sorted(self.common), "clusters": self.clusters}

    @classmethod
    def from_json(cls, data: dict) -> Gazetteer:
        """Inverse of :meth:`to_json`."""
        return cls(data["words"], {tuple(p.split(" ")): k for p, k in data["phrases"]},
                   frozenset(data["common"]), data.get("clusters"))

    def match(self, norms: list[str]) -> list[str]:
        """BIO tags of the longest memorised phrases in ``norms`` (normalised tokens)."""
        tags = ["O"] * len(norms)
        stems = [dictionary_form(n) for n in norms]
        i = 0
        while i < len(norms):
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


def sentence_features(tokens: Sequence[str], gaz: Gazetteer) -> list[list[str]]:
    """CRF attributes for each token of one sentence."""
    norms = [normalize_word(t) for t in tokens]
    stems = [_stem(n) for n in norms]
    flags = [_token_flags(n, gaz) for n in norms]
    phrase_tags = gaz.match(norms)
    classes = [[f"c{k}={c}" for k, c in enumerate(gaz.cluster(w) or [])] for w in norms]
    n = len(tokens)
    speech = [i for i, fl in enumerate(flags) if "speech" in fl]
    heads = [i for i, fl in enumerate(flags) if "orghead" in fl]
    feats = []
    for i, (tok, w, s) in enumerate(zip(tokens, norms, stems)):
        f = [
            "b", "w=" + w, "s=" + s, "shape=" + _shape(tok), "len=" + str(min(len(s), 8)),
            "p2=" + s[:2], "p3=" + s[:3], "x2=" + s[-2:], "x3=" + s[-3:], "x1=" + s[-1:],
            "p4=" + s[:4], "x4=" + s[-4:],
            "al=" + str(w.startswith("ال") or s != w), "pre=" + w[: len(w) - len(s)],
            "gz=" + phrase_tags[i],
        ]
        f.extend("f=" + x for x in flags[i])
        f.extend(classes[i])
        # Context that does not depend on the previous tag: a speech verb near the word
        # («قال … فلان», «فلان … أكد»), an institution head a few words back, and whether the
        # words since that head form a genitive/adjective chain («وكالة الأنباء المصرية»).
        if any(0 < i - j <= 3 for j in speech):
            f.append("spk<")
        if any(0 < j - i <= 3 for j in speech):
            f.append("spk>")
        back = [j for j in heads if 0 < i - j <= 4]
        if back:
            f.append("orgctx")
            j = max(back)
            if all(norms[k].startswith(("ال", "لل")) for k in range(j + 1, i + 1)):
                f.append("orgchain")
                if "nisba" in flags[i]:
                    f.append("orgchain-nisba")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"{d}w={norms[j]}")
                f.append(f"{d}s={stems[j]}")
                f.extend(f"{d}f={x}" for x in flags[j])
                if d in (-1, 1):
                    f.append(f"{d}gz={phrase_tags[j]}")
                    f.extend(f"{d}{c}" for c in classes[j])
            else:
                f.append(f"{d}w=<pad>")
        if i > 0:
            f.append(f"bg-={norms[i - 1]}|{w}")
        if i + 1 < n:
            f.append(f"bg+={w}|{norms[i + 1]}")
        feats.append(f)
    return feats


# ---------------------------------------------------------------------------------------------
