"""The log file under the data directory, written by every gunicorn worker at once."""

import os
from logging.handlers import RotatingFileHandler


class SharedRotatingFileHandler(RotatingFileHandler):
    """A size-rotated log file that several processes append to.

    ``RotatingFileHandler`` assumes it is the only writer: once another worker has rotated the
    file, it would go on writing into the renamed backup, and into a deleted file once that
    backup ages out. Before each record this one reopens the file when its path no longer names
    the file it holds open. Two workers reaching the size limit together may rotate twice;
    nothing is lost, a backup is just shorter.
    """

    def emit(self, record):
        try:
            if self.stream is not None and self._rotated_by_another_process():
                self.stream.close()
                # The parent opens the file again, as it does for a handler made with delay=True.
                self.stream = None
        except OSError:
            self.handleError(record)
            return
        super().emit(record)

    def _rotated_by_another_process(self) -> bool:
        try:
            on_disk = os.stat(self.baseFilename)
        except FileNotFoundError:
            return True
        held = os.fstat(self.stream.fileno())
        return (on_disk.st_dev, on_disk.st_ino) != (held.st_dev, held.st_ino)
