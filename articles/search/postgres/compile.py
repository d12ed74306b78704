"""The site's query (the Whoosh query tree of :func:`articles.search.query.build_search`) → SQL.

The query compiler stays the one in :mod:`articles.search.query`; this module only translates
its tree, so PostgreSQL matches exactly the terms Whoosh matches. Every text field is a
``tsvector`` of our own terms (``<field>_vec``, matched with ``@@``), a ``jsonb`` of term
frequencies (``<field>_tf``) and a length (``<field>_len``). Scores are Whoosh's BM25F with the
archive's weighting (:data:`articles.search.query.WEIGHTING`): per term
``idf × tf(k1+1) / (tf + k1(1 − b + b·len/avglen))`` times the term's boost; AND and OR add up
the scores of what matched, ``AndMaybe`` adds the optional part, ``AndNot`` scores its positive
part. Phrases score as the sum of their terms; prefixes score their boost, as Whoosh's
constant-score prefix queries do.
"""

from dataclasses import dataclass, field

from whoosh import query

from articles.search.query import WEIGHTING


def tsquery_lexeme(term: str) -> str:
    """``term`` as one quoted lexeme of a ``tsquery``/``tsvector`` literal (no parsing inside)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass
class Statistics:
    """What BM25 needs from the index: document count, average field lengths, document frequencies."""

    documents: int
    average_lengths: dict[str, float]
    frequencies: dict[tuple[str, str], int] = field(default_factory=dict)

    def idf(self, fieldname: str, term: str) -> float:
        return WEIGHTING.idf(_StatsSearcher(self), fieldname, term)


class _StatsSearcher:
    """The two methods of a Whoosh searcher that :meth:`ProbabilisticBM25F.idf` calls."""

    def __init__(self, stats: Statistics):
        self.stats = stats

    def get_parent(self):
        return self

    def doc_frequency(self, fieldname, text):
        return self.stats.frequencies.get((fieldname, text), 0)

    def doc_count_all(self):
        return self.stats.documents


@dataclass(frozen=True)
class Sql:
    """A fragment of SQL with its ``%s`` parameters."""

    text: str
    params: tuple = ()

    @staticmethod
    def join(separator: str, parts) -> "Sql":
        parts = list(parts)
        return Sql(separator.join(p.text for p in parts), tuple(v for p in parts for v in p.params))


TRUE, FALSE, ZERO = Sql("TRUE"), Sql("FALSE"), Sql("0")


def terms_of(node) -> list[tuple[str, str]]:
    """Every ``(field, term)`` whose document frequency the score of ``node`` needs."""
    if isinstance(node, query.Term):
        return [(node.fieldname, node.text)]
    if isinstance(node, query.Phrase):
        return [(node.fieldname, word) for word in node.words]
    if isinstance(node, query.AndNot):
        return terms_of(node.a)
    if isinstance(node, query.AndMaybe):
        return terms_of(node.a) + terms_of(node.b)
    if isinstance(node, query.compound.CompoundQuery):
        return [pair for sub in node.subqueries for pair in terms_of(sub)]
    return []


def _b(fieldname: str) -> float:
    return getattr(WEIGHTING, "_field_B", {}).get(fieldname, WEIGHTING.B)


def _term_score(fieldname: str, term: str, boost: float, stats: Statistics) -> Sql:
    k1 = WEIGHTING.K1
    b = _b(fieldname)
    average = stats.average_lengths.get(fieldname) or 1.0
    tf = f"coalesce(({fieldname}_tf->>%s)::float8, 0)"
    text = f"(%s * {tf} / ({tf} + %s * (1 - %s + %s * {fieldname}_len / %s)))"
    weight = stats.idf(fieldname, term) * (k1 + 1) * boost
    return Sql(text, (weight, term, term, k1, b, b, average))


class UnsupportedQuery(ValueError):
    """A node of the query tree this backend does not translate."""


def compile_query(node, stats: Statistics) -> tuple[Sql, Sql]:
    """``(condition, score)`` of ``node``: which documents match, and their BM25 score."""
    condition, score = _compile(node, stats)
    boost = getattr(node, "boost", 1.0)
    if isinstance(node, query.compound.CompoundQuery) and boost != 1.0:
        score = Sql(f"(%s * {score.text})", (float(boost),) + score.params)
    return condition, score


def _compile(node, stats: Statistics) -> tuple[Sql, Sql]:
    if node is query.NullQuery or isinstance(node, query.NullQuery.__class__):
        return FALSE, ZERO
    if isinstance(node, query.Every):
        return TRUE, ZERO
    boost = getattr(node, "boost", 1.0)
    if isinstance(node, query.Term):
        condition = Sql(f"{node.fieldname}_vec @@ %s::tsquery", (tsquery_lexeme(node.text),))
        return condition, _term_score(node.fieldname, node.text, boost, stats)
    if isinstance(node, query.Phrase):
        lexemes = " <-> ".join(tsquery_lexeme(word) for word in node.words)
        condition = Sql(f"{node.fieldname}_vec @@ %s::tsquery", (lexemes,))
        score = Sql.join(" + ", (_term_score(node.fieldname, w, boost, stats) for w in node.words))
        return condition, Sql(f"({score.text})", score.params)
    if isinstance(node, query.Prefix):
        condition = Sql(f"{node.fieldname}_vec @@ %s::tsquery", (tsquery_lexeme(node.text) + ":*",))
        return condition, Sql("%s", (float(boost),))
    if isinstance(node, query.AndNot):
        condition, score = compile_query(node.a, stats)
        excluded, _ = compile_query(node.b, stats)
        return Sql(f"({condition.text} AND NOT ({excluded.text}))", condition.params + excluded.params), score
    if isinstance(node, query.AndMaybe):
        required, required_score = compile_query(node.a, stats)
        optional, optional_score = _optional(node.b, stats)
        return required, Sql(f"({required_score.text} + {optional_score.text})", required_score.params + optional_score.params)
    if isinstance(node, query.And):
        parts = [compile_query(sub, stats) for sub in node.subqueries]
        condition = Sql.join(" AND ", (c for c, _ in parts))
        score = Sql.join(" + ", (s for _, s in parts))
        return Sql(f"({condition.text})", condition.params), Sql(f"({score.text})", score.params)
    if isinstance(node, query.Or):
        parts = [compile_query(sub, stats) for sub in node.subqueries]
        condition = Sql.join(" OR ", (c for c, _ in parts))
        score = Sql.join(" + ", (_optional(sub, stats)[1] for sub in node.subqueries))
        return Sql(f"({condition.text})", condition.params), Sql(f"({score.text})", score.params)
    raise UnsupportedQuery(f"the PostgreSQL search backend cannot translate {type(node).__name__} queries")


def _optional(node, stats: Statistics) -> tuple[Sql, Sql]:
    """``(condition, score)`` where the score is 0 for a document ``node`` does not match."""
    condition, score = compile_query(node, stats)
    if isinstance(node, query.Term):
        return condition, score  # its term frequency is 0 where it does not match
    return condition, Sql(f"(CASE WHEN {condition.text} THEN {score.text} ELSE 0 END)", condition.params + score.params)
