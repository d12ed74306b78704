"""Haystack engine for the archive: Whoosh with the Arabic analysers of :mod:`articles.search.analysis`.

What this adds to haystack's stock Whoosh backend, and why:

* The schema (:mod:`.schema`) takes the text fields of :func:`articles.search.query.text_fields`
  (broad and exact analysers), sortable date/number columns, and a list column for multi-valued
  ids, so sorting and facets read columns instead of scanning postings.
* Searches share one searcher per index directory and process (:mod:`.searcher`).
* Counting, facets and filters work on sets of document numbers built from posting lists and on
  per-document arrays of column values cached per searcher; ranking computes Whoosh's own BM25F
  scores a posting list at a time (:mod:`.internals`, the one module that reads Whoosh's private
  members); only phrases and prefixes still go through Whoosh's matchers. ``narrow_queries``
  become cached document sets; facets (haystack's Whoosh backend has none) count over every
  match; sorting by a column puts documents without a value (undated articles) last both ways.
* A group of syndicated copies is one result (:mod:`.collapse`): its earliest stored member
  among the matches, with counts and facets to match.
* Highlighting runs our own analyser over the stored text (:mod:`articles.search.highlight`).
* Spelling suggestions replace unknown or rare words by close and far more frequent words of
  the archive (:mod:`articles.text.spelling`), and are only offered when they find more
  articles than what was typed.
* «More like this» (related coverage) searches the weighted key terms of the whole stored
  article in the broad field and ranks the best matches again by shared entities and date.
* Every write holds :func:`.searcher.writing`, so concurrent writers queue instead of failing;
  a commit only adds its segment, and :mod:`.merging` merges segments without holding it.
"""

import heapq
import logging
import os
from collections.abc import Sequence
from itertools import chain

from django.conf import settings

from django.utils.encoding import force_str
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import query, writing as whoosh_writing
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser

from articles.search.highlight import highlight_matches, query_matchers
from articles.search.query import TEXT_EXACT_FIELD, TEXT_FIELD, build_query, build_search
from articles.search.whoosh import bulk, merging, schema as archive_schema, similar as similar_docs
from articles.search.whoosh.collapse import collapse_copies
from articles.search.whoosh.facets import facet_counts
from articles.search.whoosh.internals import SegmentWriter, live_segment_sizes, matching_docs, top_docs
from articles.search.whoosh.searcher import shared_index, writing
from articles.text.spelling import best_correction, corrected_text, written_form

logger = logging.getLogger(__name__)

