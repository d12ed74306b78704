"""Retrieval-quality evaluation of the site's search path on a test collection.

A collection is a directory with ``corpus.jsonl`` (``doc_id``, ``title``, ``text`` per line),
``queries.tsv`` (``query_id<TAB>text``) and ``qrels.tsv`` (TREC: ``query_id 0 doc_id grade``).
The passages go into a temporary Whoosh index with the site's own fields and analysers
(:func:`articles.search.query.text_fields`, :func:`articles.search.query.index_values`) and every query runs
through :func:`articles.search.query.build_query` scored with :data:`articles.search.query.WEIGHTING`, so the
numbers describe what readers get. The same collection ranked by a port of Lucene's
``ArabicAnalyzer`` with BM25 (:mod:`articles.search.lucene_arabic`) is the yardstick the site must
beat. No Django here.
"""

import json
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

from whoosh import fields, index

from articles.search import lucene_arabic
from articles.search.query import WEIGHTING, build_query, index_values, text_fields

CUTOFF = 10
FILES = ("corpus.jsonl", "queries.tsv", "qrels.tsv")


class CollectionError(ValueError):
    """The collection directory is missing a file or has a malformed line."""


@dataclass
class Collection:
    """A loaded test collection."""

    docs: dict[str, dict]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def load_collection(directory) -> Collection:
    """Read a collection directory (see the module docstring); raise CollectionError if unusable."""
    directory = Path(directory)
    missing = [name for name in FILES if not (directory / name).is_file()]
    if missing:
        raise CollectionError(f"{directory}: missing {', '.join(missing)}")
    docs = {}
    with open(directory / "corpus.jsonl", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                docs[str(record["doc_id"])] = record
            except (ValueError, KeyError, TypeError) as error:
                raise CollectionError(f"corpus.jsonl line {number}: {error}") from error
    queries = {}
    for number, fields_ in _tsv(directory / "queries.tsv", "\t"):
        if len(fields_) < 2:
            raise CollectionError(f"queries.tsv line {number}: expected id<TAB>text")
        queries[fields_[0]] = fields_[1]
    qrels: dict[str, dict[str, int]] = {}
    for number, fields_ in _tsv(directory / "qrels.tsv", None):
        if len(fields_) != 4 or not fields_[3].lstrip("-").isdigit():
            raise CollectionError(f"qrels.tsv line {number}: expected 'query_id 0 doc_id grade'")
        if int(fields_[3]) > 0:
            qrels.setdefault(fields_[0], {})[fields_[2]] = int(fields_[3])
    return Collection(docs, queries, qrels)


def _tsv(path: Path, separator):
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            line = line.rstrip("\n")
            if line.strip():
                yield number, line.split(separator, 1) if separator else line.split()


def reciprocal_rank(ranking: list[str], relevant: dict[str, int], k: int = CUTOFF) -> float:
    """1/rank of the first relevant document within the top ``k``, else 0."""
    for rank, doc_id in enumerate(ranking[:k], 1):
        if relevant.get(doc_id, 0) > 0:
            return 1.0 / rank
    return 0.0


def recall(ranking: list[str], relevant: dict[str, int], k: int = CUTOFF) -> float:
    """Share of the relevant documents found in the top ``k``."""
    if not relevant:
        return 0.0
    return sum(1 for doc_id in ranking[:k] if relevant.get(doc_id, 0) > 0) / len(relevant)


def ndcg(ranking: list[str], relevant: dict[str, int], k: int = CUTOFF) -> float:
    """nDCG@k with graded gains ``2**grade - 1`` and a log2 discount."""
    gains = [2 ** relevant.get(doc_id, 0) - 1 for doc_id in ranking[:k]]
    dcg = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, 1))
    ideal = sorted((2**grade - 1 for grade in relevant.values()), reverse=True)[:k]
    idcg = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(ideal, 1))
    return dcg / idcg if idcg else 0.0


def judged_rankings(collection: Collection, ranking) -> dict[str, list[str]]:
    """``ranking(text)`` (ranked doc ids) of every query of ``collection`` that has judgements."""
    return {query_id: ranking(text) for query_id, text in collection.queries.items() if query_id in collection.qrels}


def rank_all(collection: Collection, mode: str = "broad", k: int = CUTOFF) -> dict[str, list[str]]:
    """Top-``k`` document ids per judged query, from a temporary index of the collection."""
    schema = fields.Schema(doc_id=fields.ID(stored=True, unique=True), **text_fields())
    with tempfile.TemporaryDirectory(prefix="search-eval-") as tmp:
        ix = index.create_in(tmp, schema)
        with ix.writer() as writer:
            for doc_id, record in collection.docs.items():
                writer.add_document(doc_id=doc_id, **index_values(record.get("title", ""), record.get("text", "")))
        with ix.searcher(weighting=WEIGHTING) as searcher:
            rankings = judged_rankings(collection, lambda text: [
                hit["doc_id"] for hit in searcher.search(build_query(text, mode=mode, schema=schema), limit=k)
            ])
        ix.close()
    return rankings


def rank_lucene(collection: Collection, k: int = CUTOFF) -> dict[str, list[str]]:
    """Top-``k`` document ids per judged query from Lucene's Arabic analyser and BM25 over title + body."""
    ix = lucene_arabic.BM25Index({
        doc_id: f"{record.get('title', '')}\n{record.get('text', '')}" for doc_id, record in collection.docs.items()
    })
    return judged_rankings(collection, lambda text: ix.search(text, k))


def evaluate(collection: Collection, mode: str = "broad", k: int = CUTOFF) -> dict:
    """Mean MRR@k, Recall@k and nDCG@k of the site's search over the judged queries of ``collection``."""
    return score_rankings(collection, rank_all(collection, mode, k), k)


def evaluate_lucene(collection: Collection, k: int = CUTOFF) -> dict:
    """The same scores as :func:`evaluate` for the Lucene Arabic yardstick (:func:`rank_lucene`)."""
    return score_rankings(collection, rank_lucene(collection, k), k)


def score_rankings(collection: Collection, rankings: dict[str, list[str]], k: int = CUTOFF) -> dict:
    """Mean MRR@k, Recall@k and nDCG@k of ``rankings`` (query id → ranked doc ids)."""
    if not rankings:
        raise CollectionError("no query has a relevance judgement")
    totals = {"mrr": 0.0, "recall": 0.0, "ndcg": 0.0}
    for query_id, ranking in rankings.items():
        relevant = collection.qrels[query_id]
        totals["mrr"] += reciprocal_rank(ranking, relevant, k)
        totals["recall"] += recall(ranking, relevant, k)
        totals["ndcg"] += ndcg(ranking, relevant, k)
    count = len(rankings)
    return {
        f"mrr@{k}": totals["mrr"] / count,
        f"recall@{k}": totals["recall"] / count,
        f"ndcg@{k}": totals["ndcg"] / count,
        "queries": count,
    }
