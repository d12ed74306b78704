"""The one module that reads private members of whoosh-reloaded 2.7.5, for speed.

Counting, facets and ranking need every match of a query, and Whoosh's matchers step through
matches one Python call at a time (~1 µs each): a common word matches most of the archive, so
that would cost more than the rest of a search. So this module

* reads posting lists straight from ``W3LeafMatcher``'s block buffers (``_ids``, ``_weights``,
  ``_read_ids()``, ``_read_weights()``, ``_next_block()``), unwrapping ``FilterMatcher.child``;
* takes deleted documents out with ``reader.deleted_docs_set``;
* counts the live documents of each segment from the table of contents (``FileIndex._segments()``);
* matches terms and the boolean queries the site builds with boolean arrays (:func:`matching_docs`);
* ranks them with a copy of Whoosh's BM25F formula (``scoring.bm25``, ``BM25FScorer.K1/B/idf/
  avgfl``) and of ``CompoundQuery``'s score combination, a posting list at a time with numpy
  (:func:`rank_docs`);
* merges segments apart from the index's writer (``SegmentWriter(_lk=False)``, its
  ``_finalize_segment()`` and ``_finish()``, ``TOC`` and ``clean_files``), so that a merge never
  holds the write lock (:func:`write_merged_segment`, :func:`install_merged_segment`);
* gives ``SegmentWriter``'s flush a per-document reader that reads each field's document
  lengths once (:class:`SegmentWriter`, overriding ``per_document_reader``);
* writes a bulk write's segments in a scratch index apart from the writer (``SegmentWriter`` or
  ``MpWriter(multisegment=True, _lk=False)``) and puts them in with the older copies of their
  documents deleted (``index._segments()``, ``segment.delete_document``, ``TOC``,
  ``clean_files``: :func:`write_new_segments`, :func:`install_new_segments`);
* replaces ``scorer.dfl`` (the document-length lookup of Whoosh's own BM25F scorer) with a
  cached array (:class:`CachedLengthWeighting`), for the queries Whoosh still ranks.

``tests/search/test_whoosh_internals.py`` checks that these members exist and behave, and that
counts, top 10 and scores equal Whoosh's own searcher's on real queries: an upgrade of Whoosh
that breaks any of this fails there, not silently in ranking.
"""

import os
from itertools import islice

import numpy as np
from whoosh import query, scoring, writing
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

# The Or variants that match and score as a plain union (SplitOr pre-scores a top-N: not here).
_OR_TYPES = (query.Or, query.DefaultOr, query.PreloadedOr)


# ---------------------------------------------------------------------------------------------
# Posting lists


