"""The one owner of writes to the search index, and the outbox that makes them durable.

Services never write to the index themselves. Inside the transaction that changes articles they
call :func:`queue_articles`, which records the ids in :class:`~articles.models.PendingIndexUpdate`
and, once the transaction has committed, indexes them in one index commit. A process that dies
between the database commit and the index commit leaves the rows behind: :func:`flush` (run at
the end of every ingest), the background worker (``run_worker``) or ``check_index --repair``
finishes the work. :func:`compare` tells how far the index has drifted from the database,
whatever the cause.

Whoosh has one writer at a time, and a paste waits only seconds for it: bulk writers (imports,
the worker) therefore commit in pieces paced by :class:`CommitPacer` to about a second each,
and hand the lock over between pieces.
"""

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from haystack import connections

from articles.models import Article, PendingIndexUpdate
from articles.search_indexes import document_fingerprint

logger = logging.getLogger(__name__)

INDEX_BATCH_SIZE = 500
# The database reads a flush does for its ids, in chunks well under SQLite's variable limit.
_ID_CHUNK = 5000
_IDENTIFIER_PREFIX = "articles.article."
# Articles a flush or a repair indexes at a time, unless told otherwise: an engine that writes
# apart from its lock holds a piece's documents in memory while it writes them.
PIECE_SIZE = 5000


def _backend():
    return connections["default"].get_backend()


def _article_index():
    return connections["default"].get_unified_index().get_index(Article)


def index_articles(article_ids: Iterable[int], *, wait: float | None = None, apart: bool = False) -> set[int]:
    """(Re)index these articles as they are now in the database, in one index commit; ids no
    longer in the database are removed from the index. Returns the ids left for a later write:
    an engine that writes apart from its lock (:mod:`.whoosh.bulk`) leaves an article another
    writer indexed or removed meanwhile.

    ``wait``: at most this many seconds for another writer of the index (``TimeoutError`` then),
    with engines that can say so (``update_within``); others take as long as it takes.
    ``apart``: write apart from the lock however few the articles (background work, which may
    wait; a paste's few articles are written in place, behind no bulk write).
    """
    ids = sorted(set(article_ids))
    if not ids:
        return set()
    index = _article_index()
    found: set[int] = set()

    def articles() -> Iterator[Article]:
        for start in range(0, len(ids), INDEX_BATCH_SIZE):
            for article in index.index_queryset().filter(pk__in=ids[start : start + INDEX_BATCH_SIZE]):
                found.add(article.pk)
                yield article

    backend = _backend()
    left: set[int] = set()
    if hasattr(backend, "update_within"):
        identifiers = backend.update_within(index, articles(), seconds=wait, count=len(ids), apart=apart)
        left = {int(identifier.removeprefix(_IDENTIFIER_PREFIX)) for identifier in identifiers}
    else:
        backend.update(index, articles())
    unindex_articles(set(ids) - found)
    return left


def unindex_articles(article_ids: Iterable[int]) -> None:
    """Remove these articles' documents from the index (in one commit)."""
    identifiers = [f"{_IDENTIFIER_PREFIX}{pk}" for pk in article_ids]
    if identifiers:
        _backend().remove_many(identifiers)


# Per thread: the ids queued in transactions not yet flushed, and the open deferred() blocks.
_local = threading.local()


def queue_articles(article_ids: Iterable[int]) -> None:
    """Record that these articles changed, in the current transaction; index them after it commits.

    Call it inside the transaction that wrote the change, so the record and the change commit
    together. However often a transaction calls it, the index commits once, when the first of
    its callbacks runs. Inside :func:`deferred` the indexing waits for the end of the block.
    """
    ids = set(article_ids)
    if not ids:
        return
    PendingIndexUpdate.objects.bulk_create([PendingIndexUpdate(article_id=pk) for pk in ids], batch_size=1000)
    blocks = getattr(_local, "deferred", None)
    if blocks:
        blocks[-1].update(ids)
        return
    if not hasattr(_local, "queued"):
        _local.queued = set()
    _local.queued.update(ids)
    transaction.on_commit(_flush_queued)


