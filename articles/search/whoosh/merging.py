"""Merging the index's segments without holding its one write lock.

Every commit only adds a segment: a paste's, an edit's, a piece of an import. Whoosh's own
policy (``MERGE_SMALL``) merges inside the commit, holding the lock, and once about fifteen
segments have piled up it merges nearly all of them: in an import beside the site such commits
took 3.5-11.6 s, and pastes waited behind them (``bench/bench_search_writes.py``). Here a
merge is written apart, in a folder of the index that commits never clean, and put in by a
commit that only swaps segments, which takes milliseconds under the lock; documents deleted or
replaced in the sources meanwhile are deleted from the merged segment then
(:func:`.internals.install_merged_segment`).

Which segments: size tiers in powers of :data:`MERGE_FACTOR` live documents; :data:`MERGE_FACTOR`
segments of the smallest tier that holds as many are merged into one of a larger tier, so a
document is merged about twice in its life, not at every commit. Segments of :data:`MAX_MERGED_DOCUMENTS`
or more (what a bulk write of thousands at once leaves, and what the second merge of a
document makes) are left as they are: merging the 17 segments of a 41k archive cost 338 s of
CPU and made no search faster (docs/search.md). A segment whose documents were mostly replaced
drops into a small tier and is merged away with its neighbours.
"""

import fcntl
import os
import shutil
import time
from contextlib import contextmanager

from articles.locking import flock_until
from articles.search.whoosh.internals import install_merged_segment, live_segment_sizes, write_merged_segment
from articles.search.whoosh.searcher import LOCK_POLL_SECONDS, writing

MERGE_FACTOR = 8
MAX_MERGED_DOCUMENTS = 2000
# Inside the index directory: Whoosh's clean-up skips names that start with a dot.
MERGE_FOLDER = ".merging"
MERGE_LOCK_FILENAME = "archive-merge.lock"


def size_tier(documents: int) -> int:
    """The tier of a segment of ``documents`` live documents: 0 below :data:`MERGE_FACTOR`,
    then one more for every further factor."""
    tier = 0
    while documents >= MERGE_FACTOR:
        documents //= MERGE_FACTOR
        tier += 1
    return tier


def segments_to_merge(sizes: list[tuple[str, int]]) -> list[str]:
    """The ids of the segments to merge next, given ``(segment id, live documents)`` in index
    order: the first :data:`MERGE_FACTOR` of the smallest tier that holds that many, or none.
    Never more at once, so that one merge takes seconds, not minutes, when many piled up."""
    tiers: dict[int, list[str]] = {}
    for segment_id, documents in sizes:
        if documents < MAX_MERGED_DOCUMENTS:
            tiers.setdefault(size_tier(documents), []).append(segment_id)
    for tier in sorted(tiers):
        if len(tiers[tier]) >= MERGE_FACTOR:
            return tiers[tier][:MERGE_FACTOR]
    return []


def merges_due(sizes: list[tuple[str, int]]) -> int:
    """How many merges :func:`merge_step` would do, one after another, on segments of these
    ``(segment id, live documents)`` before nothing is left to merge."""
    due = 0
    while chosen := set(segments_to_merge(sizes)):
        merged = sum(documents for segment_id, documents in sizes if segment_id in chosen)
        sizes = [(s, n) for s, n in sizes if s not in chosen] + [(f"merged {due}", merged)]
        due += 1
    return due


def merge_step(path: str, storage, schema, *, seconds: float | None = None, limitmb: int = 256) -> int:
    """Do the next merge :func:`segments_to_merge` picks in the index at ``path``; returns how
    many segments it merged away (0: nothing to merge, or another process is merging).

    The merge is written without the write lock; ``seconds`` bounds the wait for it when the
    merged segment is put in (:class:`.searcher.IndexBusy` past it, the merge then thrown away).
    ``limitmb``: the memory for the merge's postings, past which they are sorted on disk.
    """
    with rewriting(path) as alone:
        if not alone:
            return 0
        index = storage.open_index(schema=schema)
        chosen = segments_to_merge(live_segment_sizes(index))
        if not chosen:
            return 0
        folder = os.path.join(path, MERGE_FOLDER)
        shutil.rmtree(folder, ignore_errors=True)  # what a merge killed midway left
        os.makedirs(folder)
        try:
            merged = write_merged_segment(index, chosen, folder, limitmb=limitmb)
            if merged is None:
                return 0
            with writing(path, timeout=seconds):
                installed = install_merged_segment(storage.open_index(schema=schema), merged)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return len(chosen) if installed else 0


@contextmanager
def rewriting(path: str, *, timeout: float | None = 0):
    """Whether this process may write segments apart from the index's write lock in the index
    at ``path``: one merge or bulk write (:mod:`.bulk`) at a time, across processes. Waits at
    most ``timeout`` seconds (``None``: as long as it takes; 0: a merge finds the lock taken and
    skips)."""
    os.makedirs(path, exist_ok=True)
    deadline = None if timeout is None else time.monotonic() + timeout
    with open(os.path.join(path, MERGE_LOCK_FILENAME), "a") as lock_file:
        if not flock_until(lock_file, fcntl.LOCK_EX, deadline, poll=LOCK_POLL_SECONDS):
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
