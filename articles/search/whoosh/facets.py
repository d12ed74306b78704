"""Facet counts over a search's matches, from the columns the shared searcher caches.

A common word matches most of the archive and every match carries a source, a year and a
dozen entity ids: counting those one Python call at a time cost more than the rest of such a
search, so integer columns are counted with numpy (``bincount`` over the matched documents'
values), and other columns the plain way.
"""

from collections import Counter
from itertools import chain

import numpy as np

from articles.search.whoosh.collapse import repeated_facet_values
from articles.search.whoosh.schema import IdListField

# Values up to this are counted in an array of this many bins; larger ones by sorting.
_MAX_BINS = 1 << 22


def facet_counts(searcher, shared, docs, facets) -> dict[str, list[tuple]]:
    """Per facet field, ``(value, count)`` over the matched ``docs``, most frequent first; a
    copy group counts once per value, and documents without a value are not counted."""
    docnums = np.fromiter(docs, dtype=np.int64, count=len(docs))
    counts = {}
    for name in facets:
        multivalued = isinstance(shared.schema[name], IdListField)
        numbers = shared.column_numbers(searcher, name)
        if numbers is None:
            values = shared.column(searcher, name)
            found = map(values.__getitem__, docs)
            counter = Counter(chain.from_iterable(found) if multivalued else found)
        else:
            counter = _value_counts(*numbers, docnums, searcher.doc_count_all())
        counter -= repeated_facet_values(
            searcher, shared, docs, shared.column(searcher, name), multivalued=multivalued
        )
        counter.pop(0, None)
        counter.pop(None, None)
        counts[name] = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return counts


def _value_counts(values, owners, docnums, size: int) -> Counter:
    """How often each integer of ``values`` occurs among the documents ``docnums``
    (``owners``: the document of each value of an id list; ``None``: one value per document)."""
    if owners is None:
        picked = values[docnums]
    else:
        matched = np.zeros(size, dtype=bool)
        matched[docnums] = True
        picked = values[matched[owners]]
    if not len(picked):
        return Counter()
    if picked.min() >= 0 and picked.max() < _MAX_BINS:
        bins = np.bincount(picked)
        found = np.flatnonzero(bins)
        return Counter(dict(zip(found.tolist(), bins[found].tolist())))
    found, times = np.unique(picked, return_counts=True)
    return Counter(dict(zip(found.tolist(), times.tolist())))
