"""The one kind of transaction every write to the archive runs in, and the order writers take turns."""

import fcntl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import OperationalError, connection, transaction

from articles.locking import flock_until

# Any constant: the key of PostgreSQL's advisory lock that the archive's writers queue on.
_WRITE_LOCK = 0x41524348
# How long a writer waits for its turn on SQLite: the database's own busy timeout (settings).
TURN_TIMEOUT_SECONDS = 30.0
_POLL_SECONDS = 0.005

_local = threading.local()


@contextmanager
def archive_write() -> Iterator[None]:
    """A transaction that writes the archive, one writer at a time on either database.

    SQLite serializes writers already (``BEGIN IMMEDIATE``), but not fairly: a writer that waits
    polls every 100 ms after its first third of a second, so an import committing one short
    transaction after another kept a paste waiting over a second. Writers therefore take turns
    first (:func:`writer_turn`), background work (:func:`background_writes`) after any paste or
    edit that is waiting. PostgreSQL's read-committed transactions would let two concurrent
    ingests each look for an outlet, entity or article, find none and insert the same one, and
    one of them fail on the unique constraint; the advisory lock, held to the end of the
    transaction, makes them queue as on SQLite. Readers never wait for either.
    """
    with _sqlite_turn(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITE_LOCK])
        yield


@contextmanager
def background_writes() -> Iterator[None]:
    """Mark this thread's writes as background work (an import, the worker): each of its
    transactions lets a waiting paste or edit go first."""
    before = getattr(_local, "background", False)
    _local.background = True
    try:
        yield
    finally:
        _local.background = before


@contextmanager
def _sqlite_turn() -> Iterator[None]:
    if (
        connection.vendor != "sqlite"
        or connection.is_in_memory_db()
        or getattr(_local, "turn", False)
        or connection.in_atomic_block
    ):
        # Not SQLite, an in-memory database, or this thread's turn already (its transaction,
        # or the on-commit callbacks after it), or inside a transaction opened without a turn
        # (the admin's views): that holds SQLite's lock, and would wait for a turn that waits
        # for the lock.
        yield
        return
    _local.turn = True
    try:
        folder = Path(connection.settings_dict["NAME"]).parent
        with writer_turn(folder, background=getattr(_local, "background", False)):
            yield
    finally:
        _local.turn = False


@contextmanager
def writer_turn(folder: Path, *, background: bool, timeout: float = TURN_TIMEOUT_SECONDS) -> Iterator[None]:
    """This writer's turn to write, across threads and processes (``flock`` on files in ``folder``).

    A paste or an edit holds a shared lock on ``archive-writers-waiting.lock`` while it waits;
    background work waits for that lock to be free (no one in the foreground waiting) before it
    queues, so it takes at most one turn ahead of them (and after ``timeout`` seconds of pastes
    it queues all the same). Waits at most ``timeout`` seconds for the turn itself
    (``OperationalError``, as SQLite's own "database is locked", past it).
    """
    deadline = time.monotonic() + timeout
    with open(folder / "archive-writers-waiting.lock", "a") as waiting, open(folder / "archive-writer.lock", "a") as turn:
        if background:
            if flock_until(waiting, fcntl.LOCK_EX, deadline, poll=_POLL_SECONDS):
                fcntl.flock(waiting, fcntl.LOCK_UN)
            else:
                deadline = time.monotonic() + timeout
        else:
            _lock(waiting, fcntl.LOCK_SH, deadline)
        try:
            _lock(turn, fcntl.LOCK_EX, deadline)
        finally:
            if not background:
                fcntl.flock(waiting, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(turn, fcntl.LOCK_UN)


def _lock(lock_file, operation: int, deadline: float) -> None:
    if not flock_until(lock_file, operation, deadline, poll=_POLL_SECONDS):
        raise OperationalError("database is locked: another writer held it too long")
