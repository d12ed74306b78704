# REQUESTS FOR ANALYSIS ENGINEER (from the backend engineer; delete once answered)
# 1. light_stem strips a particle off words where the letter is part of the word: «ليبيا» → «يبيا»,
#    «وزراء» → «زراء». Matching stays consistent (same stem both sides) but these stems collide
#    with other stems, and «ليبيا» (→ يبيا) no longer meets «الليبية» (→ ليب).
# 2. Ranking and counting are done here with set/numpy operations for Term, And, Or, DefaultOr,
#    PreloadedOr, AndMaybe and AndNot (exactly Whoosh's BM25F scores, checked on 1,425 queries).
#    Any other query class from build_query (Phrase, Prefix, SplitOr, DisjunctionMax…) still works
#    but goes through Whoosh's matchers, 5-10× slower on common words: tell me before using more.

"""Haystack engine for the archive: Whoosh with the Arabic analysers of :mod:`articles.search.analysis`.

What this adds to haystack's stock Whoosh backend, and why:

* The schema takes the text fields of :func:`articles.search.query.text_fields` (broad and exact
  analysers), sortable date/number columns, and a list column for multi-valued ids, so sorting
  and facets read columns instead of scanning postings.
* Searching keeps ONE searcher per index directory per process and reopens it only when a
  writer has committed: opening a searcher costs ~100 ms on 40k articles, more than the query.
* Counting, facets and filters work on sets of document numbers built from posting lists
  (:func:`matching_docs`) and on per-document arrays of column values cached per searcher;
  ranking computes Whoosh's own BM25F scores a posting list at a time (:func:`rank_docs`);
  only phrases and prefixes still go through Whoosh's matchers. ``narrow_queries`` become
  cached document sets; facets (haystack's Whoosh backend has none) count over every match;
  sorting by a column puts documents without a value (undated articles) last both ways.
* Highlighting runs our own analyser over the stored text, so the original words are marked
  (diacritics and all) even when the match was on the normalised or stemmed form.
* Spelling suggestions are made of words that occur in the archive, and only offered when they
  find more articles than what was typed.
* Whoosh allows one writer at a time and raises ``LockError`` for the others. Every write here
  holds a process-wide lock and an ``flock`` on a file in the index directory, so concurrent
  ingests (threads or processes) queue instead of losing updates.
"""

import fcntl
import heapq
import logging
import math
import os
import threading
from collections import Counter, OrderedDict
from contextlib import contextmanager
from itertools import chain, islice

import numpy as np
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import columns, fields, query, scoring, writing
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.matching.wrappers import FilterMatcher
from whoosh.qparser import QueryParser

from articles.text.normalize import DIACRITICS_RE, TATWEEL
from articles.text.tokens import WORD_RE, sentence_bounds
from articles.search.analysis import broad_analyzer, exact_analyzer, exact_term
from articles.search.query import (
    BROAD_FIELDS,
    TEXT_EXACT_FIELD,
    TITLE_EXACT_FIELD,
    WEIGHTING,
    build_query,
    text_fields,
)

logger = logging.getLogger(__name__)

LOCK_FILENAME = "archive-write.lock"
# Writes of at least this many documents (bulk imports, rebuilds) use two writer processes;
# the connection option PARALLEL_MIN_DOCUMENTS changes it.
PARALLEL_MIN_DOCUMENTS = 1000
SNIPPET_CHARS = 300
# The stored body: snippets come from it, not from the indexed text fields (title + body).
SNIPPET_FIELD = "body"
_MAX_FILTER_CACHE = 128
# Postings kept decoded per searcher (16 bytes each): the most frequent words of an archive of
# ~40k articles fit many times over.
_MAX_CACHED_POSTINGS = 4_000_000
# The Or variants that match and score as a plain union (SplitOr pre-scores a top-N: not here).
_OR_TYPES = (query.Or, query.DefaultOr, query.PreloadedOr)

# Held around every write by every backend instance of this process; the flock then orders
# this process's writer against other processes'.
_PROCESS_WRITE_LOCK = threading.RLock()