def _flush_queued() -> None:
    # After a rollback the ids stay here, but their outbox rows are gone, so flush skips them.
    ids, _local.queued = getattr(_local, "queued", set()), set()
    flush(article_ids=ids, raise_errors=False, wait=QUEUED_WAIT_SECONDS)


# How long the index write after a transaction (a paste, an admin edit) waits for another
# writer; a bulk import commits thousands of documents at a time, and indexes what was left
# in the outbox meanwhile with its next commit.
QUEUED_WAIT_SECONDS = 2.0


@contextmanager
def deferred(*, index: bool = True) -> Iterator[set[int]]:
    """Collect the articles queued in this block and index them in one commit at its end.

    For loops of small transactions (JSONL batches, re-extracting entities chunk by chunk) that
    would otherwise commit to the index once each. Yields the set of ids collected so far: a
    caller may :func:`flush` them between its transactions and clear it. With ``index=False``
    the updates stay in the outbox for a later flush or ``check_index --repair``.
    """
    if not hasattr(_local, "deferred"):
        _local.deferred = []
    collected: set[int] = set()
    _local.deferred.append(collected)
    try:
        yield collected
    finally:
        _local.deferred.pop()
    if index:
        flush(article_ids=collected)


# How long one of the worker's index steps takes: short, so that a paste the index turned away,
# queued behind a backlog, is indexed by a step soon after.
BULK_COMMIT_SECONDS = 1.0


class CommitPacer:
    """Sizes index commits from the rate of the last ones so that each takes about ``seconds``.

    Whoosh's cost per document varies with the texts, the size of the index and the merges a
    commit sets off; a fixed count would be far too many documents one time and far too few
    another.
    """

    FIRST = 200
    SMALLEST, LARGEST = 50, 5000

    def __init__(self, *, seconds: float = BULK_COMMIT_SECONDS):
        self.seconds = seconds
        self.size = self.FIRST
        self._rate: float | None = None

    def record(self, *, documents: int, seconds: float) -> None:
        """Learn from a commit of ``documents`` that took ``seconds``."""
        if documents < 1 or seconds <= 0:
            return
        rate = documents / seconds
        # Smoothed, so that one commit that merged segments does not shrink the next ten.
        self._rate = rate if self._rate is None else 0.5 * self._rate + 0.5 * rate
        self.size = max(self.SMALLEST, min(self.LARGEST, int(self._rate * self.seconds)))


def flush(
    *,
    article_ids: Iterable[int] | None = None,
    raise_errors: bool = True,
    wait: float | None = None,
    piece_size: int = PIECE_SIZE,
    apart: bool = False,
) -> int:
    """Bring the index up to date with the outbox, for ``article_ids`` or everything pending.

    Returns how many articles were indexed or removed. The rows are deleted only after the
    index has committed, and only those read here: an update queued meanwhile stays queued.
    With ``raise_errors=False`` (after a commit, when the articles are already stored) a failed
    index write is logged and left in the outbox for the next flush. ``wait`` bounds the wait
    for another writer (:func:`index_articles`); past it the rows stay in the outbox and what
    was done so far is returned. The index is written in commits of ``piece_size`` articles;
    Whoosh holds its lock only for moments of each (:mod:`.whoosh.bulk`), of a small one too
    with ``apart`` (:func:`index_articles`).
    """
    if article_ids is not None:
        wanted = sorted(set(article_ids))
        if not wanted:
            return 0
        chunks = [wanted[i : i + _ID_CHUNK] for i in range(0, len(wanted), _ID_CHUNK)]
        pending = [PendingIndexUpdate.objects.filter(article_id__in=chunk) for chunk in chunks]
    else:
        pending = [PendingIndexUpdate.objects.all()]
    last = max((rows.aggregate(last=Max("pk"))["last"] or 0 for rows in pending), default=0)
    if not last:
        return 0
    ids = sorted({pk for rows in pending for pk in rows.filter(pk__lte=last).values_list("article_id", flat=True)})
    done = 0
    while ids:
        piece, ids = ids[:piece_size], ids[piece_size:]
        try:
            left = index_articles(piece, wait=wait, apart=apart)
        except TimeoutError:
            logger.info("search index busy: %d article(s) left in the outbox for the next flush", len(piece) + len(ids))
            return done
        except Exception:
            if raise_errors:
                raise
            logger.exception("search index not updated for %d article(s); check_index --repair will retry", len(piece) + len(ids))
            return done
        written = [pk for pk in piece if pk not in left]
        for start in range(0, len(written), _ID_CHUNK):
            PendingIndexUpdate.objects.filter(article_id__in=written[start : start + _ID_CHUNK], pk__lte=last).delete()
        done += len(written)
    return done