# Bulk writes of at least this many documents use two writer processes (:mod:`.bulk`); the
# connection option PARALLEL_MIN_DOCUMENTS changes it.
PARALLEL_MIN_DOCUMENTS = 1000
# The stored body: snippets come from it, not from the indexed text fields (title + body).
SNIPPET_FIELD = "body"
class ArabicWhooshSearchBackend(WhooshSearchBackend):
    """Haystack's Whoosh backend with Arabic analysis, facets, fast shared searching and safe writes."""

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if not self.use_file_storage:
            raise SearchBackendError("ArabicWhooshEngine needs a file index (STORAGE='file').")
        self.path = os.path.abspath(self.path)
        # Errors must reach the caller: a silently failed write is a lost update.
        self.silently_fail = connection_options.get("SILENTLY_FAIL", False)
        self.limitmb = connection_options.get("LIMITMB", 256)
        self.parallel_min_documents = connection_options.get("PARALLEL_MIN_DOCUMENTS", PARALLEL_MIN_DOCUMENTS)

    # -- setup and schema ----------------------------------------------------------------------

    def setup(self):
        from haystack import connections

        os.makedirs(self.path, exist_ok=True)
        self.storage = FileStorage(self.path)
        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        with self._writing():
            if not self.storage.index_exists():
                self.storage.create_index(self.schema)
        self.shared = shared_index(self.path, self.storage, self.schema)
        self.setup_complete = True

    def build_schema(self, search_fields):
        """``(content field name, schema)``: see :func:`articles.search.whoosh.schema.build_schema`."""
        return archive_schema.build_schema(search_fields)

    # -- writing -------------------------------------------------------------------------------

    def _writing(self, timeout: float | None = None):
        """Exclusive right to write this index, across threads and processes (see
        :func:`.searcher.writing` for ``timeout``)."""
        return writing(self.path, timeout=timeout)

    def _writer(self):
        return SegmentWriter(self.storage.open_index(schema=self.schema), limitmb=self.limitmb)

    def _documents(self, index, iterable):
        for obj in iterable:
            try:
                yield self._document(index, obj)
            except SkipDocument:
                self.log.debug("Indexing for object `%s` skipped", obj)

    def _document(self, index, obj):
        doc = index.full_prepare(obj)
        whoosh_doc = {}
        for key, value in doc.items():
            if value is None or key == "boost" or key not in self.schema:
                continue
            if isinstance(value, (list, tuple)) and not value:
                continue
            whoosh_doc[key] = self._from_python(value)
        return whoosh_doc

    def update(self, index, iterable, commit=True):
        """Add or replace the documents of ``iterable`` (haystack's ``update_index`` gives a batch
        at a time), written apart from the write lock (:mod:`.bulk`)."""
        self.update_within(index, iterable, seconds=None, apart=True)

    def update_within(
        self, index, iterable, *, seconds: float | None, count: int | None = None, apart: bool = False
    ) -> set[str]:
        """:meth:`update`, waiting at most ``seconds`` for another writer to finish (``None``:
        as long as it takes); raises :class:`.searcher.IndexBusy` (a ``TimeoutError``) then.
        Returns the identifiers of the documents left for a later write.

        ``count``, how many objects ``iterable`` holds if the caller knows: from
        :data:`.bulk.BULK_MIN_DOCUMENTS` on, or with ``apart``, they are written apart from the
        write lock (:mod:`.bulk`), which is held only for moments, and those another writer
        wrote meanwhile are left; fewer are written in place, none left. Either way a commit only
        adds segments: Whoosh's merges run inside the commit, holding the index, and made
        pastes wait many seconds during an import. :meth:`merge_segments` merges apart.
        """
        if not self.setup_complete:
            self.setup()
        if apart or (count is not None and count >= bulk.BULK_MIN_DOCUMENTS):
            return bulk.write_apart(
                self.path, self.storage, self.schema, self._documents(index, iterable), seconds=seconds,
                parallel_min_documents=self.parallel_min_documents, limitmb=self.limitmb,
            )
        with self._writing(timeout=seconds):
            writer = self._writer()
            written = 0
            try:
                for doc in self._documents(index, iterable):
                    writer.update_document(**doc)
                    written += 1
            except BaseException:
                writer.cancel()
                raise
            if written:
                writer.commit(merge=False)
            else:
                writer.cancel()
        return set()

    def merge_segments(self, *, seconds: float | None = None) -> int:
        """The next merge of small segments, written without the write lock and put in within
        ``seconds`` (:mod:`.merging`); returns how many segments it merged away (0: none)."""
        if not self.setup_complete:
            self.setup()
        return merging.merge_step(self.path, self.storage, self.schema, seconds=seconds, limitmb=self.limitmb)

    def segment_counts(self) -> tuple[int, int]:
        """``(segments, merges due)`` of the index as it is now (:func:`.merging.merges_due`)."""
        if not self.setup_complete:
            self.setup()
        sizes = live_segment_sizes(self.storage.open_index(schema=self.schema))
        return len(sizes), merging.merges_due(sizes)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([obj_or_string])

    def remove_many(self, objs_or_strings):
        """Delete the documents of these objects (or haystack identifiers) in one commit."""
        if not self.setup_complete:
            self.setup()
        identifiers = [get_identifier(obj) for obj in objs_or_strings]
        if not identifiers:
            return
        with self._writing():
            writer = self._writer()
            try:
                for identifier in identifiers:
                    writer.delete_by_term(ID, identifier)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(merge=False)

    def clear(self, models=None, commit=True):
        """Empty the index (or remove the documents of ``models``), keeping the directory.

        Deleting the directory, as haystack does, would pull the lock file from under waiting
        writers; a CLEAR commit drops every segment and moves the generation forward, so
        searchers in other processes notice.
        """
        if not self.setup_complete:
            self.setup()
        with self._writing():
            writer = self._writer()
            if models is None:
                writer.commit(mergetype=whoosh_writing.CLEAR)
                return
            try:
                for model in models:
                    writer.delete_by_term(DJANGO_CT, f"{model._meta.app_label}.{model._meta.model_name}")
            except BaseException:
                writer.cancel()
                raise
            writer.commit(merge=False)

    def delete_index(self):
        self.clear()

    def optimize(self):
        if not self.setup_complete:
            self.setup()
        with self._writing():
            self.storage.open_index(schema=self.schema).optimize()

    # -- searching -----------------------------------------------------------------------------

    @log_query
    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        mode="broad",
        suggest=False,
        variants=True,
        **kwargs,
    ):
        """Run a search; haystack's arguments plus ``mode`` ("broad"/"exact"), ``suggest`` and
        ``variants`` (broad mode: also search the variant forms of loanwords and names; the
        forms searched come back as ``variant_forms``).

        ``query_string`` is in the reader's search language (:mod:`articles.search.query`); empty or
        ``*`` matches every document. ``narrow_queries`` are field queries in Whoosh syntax
        (``source:3``, ``published_on:[20180101 to 20181231]``) used as cached filters.
        ``facets`` names fields to count over all matches. With ``suggest`` (or haystack's
        ``INCLUDE_SPELLING``), a search with fewer than three results gets a
        ``spelling_suggestion`` when one finds more.
        """
        return self._with_searcher(
            self._search,
            force_str(query_string or ""),
            sort_by=sort_by,
            start_offset=start_offset or 0,
            end_offset=end_offset,
            highlight=highlight,
            facets=facets or (),
            narrow_queries=narrow_queries or (),
            mode=mode,
            suggest=suggest or self.include_spelling or spelling_query is not None,
            variants=variants,
            result_class=result_class or SearchResult,
        )

    def _with_searcher(self, run, *args, **kwargs):
        """``run(searcher, *args, **kwargs)`` on the shared searcher, once more on a fresh one if it fails."""
        if not self.setup_complete:
            self.setup()
        for attempt in (1, 2):
            with self.shared.lock:
                try:
                    return run(self.shared.searcher(), *args, **kwargs)
                except Exception:
                    # A writer may have merged away segments this searcher was reading; a
                    # fresh searcher sees the committed state.
                    self.shared.reset()
                    if attempt == 2:
                        raise
                    logger.info("search failed, retrying with a fresh searcher", exc_info=True)

    def _search(self, searcher, query_string, *, sort_by, start_offset, end_offset, highlight, facets,
                narrow_queries, mode, suggest, variants, result_class):
        parsed, variant_forms = self._parse_with_variants(searcher, query_string, mode, variants)
        if parsed is query.NullQuery:
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None, "variant_forms": []}
        filter_docs = self._filter(searcher, narrow_queries)
        docs = (
            self.shared.docs(searcher, parsed) if isinstance(parsed, query.Every)
            else matching_docs(searcher, parsed, self.shared)
        )
        if filter_docs is not None:
            docs = docs & filter_docs
        # A syndicated-copy group counts, ranks and facets as one document.
        matched, docs = docs, collapse_copies(searcher, self.shared, docs)
        hits = len(docs)
        end = hits if end_offset is None else min(end_offset, hits)
        if start_offset >= end:
            ranked = []
        elif sort_by:
            ranked = [(docnum, 0.0) for docnum in self._sorted(searcher, docs, sort_by, end)[start_offset:end]]
        else:
            ranked = top_docs(searcher, parsed, docs, end, self.shared)[start_offset:end]
        matcher = query_matchers(parsed, searcher.reader()) if highlight else None
        return {
            "results": [self._result(searcher, docnum, score, matcher, result_class) for docnum, score in ranked],
            "hits": hits,
            "facets": {"fields": facet_counts(searcher, self.shared, matched, facets)} if facets else {},
            "spelling_suggestion": (
                self._suggestion(searcher, query_string, mode, filter_docs, hits) if suggest and hits < 3 else None
            ),
            "variant_forms": variant_forms,
        }

    def _parse_with_variants(self, searcher, query_string, mode, variants):
        """``(query, variant forms searched)``: only forms the index holds are searched and reported."""
        if not query_string.strip() or query_string.strip() == "*":
            return query.Every(), []
        built = build_search(query_string, mode=mode, schema=self.schema, variants=variants, reader=searcher.reader())
        return built.query, list(built.variant_forms)

    def _parse(self, query_string, mode):
        if not query_string.strip() or query_string.strip() == "*":
            return query.Every()
        return build_query(query_string, mode=mode, schema=self.schema)

    def _filter(self, searcher, narrow_queries):
        """Documents allowed by haystack's ``narrow_queries`` (``None``: no narrowing), cached."""
        if not narrow_queries:
            return None
        key = query.And([self.parser.parse(force_str(nq)) for nq in sorted(narrow_queries)])
        return self.shared.docs(searcher, key)

    def _sorted(self, searcher, docs, sort_by, needed):
        """``docs`` ordered by haystack's ``sort_by`` (``["-published_on"]``), at least the first ``needed``.

        Documents without a value (0 in the column: undated articles) go last either way; ties
        keep index order, reversed for a descending sort (the last indexed first). Sorting a set
        by a cached column is much faster than Whoosh's sorting collector, which reads each
        match's key through Python calls.
        """
        for name in sort_by:
            if name.lstrip("-") not in self.schema:
                raise SearchBackendError(f"Cannot sort by unknown field {name.lstrip('-')!r}")
        ordered = sorted(docs, reverse=sort_by[0].startswith("-"))
        if len(sort_by) == 1:
            name = sort_by[0]
            keys = self.shared.sort_keys(searcher, name.lstrip("-"), descending=name.startswith("-"))
            return heapq.nsmallest(needed, ordered, key=keys.__getitem__)
        for name in reversed(sort_by):
            keys = self.shared.sort_keys(searcher, name.lstrip("-"), descending=name.startswith("-"))
            ordered.sort(key=keys.__getitem__)
        return ordered

    def _result(self, searcher, docnum, score, matcher, result_class):
        stored = searcher.stored_fields(docnum)
        app_label, model_name = stored.pop(DJANGO_CT).split(".")
        pk = stored.pop(DJANGO_ID)
        # Whoosh already returns stored dates and numbers as Python values; haystack's
        # _to_python would also turn a title such as «2019» into a number.
        extra = dict(stored)
        if matcher is not None:
            extra["highlighted"] = {
                name: [highlight_matches(stored.get(name), matcher, snippet=snippet)]
                for name, snippet in (("title", False), (SNIPPET_FIELD, True))
            }
        return result_class(app_label, model_name, pk, score, **extra)

    # -- spelling ------------------------------------------------------------------------------

    def _suggestion(self, searcher, query_string, mode, filter_docs, hits):
        """The query with unknown or rare words replaced by far more frequent close words of the
        archive (:func:`articles.text.spelling.best_correction`), if that finds more."""
        suggestion = corrected_text(query_string, lambda word: self._closest_word(searcher, word))
        if suggestion is None:
            return None
        suggested = self._parse(suggestion, mode)
        if suggested is query.NullQuery:
            return None
        docs = matching_docs(searcher, suggested, self.shared)
        found = len(docs if filter_docs is None else docs & filter_docs)
        return suggestion if found > hits else None

    def _closest_word(self, searcher, word):
        """The correction of the normalised ``word``, as the archive writes it, or ``None``.

        Frequencies are counted in the exact text field, which holds titles and bodies; the
        candidates one edit away are looked up there, a few hundred term lookups instead of
        Whoosh's ``terms_within`` scan of the whole lexicon (0.6–0.9 s per word).
        """
        if not word:
            return None
        reader = searcher.reader()
        better = best_correction(word, lambda term: reader.doc_frequency(TEXT_EXACT_FIELD, term))
        return self._surface_form(searcher, better) if better else None

    def _surface_form(self, searcher, term):
        """How the archive writes the normalised ``term`` (ة, أ, ى restored), without diacritics."""
        for docnum in searcher.docs_for_query(query.Term(TEXT_EXACT_FIELD, term)):
            stored = searcher.stored_fields(docnum)
            return written_form(term, [f"{stored.get('title') or ''}\n{stored.get(SNIPPET_FIELD) or ''}"])
        return term

    def create_spelling_suggestion(self, query_string):
        """Haystack's entry point: a suggestion for ``query_string`` in broad mode, or ``None``."""
        return self._with_searcher(self._spelling_suggestion, force_str(query_string or ""))

    def _spelling_suggestion(self, searcher, query_string):
        parsed = self._parse(query_string, "broad")
        hits = 0 if parsed is query.NullQuery else len(matching_docs(searcher, parsed, self.shared))
        return self._suggestion(searcher, query_string, "broad", None, hits)

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        exclude_pks=(),
        **kwargs,
    ):
        """Documents like ``model_instance``'s, best first, the document itself left out.

        The key terms of the whole stored article (Whoosh's Bo1 model over our broad analyser,
        title words counting more) are searched in the broad text field with their weights as
        boosts; the best matches by BM25F are ranked again with the entities they share with
        the article and how close their dates are (:mod:`.similar`). ``exclude_pks`` leaves out more objects of the same model (an
        article's syndicated copies); ``additional_query_string`` (Whoosh syntax; ``*`` for
        none) and ``models`` narrow the candidates, as in haystack's own backends.
        """
        if limit_to_registered_models is None:
            limit_to_registered_models = getattr(settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True)
        if models:
            model_choices = sorted(get_model_ct(model) for model in models)
        else:
            model_choices = self.build_models_list() if limit_to_registered_models else []
        narrow_queries = set()
        if model_choices:
            narrow_queries.add(" OR ".join(f"{DJANGO_CT}:{choice}" for choice in model_choices))
        if additional_query_string and force_str(additional_query_string).strip() not in ("", "*"):
            narrow_queries.add(force_str(additional_query_string))
        identifier = get_identifier(model_instance)
        model_ct = identifier.rsplit(".", 1)[0]
        return self._with_searcher(
            self._more_like_this,
            identifier,
            excluded=[f"{model_ct}.{pk}" for pk in exclude_pks],
            narrow_queries=narrow_queries,
            start_offset=start_offset or 0,
            end_offset=end_offset,
            result_class=result_class or SearchResult,
        )

    def _more_like_this(self, searcher, identifier, *, excluded, narrow_queries, start_offset, end_offset,
                        result_class):
        nothing = {"results": [], "hits": 0}
        docnum = searcher.document_number(**{ID: identifier})
        if docnum is None:
            return nothing
        key_terms = similar_docs.key_terms(searcher, self.schema, searcher.stored_fields(docnum))
        if not key_terms:
            return nothing
        similar = query.Or([query.Term(TEXT_FIELD, term, boost=weight) for term, weight in key_terms])
        docs = matching_docs(searcher, similar, self.shared)
        for other in chain([identifier], excluded):
            docs.discard(searcher.document_number(**{ID: other}))
        filter_docs = self._filter(searcher, narrow_queries)
        if filter_docs is not None:
            docs &= filter_docs
        end = len(docs) if end_offset is None else min(end_offset, len(docs))
        if start_offset >= end:
            return {"results": [], "hits": len(docs)}
        candidates = top_docs(searcher, similar, docs, max(end, similar_docs.RERANK_CANDIDATES), self.shared)
        ranked = similar_docs.rerank(searcher, self.schema, self.shared, docnum, candidates)[start_offset:end]
        return {
            "results": [self._result(searcher, doc, score, None, result_class) for doc, score in ranked],
            "hits": len(docs),
        }

    # -- consistency ---------------------------------------------------------------------------

    def indexed_documents(self, fieldnames: Sequence[str] = ()) -> dict[str, dict]:
        """Every indexed document's haystack id (``"articles.article.7"``) → ``{name: stored value}``
        of the stored ``fieldnames`` (``None`` where a document has no value).

        What a consistency check compares with the database: the stored fields are read once, in
        one pass over the committed index. Raises :class:`SearchBackendError` for a name that is
        not a stored field.
        """
        if not self.setup_complete:
            self.setup()
        unknown = [name for name in fieldnames if name not in self.schema or not self.schema[name].stored]
        if unknown:
            raise SearchBackendError(f"not stored in the index: {', '.join(unknown)}")
        with self.shared.lock:
            reader = self.shared.searcher().reader()
            return {stored[ID]: {name: stored.get(name) for name in fieldnames} for _docnum, stored in reader.iter_docs()}


class ArabicWhooshSearchQuery(WhooshSearchQuery):
    """Haystack's Whoosh query builder; ``mode`` travels to the backend as a search argument."""

    def __init__(self, using="default"):
        super().__init__(using=using)
        self.mode = "broad"

    def build_params(self, spelling_query=None, **kwargs):
        params = super().build_params(spelling_query, **kwargs)
        params["mode"] = self.mode
        return params

    def _clone(self, klass=None, using=None):
        clone = super()._clone(klass=klass, using=using)
        clone.mode = self.mode
        return clone


class ArabicWhooshEngine(BaseEngine):
    backend = ArabicWhooshSearchBackend
    query = ArabicWhooshSearchQuery
