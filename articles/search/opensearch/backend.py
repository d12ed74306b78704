"""Haystack engine for the archive on OpenSearch, with our own Arabic analysis.

The same haystack interface as :mod:`articles.search.whoosh.backend`, for a search that has to
run on a cluster:

* documents hold our terms (the analysers of :mod:`articles.search.analysis`), separated by
  spaces, in fields with a whitespace analyser: OpenSearch needs no Arabic configuration and
  matches exactly what Whoosh matches;
* queries are compiled by :mod:`articles.search.query` as for Whoosh, then translated to the
  query DSL (:mod:`.compile`) and scored by the engine's BM25 with the archive's parameters,
  with ``dfs_query_then_fetch`` so that every shard ranks with the index-wide frequencies;
* a syndicated-copy group is one result (``collapse`` on the group, shown as its earliest stored
  member among the matches); counts and facets count groups (``cardinality``, exact up to
  40,000 groups per value, approximate above);
* writes are bulk requests, refreshed before they return (a saved article is searchable);
* highlights and spelling suggestions are made by our code over the stored text.

Connection options: ``URL`` (``http(s)://host:9200``; several separated by commas), ``INDEX_NAME``,
``SHARDS`` and ``REPLICAS`` (used when the index is created), ``TIMEOUT`` (seconds).
"""

import time
from datetime import date
from collections.abc import Sequence

from django.utils.encoding import force_str
from haystack.backends import BaseEngine, BaseSearchBackend, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import OpenSearchException
from whoosh import query

from articles.search.analysis import broad_analyzer, exact_analyzer
from articles.search.highlight import highlight_matchers, highlight_matches
from articles.search.opensearch.compile import TITLE_FIELDS, UnsupportedQuery, compile_query, similarity
from articles.search.base import similar
from articles.search.base.fields import (
    ARRAY_COLUMNS, INTEGER_COLUMNS, TEXT_FIELDS, from_stored, json_value, parse_narrow, stored_text,
)
from articles.search.base.spelling import suggestion
from articles.search.query import BROAD_FIELDS, TEXT_EXACT_FIELD, TEXT_FIELD, build_search
from articles.search.whoosh.backend import ArabicWhooshSearchQuery
from articles.text.spelling import written_form

SNIPPET_FIELD = "body"
MAX_FACET_VALUES = 10_000
GROUPS_PRECISION = 40_000
_SORTABLE = ("published_on", "source", "year", "copy_order")
_FACETABLE = ("source", "year", "entities", "copy_group")


def _terms(fieldname: str, value: str) -> str:
    """``value`` as our terms of ``fieldname``, in order, separated by spaces."""
    analyzer = broad_analyzer() if fieldname in BROAD_FIELDS else exact_analyzer()
    return " ".join(token.text for token in analyzer(value or ""))


def mappings() -> dict:
    text = {
        name: {
            "type": "text",
            "analyzer": "terms",
            "similarity": "title" if name in TITLE_FIELDS else "default",
            # Phrases are matched in the exact fields only; the broad ones need no positions.
            "index_options": "freqs" if name in BROAD_FIELDS else "positions",
        }
        for name in TEXT_FIELDS
    }
    numbers = {name: {"type": "integer"} for name in (*INTEGER_COLUMNS, *ARRAY_COLUMNS)}
    return {
        "dynamic": "strict",
        "properties": {
            **text,
            **numbers,
            "django_ct": {"type": "keyword"},
            "django_id": {"type": "keyword"},
            "group": {"type": "keyword"},
            "seq": {"type": "long"},
            "published_on": {"type": "date", "format": "yyyy-MM-dd"},
            "stored": {"type": "object", "enabled": False},
        },
    }


