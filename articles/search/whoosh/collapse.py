"""Syndicated copies listed once: one document per copy group among a search's matches.

Each document of a group carries the group (its lead's id, ``copy_group``) and its own id
(``copy_order``) in columns. Among the documents a search matches (after its filters), a group
is represented by its earliest stored member: the lead when it matches, else the earliest copy
that does, so a reader who filters by an outlet sees that outlet's own copy. The count, the
ranking and the facets all work on the represented documents, and a facet value counts the
groups that have it, which is how many results choosing that value lists.

Only grouped documents are looked at one by one (a cached set of them, per searcher), so a
search that matches none costs one set intersection.
"""

from collections import Counter

from whoosh import query

GROUP_FIELD = "copy_group"
ORDER_FIELD = "copy_order"


def grouped_docs(searcher, shared) -> frozenset:
    """Document numbers of every member of a copy group, cached for this searcher."""
    if GROUP_FIELD not in shared.schema:
        return frozenset()
    return shared.docs(searcher, query.NumericRange(GROUP_FIELD, 1, None))


def collapse_copies(searcher, shared, docs: set) -> set:
    """``docs`` with each copy group reduced to its earliest stored member among them."""
    members = docs & grouped_docs(searcher, shared)
    if not members:
        return docs
    groups = shared.column(searcher, GROUP_FIELD)
    order = shared.column(searcher, ORDER_FIELD)
    chosen: dict[int, int] = {}
    for docnum in members:
        group = groups[docnum]
        best = chosen.get(group)
        if best is None or order[docnum] < order[best]:
            chosen[group] = docnum
    return (docs - members) | set(chosen.values())


def repeated_facet_values(searcher, shared, docs: set, values: list, *, multivalued: bool) -> Counter:
    """How many times plain facet counting over ``docs`` counts a value again for a group that
    already has it: what to subtract so that a value counts groups, not their copies."""
    members = docs & grouped_docs(searcher, shared)
    repeated = Counter()
    if not members:
        return repeated
    groups = shared.column(searcher, GROUP_FIELD)
    seen = set()
    for docnum in members:
        group = groups[docnum]
        for value in values[docnum] if multivalued else (values[docnum],):
            if (group, value) in seen:
                repeated[value] += 1
            else:
                seen.add((group, value))
    return repeated
