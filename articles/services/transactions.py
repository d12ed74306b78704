"""The one kind of transaction every write to the archive runs in."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

# Any constant: the key of PostgreSQL's advisory lock that the archive's writers queue on.
_WRITE_LOCK = 0x41524348


@contextmanager
def archive_write() -> Iterator[None]:
    """A transaction that writes the archive, one writer at a time on either database.

    SQLite serializes writers already (``BEGIN IMMEDIATE``). PostgreSQL's read-committed
    transactions would let two concurrent ingests each look for an outlet, entity or article,
    find none and insert the same one, and one of them fail on the unique constraint; the
    advisory lock, held to the end of the transaction, makes them queue as on SQLite. Readers
    never wait for it.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITE_LOCK])
        yield
