"""Entity extraction of a large batch of texts in a pool of processes.

Tagging is pure CPU work in Python (features, CRF, rules), so one process uses one core: a bulk
import hands batches of texts to a pool of workers, one per core, which run the configured
extractor (:func:`articles.entities.get_extractor`) and send back the spans; resolving them
needs the archive and stays in the caller. The pool is started on first use and lives as long as the
process. Its workers are spawned, not forked: a forked worker would keep every descriptor the
parent had open (pipes to other child processes among them) for as long as it lives. This
module needs no Django, so a spawned worker imports only the extractor.
"""

import atexit
import functools
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from articles.entities import Span, get_extractor

# Below this many articles a pool costs more than it saves (and a paste never starts one).
POOL_MIN_ARTICLES = 200
# Texts per task sent to a worker: large enough that pickling is a small part of the cost.
_TEXTS_PER_TASK = 25

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def workers() -> int:
    """How many processes tag: one per core (``ARCHIVE_EXTRACTION_WORKERS`` overrides; 0 or 1
    means tagging in the calling process)."""
    configured = os.environ.get("ARCHIVE_EXTRACTION_WORKERS", "")
    return int(configured) if configured.isdigit() else (os.cpu_count() or 1)


def extracted_spans(texts: list[str]) -> list[list[Span]]:
    """Each text's spans by the configured extractor, in this process."""
    extractor = get_extractor()
    return [extractor.extract(text) for text in texts]


def extracted_spans_in_pool(texts: list[str]) -> list[list[Span]]:
    """:func:`extracted_spans`, the texts shared among the workers of the pool (in order)."""
    return spans_started_in_pool(texts)()


def spans_started_in_pool(texts: list[str]) -> Callable[[], list[list[Span]]]:
    """Hand ``texts`` to the pool's workers now; returns the call that waits for their spans
    (in order), so the caller can do other work while they are tagged. Without a pool the texts
    are tagged in this process when that call is made."""
    pool = _shared_pool()
    if pool is None:
        return functools.partial(extracted_spans, texts)
    parts = [texts[i : i + _TEXTS_PER_TASK] for i in range(0, len(texts), _TEXTS_PER_TASK)]
    futures = [pool.submit(extracted_spans, part) for part in parts]
    return lambda: [spans for future in futures for spans in future.result()]


def _shared_pool() -> ProcessPoolExecutor | None:
    global _pool
    count = workers()
    if count < 2:
        return None
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"))
            atexit.register(_pool.shutdown, cancel_futures=True)
        return _pool
