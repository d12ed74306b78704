"""The retrieval evaluation of :mod:`articles.search.evaluation` on the PostgreSQL engine: the
collection goes into a temporary table of :class:`.backend.PostgresSearchBackend` and every
query runs through its search, so the figures compare with Whoosh's for the same collection."""

import uuid

from articles.search.evaluation import CUTOFF, Collection, judged_rankings
from articles.search.postgres import schema
from articles.search.postgres.backend import PostgresSearchBackend
from articles.search.query import index_values

_CT = "evaluation.passage"


def rank_postgres(collection: Collection, *, url: str, mode: str = "broad", k: int = CUTOFF) -> dict[str, list[str]]:
    """Top-``k`` document ids per judged query, from a temporary PostgreSQL index of the collection."""
    backend = PostgresSearchBackend("default", URL=url, INDEX_NAME=f"eval_{uuid.uuid4().hex[:12]}")
    backend.create(stored_names=())
    try:
        backend.write_rows(
            schema.row({"id": f"{_CT}.{doc_id}", "django_ct": _CT, "django_id": doc_id,
                        **index_values(record.get("title", ""), record.get("text", ""))}, ())
            for doc_id, record in collection.docs.items()
        )
        backend.optimize()
        return judged_rankings(
            collection, lambda text: [result.pk for result in backend.search(text, end_offset=k, mode=mode)["results"]]
        )
    finally:
        backend.delete_index()