class OpenSearchBackend(BaseSearchBackend):
    """The archive's search on OpenSearch."""

    _from_python = WhooshSearchBackend._from_python

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        urls = [u.strip() for u in (connection_options.get("URL") or "").split(",") if u.strip()]
        if not urls or not all(u.startswith(("http://", "https://")) for u in urls):
            raise SearchBackendError("OpenSearchEngine needs URL (ARCHIVE_OPENSEARCH_URL), e.g. http://localhost:9200")
        self.index_name = connection_options.get("INDEX_NAME", "archive")
        self.shards = int(connection_options.get("SHARDS", 1))
        self.replicas = int(connection_options.get("REPLICAS", 0))
        self.client = OpenSearch(hosts=urls, timeout=connection_options.get("TIMEOUT", 30))
        self.setup_complete = False
        self.stored_names: tuple[str, ...] = ()

    def _call(self, what: str, run):
        try:
            return run()
        except OpenSearchException as error:
            raise SearchBackendError(f"OpenSearch {what} failed on index {self.index_name!r}: {error}") from error

    def setup(self):
        from haystack import connections

        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self.create(stored_names=sorted(name for name, f in fields.items() if f.stored))

    def create(self, *, stored_names) -> None:
        """Create the index (if absent) for documents that store ``stored_names``."""
        self.stored_names = tuple(stored_names)
        if not self._call("index lookup", lambda: self.client.indices.exists(index=self.index_name)):
            body = {
                "settings": {
                    "number_of_shards": self.shards,
                    "number_of_replicas": self.replicas,
                    "analysis": {"analyzer": {"terms": {"type": "custom", "tokenizer": "whitespace"}}},
                    "similarity": similarity(),
                },
                "mappings": mappings(),
            }
            self._call("index creation", lambda: self.client.indices.create(index=self.index_name, body=body))
        self.setup_complete = True

    def _ready(self):
        if not self.setup_complete:
            self.setup()

    # -- writing -------------------------------------------------------------------------------

    def _source(self, doc: dict) -> dict:
        source = {name: _terms(name, doc.get(name) or "") for name in TEXT_FIELDS}
        for name in INTEGER_COLUMNS:
            value = doc.get(name)
            source[name] = int(value) if value not in (None, "") else None
        source["entities"] = [int(v) for v in doc.get("entities") or ()]
        published = doc.get("published_on")
        source["published_on"] = published.strftime("%Y-%m-%d") if published else None
        source["django_ct"], source["django_id"] = doc["django_ct"], str(doc["django_id"])
        source["group"] = f"g{source['copy_group']}" if source.get("copy_group") else f"d{doc['id']}"
        # Index order breaks ties as with Whoosh: the last written last (first when sorting down).
        source["seq"] = time.time_ns()
        source["stored"] = {name: json_value(value) for name in self.stored_names if (value := doc.get(name)) is not None}
        return source

    def update(self, index, iterable, commit=True):
        """Add or replace the documents of ``iterable`` in bulk requests, refreshed at the end."""
        self._ready()
        actions = self._actions(index, iterable)
        self._bulk(actions)

    def _actions(self, index, iterable):
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                self.log.debug("Indexing for object `%s` skipped", obj)
                continue
            yield self.action(doc)

    def action(self, doc: dict) -> dict:
        """The bulk action that writes haystack's prepared document ``doc``."""
        return {"_index": self.index_name, "_id": doc["id"], "_source": self._source(doc)}

    def write(self, actions) -> None:
        """Run ``actions`` of :meth:`action` in bulk, refreshed before returning."""
        self._bulk(actions)

    def _bulk(self, actions):
        def run():
            _ok, errors = helpers.bulk(self.client, actions, chunk_size=500, raise_on_error=False, refresh=True)
            return errors

        errors = [e for e in self._call("bulk write", run) if "delete" not in e or e["delete"].get("status") != 404]
        if errors:
            raise SearchBackendError(f"OpenSearch refused {len(errors)} documents, e.g. {errors[0]}")

    def remove(self, obj_or_string, commit=True):
        self.remove_many([obj_or_string])

    def remove_many(self, objs_or_strings):
        self._ready()
        self._bulk(
            {"_op_type": "delete", "_index": self.index_name, "_id": get_identifier(obj)} for obj in objs_or_strings
        )

    def clear(self, models=None, commit=True):
        self._ready()
        if models is None:
            condition = {"match_all": {}}
        else:
            cts = [f"{model._meta.app_label}.{model._meta.model_name}" for model in models]
            condition = {"terms": {"django_ct": cts}}
        self._call(
            "clear",
            lambda: self.client.delete_by_query(index=self.index_name, body={"query": condition}, refresh=True),
        )

    def delete_index(self):
        self._call("index deletion", lambda: self.client.indices.delete(index=self.index_name, ignore_unavailable=True))
        self.setup_complete = False

    # -- searching -----------------------------------------------------------------------------

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """Documents with ``term`` in ``fieldname`` (the ``reader`` of :func:`build_search`)."""
        body = {"query": {"term": {fieldname: term}}}
        return self._call("count", lambda: self.client.count(index=self.index_name, body=body))["count"]

    @log_query
    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, fields="", highlight=False,
               facets=None, narrow_queries=None, spelling_query=None, result_class=None, mode="broad",
               suggest=False, variants=True, **kwargs):
        """The arguments and results of :meth:`ArabicWhooshSearchBackend.search`, on OpenSearch."""
        self._ready()
        query_string = force_str(query_string or "")
        parsed, variant_forms = self._parse(query_string, mode, variants)
        if parsed is query.NullQuery:
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None, "variant_forms": []}
        filters = self._filters(narrow_queries or ())
        start = start_offset or 0
        size = 10_000 - start if end_offset is None else max(0, end_offset - start)
        body = {
            "query": self._query(parsed, filters),
            "from": start,
            "size": size,
            "sort": self._sort(sort_by),
            "collapse": {"field": "group", "inner_hits": {"name": "first", "size": 1, "sort": [{"copy_order": "asc"}]}},
            "aggs": {"groups": {"cardinality": {"field": "group", "precision_threshold": GROUPS_PRECISION}}},
            "_source": ["django_ct", "django_id", "stored"],
        }
        for name in facets or ():
            if name not in _FACETABLE:
                raise SearchBackendError(f"Cannot facet on unknown field {name!r}")
            body["aggs"][name] = {
                "terms": {"field": name, "size": MAX_FACET_VALUES},
                "aggs": {"groups": {"cardinality": {"field": "group", "precision_threshold": GROUPS_PRECISION}}},
            }
        raw = self._search(body)
        hits = int(raw["aggregations"]["groups"]["value"])
        matcher = highlight_matchers(parsed) if highlight else None
        suggested = None
        if (suggest or self.include_spelling or spelling_query is not None) and hits < 3:
            suggested = self._suggestion(query_string, mode, filters, hits)
        return {
            "results": [self._result(hit, matcher, result_class or SearchResult) for hit in raw["hits"]["hits"]],
            "hits": hits,
            "facets": {"fields": {name: self._facet(raw["aggregations"][name]) for name in facets}} if facets else {},
            "spelling_suggestion": suggested,
            "variant_forms": variant_forms,
        }

    def _search(self, body: dict) -> dict:
        return self._call(
            "search",
            lambda: self.client.search(index=self.index_name, body=body, search_type="dfs_query_then_fetch"),
        )

    def _parse(self, query_string, mode, variants):
        if not query_string.strip() or query_string.strip() == "*":
            return query.Every(), []
        built = build_search(query_string, mode=mode, schema=TEXT_FIELDS, variants=variants, reader=self)
        return built.query, list(built.variant_forms)

    def _query(self, parsed, filters) -> dict:
        try:
            return {"bool": {"must": [compile_query(parsed)], "filter": filters}}
        except UnsupportedQuery as error:
            raise SearchBackendError(str(error)) from error

    def _filters(self, narrow_queries) -> list[dict]:
        filters = []
        for narrow in sorted(map(str, narrow_queries)):
            try:
                name, value, start, end = parse_narrow(narrow)
            except ValueError as error:
                raise SearchBackendError(str(error)) from error
            if value is not None:
                filters.append({"term": {name: value.isoformat() if hasattr(value, "isoformat") else value}})
                continue
            bounds = {op: b.isoformat() if hasattr(b, "isoformat") else b for op, b in (("gte", start), ("lte", end)) if b is not None}
            filters.append({"range": {name: bounds}})
        return filters

    def _sort(self, sort_by) -> list:
        if not sort_by:
            return ["_score", {"seq": "asc"}]
        order = []
        for name in sort_by:
            column = name.lstrip("-")
            if column not in _SORTABLE:
                raise SearchBackendError(f"Cannot sort by unknown field {column!r}")
            order.append({column: {"order": "desc" if name.startswith("-") else "asc", "missing": "_last"}})
        return order + [{"seq": "desc" if sort_by[0].startswith("-") else "asc"}]

    def _result(self, hit, matcher, result_class):
        shown = hit.get("inner_hits", {}).get("first", {}).get("hits", {}).get("hits") or [hit]
        source = shown[0]["_source"]
        app_label, model_name = source["django_ct"].split(".")
        extra = from_stored(source.get("stored") or {})
        if matcher is not None:
            extra["highlighted"] = {
                name: [highlight_matches(extra.get(name), matcher, snippet=snippet)]
                for name, snippet in (("title", False), (SNIPPET_FIELD, True))
            }
        return result_class(app_label, model_name, source["django_id"], float(hit.get("_score") or 0), **extra)

    @staticmethod
    def _facet(aggregation) -> list[tuple]:
        counts = [(b["key"], int(b["groups"]["value"])) for b in aggregation["buckets"] if b["key"] not in (0, None)]
        return sorted(counts, key=lambda item: (-item[1], item[0]))

    def _count(self, query_string, mode, filters) -> int:
        parsed, _ = self._parse(query_string, mode, True)
        if parsed is query.NullQuery:
            return 0
        body = {"query": self._query(parsed, filters), "size": 0,
                "aggs": {"groups": {"cardinality": {"field": "group", "precision_threshold": GROUPS_PRECISION}}}}
        return int(self._search(body)["aggregations"]["groups"]["value"])

    def _suggestion(self, query_string, mode, filters, hits):
        def surface(term):
            body = {"query": {"term": {TEXT_EXACT_FIELD: term}}, "size": 1, "_source": ["stored"]}
            hits = self._search(body)["hits"]["hits"]
            return written_form(term, (stored_text(h["_source"].get("stored") or {}) for h in hits))

        return suggestion(
            query_string,
            frequency=lambda term: self.doc_frequency(TEXT_EXACT_FIELD, term),
            surface=surface,
            count=lambda suggested: self._count(suggested, mode, filters),
            hits=hits,
        )

    def create_spelling_suggestion(self, query_string):
        self._ready()
        query_string = force_str(query_string or "")
        return self._suggestion(query_string, "broad", [], self._count(query_string, "broad", []))

    # -- related coverage ----------------------------------------------------------------------

    def _counts(self, queries: list[dict]) -> list[int]:
        """How many documents each of ``queries`` matches, in one multi-search request."""
        if not queries:
            return []
        lines = []
        for condition in queries:
            lines += [{"index": self.index_name}, {"query": condition, "size": 0, "track_total_hits": True}]
        responses = self._call("multi-search", lambda: self.client.msearch(body=lines))["responses"]
        return [int(r.get("hits", {}).get("total", {}).get("value", 0)) for r in responses]

    def more_like_this(self, model_instance, additional_query_string=None, start_offset=0, end_offset=None,
                       models=None, limit_to_registered_models=None, result_class=None, exclude_pks=(), **kwargs):
        """Documents like ``model_instance``'s, best first, itself and ``exclude_pks`` left out, as
        :meth:`articles.search.postgres.backend.PostgresSearchBackend.more_like_this` finds them."""
        self._ready()
        nothing = {"results": [], "hits": 0}
        identifier = get_identifier(model_instance)
        found = self._call("get", lambda: self.client.get(index=self.index_name, id=identifier, ignore=404))
        if not found.get("found"):
            return nothing
        own_source = found["_source"]
        documents = self._counts([{"match_all": {}}])[0]

        def frequencies(terms):
            return dict(zip(terms, self._counts([{"term": {TEXT_FIELD: term}} for term in terms])))

        stored = from_stored(own_source.get("stored") or {})
        terms = similar.key_terms(stored, frequencies=frequencies, documents=documents)
        if not terms:
            return nothing
        model_ct = identifier.rsplit(".", 1)[0]
        excluded = [identifier, *(f"{model_ct}.{pk}" for pk in exclude_pks)]
        narrow = []
        if additional_query_string and force_str(additional_query_string).strip() not in ("", "*"):
            narrow = self._filters([force_str(additional_query_string)])
        condition = {"bool": {"must": [compile_query(similar.similar_query(terms))], "filter": narrow,
                              "must_not": [{"ids": {"values": excluded}}]}}
        start = start_offset or 0
        body = {"query": condition, "size": max(end_offset or 0, similar.similar.RERANK_CANDIDATES),
                "sort": ["_score", {"seq": "asc"}], "track_total_hits": True,
                "_source": ["django_ct", "django_id", "stored", "entities", "published_on"]}
        raw = self._search(body)
        hits = int(raw["hits"]["total"]["value"])
        end = hits if end_offset is None else min(end_offset, hits)
        if start >= end:
            return {"results": [], "hits": hits}
        candidates = [
            similar.Candidate(hit, float(hit["_score"] or 0), tuple(hit["_source"].get("entities") or ()),
                              _date(hit["_source"].get("published_on")))
            for hit in raw["hits"]["hits"]
        ]
        own = similar.Candidate(None, 0.0, tuple(own_source.get("entities") or ()), _date(own_source.get("published_on")))
        entity_counts = dict(zip(own.entities, self._counts([{"term": {"entities": e}} for e in own.entities])))
        ranked = similar.rerank(own, candidates, documents=documents, entity_frequency=lambda e: entity_counts.get(e, 0))
        return {
            "results": [self._result(c.key, None, result_class or SearchResult) for c, _score in ranked[start:end]],
            "hits": hits,
        }

    # -- consistency ---------------------------------------------------------------------------

    def indexed_documents(self, fieldnames: Sequence[str] = ()) -> dict[str, dict]:
        """Every indexed document's haystack id → ``{name: stored value}`` of ``fieldnames``."""
        self._ready()
        unknown = [name for name in fieldnames if name not in self.stored_names]
        if unknown:
            raise SearchBackendError(f"not stored in the index: {', '.join(unknown)}")
        hits = self._call("scan", lambda: list(helpers.scan(self.client, index=self.index_name, _source=["stored"])))
        return {
            hit["_id"]: {name: values.get(name) for name in fieldnames}
            for hit in hits
            for values in (from_stored(hit["_source"].get("stored") or {}),)
        }


def _date(value: str | None):
    return date.fromisoformat(value) if value else None


class OpenSearchEngine(BaseEngine):
    backend = OpenSearchBackend
    query = ArabicWhooshSearchQuery
