"""Writers' turns on SQLite (:func:`articles.services.transactions.writer_turn`): background work
lets a paste or an edit that is waiting go first. Real ``flock`` locks in a temporary folder,
threads standing in for the processes of an import and a request."""

import fcntl
import threading
import time

import pytest
from django.db import OperationalError

from articles.services.transactions import writer_turn


def someone_waits(folder) -> bool:
    with open(folder / "archive-writers-waiting.lock", "a") as waiting:
        try:
            fcntl.flock(waiting, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(waiting, fcntl.LOCK_UN)
        return False


def until(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_an_import_between_two_transactions_lets_a_waiting_paste_write_first(tmp_path):
    turns = []

    def paste():
        with writer_turn(tmp_path, background=False):
            turns.append("paste")

    with writer_turn(tmp_path, background=True):
        turns.append("import")
        request = threading.Thread(target=paste)
        request.start()
        until(lambda: someone_waits(tmp_path))
    # The import's next transaction, at once: it queues behind the paste.
    with writer_turn(tmp_path, background=True):
        turns.append("import")
    request.join()

    assert turns == ["import", "paste", "import"]


def test_a_writer_that_never_gets_its_turn_fails_as_a_locked_database(tmp_path):
    with writer_turn(tmp_path, background=True):
        with pytest.raises(OperationalError, match="database is locked"):
            with writer_turn(tmp_path, background=False, timeout=0.1):
                pass