def unfiltered(matcher):
    """``matcher`` without the ``FilterMatcher`` that hides deleted documents.

    Deleted documents are taken out by the callers, with set operations.
    """
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def read_postings(matcher) -> tuple[list, list]:
    """``(document numbers, term frequencies)`` of a fresh posting-list matcher.

    Reads W3LeafMatcher's block buffers directly (40× faster than ``all_ids()``); other
    matchers go the slow, public way.
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


def deleted_docs(reader) -> set[int]:
    """Document numbers deleted from the segment ``reader`` (empty when it has none)."""
    return reader.deleted_docs_set if reader.has_deletions() else set()


def live_segment_sizes(index) -> list[tuple[str, int]]:
    """``(segment id, documents not deleted)`` of each segment of the ``FileIndex`` ``index``,
    in index order, from its table of contents."""
    return [(segment.segment_id(), segment.doc_count()) for segment in index._segments()]


# ---------------------------------------------------------------------------------------------
# Matching without scoring


def matching_docs(searcher, q, shared) -> set[int]:
    """Document numbers matching ``q``, by boolean array algebra over posting lists.

    ``shared`` is the :class:`articles.search.whoosh.searcher.SharedIndex` whose posting cache
    is used. Terms and the boolean queries the site builds are arrays over the whole index (a
    common word matches most of it: set unions of its posting lists were most of such a
    search); anything else goes through Whoosh.
    """
    mask = _matching_mask(searcher, q, shared)
    return set(np.flatnonzero(mask).tolist())


def _matching_mask(searcher, q, shared):
    if isinstance(q, query.Term):
        return _term_mask(searcher, q.fieldname, q.text, shared)
    # Exact types: subclasses such as Ordered match differently.
    if type(q) in _OR_TYPES and not q.minmatch:
        return _combined(np.logical_or, searcher, q.subqueries, shared)
    if type(q) is query.And:
        return _combined(np.logical_and, searcher, q.subqueries, shared)
    if isinstance(q, query.AndNot):
        return _matching_mask(searcher, q.a, shared) & ~_matching_mask(searcher, q.b, shared)
    if isinstance(q, query.AndMaybe):
        return _matching_mask(searcher, q.a, shared)
    mask = np.zeros(searcher.doc_count_all(), dtype=bool)
    if type(q) is query.Every and not q.fieldname:
        docs = list(searcher.reader().all_doc_ids())
    elif q is query.NullQuery:
        docs = []
    else:
        docs = list(searcher.docs_for_query(q))
    mask[np.array(docs, dtype=np.int64)] = True
    return mask


def _combined(operation, searcher, subqueries, shared):
    if not subqueries:
        return np.zeros(searcher.doc_count_all(), dtype=bool)
    return operation.reduce([_matching_mask(searcher, sub, shared) for sub in subqueries])


def _term_mask(searcher, fieldname, text, shared):
    mask = np.zeros(searcher.doc_count_all(), dtype=bool)
    for reader, offset in searcher.reader().leaf_readers():
        if not shared.has_term(reader, fieldname, text):
            continue
        mask[shared.postings(reader, fieldname, text)[0] + offset] = True
        deleted = deleted_docs(reader)
        if deleted:
            mask[np.fromiter(deleted, dtype=np.int64, count=len(deleted)) + offset] = False
    return mask


# ---------------------------------------------------------------------------------------------
# Ranking without Whoosh's matchers


class _CannotRank(Exception):
    """The query has a part :func:`rank_docs` does not score (phrases, prefixes…)."""


def rank_docs(searcher, q, docs, limit: int, shared) -> list[tuple[int, float]] | None:
    """The ``limit`` best of ``docs`` for ``q`` as ``(docnum, score)``, best first (ties: index order).

    Whoosh's BM25F scores, computed a posting list at a time with numpy instead of a Python call
    per match and matcher. Returns ``None`` for queries with parts other than terms and the
    boolean operators, or with an ``Or`` the site does not build (``minmatch``, ``scale``); the
    caller then lets Whoosh rank.
    """
    try:
        scores = _node_scores(_Leaves(searcher), q, shared)[0]
    except _CannotRank:
        return None
    candidates = np.fromiter(docs, dtype=np.int64, count=len(docs))
    candidate_scores = scores[candidates]
    order = np.lexsort((candidates, -candidate_scores))[:limit]
    return [(int(candidates[i]), float(candidate_scores[i])) for i in order]


def top_docs(searcher, q, docs, limit: int, shared) -> list[tuple[int, float]]:
    """The ``limit`` best of ``docs`` (the matches of ``q``) as ``(docnum, score)``, best first.

    :func:`rank_docs` where it can; Whoosh's own searcher for phrases and prefixes, with
    ``docs`` as the filter: that also corrects Whoosh's AndNot matcher, which lets the odd
    excluded document through. Whoosh is asked for every match, not a top N: its top-N
    collector prunes sub-queries by their maximum score (``Matcher.replace``), which drops
    well-scored matches of constant-score prefix clauses in a later segment.
    """
    ranked = rank_docs(searcher, q, docs, limit, shared)
    if ranked is None:
        every = searcher.search(q, limit=None, filter=docs if isinstance(docs, set) else set(docs))
        ranked = [(hit.docnum, hit.score or 0.0) for hit in islice(every, limit)]
    return ranked


class _Leaves:
    """The segments of a searcher, scored together: arrays span the whole index (document
    numbers as the searcher counts them), so a query costs a few numpy calls per term rather than
    a few per term and segment (an archive has tens of segments between merges)."""

    def __init__(self, searcher):
        self.searchers = searcher.leaf_searchers()
        self.size = searcher.doc_count_all()


def _node_scores(leaves, q, shared):
    """(scores, matches) of ``q``'s tree over the whole index, as Whoosh's matchers compute
    them (``CompoundQuery.matcher``). An ``Or`` with a coordination bonus (``scale``, which the
    site does not use) or a ``minmatch`` is left to Whoosh."""
    if type(q) is query.Term:
        return _term_scores(leaves, q, shared)
    if type(q) is query.And or type(q) in _OR_TYPES:
        if type(q) is not query.And and (q.minmatch or (type(q) is not query.PreloadedOr and q.scale)):
            raise _CannotRank
        children = [_node_scores(leaves, sub, shared) for sub in q.subqueries]
        if len(children) == 1:
            return children[0]
        matches = np.logical_and.reduce if type(q) is query.And else np.logical_or.reduce
        match = matches([child[1] for child in children])
        return np.where(match, np.sum([child[0] for child in children], axis=0), 0.0) * q.boost, match
    if type(q) is query.AndMaybe:
        (a, a_match), (b, b_match) = _node_scores(leaves, q.a, shared), _node_scores(leaves, q.b, shared)
        return a + np.where(a_match & b_match, b, 0.0), a_match
    if type(q) is query.AndNot:
        (a, a_match), (_b, b_match) = _node_scores(leaves, q.a, shared), _node_scores(leaves, q.b, shared)
        match = a_match & ~b_match
        return np.where(match, a, 0.0), match
    raise _CannotRank


def _term_scores(leaves, q, shared):
    score, match = np.zeros(leaves.size), np.zeros(leaves.size, dtype=bool)
    stats = None
    for leaf, offset in leaves.searchers:
        reader = leaf.reader()
        if not shared.has_term(reader, q.fieldname, q.text):
            continue
        if stats is None:
            # Index-wide statistics: any segment holding the term gives the same.
            stats = shared.term_stats(leaf, q.fieldname, q.text)
            if stats is None:
                raise _CannotRank
        idf, avgfl, k1, b = stats
        ids, tf = shared.postings(reader, q.fieldname, q.text)
        lengths = shared.field_length_array(reader, q.fieldname)[ids]
        # scoring.bm25(), term for term, so the numbers are Whoosh's own.
        score[ids + offset] = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / avgfl)))
        match[ids + offset] = True
        deleted = deleted_docs(reader)
        if deleted:
            deleted = np.fromiter(deleted, dtype=np.int64, count=len(deleted)) + offset
            match[deleted] = False
            score[deleted] = 0.0
    if q.boost != 1.0:
        score *= q.boost
    return score, match


class CachedLengthWeighting(scoring.WeightingModel):
    """``model`` (the site's BM25F) reading document lengths from arrays cached per searcher.

    Whoosh looks a length up through five Python calls per scored posting, a third of the time
    of a search whose words match thousands of articles. The lengths are the same numbers,
    from ``shared`` (the :class:`articles.search.whoosh.searcher.SharedIndex`).
    """

    def __init__(self, model, shared):
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


# ---------------------------------------------------------------------------------------------
# Merging segments without holding the index


class _LengthsOnce:
    """A new segment's per-document reader for ``FieldWriter.add_postings``, which asks for the
    document's field length once per posting: Whoosh reads it from the column file each time
    (and, for a field without lengths, checks that the file exists each time), a fifth of an
    index commit's time. Here each field's lengths are read once, in one list."""

    def __init__(self, reader):
        self._reader = reader
        self._lengths = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        key = (fieldname, default)
        lengths = self._lengths.get(key)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._lengths[key] = [read(d, fieldname, default) for d in range(self._reader.doc_count_all())]
        return lengths[docnum]

    def __getattr__(self, name):
        return getattr(self._reader, name)


class SegmentWriter(writing.SegmentWriter):
    """Whoosh's segment writer, its flush reading document lengths through :class:`_LengthsOnce`."""

    def per_document_reader(self):
        return _LengthsOnce(super().per_document_reader())


class MergedSegment:
    """One segment written from the live documents of ``sources`` (segments of a commit), in
    its own folder, not yet part of the index: :func:`install_merged_segment` puts it in.

    ``deleted`` holds each source's deleted documents as the merge read them: documents deleted
    in the sources while it ran are deleted from the merged segment when it is installed.
    """

    def __init__(self, segment, sources, folder: str):
        self.segment = segment
        self.folder = folder
        self.source_ids = [source.segment_id() for source in sources]
        self.sizes = {source.segment_id(): source.doc_count_all() for source in sources}
        self.deleted = {source.segment_id(): frozenset(source.deleted_docs()) for source in sources}


class _FolderIndex:
    """What ``SegmentWriter`` reads of an index (its storage, name and table of contents), with
    the storage a folder apart: a writer's commit deletes every segment file its table of
    contents does not list (``whoosh.index.clean_files``), a half-written merge's included."""

    def __init__(self, storage, indexname, schema):
        from whoosh.index import TOC

        self.storage = storage
        self.indexname = indexname
        self._toc = TOC(schema, [], 0)

    def _read_toc(self):
        return self._toc


def write_merged_segment(index, segment_ids, folder: str, *, limitmb: int = 128) -> MergedSegment | None:
    """Merge the segments ``segment_ids`` of the ``FileIndex`` ``index`` (as its latest commit
    has them) into one new segment written in the empty ``folder``, without the write lock:
    ``SegmentWriter(_lk=False)``, ``add_reader`` per segment, ``_finalize_segment()``.
    ``None`` when a segment is no longer in the index. ``limitmb`` is the writer's memory for
    postings: past it they are pickled to disk and read back, a third of a merge's time."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    by_id = {segment.segment_id(): segment for segment in index._segments()}
    if not all(segment_id in by_id for segment_id in segment_ids):
        return None
    sources = [by_id[segment_id] for segment_id in segment_ids]
    if not any(source.doc_count() for source in sources):
        return MergedSegment(None, sources, folder)  # nothing live: the sources just go
    schema = index.schema
    writer = SegmentWriter(_FolderIndex(FileStorage(folder), index.indexname, schema), _lk=False, limitmb=limitmb)
    try:
        for source in sources:
            with SegmentReader(index.storage, schema, source) as reader:
                writer.add_reader(reader)
        segment = writer._finalize_segment()
    except BaseException:
        writer.cancel()
        raise
    writer._finish()
    return MergedSegment(segment, sources, folder)


def install_merged_segment(index, merged: MergedSegment) -> bool:
    """Replace the merged sources by the merged segment in a new commit of ``index``; the
    caller holds the write lock. Documents deleted from the sources since the merge read them
    are deleted from it too (the merge numbered the live documents of each source in turn).
    Returns ``False``, changing nothing, when a source is gone (another writer merged it)."""
    from whoosh.index import TOC, clean_files

    current = index._segments()
    by_id = {segment.segment_id(): segment for segment in current}
    if not all(segment_id in by_id for segment_id in merged.source_ids):
        return False
    segment, base = merged.segment, 0
    for segment_id in merged.source_ids if segment is not None else ():
        before = merged.deleted[segment_id]
        newly = set(by_id[segment_id].deleted_docs()) - before
        if newly:
            live = (docnum for docnum in range(merged.sizes[segment_id]) if docnum not in before)
            position = {docnum: i for i, docnum in enumerate(live)}
            for docnum in newly:
                segment.delete_document(base + position[docnum])
        base += merged.sizes[segment_id] - len(before)
    for name in os.listdir(merged.folder):
        os.replace(os.path.join(merged.folder, name), os.path.join(index.storage.folder, name))
    segments = [s for s in current if s.segment_id() not in merged.sizes]
    if segment is not None:
        segments.append(segment)
    generation = index.latest_generation() + 1
    TOC(index.schema, segments, generation).write(index.storage, index.indexname)
    clean_files(index.storage, index.indexname, generation, segments)
    return True


class Snapshot:
    """The segments of ``index``'s latest commit and their deleted documents, taken before a
    bulk write reads the database: :func:`install_new_segments` finds what changed since."""

    def __init__(self, index):
        self.segments = index._segments()
        self.deleted = {segment.segment_id(): frozenset(segment.deleted_docs()) for segment in self.segments}


def write_new_segments(schema, indexname: str, documents: list[dict], folder: str, *, procs: int, limitmb: int) -> list:
    """Write ``documents`` (fields for ``add_document``) into new segments of a scratch index in
    the empty ``folder``, without the index's write lock; returns the segments. Two writer
    processes (``procs=2``, one segment each) index about 2.5× faster on two cores; Whoosh's
    parallel writer drops a process's segment without a word when it dies, so the count is
    checked (``RuntimeError``)."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.multiproc import MpWriter

    scratch = FileStorage(folder).create_index(schema, indexname)
    if procs > 1:
        writer = MpWriter(scratch, procs=procs, multisegment=True, subargs={"limitmb": limitmb // procs}, _lk=False)
    else:
        writer = SegmentWriter(scratch, _lk=False, limitmb=limitmb)
    try:
        for document in documents:
            writer.add_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=False)
    segments = FileStorage(folder).open_index(indexname)._segments()
    written = sum(segment.doc_count_all() for segment in segments)
    if written != len(documents):
        raise RuntimeError(f"the index writer wrote {written} of {len(documents)} documents")
    return segments


def locate(storage, schema, segments, fieldname: str, texts) -> dict[str, dict[str, list[int]]]:
    """``{segment id: {text: document numbers}}``: where each of ``texts`` (terms of the unique
    field ``fieldname``) is in these segments, deleted copies included."""
    from whoosh.reading import SegmentReader

    located = {}
    for segment in segments:
        found = located[segment.segment_id()] = {}
        with SegmentReader(storage, schema, segment) as reader:
            for text in texts:
                if (fieldname, text) in reader:
                    found[text] = list(unfiltered(reader.postings(fieldname, text)).all_ids())
    return located


class NewSegments:
    """Segments written apart by :func:`write_new_segments`, ready for :func:`install_new_segments`:
    where their documents' unique terms are in them (``ours``) and in the snapshot's segments
    (``found``), both read without the write lock."""

    def __init__(self, segments, folder: str, ours, found):
        self.segments = segments
        self.folder = folder
        self.ours = ours
        self.found = found


def install_new_segments(index, new: NewSegments, snapshot: Snapshot, fieldname: str) -> set[str] | None:
    """Add ``new`` to ``index`` in a new commit; the caller holds the write lock.

    Documents replace the older copies of their unique ``fieldname``, as ``update_document``
    replaces them, except those another writer wrote or deleted since ``snapshot``: which of
    the two read the database last is not known, so the other writer's copy stays and the new
    one is deleted. Returns those texts, for the caller to write again; ``None``, changing
    nothing, if a snapshot segment is gone (the index was cleared).
    """
    from whoosh.index import TOC, clean_files

    current = index._segments()
    by_id = {segment.segment_id(): segment for segment in current}
    if not all(segment_id in by_id for segment_id in snapshot.deleted):
        return None
    texts = {text for copies in new.ours.values() for text in copies}
    later = [segment for segment in current if segment.segment_id() not in snapshot.deleted]
    touched = {text for copies in locate(index.storage, index.schema, later, fieldname, texts).values() for text in copies}
    for segment_id, copies in new.found.items():
        segment, before = by_id[segment_id], snapshot.deleted[segment_id]
        touched.update(
            text for text, docnums in copies.items() if any(n not in before and segment.is_deleted(n) for n in docnums)
        )
    for segment_id, copies in new.found.items():
        for text, docnums in copies.items():
            if text not in touched:
                for n in docnums:
                    by_id[segment_id].delete_document(n)
    for segment in new.segments:
        for text in touched:
            for n in new.ours[segment.segment_id()].get(text, ()):
                segment.delete_document(n)
        prefix = f"{segment.segment_id()}."
        for name in os.listdir(new.folder):
            if name.startswith(prefix):
                os.replace(os.path.join(new.folder, name), os.path.join(index.storage.folder, name))
    segments = current + list(new.segments)
    generation = index.latest_generation() + 1
    TOC(index.schema, segments, generation).write(index.storage, index.indexname)
    clean_files(index.storage, index.indexname, generation, segments)
    return touched
