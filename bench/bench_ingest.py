"""End-to-end speed of ``ingest --jsonl`` into a fresh archive, against SQLite FTS5 on the same texts.

    .venv/bin/python bench/bench_ingest.py [--limit N] [--store-only] [FILE ...]

Defaults to both files of ../shared/data/news/. Runs the command as a reader would (parse,
store, syndicated copies, entities, search index: it returns when every article is searchable),
then loads the same records into SQLite FTS5 after a light normalisation (bench/yardstick.py),
and prints both speeds, their ratio and the peak memory of the import with its worker
processes. ``--store-only`` times parsing and storing alone (``--no-index --no-entities``).
Targets (issue 11): at least 500 articles/s end to end, at least 25 % of FTS5, at most 2 GB.
"""

import argparse
import gzip
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"
sys.path.insert(0, str(ROOT))

from bench.yardstick import TreeMemory, fts5_load  # noqa: E402


def limited_copy(path: Path, limit: int, folder: Path) -> Path:
    out = folder / path.name
    with gzip.open(path, "rt", encoding="utf-8") as source, gzip.open(out, "wt", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number >= limit:
                break
            target.write(line)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, default=sorted(NEWS.glob("*.jsonl.gz")))
    parser.add_argument("--limit", type=int, default=0, help="records per file (0: all)")
    parser.add_argument("--store-only", action="store_true", help="parse and store only (--no-index --no-entities)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    os.environ["ARCHIVE_DATA_DIR"] = str(folder / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.core.management import CommandError, call_command

    from articles.models import Article
    from articles.search import indexing

    call_command("migrate", verbosity=0)
    files = [limited_copy(f, args.limit, folder) if args.limit else f for f in args.files]
    options = ["--no-index", "--no-entities"] if args.store_only else []
    command = ["--jsonl" if i % 2 == 0 else str(f) for f in files for i in range(2)]
    with TreeMemory() as memory:
        started = time.perf_counter()
        try:
            call_command("ingest", *command, *options, "--no-progress", verbosity=0)
        except CommandError as error:  # a few records of the corpora break a limit
            print(error)
        elapsed = time.perf_counter() - started
    stored = Article.objects.count()
    records, fts_seconds = fts5_load(files, folder / "fts5.sqlite3")
    ours, fts = records / elapsed, records / fts_seconds
    what = "parse and store" if args.store_only else "end to end (store, copies, entities, index)"
    print(f"records: {records}; stored: {stored} (the rest are duplicates)")
    print(f"ingest --jsonl, {what}: {elapsed:.1f} s, {ours:.0f} records/s; "
          f"peak memory with workers: {memory.peak_bytes / 2**20:.0f} MB")
    print(f"SQLite FTS5 insert of the same texts, normalised: {fts_seconds:.1f} s, {fts:.0f} records/s")
    print(f"ratio to FTS5: {ours / fts:.1%}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if not args.store_only:
        drift = indexing.compare()
        print(f"index: {drift.documents} documents, missing {len(drift.missing)}, pending {drift.pending}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
