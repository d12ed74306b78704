"""«More like this» for the engines besides Whoosh: the key terms of a stored article, and its
best text matches ranked again by :func:`articles.search.whoosh.similar.rerank` (the same weights
of shared entities and dates), through a few callbacks each engine answers.

Key terms are weighted with the Bo1 model as Whoosh's ``classify.Expander`` does, except that a
term's share of the collection is its document frequency (one lookup for every term at once)
rather than its total count.
"""

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from whoosh import query

from articles.search.analysis import broad_analyzer
from articles.search.query import TEXT_FIELD
from articles.search.whoosh import similar


@dataclass(frozen=True)
class Candidate:
    """One text match: its engine key, text score, entity ids and date."""

    key: object
    score: float
    entities: tuple[int, ...]
    published_on: date | None


def key_terms(stored: dict, *, frequencies: Callable[[list[str]], dict[str, int]], documents: int) -> list[tuple[str, float]]:
    """The ``MORE_LIKE_THIS_TERMS`` best ``(term, weight)`` of a stored article, weights 0–1."""
    analyzer = broad_analyzer()
    counts: Counter = Counter()
    for text, times in ((stored.get("title") or "", similar.TITLE_TERM_WEIGHT), (stored.get(similar.BODY_FIELD) or "", 1)):
        for token in analyzer(text):
            counts[token.text] += times
    if not counts or not documents:
        return []
    df = frequencies(list(counts))
    weights = []
    for term, tf in counts.items():
        share = df.get(term, 0) / documents
        if share > 0:
            weights.append((term, tf * math.log2((1 + share) / share) + math.log2(1 + share)))
    weights.sort(key=lambda pair: -pair[1])
    top = weights[: similar.MORE_LIKE_THIS_TERMS]
    return [(term, weight / top[0][1]) for term, weight in top] if top and top[0][1] > 0 else []


def similar_query(terms: list[tuple[str, float]]):
    """The key terms searched in the broad text field, their weights as boosts."""
    return query.Or([query.Term(TEXT_FIELD, term, boost=weight) for term, weight in terms])


class _Reader:
    def __init__(self, documents: int, entity_frequency: Callable[[int], int]):
        self.documents = documents
        self.entity_frequency = entity_frequency

    def doc_count(self):
        return self.documents

    def doc_frequency(self, _fieldname, entity):
        return self.entity_frequency(entity)


class _Searcher:
    def __init__(self, reader: _Reader):
        self._reader = reader

    def reader(self):
        return self._reader


class _Columns:
    def __init__(self, columns: dict[str, list]):
        self.columns = columns

    def column(self, _searcher, name):
        return self.columns[name]


def rerank(own: Candidate, candidates: list[Candidate], *, documents: int, entity_frequency) -> list[tuple[Candidate, float]]:
    """``candidates`` (best text match first) ranked as related coverage of ``own``, as Whoosh ranks them."""
    everyone = [own, *candidates]
    columns = _Columns({
        similar.ENTITIES_FIELD: [c.entities for c in everyone],
        similar.DATE_FIELD: [c.published_on for c in everyone],
    })
    ranked = similar.rerank(
        _Searcher(_Reader(documents, entity_frequency)),
        (similar.ENTITIES_FIELD, similar.DATE_FIELD),
        columns,
        0,
        [(number, c.score) for number, c in enumerate(candidates, 1)],
    )
    return [(everyone[number], score) for number, score in ranked]
