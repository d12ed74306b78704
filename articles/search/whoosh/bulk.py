"""Bulk writes of the index that hold its one write lock for milliseconds, not for the writing.

A piece of an import, a worker's step or a repair writes hundreds or thousands of documents.
Written in place, Whoosh holds the index's write lock while it analyses them and writes their
postings (about a second for 300 articles), and a paste made meanwhile waits: in an import
beside the site, pastes waited up to the 2 s they may, then for the worker
(``bench/bench_search_writes.py``). Here a bulk write

1. takes the segments lock (:func:`.merging.rewriting`): no merge and no other bulk write
   meanwhile, so until step 4 the index's segments only gain deletions and new segments, those
   of pastes and edits written in place;
2. notes the index's segments and their deleted documents (:class:`.internals.Snapshot`, under
   the write lock for the moment it takes);
3. reads its documents from the database and writes their segments in a folder of the index
   that commits never clean (two writer processes for ``parallel_min_documents`` or more, as
   Whoosh's parallel writer writes them);
4. under the write lock, puts them in (:func:`.internals.install_new_segments`): the older
   copies of its documents are deleted, as ``update_document`` deletes them. A document that
   another writer wrote or deleted since step 2 keeps that writer's copy, since which of the two
   read the database last is not known, and is returned to the caller, who leaves it in the
   outbox for the next flush to write again from the database as it is then.

A bulk write killed midway leaves files in its folder, removed by the next one; what it was
writing is still in the outbox (the caller deletes those rows only after it returns).
"""

import os
import shutil
from collections.abc import Iterable

from haystack.constants import ID
from whoosh.filedb.filestore import FileStorage

from articles.search.whoosh.internals import NewSegments, Snapshot, install_new_segments, locate, write_new_segments
from articles.search.whoosh.merging import rewriting
from articles.search.whoosh.searcher import IndexBusy, writing

# Writes of at least this many documents are written apart from the write lock; fewer (a paste,
# an edit) are written in place: their commit takes less time than the steps above.
BULK_MIN_DOCUMENTS = 100
# Inside the index directory: Whoosh's clean-up skips names that start with a dot.
BULK_FOLDER = ".writing"


def write_apart(
    path: str, storage, schema, documents: Iterable[dict], *, seconds: float | None, parallel_min_documents: int,
    limitmb: int,
) -> set[str]:
    """Write ``documents`` (read lazily, from the database) into the index at ``path`` as the
    steps above; returns the identifiers left for a later write (another writer's copy stayed).

    Waits at most ``seconds`` for the segments lock and for each hold of the write lock
    (:class:`.searcher.IndexBusy` past it, nothing then written), as long as it takes with
    ``None``. Two writer processes write ``parallel_min_documents`` or more on a machine of
    several cores.
    """
    with rewriting(path, timeout=seconds) as alone:
        if not alone:
            raise IndexBusy(f"another process is merging or bulk-writing the index at {path}")
        with writing(path, timeout=seconds):
            index = storage.open_index(schema=schema)
            snapshot = Snapshot(index)
        documents = list(documents)
        if not documents:
            return set()
        folder = os.path.join(path, BULK_FOLDER)
        shutil.rmtree(folder, ignore_errors=True)  # what a write killed midway left
        os.makedirs(folder)
        try:
            parallel = len(documents) >= parallel_min_documents and (os.cpu_count() or 1) > 1
            segments = write_new_segments(
                schema, index.indexname, documents, folder, procs=2 if parallel else 1, limitmb=limitmb
            )
            identifiers = [document[ID] for document in documents]
            ours = locate(FileStorage(folder), schema, segments, ID, identifiers)
            try:
                found = locate(storage, schema, snapshot.segments, ID, identifiers)
            except FileNotFoundError:  # a segment of the snapshot went: the index was cleared
                raise _cleared(path) from None
            new = NewSegments(segments, folder, ours=ours, found=found)
            with writing(path, timeout=seconds):
                touched = install_new_segments(storage.open_index(schema=schema), new, snapshot, ID)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if touched is None:
        raise _cleared(path)
    return touched


def _cleared(path: str) -> IndexBusy:
    return IndexBusy(f"the index at {path} was cleared while it was being written; write again")
