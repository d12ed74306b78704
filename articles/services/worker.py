"""The background worker: the entity extraction and index updates an import left for later.

``ingest --background`` stores articles and, in the same transaction, records what is left to
do: a :class:`~articles.models.PendingExtraction` row per article whose entities are still to be
extracted (and, without entities, a :class:`~articles.models.PendingIndexUpdate` per article to
index). The worker (``run_worker``, started by ``make run`` and ``make serve``) drains both
outboxes: extraction stores the mentions and queues the articles for the index in one
transaction, and the rows go only once that has committed, so a worker killed at any point
leaves the work recorded and the next run (or ``check_index --repair``, :func:`drain`) does it
again; extraction and indexing are idempotent.

Each step takes the newest work first and indexes in commits of about a second
(:class:`~articles.search.indexing.CommitPacer`): a paste waiting behind a backlog is found
by a search within the step after it, and never waits long for the index's one writer. Every
commit adds a segment; the steps merge them as they pile up
(:func:`~articles.search.indexing.merge_segments`).
"""

import functools
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from articles.entities import Span, get_extractor
from articles.entities import parallel as tagging_pool
from articles.models import Article, PendingExtraction
from articles.search import indexing
from articles.services.entities import extract_entities
from articles.services.transactions import background_writes

logger = logging.getLogger(__name__)

# Articles tagged per step: enough for the tagging pool to pay (parallel.POOL_MIN_ARTICLES),
# few enough that a step, and so a clean stop, takes seconds.
EXTRACTION_STEP = 400
# How often an idle worker looks for work: a paste left to the worker waits at most this long.
IDLE_POLL_SECONDS = 0.2
# The pause after a step that failed (a broken index, a database error), so a lasting fault
# is logged every few seconds rather than in a tight loop.
ERROR_PAUSE_SECONDS = 5.0


@dataclass(frozen=True)
class Backlog:
    """What the worker still has to do."""

    entities: int
    index: int

    @property
    def empty(self) -> bool:
        return not (self.entities or self.index)


def backlog() -> Backlog:
    """Articles waiting for entity extraction, and updates waiting in the index's outbox."""
    return Backlog(entities=PendingExtraction.objects.count(), index=indexing.pending_count())


def record_extraction(*, article_ids: Iterable[int]) -> None:
    """Record, in the caller's transaction, that these articles' entities are to be extracted."""
    PendingExtraction.objects.bulk_create(
        [PendingExtraction(article_id=pk) for pk in set(article_ids)], batch_size=1000
    )


def extract_pending(*, limit: int = EXTRACTION_STEP) -> int:
    """Extract the entities of the ``limit`` articles recorded last; returns how many rows went.

    The articles are queued for the index in the extraction's own transaction and indexed by
    a later index step; the rows are deleted after that transaction, so a crash in between
    extracts those articles again, which changes nothing.
    """
    rows = list(PendingExtraction.objects.order_by("-pk").values_list("pk", "article_id")[:limit])
    if not rows:
        return 0
    with indexing.deferred(index=False):
        extract_recorded(article_ids={article_id for _, article_id in rows}, upto=max(pk for pk, _ in rows))
    return len(rows)


def extract_recorded(*, article_ids: Collection[int], upto: int | None = None) -> None:
    """Extract the entities of these recorded articles, then delete their rows (those up to row
    ``upto`` only, when given). Articles deleted meanwhile are skipped.

    The texts are tagged first, all together (in the tagging pool for a large batch) and outside
    any transaction; the mentions are then stored :data:`STORE_STEP` articles per transaction.
    Storing resolves every name against the archive and holds the database's one writer lock
    while it does: a paste made meanwhile waits for one small transaction, not for the batch.
    """
    RecordedExtraction(article_ids=article_ids, upto=upto).finish()


# Articles whose mentions are stored per transaction (see extract_recorded).
STORE_STEP = 50