class IdListField(fields.KEYWORD):
    """Comma-separated ids (entity ids of an article) with a list column, so facets read a
    document's ids without going through the postings of every id."""

    def __init__(self, stored=False):
        super().__init__(stored=stored, commas=True)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value):
        return [part.strip().encode() for part in force_str(value).split(",") if part.strip()]

    def from_column_value(self, value):
        return [part.decode() for part in value]


# ---------------------------------------------------------------------------------------------
# Highlighting


def match_spans(text: str, terms, analyzer) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose analysed term is in ``terms``."""
    if not terms or not text:
        return []
    return [(token.startchar, token.endchar) for token in analyzer(text, chars=True) if token.text in terms]


def highlight(text: str, terms, analyzer, *, snippet: bool = True, max_chars: int = SNIPPET_CHARS) -> SafeString:
    """``text`` as HTML with the words matching ``terms`` wrapped in ``<mark>``.

    ``terms`` are analysed terms (what ``analyzer`` makes of a word); the marked text is the word
    as written. With ``snippet``, only the sentence or two around the best matches is returned
    (at most about ``max_chars`` characters, «…» where cut). Everything except our ``<mark>``
    tags is escaped.
    """
    return render_highlight(text, match_spans(text, terms, analyzer), snippet=snippet, max_chars=max_chars)


def render_highlight(text: str, spans, *, snippet: bool = True, max_chars: int = SNIPPET_CHARS) -> SafeString:
    """``text`` (or a snippet of it) as HTML with the character ``spans`` marked."""
    text = text or ""
    spans = sorted(set(spans))
    start, end = (_snippet_window(text, spans, max_chars) if snippet else (0, len(text)))
    parts = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text.rstrip()):
        parts.append("…")
    return mark_safe("".join(parts).strip())


def _snippet_window(text: str, spans, max_chars: int) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence(s) that hold the most distinct matched words."""
    sentences = sentence_bounds(text)
    if not sentences:
        return 0, 0
    if spans:
        def matched_words(bounds):
            return len({text[s:e] for s, e in spans if bounds[0] <= s and e <= bounds[1]})

        best = max(range(len(sentences)), key=lambda i: (matched_words(sentences[i]), -i))
        if not matched_words(sentences[best]):
            best = 0
    else:
        best = 0
    start, end = sentences[best]
    # A second sentence when it fits: the next one, or the previous when this is the last.
    for neighbour in (best + 1, best - 1):
        if 0 <= neighbour < len(sentences):
            n_start, n_end = sentences[neighbour]
            if max(end, n_end) - min(start, n_start) <= max_chars:
                start, end = min(start, n_start), max(end, n_end)
                break
    if end - start > max_chars:
        first = next((s for s, e in spans if start <= s < end), start)
        start = max(start, first - max_chars // 3)
        end = min(end, start + max_chars)
        start, end = _word_bounds(text, start, end)
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` forward and ``end`` back to whitespace so no word is cut."""
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, end)
        start = space + 1 if space != -1 else start
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def positive_terms(q, reader) -> dict[str, set[str]]:
    """Field name → the terms of ``q`` that can mark a word: negated clauses left out,
    prefixes expanded to the index terms they matched."""
    found: dict[str, set[str]] = {}

    def walk(node):
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        if node.is_leaf():
            for fieldname, btext in node.existing_terms(reader, phrases=True, expand=True):
                text = btext.decode() if isinstance(btext, bytes) else btext
                found.setdefault(fieldname, set()).add(text)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return found


# ---------------------------------------------------------------------------------------------
# Matching without scoring


def matching_docs(searcher, q, shared) -> set[int]:
    """Document numbers matching ``q``, by set algebra over posting lists.

    Counting and faceting need every match, and Whoosh's matchers step through matches one
    Python call at a time (~1 µs each): a common word matches most of the archive, so that
    would cost more than the search itself. Terms and the boolean queries the site builds are
    done with sets; anything else goes through Whoosh.
    """
    if isinstance(q, query.Term):
        return _term_docs(searcher, q.fieldname, q.text, shared)
    # Exact types: subclasses such as Ordered match differently.
    if type(q) in _OR_TYPES and not q.minmatch:
        return set().union(*(matching_docs(searcher, sub, shared) for sub in q.subqueries))
    if type(q) is query.And:
        parts = sorted((matching_docs(searcher, sub, shared) for sub in q.subqueries), key=len)
        return set.intersection(*parts) if parts else set()
    if isinstance(q, query.AndNot):
        return matching_docs(searcher, q.a, shared) - matching_docs(searcher, q.b, shared)
    if isinstance(q, query.AndMaybe):
        return matching_docs(searcher, q.a, shared)
    if type(q) is query.Every and not q.fieldname:
        return set(searcher.reader().all_doc_ids())
    if q is query.NullQuery:
        return set()
    return set(searcher.docs_for_query(q))


def _term_docs(searcher, fieldname, text, shared) -> set[int]:
    docs = set()
    for reader, offset in searcher.reader().leaf_readers():
        if (fieldname, text) not in reader:
            continue
        ids = shared.postings(reader, fieldname, text)[0].tolist()
        if reader.has_deletions():
            ids = set(ids).difference(reader.deleted_docs_set)
        docs.update(map(offset.__add__, ids) if offset else ids)
    return docs


def _unfiltered(matcher):
    # Deleted documents are taken out by the callers, with set operations.
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def read_postings(matcher) -> tuple[list, list]:
    """``(document numbers, term frequencies)`` of a fresh posting-list matcher.

    Reads whoosh-reloaded 2.7.5's W3LeafMatcher block buffers directly (40× faster than
    ``all_ids()``); other matchers go the slow, public way.
    """
    ids, weights = [], []
    if not isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return ids, weights
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        matcher._next_block()
    return ids, weights


# ---------------------------------------------------------------------------------------------
# Ranking without Whoosh's matchers


class _CannotRank(Exception):
    """The query has a part :func:`rank_docs` does not score (phrases, prefixes…)."""


def rank_docs(searcher, q, docs, limit: int, shared) -> list[tuple[int, float]] | None:
    """The ``limit`` best of ``docs`` for ``q`` as ``(docnum, score)``, best first (ties: index order).

    Exactly Whoosh's BM25F scores, including the coordination bonus of ``Or(scale=…)``, but
    computed a posting list at a time with numpy instead of a Python call per match and
    matcher: a common word matches most of the archive. Returns ``None`` for queries with
    parts other than terms and the boolean operators; the caller then lets Whoosh rank.
    """
    try:
        scores = [_node_scores(sub, q, shared)[0] for sub, _offset in searcher.leaf_searchers()]
    except _CannotRank:
        return None
    scores = np.concatenate(scores) if len(scores) > 1 else scores[0]
    candidates = np.fromiter(docs, dtype=np.int64, count=len(docs))
    candidate_scores = scores[candidates]
    order = np.lexsort((candidates, -candidate_scores))[:limit]
    return [(int(candidates[i]), float(candidate_scores[i])) for i in order]


def _node_scores(searcher, q, shared):
    """For one segment: (scores, matches, matching term counts, term count) of ``q``'s tree,
    as Whoosh's matchers would compute them (``CompoundQuery.matcher``, ``CoordMatcher``)."""
    if type(q) is query.Term:
        return _term_scores(searcher, q, shared)
    if type(q) is query.And or type(q) in _OR_TYPES:
        if type(q) is not query.And and q.minmatch:
            raise _CannotRank
        children = [_node_scores(searcher, sub, shared) for sub in q.subqueries]
        if len(children) == 1:
            return children[0]
        matches = np.logical_and.reduce if type(q) is query.And else np.logical_or.reduce
        match = matches([child[1] for child in children])
        score = np.where(match, np.sum([child[0] for child in children], axis=0), 0.0) * q.boost
        count = np.where(match, np.sum([child[2] for child in children], axis=0), 0)
        terms = sum(child[3] for child in children)
        # PreloadedOr's array matcher has no coordination bonus.
        if type(q) in (query.Or, query.DefaultOr) and q.scale and terms:
            scale = q.scale
            if terms == scale:
                score = np.zeros_like(score)
            else:
                score = np.where(match, (score + (count - 1) / (terms - scale) ** 2) * ((terms - 1) / terms), 0.0)
        return score, match, count, terms
    if type(q) is query.AndMaybe:
        a, b = _node_scores(searcher, q.a, shared), _node_scores(searcher, q.b, shared)
        also = a[1] & b[1]
        return a[0] + np.where(also, b[0], 0.0), a[1], a[2] + np.where(also, b[2], 0), a[3] + b[3]
    if type(q) is query.AndNot:
        a, b = _node_scores(searcher, q.a, shared), _node_scores(searcher, q.b, shared)
        match = a[1] & ~b[1]
        return np.where(match, a[0], 0.0), match, np.where(match, a[2], 0), a[3] + b[3]
    raise _CannotRank


def _term_scores(searcher, q, shared):
    reader = searcher.reader()
    size = reader.doc_count_all()
    score, match, count = np.zeros(size), np.zeros(size, dtype=bool), np.zeros(size, dtype=np.int64)
    if (q.fieldname, q.text) not in reader:
        return score, match, count, 0
    scorer = searcher.weighting.scorer(searcher, q.fieldname, q.text)
    if not isinstance(scorer, scoring.BM25FScorer):
        raise _CannotRank
    ids, tf = shared.postings(reader, q.fieldname, q.text)
    lengths = shared.field_length_array(reader, q.fieldname)[ids]
    k1, b = scorer.K1, scorer.B
    # scoring.bm25(), term for term, so the numbers are Whoosh's own.
    score[ids] = scorer.idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / scorer.avgfl)))
    if q.boost != 1.0:
        score *= q.boost
    match[ids] = True
    if reader.has_deletions():
        deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
        match[deleted] = False
        score[deleted] = 0.0
    count[match] = 1
    return score, match, count, 1


# ---------------------------------------------------------------------------------------------
# The shared searcher


class SharedIndex:
    """One index directory's searcher and the caches that live as long as it does.

    Whoosh searchers are not safe to share between threads, and Python runs one thread at a
    time anyway, so searches hold ``lock``: that is cheaper than a searcher per thread.
    """

    def __init__(self, storage, schema):
        self.storage = storage
        self.schema = schema
        self.lock = threading.RLock()
        self.signature = ()
        self._searcher = None
        self._forget_caches()

    def searcher(self):
        """The current searcher, refreshed if a writer has committed since it was opened."""
        if self._searcher is not None and not self._searcher.up_to_date():
            # Not Searcher.refresh(): whoosh-reloaded 2.7.5's reader reuse keeps the replaced
            # segments too, so edited documents would be found under their old text as well.
            self.reset()
        if self._searcher is None:
            index = self.storage.open_index(schema=self.schema)
            self._searcher = index.searcher(weighting=CachedLengthWeighting(WEIGHTING, self))
        return self._searcher

    def reset(self):
        """Drop the searcher (after an error, e.g. a segment merged away while being opened)."""
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:  # it may already be broken; that is why we are here
                logger.debug("closing a broken searcher failed", exc_info=True)
        self._searcher = None
        self._forget_caches()

    def _forget_caches(self):
        self._filters = {}
        self._columns = {}
        self._postings = OrderedDict()
        self._postings_size = 0

    def docs(self, searcher, q) -> frozenset:
        """The documents matching ``q`` (a filter, or every document), cached for this searcher."""
        docs = self._filters.get(q)
        if docs is None:
            if len(self._filters) >= _MAX_FILTER_CACHE:
                self._filters.clear()
            if isinstance(q, query.Every):
                docs = frozenset(searcher.reader().all_doc_ids())
            else:
                docs = frozenset(matching_docs(searcher, q, self))
            self._filters[q] = docs
        return docs

    def field_lengths(self, reader, fieldname) -> list:
        """Per document number of ``reader`` (a segment), the length of ``fieldname``."""
        key = (id(reader), fieldname)
        lengths = self._columns.get(key)
        if lengths is None:
            # Whoosh returns None (not the default) for an empty field; such documents never score.
            lengths = [
                reader.doc_field_length(docnum, fieldname, 1) or 1 for docnum in range(reader.doc_count_all())
            ]
            self._columns[key] = lengths
        return lengths

    def postings(self, reader, fieldname, text):
        """``(ids, term frequencies)`` numpy arrays of a term in the segment ``reader``, deleted
        documents included; cached, as the common words of queries come back all the time."""
        key = (id(reader), fieldname, text)
        found = self._postings.pop(key, None)
        if found is None:
            ids, weights = read_postings(_unfiltered(reader.postings(fieldname, text)))
            found = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
            self._postings_size += len(ids)
            while self._postings and self._postings_size > _MAX_CACHED_POSTINGS:
                _key, (old_ids, _tf) = self._postings.popitem(last=False)
                self._postings_size -= len(old_ids)
        self._postings[key] = found  # most recently used last
        return found

    def field_length_array(self, reader, fieldname):
        """:meth:`field_lengths` as a numpy array."""
        key = (id(reader), fieldname, "array")
        lengths = self._columns.get(key)
        if lengths is None:
            lengths = self._columns[key] = np.array(self.field_lengths(reader, fieldname), dtype=np.float64)
        return lengths

    def sort_keys(self, searcher, fieldname, *, descending: bool) -> list:
        """Per document number, an ascending sort key for ``fieldname`` (negated when
        ``descending``); documents without a value sort last either way."""
        key = (fieldname, descending)
        keys = self._columns.get(key)
        if keys is None:
            raw = self.column(searcher, fieldname, raw=True)
            if descending:
                keys = [-value if value else math.inf for value in raw]
            else:
                keys = [value if value else math.inf for value in raw]
            self._columns[key] = keys
        return keys

    def column(self, searcher, fieldname, *, raw: bool = False) -> list:
        """The values of a column field for every document number (a list of lists for id
        lists); with ``raw``, the column's sortable numbers (0 where a document has no value)."""
        key = (fieldname, "raw" if raw else "values")
        values = self._columns.get(key)
        if values is None:
            # Per segment: Whoosh's multi-segment column reader skips segments that have no
            # value in the column, which shifts every later document number.
            missing = [] if isinstance(self.schema[fieldname], IdListField) and not raw else 0
            values = []
            for reader, _offset in searcher.reader().leaf_readers():
                if reader.has_column(fieldname):
                    values.extend(reader.column_reader(fieldname, translate=not raw))
                else:
                    values.extend([missing] * reader.doc_count_all())
            self._columns[key] = values
        return values


class CachedLengthWeighting(scoring.WeightingModel):
    """``model`` (the site's BM25F) reading document lengths from arrays cached per searcher.

    Whoosh looks a length up through five Python calls per scored posting, a third of the time
    of a search whose words match thousands of articles. The lengths are the same numbers.
    """

    def __init__(self, model, shared: SharedIndex):
        self.model = model
        self.shared = shared
        self.use_final = model.use_final

    def idf(self, searcher, fieldname, text):
        return self.model.idf(searcher, fieldname, text)

    def final(self, searcher, docnum, score):
        return self.model.final(searcher, docnum, score)

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = self.model.scorer(searcher, fieldname, text, qf=qf)
        if getattr(scorer, "dfl", None) is not None:
            scorer.dfl = self.shared.field_lengths(searcher.reader(), fieldname).__getitem__
        return scorer


_SHARED: dict[str, SharedIndex] = {}
_SHARED_LOCK = threading.Lock()


def shared_index(path: str, storage, schema) -> SharedIndex:
    """The process's :class:`SharedIndex` for the index directory ``path``."""
    # Every backend instance (haystack makes one per thread) builds its own schema object, and
    # Whoosh compares column types by identity: compare field names and types instead.
    signature = tuple(sorted((name, type(field).__name__) for name, field in schema.items()))
    with _SHARED_LOCK:
        shared = _SHARED.get(path)
        if shared is None or shared.signature != signature:
            shared = _SHARED[path] = SharedIndex(storage, schema)
            shared.signature = signature
        return shared


# ---------------------------------------------------------------------------------------------
# The backend


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
        """Whoosh schema for haystack's fields: our analysers on text, columns for sort and facets.

        Text fields named in :func:`articles.search.query.text_fields` take their analyser from there;
        other indexed text is kept verbatim (ID) and unindexed text only stored.
        """
        analysed = text_fields()
        schema_fields = {
            ID: fields.ID(stored=True, unique=True),
            DJANGO_CT: fields.ID(stored=True),
            DJANGO_ID: fields.ID(stored=True),
        }
        content_field_name = ""
        for field_class in search_fields.values():
            name = field_class.index_fieldname
            if name in analysed:
                field = analysed[name]
                field.stored = field_class.stored
            elif field_class.is_multivalued:
                field = IdListField(stored=field_class.stored)
            elif field_class.field_type in ("date", "datetime"):
                field = fields.DATETIME(stored=field_class.stored)
                # Undated documents read as 0 in the column; sorting puts them last.
                field.set_sortable(columns.NumericColumn(field.sortable_typecode, default=0))
            elif field_class.field_type in ("integer", "float"):
                numtype = int if field_class.field_type == "integer" else float
                # Unsigned so that a missing value reads back as 0, which facets skip.
                field = fields.NUMERIC(
                    numtype, bits=64, signed=False, stored=field_class.stored, sortable=True, default=0
                )
            elif field_class.field_type == "boolean":
                field = fields.BOOLEAN(stored=field_class.stored)
            elif field_class.indexed:
                field = fields.ID(stored=field_class.stored, sortable=True)
            else:
                field = fields.STORED()
            schema_fields[name] = field
            if field_class.document:
                content_field_name = name
        if len(schema_fields) <= 3:
            raise SearchBackendError("No fields were found in any search_indexes.")
        return content_field_name, fields.Schema(**schema_fields)

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def _writing(self):
        """Exclusive right to write this index, across threads and processes."""
        with _PROCESS_WRITE_LOCK:
            os.makedirs(self.path, exist_ok=True)
            with open(os.path.join(self.path, LOCK_FILENAME), "a") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    def _writer(self, *, parallel: bool = False):
        index = self.storage.open_index(schema=self.schema)
        if parallel and (os.cpu_count() or 1) > 1:
            # Whoosh writes postings in pure Python; a bulk batch spread over two worker
            # processes, each writing its own segment, indexes ~2.5x faster on two cores.
            return index.writer(procs=2, multisegment=True, limitmb=self.limitmb // 2)
        return index.writer(limitmb=self.limitmb)

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
        """Add or replace the documents of ``iterable`` in one commit.

        ``iterable`` may be a generator over database batches: one writer takes them all, which
        is much faster than a commit per batch (each commit rewrites and merges segments).
        """
        if not self.setup_complete:
            self.setup()
        with self._writing():
            documents = self._documents(index, iterable)
            head = list(islice(documents, self.parallel_min_documents))
            parallel = len(head) == self.parallel_min_documents
            writer = self._writer(parallel=parallel)
            written = []
            try:
                for doc in chain(head, documents):
                    writer.update_document(**doc)
                    written.append(doc[ID])
            except BaseException:
                writer.cancel()
                raise
            if not written:
                writer.cancel()
                return
            writer.commit()
            if parallel:
                self._check_written(written)

    def _check_written(self, identifiers):
        # Whoosh's parallel writer drops a worker's segment without a word if the worker dies:
        # a lost update must be an error, not a silent gap in the index.
        with self.storage.open_index(schema=self.schema).reader() as reader:
            missing = [i for i in identifiers if not reader.doc_frequency(ID, i)]
        if missing:
            raise SearchBackendError(f"{len(missing)} documents missing after a parallel index write, e.g. {missing[0]}")

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
            writer.commit()

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
                writer.commit(mergetype=writing.CLEAR)
                return
            try:
                for model in models:
                    writer.delete_by_term(DJANGO_CT, f"{model._meta.app_label}.{model._meta.model_name}")
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

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
        **kwargs,
    ):
        """Run a search; haystack's arguments plus ``mode`` ("broad"/"exact") and ``suggest``.

        ``query_string`` is in the reader's search language (:mod:`articles.search.query`); empty or
        ``*`` matches every document. ``narrow_queries`` are field queries in Whoosh syntax
        (``source:3``, ``published_on:[20180101 to 20181231]``) used as cached filters.
        ``facets`` names fields to count over all matches. With ``suggest`` (or haystack's
        ``INCLUDE_SPELLING``), a search with fewer than three results gets a
        ``spelling_suggestion`` when one finds more.
        """
        if not self.setup_complete:
            self.setup()
        for attempt in (1, 2):
            with self.shared.lock:
                try:
                    return self._search(
                        force_str(query_string or ""),
                        sort_by=sort_by,
                        start_offset=start_offset or 0,
                        end_offset=end_offset,
                        highlight=highlight,
                        facets=facets or (),
                        narrow_queries=narrow_queries or (),
                        mode=mode,
                        suggest=suggest or self.include_spelling or spelling_query is not None,
                        result_class=result_class or SearchResult,
                    )
                except Exception:
                    # A writer may have merged away segments this searcher was reading; a
                    # fresh searcher sees the committed state.
                    self.shared.reset()
                    if attempt == 2:
                        raise
                    logger.info("search failed, retrying with a fresh searcher", exc_info=True)

    def _search(self, query_string, *, sort_by, start_offset, end_offset, highlight, facets,
                narrow_queries, mode, suggest, result_class):
        searcher = self.shared.searcher()
        parsed = self._parse(query_string, mode)
        if parsed is query.NullQuery:
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        filter_docs = self._filter(searcher, narrow_queries)
        docs = (
            self.shared.docs(searcher, parsed) if isinstance(parsed, query.Every)
            else matching_docs(searcher, parsed, self.shared)
        )
        if filter_docs is not None:
            docs = docs & filter_docs
        hits = len(docs)
        end = hits if end_offset is None else min(end_offset, hits)
        if start_offset >= end:
            ranked = []
        elif sort_by:
            ranked = [(docnum, 0.0) for docnum in self._sorted(searcher, docs, sort_by, end)[start_offset:end]]
        else:
            ranked = rank_docs(searcher, parsed, docs, end, self.shared)
            if ranked is None:
                # ``docs`` as the filter also corrects Whoosh's AndNot matcher, which lets the
                # odd excluded document through.
                top = searcher.search(parsed, limit=end, filter=docs if isinstance(docs, set) else set(docs))
                ranked = [(hit.docnum, hit.score or 0.0) for hit in top]
            ranked = ranked[start_offset:end]
        matchers = self._matchers(parsed, searcher) if highlight else None
        return {
            "results": [self._result(searcher, docnum, score, matchers, result_class) for docnum, score in ranked],
            "hits": hits,
            "facets": {"fields": self._facet_counts(searcher, docs, facets)} if facets else {},
            "spelling_suggestion": (
                self._suggestion(searcher, query_string, mode, filter_docs, hits) if suggest and hits < 3 else None
            ),
        }

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

    def _matchers(self, parsed, searcher):
        """(analyser, terms) pairs that find the matched words in a stored text."""
        terms = positive_terms(parsed, searcher.reader())
        broad = set().union(*(t for name, t in terms.items() if name in BROAD_FIELDS))
        exact = set().union(*(t for name, t in terms.items() if name in (TITLE_EXACT_FIELD, TEXT_EXACT_FIELD)))
        return tuple((analyzer, words) for analyzer, words in ((_BROAD, broad), (_EXACT, exact)) if words)

    def _result(self, searcher, docnum, score, matchers, result_class):
        stored = searcher.stored_fields(docnum)
        app_label, model_name = stored.pop(DJANGO_CT).split(".")
        pk = stored.pop(DJANGO_ID)
        # Whoosh already returns stored dates and numbers as Python values; haystack's
        # _to_python would also turn a title such as «2019» into a number.
        extra = dict(stored)
        if matchers is not None:
            highlighted = {}
            for name, snippet in (("title", False), (SNIPPET_FIELD, True)):
                text = stored.get(name) or ""
                spans = list(chain.from_iterable(match_spans(text, terms, a) for a, terms in matchers))
                highlighted[name] = [render_highlight(text, spans, snippet=snippet)]
            extra["highlighted"] = highlighted
        return result_class(app_label, model_name, pk, score, **extra)

    def _facet_counts(self, searcher, docs, facets):
        counts = {}
        for name in facets:
            values = self.shared.column(searcher, name)
            field = self.schema[name]
            if isinstance(field, IdListField):
                counter = Counter(chain.from_iterable(map(values.__getitem__, docs)))
            else:
                counter = Counter(map(values.__getitem__, docs))
                counter.pop(0, None)
                counter.pop(None, None)
            counts[name] = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        return counts

    # -- spelling ------------------------------------------------------------------------------

    def _suggestion(self, searcher, query_string, mode, filter_docs, hits):
        """The query with unknown words replaced by close words of the archive, if that finds more."""
        reader = searcher.reader()
        replacements = []
        for match in WORD_RE.finditer(query_string):
            word = exact_term(match.group())
            known = reader.doc_frequency(TEXT_EXACT_FIELD, word) or reader.doc_frequency(TITLE_EXACT_FIELD, word)
            if not word or known:
                continue
            better = self._closest_word(searcher, word)
            if better:
                replacements.append((match.start(), match.end(), better))
        if not replacements:
            return None
        parts, position = [], 0
        for start, end, word in replacements:
            parts += [query_string[position:start], word]
            position = end
        suggestion = "".join(parts + [query_string[position:]])
        suggested = self._parse(suggestion, mode)
        if suggested is query.NullQuery:
            return None
        docs = matching_docs(searcher, suggested, self.shared)
        found = len(docs if filter_docs is None else docs & filter_docs)
        return suggestion if found > hits else None

    def _closest_word(self, searcher, word):
        """The most frequent archive word within one edit of ``word`` (else two), as written."""
        reader = searcher.reader()

        def frequency(term):
            return reader.doc_frequency(TEXT_EXACT_FIELD, term) + reader.doc_frequency(TITLE_EXACT_FIELD, term)

        for maxdist in (1, 2):
            candidates = set()
            for fieldname in (TITLE_EXACT_FIELD, TEXT_EXACT_FIELD):
                candidates.update(reader.terms_within(fieldname, word, maxdist, prefix=1))
            candidates.discard(word)
            if candidates:
                return self._surface_form(searcher, max(candidates, key=lambda term: (frequency(term), term)))
        return None

    def _surface_form(self, searcher, term):
        """How the archive writes the normalised ``term`` (ة, أ, ى restored), without diacritics."""
        found = query.Or([query.Term(TITLE_EXACT_FIELD, term), query.Term(TEXT_EXACT_FIELD, term)])
        for docnum in searcher.docs_for_query(found):
            stored = searcher.stored_fields(docnum)
            text = f"{stored.get('title') or ''}\n{stored.get(SNIPPET_FIELD) or ''}"
            for match in WORD_RE.finditer(text):
                if exact_term(match.group()) == term:
                    return DIACRITICS_RE.sub("", match.group()).replace(TATWEEL, "")
            break
        return term

    def create_spelling_suggestion(self, query_string):
        if not self.setup_complete:
            self.setup()
        with self.shared.lock:
            searcher = self.shared.searcher()
            parsed = self._parse(query_string, "broad")
            hits = 0 if parsed is query.NullQuery else len(matching_docs(searcher, parsed, self.shared))
            return self._suggestion(searcher, query_string, "broad", None, hits)

    def more_like_this(self, *args, **kwargs):
        raise NotImplementedError("The archive does not offer «more like this» search.")

    def indexed_documents(self, fieldnames=()) -> dict[str, dict]:
        if not self.setup_complete:
            self.setup()
        with self.shared.lock:
            reader = self.shared.searcher().reader()
            return {stored[ID]: {name: stored.get(name) for name in fieldnames} for _docnum, stored in reader.iter_docs()}


_BROAD = broad_analyzer()
_EXACT = exact_analyzer()


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
