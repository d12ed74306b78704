"""The site's query (the Whoosh query tree of :func:`articles.search.query.build_search`) → the
OpenSearch query DSL, over fields that hold our own terms separated by spaces (whitespace
analyser): a term is a ``term`` query, a phrase ``match_phrase``, a prefix ``prefix``; AND, OR,
``AndMaybe`` and ``AndNot`` are ``bool`` queries, whose scores add up as Whoosh's do. Scoring is
the engine's BM25 with the archive's parameters (:func:`similarity`)."""

from whoosh import query

from articles.search.query import TITLE_EXACT_FIELD, TITLE_FIELD, WEIGHTING

MATCH_NONE = {"match_none": {}}


class UnsupportedQuery(ValueError):
    """A node of the query tree this backend does not translate."""


def similarity() -> dict:
    """Index settings: BM25 as :data:`articles.search.query.WEIGHTING`, titles unnormalised."""
    return {
        "default": {"type": "BM25", "k1": WEIGHTING.K1, "b": WEIGHTING.B},
        "title": {"type": "BM25", "k1": WEIGHTING.K1, "b": 0.0},
    }


TITLE_FIELDS = (TITLE_FIELD, TITLE_EXACT_FIELD)


def _boost(node, body: dict) -> dict:
    boost = float(getattr(node, "boost", 1.0))
    if boost != 1.0:
        body["boost"] = boost
    return body


def compile_query(node) -> dict:
    """The DSL of ``node``."""
    if node is query.NullQuery or isinstance(node, query.NullQuery.__class__):
        return MATCH_NONE
    if isinstance(node, query.Every):
        return {"match_all": {}}
    if isinstance(node, query.Term):
        return {"term": {node.fieldname: _boost(node, {"value": node.text})}}
    if isinstance(node, query.Phrase):
        return {"match_phrase": {node.fieldname: _boost(node, {"query": " ".join(node.words)})}}
    if isinstance(node, query.Prefix):
        return {"prefix": {node.fieldname: _boost(node, {"value": node.text})}}
    if isinstance(node, query.AndNot):
        return {"bool": _boost(node, {"must": [compile_query(node.a)], "must_not": [compile_query(node.b)]})}
    if isinstance(node, query.AndMaybe):
        return {"bool": _boost(node, {"must": [compile_query(node.a)], "should": [compile_query(node.b)]})}
    if isinstance(node, query.And):
        return {"bool": _boost(node, {"must": [compile_query(sub) for sub in node.subqueries]})}
    if isinstance(node, query.Or):
        should = [compile_query(sub) for sub in node.subqueries]
        return {"bool": _boost(node, {"should": should, "minimum_should_match": 1})}
    raise UnsupportedQuery(f"the OpenSearch backend cannot translate {type(node).__name__} queries")