def flush_newest(*, limit: int, wait: float | None = None) -> int:
    """Index the ``limit`` articles queued last, in one commit; returns how many were done.

    The background worker's step: newest first, so a paste queued behind the backlog of a bulk
    import is indexed by the next step, not after the whole backlog. An index busy past ``wait``
    leaves the rows for the next step (0 is returned); any other failure is raised. Written
    apart from the lock however small: written in place, the steps held the index for up to
    1.4 s beside an import, and pastes waited for them.
    """
    newest = PendingIndexUpdate.objects.order_by("-pk").values_list("article_id", flat=True)[:limit]
    return flush(article_ids=set(newest), wait=wait, apart=True)


def merge_segments(*, wait: float | None = QUEUED_WAIT_SECONDS) -> int:
    """The next merge of the index's small segments, with engines that have segments (every
    commit adds one, and searches slow down as they pile up); returns how many segments it
    merged away, 0 when there was nothing to merge. The merge does not hold the index: only
    putting it in does, and waits at most ``wait`` for another writer, past which the merge
    is left for the next call."""
    backend = _backend()
    if not hasattr(backend, "merge_segments"):
        return 0
    try:
        return backend.merge_segments(seconds=wait)
    except TimeoutError:
        logger.debug("search index busy: the merge is left for later")
        return 0


def segment_counts() -> tuple[int, int] | None:
    """``(segments, merges due)`` of the index, with engines that have segments; else ``None``."""
    backend = _backend()
    return backend.segment_counts() if hasattr(backend, "segment_counts") else None


def merge_all_due() -> int:
    """:func:`merge_segments` until nothing is left to merge; returns how many segments went."""
    merged = 0
    while step := merge_segments():
        merged += step
    return merged


def pending_count() -> int:
    """Updates in the outbox (several for one article count once each)."""
    return PendingIndexUpdate.objects.count()


@dataclass
class IndexDrift:
    """How the index differs from the database: article ids by kind of difference."""

    articles: int = 0
    documents: int = 0
    missing: set[int] = field(default_factory=set)
    stale: set[int] = field(default_factory=set)
    orphaned: set[int] = field(default_factory=set)
    pending: int = 0

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.orphaned or self.pending)


def compare() -> IndexDrift:
    """Compare every article in the database with its document in the index."""
    index = _article_index()
    stored = _backend().indexed_documents(["fingerprint"])
    indexed: dict[int, str] = {}
    for identifier, values in stored.items():
        if identifier.startswith(_IDENTIFIER_PREFIX) and identifier[len(_IDENTIFIER_PREFIX) :].isdigit():
            indexed[int(identifier[len(_IDENTIFIER_PREFIX) :])] = values.get("fingerprint") or ""
    drift = IndexDrift(documents=len(stored), pending=PendingIndexUpdate.objects.count())
    seen: set[int] = set()
    for article in index.index_queryset().iterator(chunk_size=2000):
        seen.add(article.pk)
        if article.pk not in indexed:
            drift.missing.add(article.pk)
        elif indexed[article.pk] != document_fingerprint(article):
            drift.stale.add(article.pk)
    drift.articles = len(seen)
    drift.orphaned = set(indexed) - seen
    return drift


def repair() -> IndexDrift:
    """Drain the outbox, index what is missing or stale, drop orphans; returns the drift after."""
    flush()
    drift = compare()
    wrong = sorted(drift.missing | drift.stale)
    for start in range(0, len(wrong), PIECE_SIZE):
        index_articles(wrong[start : start + PIECE_SIZE])
    unindex_articles(drift.orphaned)
    return compare()
