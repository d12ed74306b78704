"""The log file several gunicorn workers write: each worker's handler follows the others' rotations."""

import logging
from logging.handlers import RotatingFileHandler

import pytest

from archive.log_handlers import SharedRotatingFileHandler

RECORDS = 60


def record(n: int) -> logging.LogRecord:
    return logging.LogRecord("articles", logging.ERROR, __file__, 1, f"error number {n:03d}", None, None)


def oldest_first(path) -> list[str]:
    """The lines of the log and its backups, from the oldest backup (highest number) to the log."""
    backups = sorted(path.parent.glob(path.name + ".*"), key=lambda file: int(file.suffix[1:]), reverse=True)
    return [line for file in [*backups, path] for line in file.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("handler_class", "follows_rotations"),
    [(SharedRotatingFileHandler, True), (RotatingFileHandler, False)],
)
def test_two_writers_keep_the_records_in_order_only_when_each_follows_the_others_rotations(
    tmp_path, handler_class, follows_rotations
):
    # Two handlers on one path behave as two processes would: each holds its own open file.
    # Five files of 300 bytes hold the 60 records of 17 bytes.
    path = tmp_path / "archive.log"
    workers = [handler_class(path, maxBytes=300, backupCount=4, encoding="utf-8", delay=True) for _ in range(2)]

    for n in range(RECORDS):
        workers[n % 2].handle(record(n))
    for worker in workers:
        worker.close()

    in_order = oldest_first(path) == [f"error number {n:03d}" for n in range(RECORDS)]
    # The plain handler goes on writing into the file the other renamed away.
    assert in_order is follows_rotations
    if follows_rotations:
        assert max(file.stat().st_size for file in tmp_path.iterdir()) <= 300


def test_a_deleted_log_file_is_made_again(tmp_path):
    path = tmp_path / "archive.log"
    handler = SharedRotatingFileHandler(path, maxBytes=10_000, backupCount=2, encoding="utf-8")
    handler.handle(record(1))
    path.unlink()

    handler.handle(record(2))
    handler.close()

    assert path.read_text(encoding="utf-8") == "error number 002\n"
