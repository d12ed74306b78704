"""Haystack engine for the archive on PostgreSQL full-text search, with our own Arabic analysis.

The same haystack interface as :mod:`articles.search.whoosh.backend`, for a deployment where
the search index has to live in PostgreSQL (several application servers, one database):

* queries are compiled by :mod:`articles.search.query` exactly as for Whoosh, then translated
  to SQL (:mod:`.compile`): ``tsvector`` matching over GIN indexes and BM25 scores in SQL;
* documents hold our terms (:mod:`.schema`), so PostgreSQL needs no Arabic configuration;
* a syndicated-copy group is one result (its earliest stored member among the matches), and
  facets count groups, as with Whoosh;
* highlights and spelling suggestions are made by our code over the stored text;
* the backend keeps its own autocommit connection per thread (``URL``, a PostgreSQL URL), so
  index writes are not rolled back with a web request's transaction.

Connection options: ``URL`` (required), ``INDEX_NAME`` (table ``search_<INDEX_NAME>``).
"""

import threading
from collections.abc import Sequence
from itertools import islice

import psycopg
from django.utils.encoding import force_str
from haystack.backends import BaseEngine, BaseSearchBackend, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import query

from articles.search.highlight import highlight_matchers, highlight_matches
from articles.search.base import similar
from articles.search.base.fields import ARRAY_COLUMNS, TEXT_FIELDS, from_stored
from articles.search.base.spelling import suggestion
from articles.search.postgres import schema
from articles.search.postgres.compile import TRUE, Sql, UnsupportedQuery, compile_query, terms_of
from articles.search.postgres.narrow import narrow_condition
from articles.search.postgres.terms import StatsReader, surface_form
from articles.search.query import TEXT_EXACT_FIELD, TEXT_FIELD, build_search
from articles.search.whoosh.backend import ArabicWhooshSearchQuery

WRITE_BATCH = 500
SNIPPET_FIELD = "body"
_FACET_COLUMNS = ("source", "year", "entities", "copy_group")
_SORT_COLUMNS = ("published_on", "source", "year", "copy_order")