class RecordedExtraction:
    """:func:`extract_recorded` in two halves: made, it hands a large batch's texts to the
    tagging pool; :meth:`finish` waits for their spans and stores the mentions. In between the
    caller may store the next batch (a bulk import does), so the pool tags while this process
    writes. Abandoned unfinished, it leaves its rows recorded for the next run."""

    def __init__(self, *, article_ids: Collection[int], upto: int | None = None):
        self.article_ids = article_ids
        self.upto = upto
        self.articles = list(Article.objects.filter(pk__in=article_ids))
        self._texts = [f"{article.title}\n{article.body}" for article in self.articles]
        if len(self._texts) >= tagging_pool.POOL_MIN_ARTICLES:
            self._spans = tagging_pool.spans_started_in_pool(self._texts)
        else:
            self._spans = functools.partial(tagging_pool.extracted_spans, self._texts)

    def finish(self) -> None:
        """Store the mentions of the batch and delete its rows."""
        if self.articles:
            tagged = _Tagged(self._texts, self._spans())
            for start in range(0, len(self.articles), STORE_STEP):
                extract_entities(articles=self.articles[start : start + STORE_STEP], extractor=tagged)
        done = PendingExtraction.objects.filter(article_id__in=self.article_ids)
        (done if self.upto is None else done.filter(pk__lte=self.upto)).delete()


class _Tagged:
    """The configured extractor's spans of a batch of texts, tagged at once, handed to
    extract_entities a slice of the batch at a time."""

    def __init__(self, texts: list[str], spans: list[list[Span]]):
        self.spans = dict(zip(texts, spans))
        self.name = get_extractor().name

    def extract(self, text: str) -> list[Span]:
        # A text composed otherwise than above is tagged here rather than missed.
        found = self.spans.get(text)
        return found if found is not None else get_extractor().extract(text)

    def tag(self, tokens: list[str]) -> list[str]:
        return get_extractor().tag(tokens)

    def alone_share(self, token: str, kind: str) -> float | None:
        return get_extractor().alone_share(token, kind)


class Worker:
    """Steps through the backlog: index updates first (pastes are waiting for them), then a
    merge of segments when enough have piled up, then one step of extraction; the index steps
    sized by a :class:`~articles.search.indexing.CommitPacer`."""

    def __init__(self, *, commit_seconds: float = indexing.BULK_COMMIT_SECONDS):
        self.pacer = indexing.CommitPacer(seconds=commit_seconds)
        self.indexed = 0
        self.extracted = 0
        self.merged = 0

    def step(self) -> int:
        """One step of work; returns how many items it finished (articles indexed or
        extracted, or segments merged away; 0: nothing to do, or the index was busy past the
        wait of a paste)."""
        started = time.monotonic()
        indexed = indexing.flush_newest(limit=self.pacer.size, wait=indexing.QUEUED_WAIT_SECONDS)
        if indexed:
            self.pacer.record(documents=indexed, seconds=time.monotonic() - started)
            self.indexed += indexed
            return indexed
        # Every commit adds a segment (a paste's holds one document): merged as they pile up,
        # so that searches do not read ever more of them. A merge holds the index only to put
        # its segment in, so pastes meanwhile index themselves; one merge takes at most eight
        # segments, a few seconds. (In a thread beside the steps, merges shared the
        # interpreter with the steps' commits, which then held the index longer: 3 of 28
        # pastes over 2 s against none in three runs.)
        merged = indexing.merge_segments()
        if merged:
            self.merged += merged
            return merged
        extracted = extract_pending()
        self.extracted += extracted
        return extracted


def run(
    *,
    stop: threading.Event,
    once: bool = False,
    poll_seconds: float = IDLE_POLL_SECONDS,
    on_step: Callable[[Worker, int], None] | None = None,
) -> Worker:
    """Work until ``stop`` is set, or with ``once`` until the backlog is empty; returns the
    worker with its counts. An idle worker sleeps ``poll_seconds`` between looks (on the
    event, so a stop wakes it at once). A failed step is logged and tried again later; with
    ``once`` it is raised, so a drain that cannot finish says so."""
    worker = Worker()
    while not stop.is_set():
        try:
            with background_writes():  # a paste waiting for the database goes first
                done = worker.step()
        except Exception:
            if stop.is_set():  # a stop that broke the step (the tagging pool interrupted)
                break
            if once:
                raise
            logger.exception("background worker step failed; the work stays recorded and is tried again")
            stop.wait(ERROR_PAUSE_SECONDS)
            continue
        if on_step and done:
            on_step(worker, done)
        if done:
            continue
        if once and backlog().empty:
            break
        stop.wait(poll_seconds)
    return worker


def drain() -> Worker:
    """Do the whole backlog in this process, without a worker (``check_index --repair``), and
    the merges of the segments that commits left."""
    return run(stop=threading.Event(), once=True)
