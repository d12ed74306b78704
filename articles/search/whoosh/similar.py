"""Related coverage: the key terms of an article, and its best text matches ranked again as
coverage of the same story, by the entities they share with it and how close their dates are.

The weights are measured on ANT articles in ``bench/bench_related.py`` (docs/search.md).
"""

import math
from itertools import chain

from whoosh import classify

from articles.search.query import TEXT_FIELD

# How many key terms of an article are searched for, and how much more a title word counts
# than a body word.
MORE_LIKE_THIS_TERMS = 20
TITLE_TERM_WEIGHT = 3
# How many of the best text matches are ranked again.
RERANK_CANDIDATES = 100
ENTITY_WEIGHT = 0.5
DATE_WEIGHT = 0.2
DATE_HALF_LIFE_DAYS = 30
ENTITIES_FIELD = "entities"
DATE_FIELD = "published_on"
BODY_FIELD = "body"


def key_terms(searcher, schema, stored) -> list[tuple[str, float]]:
    """The ``MORE_LIKE_THIS_TERMS`` best ``(term, weight)`` of a stored article, weights 0–1."""
    field = schema[TEXT_FIELD]
    expander = classify.Expander(searcher.reader(), TEXT_FIELD, model=classify.Bo1Model)

    def weighted(text, times):
        return ((field.from_bytes(term), weight * times) for term, _freq, weight, _value in field.index(text))

    expander.add(chain(weighted(stored.get("title") or "", TITLE_TERM_WEIGHT),
                       weighted(stored.get(BODY_FIELD) or "", 1)))
    terms = expander.expanded_terms(MORE_LIKE_THIS_TERMS)
    top = terms[0][1] if terms else 0
    return [(term, weight / top) for term, weight in terms] if top > 0 else []


def rerank(searcher, schema, shared, docnum, candidates) -> list[tuple[int, float]]:
    """``candidates`` (``(docnum, BM25F score)``, best first) ranked as related coverage of ``docnum``.

    The score is the text score relative to the best candidate's, plus ``ENTITY_WEIGHT``
    times the share of the article's entities (by IDF) the candidate also names, scaled
    down by up to ``DATE_WEIGHT`` the further its date is from the article's (half-way at
    ``DATE_HALF_LIFE_DAYS``): coverage of one story names the same people and places, and
    comes out within days.
    """
    if not candidates:
        return []
    best = candidates[0][1] or 1.0
    entities = shared.column(searcher, ENTITIES_FIELD) if ENTITIES_FIELD in schema else None
    own = set(entities[docnum]) if entities else set()
    reader = searcher.reader()
    total = reader.doc_count() or 1
    idf = {entity: math.log(1 + total / (reader.doc_frequency(ENTITIES_FIELD, entity) or 1)) for entity in own}
    own_weight = sum(idf.values()) or 1.0
    dates = shared.column(searcher, DATE_FIELD) if DATE_FIELD in schema else None
    own_date = dates[docnum] if dates else None
    rescored = []
    for other, score in candidates:
        value = score / best
        if own:
            value += ENTITY_WEIGHT * sum(idf[e] for e in own.intersection(entities[other])) / own_weight
        if own_date and dates[other]:
            days = abs((dates[other] - own_date).days)
            value *= 1 - DATE_WEIGHT + DATE_WEIGHT * DATE_HALF_LIFE_DAYS / (DATE_HALF_LIFE_DAYS + days)
        rescored.append((other, value))
    rescored.sort(key=lambda pair: -pair[1])
    return rescored
