"""Holding one of the index's locks in another thread, as another process's writer would."""

import threading
from contextlib import contextmanager


@contextmanager
def held_elsewhere(lock):
    """Run the body while another thread is inside ``lock`` (a context manager), released after."""
    held, release = threading.Event(), threading.Event()

    def hold():
        with lock:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join()
