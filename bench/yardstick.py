"""What the import and search benchmarks measure against, and how they measure memory.

* SQLite FTS5 on the same texts: each record's title and body after a light normalisation
  (:func:`articles.text.normalize.normalize`, which any engine would need for Arabic), inserted
  into an FTS5 table in one transaction, then queried with the same words (``MATCH`` of the
  normalised words, ranked by bm25, top 20).
* The peak memory of a process and all its children together (the import's tagging and
  indexing workers), sampled from /proc as their proportional set sizes.
"""

import gzip
import json
import os
import sqlite3
import threading
import time
from pathlib import Path


def read_records(paths: list[Path]) -> list[tuple[str, str]]:
    """``(title, body)`` of every record of the JSONL files (gzip or plain)."""
    records = []
    for path in paths:
        opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    record = json.loads(line)
                    records.append((str(record.get("title") or ""), str(record.get("body") or "")))
    return records


def fts5_load(paths: list[Path], database: Path) -> tuple[int, float]:
    """Read, normalise and insert every record of ``paths`` into an FTS5 table at ``database``;
    ``(rows, seconds)``, reading the files included."""
    from articles.text.normalize import normalize

    started = time.perf_counter()
    connection = sqlite3.connect(database)
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    rows = 0
    with connection:
        for title, body in read_records(paths):
            connection.execute("INSERT INTO docs(title, body) VALUES (?, ?)", (normalize(title), normalize(body)))
            rows += 1
    connection.close()
    return rows, time.perf_counter() - started


def fts5_query_ms(database: Path, queries: list[str]) -> list[float]:
    """Milliseconds per query (sorted): the normalised words ANDed, bm25 top 20 with a count."""
    from articles.text.normalize import normalize

    connection = sqlite3.connect(database)
    timings = []
    for q in queries:
        words = [w for w in normalize(q).split() if w.isalnum()]
        match = " ".join(f'"{w}"' for w in words) or '""'
        started = time.perf_counter()
        connection.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()
        connection.execute(
            "SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 20) FROM docs WHERE docs MATCH ? "
            "ORDER BY bm25(docs) LIMIT 20",
            (match,),
        ).fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return sorted(timings)


class TreeMemory:
    """Peak memory of this process and its descendants together, sampled every second: every
    0.2 s, reading each process's smaps_rollup took 4 % of the samples in a py-spy profile of
    an import, and a peak (a batch, a writer process) lasts longer than a second.

    Counted as the sum of their proportional set sizes (``Pss`` in /proc/PID/smaps_rollup):
    forked workers share most of their pages with the parent, and summing resident sizes would
    count those pages once per process.
    """

    def __init__(self):
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        root = os.getpid()
        while not self._stop.wait(1.0):
            parents = {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        with open(f"/proc/{entry}/stat") as stat:
                            parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
                    except OSError:
                        continue
            total = 0
            for pid in parents:
                ancestor = pid
                while ancestor not in (root, 0, 1) and ancestor in parents:
                    ancestor = parents[ancestor]
                if ancestor == root:
                    total += _pss_bytes(pid)
            self.peak_bytes = max(self.peak_bytes, total)


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # the process has ended meanwhile
        pass
    return 0
