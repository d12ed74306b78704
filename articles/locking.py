"""Waiting for an ``flock`` with a time limit: the index's locks and the writers' turns."""

import fcntl
import time


def flock_until(lock_file, operation: int, deadline: float | None, *, poll: float) -> bool:
    """Take ``operation`` (``fcntl.LOCK_EX`` or ``LOCK_SH``) on the open ``lock_file``; ``False``
    if ``deadline`` (a ``time.monotonic()`` time) passes first. ``None`` waits as long as it
    takes. ``flock`` has no timed wait, so with a deadline the lock is tried every ``poll``
    seconds."""
    if deadline is None:
        fcntl.flock(lock_file, operation)
        return True
    while True:
        try:
            fcntl.flock(lock_file, operation | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)