class PostgresSearchBackend(BaseSearchBackend):
    """The archive's search on PostgreSQL full-text search."""

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.url = connection_options.get("URL")
        if not self.url:
            raise SearchBackendError("PostgresSearchEngine needs URL (ARCHIVE_SEARCH_URL), e.g. postgres://host/db")
        try:
            self.table = schema.table_name(connection_options.get("INDEX_NAME", "archive"))
        except ValueError as error:
            raise SearchBackendError(str(error)) from error
        self.silently_fail = connection_options.get("SILENTLY_FAIL", False)
        self._local = threading.local()
        self.stored_names: tuple[str, ...] = ()
        self.setup_complete = False

    # Haystack's query builder (shared with Whoosh) writes values into the query string with it.
    _from_python = WhooshSearchBackend._from_python

    # -- connection and schema -----------------------------------------------------------------

    def _connection(self) -> psycopg.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            try:
                conn = psycopg.connect(self.url, autocommit=True)
            except psycopg.OperationalError as error:
                raise SearchBackendError(f"cannot reach the PostgreSQL search index at {self.url}: {error}") from error
            self._local.conn = conn
        return conn

    def _execute(self, sql: str, params=()) -> list[tuple]:
        with self._connection().cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def setup(self):
        from haystack import connections

        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self.create(stored_names=sorted(name for name, f in fields.items() if f.stored))

    def create(self, *, stored_names) -> None:
        """Create the table (if absent) for documents that store ``stored_names``."""
        self.stored_names = tuple(stored_names)
        with self._connection().transaction():
            # Concurrent set-ups of one table would race on CREATE ... IF NOT EXISTS.
            self._execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.table,))
            for statement in schema.create_statements(self.table):
                self._execute(statement)
        self.setup_complete = True

    def _ready(self):
        if not self.setup_complete:
            self.setup()

    # -- writing -------------------------------------------------------------------------------

    def update(self, index, iterable, commit=True):
        """Add or replace the documents of ``iterable``, in one transaction."""
        self._ready()
        self.write_rows(self._rows(index, iterable))

    def write_rows(self, documents) -> None:
        """Upsert the :func:`.schema.row` rows of ``documents``, in one transaction."""
        columns = None
        with self._connection().transaction():
            while batch := list(islice(documents, WRITE_BATCH)):
                columns = columns or list(batch[0])
                names = ", ".join(columns)
                placeholders = ", ".join(["%s"] * len(columns))
                updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "id")
                with self._connection().cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {self.table} ({names}, seq) VALUES ({placeholders}, nextval('{self.table}_seq')) "
                        f"ON CONFLICT (id) DO UPDATE SET {updates}, seq = EXCLUDED.seq",
                        [tuple(doc[c] for c in columns) for doc in batch],
                    )

    def _rows(self, index, iterable):
        for obj in iterable:
            try:
                yield schema.row(index.full_prepare(obj), self.stored_names)
            except SkipDocument:
                self.log.debug("Indexing for object `%s` skipped", obj)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([obj_or_string])

    def remove_many(self, objs_or_strings):
        self._ready()
        identifiers = [get_identifier(obj) for obj in objs_or_strings]
        if identifiers:
            self._execute(f"DELETE FROM {self.table} WHERE id = ANY(%s)", (identifiers,))

    def clear(self, models=None, commit=True):
        self._ready()
        if models is None:
            self._execute(f"TRUNCATE {self.table}")
            return
        cts = [f"{model._meta.app_label}.{model._meta.model_name}" for model in models]
        self._execute(f"DELETE FROM {self.table} WHERE django_ct = ANY(%s)", (cts,))

    def delete_index(self):
        """Drop the table (the next use creates it again, empty)."""
        self._execute(f"DROP TABLE IF EXISTS {self.table}")
        self._execute(f"DROP SEQUENCE IF EXISTS {self.table}_seq")
        self.setup_complete = False

    def optimize(self):
        self._ready()
        self._execute(f"VACUUM ANALYZE {self.table}")

    # -- searching -----------------------------------------------------------------------------

    @log_query
    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, fields="", highlight=False,
               facets=None, narrow_queries=None, spelling_query=None, result_class=None, mode="broad",
               suggest=False, variants=True, **kwargs):
        """The arguments and results of :meth:`ArabicWhooshSearchBackend.search`, on PostgreSQL."""
        self._ready()
        reader = StatsReader(self._execute, self.table)
        query_string = force_str(query_string or "")
        parsed, variant_forms = self._parse(query_string, mode, variants, reader)
        empty = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None, "variant_forms": []}
        if parsed is query.NullQuery:
            return empty
        try:
            filters = narrow_condition(narrow_queries or ())
        except ValueError as error:
            raise SearchBackendError(str(error)) from error
        condition, score = self._compiled(parsed, reader)
        hits, ranked = self._ranked(condition, score, filters, sort_by, start_offset or 0, end_offset)
        matcher = highlight_matchers(parsed) if highlight else None
        result_class = result_class or SearchResult
        suggested = None
        if (suggest or self.include_spelling or spelling_query is not None) and hits < 3:
            suggested = self._suggestion(query_string, reader, mode, filters, hits)
        return {
            "results": [self._result(r, matcher, result_class) for r in ranked],
            "hits": hits,
            "facets": {"fields": self._facet_counts(condition, filters, facets)} if facets else {},
            "spelling_suggestion": suggested,
            "variant_forms": variant_forms,
        }

    def _parse(self, query_string, mode, variants, reader):
        if not query_string.strip() or query_string.strip() == "*":
            return query.Every(), []
        built = build_search(query_string, mode=mode, schema=TEXT_FIELDS, variants=variants, reader=reader)
        return built.query, list(built.variant_forms)

    def _compiled(self, parsed, reader) -> tuple[Sql, Sql]:
        stats = reader.statistics(terms_of(parsed))
        try:
            return compile_query(parsed, stats)
        except UnsupportedQuery as error:
            raise SearchBackendError(str(error)) from error

    def _matches(self, condition: Sql, filters: Sql, score: Sql) -> Sql:
        """The matches after filters, one per copy group (its earliest stored member), scored."""
        sql = (
            f"SELECT DISTINCT ON (coalesce(copy_group::text, id)) id, django_ct, django_id, seq, published_on, "
            f"source, year, copy_order, stored, {score.text} AS score FROM {self.table} "
            f"WHERE {condition.text} AND {filters.text} ORDER BY coalesce(copy_group::text, id), copy_order"
        )
        return Sql(sql, score.params + condition.params + filters.params)

    def _ranked(self, condition, score, filters, sort_by, start, end):
        matches = self._matches(condition, filters, score)
        order = self._order(sort_by)
        limit = "" if end is None else f"LIMIT {max(0, int(end) - int(start))}"
        rows = self._execute(
            f"WITH m AS ({matches.text}) SELECT count(*) OVER (), id, django_ct, django_id, score, stored "
            f"FROM m ORDER BY {order} {limit} OFFSET {int(start)}",
            matches.params,
        )
        if rows:
            return rows[0][0], rows
        counted = self._execute(f"WITH m AS ({matches.text}) SELECT count(*) FROM m", matches.params)
        return counted[0][0], []

    def _order(self, sort_by) -> str:
        if not sort_by:
            return "score DESC, seq"
        parts = []
        for name in sort_by:
            column = name.lstrip("-")
            if column not in _SORT_COLUMNS:
                raise SearchBackendError(f"Cannot sort by unknown field {column!r}")
            direction = "DESC" if name.startswith("-") else "ASC"
            parts.append(f"{column} {direction} NULLS LAST")
        # Ties keep index order, the last indexed first for a descending sort, as with Whoosh.
        return ", ".join(parts + ["seq DESC" if sort_by[0].startswith("-") else "seq"])

    def _count(self, query_string, mode, filters, reader) -> int:
        parsed, _ = self._parse(query_string, mode, True, reader)
        if parsed is query.NullQuery:
            return 0
        condition, score = self._compiled(parsed, reader)
        matches = self._matches(condition, filters, Sql("0"))
        return self._execute(f"WITH m AS ({matches.text}) SELECT count(*) FROM m", matches.params)[0][0]

    def _result(self, row, matcher, result_class):
        _total, _id, django_ct, django_id, score, stored = row
        app_label, model_name = django_ct.split(".")
        extra = from_stored(stored)
        if matcher is not None:
            extra["highlighted"] = {
                name: [highlight_matches(extra.get(name), matcher, snippet=snippet)]
                for name, snippet in (("title", False), (SNIPPET_FIELD, True))
            }
        return result_class(app_label, model_name, django_id, float(score or 0), **extra)

    def _facet_counts(self, condition: Sql, filters: Sql, facets) -> dict:
        """Per facet, ``(value, groups)`` over every match, most first; a copy group counts once."""
        counts = {}
        for name in facets:
            if name not in _FACET_COLUMNS:
                raise SearchBackendError(f"Cannot facet on unknown field {name!r}")
            value = f"unnest({name})" if name in ARRAY_COLUMNS else name
            rows = self._execute(
                f"SELECT value, count(DISTINCT grp) FROM (SELECT {value} AS value, coalesce(copy_group::text, id) AS grp "
                f"FROM {self.table} WHERE {condition.text} AND {filters.text}) f WHERE value IS NOT NULL AND value <> 0 "
                f"GROUP BY value ORDER BY count(DISTINCT grp) DESC, value",
                condition.params + filters.params,
            )
            counts[name] = [(v, c) for v, c in rows]
        return counts

    def create_spelling_suggestion(self, query_string):
        self._ready()
        reader = StatsReader(self._execute, self.table)
        query_string = force_str(query_string or "")
        hits = self._count(query_string, "broad", TRUE, reader)
        return self._suggestion(query_string, reader, "broad", TRUE, hits)

    def _suggestion(self, query_string, reader, mode, filters, hits):
        return suggestion(
            query_string,
            frequency=lambda term: reader.doc_frequency(TEXT_EXACT_FIELD, term),
            surface=lambda term: surface_form(reader, term),
            count=lambda suggested: self._count(suggested, mode, filters, reader),
            hits=hits,
        )

    # -- related coverage ----------------------------------------------------------------------

    def more_like_this(self, model_instance, additional_query_string=None, start_offset=0, end_offset=None,
                       models=None, limit_to_registered_models=None, result_class=None, exclude_pks=(), **kwargs):
        """Documents like ``model_instance``'s, best first, itself and ``exclude_pks`` left out: its
        key terms searched in the broad text field, the best matches ranked again by shared entities
        and date (:mod:`.similar`), as :meth:`ArabicWhooshSearchBackend.more_like_this` does."""
        self._ready()
        nothing = {"results": [], "hits": 0}
        identifier = get_identifier(model_instance)
        found = self._execute(f"SELECT stored, entities, published_on FROM {self.table} WHERE id = %s", (identifier,))
        if not found:
            return nothing
        stored, entities, published_on = found[0]
        reader = StatsReader(self._execute, self.table)
        documents = self._execute(f"SELECT count(*) FROM {self.table}")[0][0]

        def frequencies(terms):
            reader.prefetch([(TEXT_FIELD, term) for term in terms])
            return {term: reader.frequencies[(TEXT_FIELD, term)] for term in terms}

        terms = similar.key_terms(from_stored(stored), frequencies=frequencies, documents=documents)
        if not terms:
            return nothing
        condition, score = self._compiled(similar.similar_query(terms), reader)
        model_ct = identifier.rsplit(".", 1)[0]
        excluded = [identifier, *(f"{model_ct}.{pk}" for pk in exclude_pks)]
        filters = Sql("id <> ALL(%s)", (excluded,))
        if additional_query_string and force_str(additional_query_string).strip() not in ("", "*"):
            try:
                narrow = narrow_condition([force_str(additional_query_string)])
            except ValueError as error:
                raise SearchBackendError(str(error)) from error
            filters = Sql(f"{filters.text} AND {narrow.text}", filters.params + narrow.params)
        where = Sql(f"{condition.text} AND {filters.text}", condition.params + filters.params)
        hits = self._execute(f"SELECT count(*) FROM {self.table} WHERE {where.text}", where.params)[0][0]
        end = hits if end_offset is None else min(end_offset, hits)
        start = start_offset or 0
        if start >= end:
            return {"results": [], "hits": hits}
        rows = self._execute(
            f"SELECT 0, id, django_ct, django_id, {score.text} AS score, stored, entities, published_on "
            f"FROM {self.table} WHERE {where.text} ORDER BY score DESC, seq LIMIT %s",
            score.params + where.params + (max(end, similar.similar.RERANK_CANDIDATES),),
        )
        candidates = [similar.Candidate(row[:6], float(row[4]), tuple(row[6] or ()), row[7]) for row in rows]
        own = similar.Candidate(None, 0.0, tuple(entities or ()), published_on)
        entity_counts = {}
        if own.entities:
            selects = ", ".join(f"(SELECT count(*) FROM {self.table} WHERE entities @> ARRAY[%s]::integer[])" for _ in own.entities)
            entity_counts = dict(zip(own.entities, self._execute(f"SELECT {selects}", own.entities)[0]))
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
        rows = self._execute(f"SELECT id, stored FROM {self.table}")
        return {
            identifier: {name: values.get(name) for name in fieldnames}
            for identifier, values in ((i, from_stored(stored)) for i, stored in rows)
        }


class PostgresSearchQuery(ArabicWhooshSearchQuery):
    """Haystack's query builder as for Whoosh: the backend compiles the reader's text itself."""


class PostgresSearchEngine(BaseEngine):
    backend = PostgresSearchBackend
    query = PostgresSearchQuery

