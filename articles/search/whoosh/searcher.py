"""The process's shared searcher per index directory, its caches, and the write lock.

* Searching keeps ONE searcher per index directory per process and reopens it only when a
  writer has committed: opening a searcher costs ~100 ms on 40k articles, more than the query.
  Posting lists, document lengths, term presence and column values are cached per segment and
  outlive a commit for the segments it left as they were (a segment's files never change; its
  deletions are taken out apart), so a reader's search after a paste or an import batch does not
  read the whole archive again. Index-wide numbers (BM25 statistics, filter sets, whole-index
  columns) live as long as the searcher.
* Whoosh allows one writer at a time and raises ``LockError`` for the others. Every write holds
  :func:`writing`: a process-wide lock and an ``flock`` on a file in the index directory, so
  concurrent ingests (threads or processes) queue instead of losing updates.
"""

import fcntl
import logging
import math
import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from itertools import chain

import numpy as np
from whoosh import query
from whoosh.scoring import BM25FScorer

from articles.locking import flock_until
from articles.search.query import WEIGHTING
from articles.search.whoosh.internals import CachedLengthWeighting, matching_docs, read_postings, unfiltered
from articles.search.whoosh.schema import IdListField

logger = logging.getLogger(__name__)

LOCK_FILENAME = "archive-write.lock"
_MAX_FILTER_CACHE = 128
# Postings kept decoded per searcher (16 bytes each): the most frequent words of an archive of
# ~40k articles fit many times over.
_MAX_CACHED_POSTINGS = 4_000_000
# Term lookups remembered per searcher (presence per segment, BM25 statistics).
_MAX_TERM_CACHE = 200_000
# Opening a searcher while writers commit: each retry finds a newer commit, so a few suffice
# even under a stream of commits; the waits add up to well under a second.
_OPEN_ATTEMPTS = 10
_OPEN_RETRY_SECONDS = 0.005
# How often a writer with a time limit tries the lock of another process again.
LOCK_POLL_SECONDS = 0.02

# Held around every write by every backend instance of this process; the flock then orders
# this process's writer against other processes'.
_PROCESS_WRITE_LOCK = threading.RLock()


class IndexBusy(TimeoutError):
    """Another writer held the index for longer than the caller would wait."""


@contextmanager
def writing(path: str, *, timeout: float | None = None):
    """Exclusive right to write the index in directory ``path``, across threads and processes.

    Waits as long as the current writer takes, or at most ``timeout`` seconds, then raises
    :class:`IndexBusy`: a bulk import's commit holds the index for tens of seconds, longer
    than a request should wait.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    if not _PROCESS_WRITE_LOCK.acquire(timeout=-1 if timeout is None else timeout):
        raise IndexBusy(f"another writer of this process holds the index at {path}")
    try:
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, LOCK_FILENAME), "a") as lock_file:
            _lock(lock_file, deadline, path)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
    finally:
        _PROCESS_WRITE_LOCK.release()


def _lock(lock_file, deadline: float | None, path: str) -> None:
    if not flock_until(lock_file, fcntl.LOCK_EX, deadline, poll=LOCK_POLL_SECONDS):
        raise IndexBusy(f"another process holds the index at {path}")


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
            self._searcher = self._open()
            self._keep_segments(self._searcher)
        return self._searcher

    def _open(self):
        """A searcher on the latest complete commit.

        Whoosh writes a commit's table of contents under a temporary name and renames it, so a
        listed generation is always complete; but the next commit deletes it, and the segments
        it merged away, right after. A reader that listed generation N while a writer committed
        N+1 finds N's files gone (``FileNotFoundError: _MAIN_N.toc``): then N+1 is there, so
        it lists again and opens that.
        """
        for attempt in range(1, _OPEN_ATTEMPTS):
            try:
                return self._open_latest()
            except FileNotFoundError:
                logger.debug("index generation replaced while opening it; opening the newer one")
                time.sleep(_OPEN_RETRY_SECONDS * attempt)
        return self._open_latest()

    def _open_latest(self):
        index = self.storage.open_index(schema=self.schema)
        return index.searcher(weighting=CachedLengthWeighting(WEIGHTING, self))

    def reset(self):
        """Drop the searcher (after an error, e.g. a segment merged away while being opened)."""
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:  # it may already be broken; that is why we are here
                logger.debug("closing a broken searcher failed", exc_info=True)
        self._searcher = None
        self._forget_searcher_caches()

    def _forget_caches(self):
        self._postings = OrderedDict()
        self._postings_size = 0
        self._present = {}
        self._segment_columns = {}
        self._forget_searcher_caches()

    def _forget_searcher_caches(self):
        self._filters = {}
        self._columns = {}
        self._term_stats = {}

    def _keep_segments(self, searcher):
        """Drop the per-segment entries of segments ``searcher`` no longer reads (merged away)."""
        live = {segment_key(reader) for reader, _offset in searcher.reader().leaf_readers()}
        for key in [key for key in self._postings if key[0] not in live]:
            self._postings_size -= len(self._postings.pop(key)[0])
        self._present = {key: value for key, value in self._present.items() if key[0] in live}
        self._segment_columns = {key: value for key, value in self._segment_columns.items() if key[0] in live}

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
        key = (segment_key(reader), fieldname, "lengths")
        lengths = self._segment_columns.get(key)
        if lengths is None:
            # Whoosh returns None (not the default) for an empty field; such documents never score.
            lengths = [
                reader.doc_field_length(docnum, fieldname, 1) or 1 for docnum in range(reader.doc_count_all())
            ]
            self._segment_columns[key] = lengths
        return lengths

    def postings(self, reader, fieldname, text):
        """``(ids, term frequencies)`` numpy arrays of a term in the segment ``reader``, deleted
        documents included; cached, as the common words of queries come back all the time."""
        key = (segment_key(reader), fieldname, text)
        found = self._postings.pop(key, None)
        if found is None:
            ids, weights = read_postings(unfiltered(reader.postings(fieldname, text)))
            found = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
            self._postings_size += len(ids)
            while self._postings and self._postings_size > _MAX_CACHED_POSTINGS:
                _key, (old_ids, _tf) = self._postings.popitem(last=False)
                self._postings_size -= len(old_ids)
        self._postings[key] = found  # most recently used last
        return found

    def has_term(self, reader, fieldname, text) -> bool:
        """Whether the segment ``reader`` holds the term; cached, as Whoosh's lookup walks its
        term table's hash file at every call (about a tenth of a search over 20 segments)."""
        key = (segment_key(reader), fieldname, text)
        present = self._present.get(key)
        if present is None:
            if len(self._present) >= _MAX_TERM_CACHE:
                self._present.clear()
            present = self._present[key] = (fieldname, text) in reader
        return present

    def term_stats(self, searcher, fieldname, text):
        """The BM25F scorer parameters of a term (``idf``, ``avgfl``, ``K1``, ``B``), or ``None``
        when the weighting is not BM25F. ``searcher`` is a segment searcher holding the term.

        Cached for the searcher's life: they are index-wide statistics, and Whoosh rebuilds them
        for every segment of every scored term.
        """
        key = (fieldname, text)
        if key not in self._term_stats:
            if len(self._term_stats) >= _MAX_TERM_CACHE:
                self._term_stats.clear()
            scorer = searcher.weighting.scorer(searcher, fieldname, text)
            self._term_stats[key] = (
                (scorer.idf, scorer.avgfl, scorer.K1, scorer.B) if isinstance(scorer, BM25FScorer) else None
            )
        return self._term_stats[key]

    def field_length_array(self, reader, fieldname):
        """:meth:`field_lengths` as a numpy array."""
        key = (segment_key(reader), fieldname, "array")
        lengths = self._segment_columns.get(key)
        if lengths is None:
            lengths = self._segment_columns[key] = np.array(self.field_lengths(reader, fieldname), dtype=np.float64)
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
                part_key = (segment_key(reader), *key)
                part = self._segment_columns.get(part_key)
                if part is None:
                    if reader.has_column(fieldname):
                        part = list(reader.column_reader(fieldname, translate=not raw))
                    else:
                        part = [missing] * reader.doc_count_all()
                    self._segment_columns[part_key] = part
                values.extend(part)
            self._columns[key] = values
        return values

    def column_numbers(self, searcher, fieldname):
        """:meth:`column` as numpy arrays, for counting: ``(values, None)`` for a one-value
        column, ``(values, owners)`` for an id list (every id of every document, and the
        document number each belongs to); ``None`` when its values are not all integers."""
        key = (fieldname, "numbers")
        if key not in self._columns:
            values = self.column(searcher, fieldname)
            found = None
            if isinstance(self.schema[fieldname], IdListField):
                flat = list(chain.from_iterable(values))
                if all(type(value) is int for value in flat):
                    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
                    found = (np.array(flat, dtype=np.int64), np.repeat(np.arange(len(values)), lengths))
            else:
                numbers = [0 if value is None else value for value in values]
                if all(type(value) is int for value in numbers):
                    found = (np.array(numbers, dtype=np.int64), None)
            self._columns[key] = found
        return self._columns[key]


def segment_key(reader):
    """What per-segment caches key a segment reader by: its segment's id, the same in the
    searchers of later commits while the segment lives (``id(reader)`` for readers of no
    segment, which then never match a later searcher's)."""
    segment = reader.segment()
    return segment.segment_id() if segment is not None else id(reader)



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
