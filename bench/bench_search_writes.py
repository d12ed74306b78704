"""Search latency while an import writes to the archive, against SQLite FTS5 on the same queries.

    .venv/bin/python bench/bench_search_writes.py [--base N] [--writes M] [--queries Q] [--background]

Builds an archive of the first N news records (stored and indexed; entities too with
``--entities``), draws Q queries of 1-3 title words (seeded) and times them through the search
service as ``/api/search`` runs them (highlights and facets), first on the quiet archive, then
in a loop while ``manage.py ingest --jsonl`` of the next M records runs end to end in another
process, as an editor's import would beside the site; every 3 s it also pastes an article and
times its request and until a search finds it (paste → searchable). A ``run_worker`` process
runs beside, as under ``make serve``: it indexes a paste the busy index turned away. With
``--background`` the import is ``ingest --background`` and the worker does the rest of it; the
searches go on until the worker has drained. Every error a search raises is
counted. Prints p50/p95/max of both, FTS5's on the same queries over the same texts, the
ratios, and the median and max paste → searchable latency.
Targets (issue 11): p95 while an import runs at most 100 ms, no error, a paste searchable
within 2 s.
"""

import argparse
import gc
import gzip
import os
import shutil
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"
sys.path.insert(0, str(ROOT))

from bench.bench_search import title_queries  # noqa: E402
from bench.yardstick import fts5_load, fts5_query_ms  # noqa: E402


def split_records(paths: list[Path], base: int, writes: int, folder: Path) -> tuple[Path, Path]:
    """The first ``base`` records and the ``writes`` after them, as two plain JSONL files."""
    first, second = folder / "base.jsonl", folder / "writes.jsonl"
    count = 0
    with first.open("w", encoding="utf-8") as a, second.open("w", encoding="utf-8") as b:
        for path in paths:
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                for line in lines:
                    if count >= base + writes:
                        return first, second
                    (a if count < base else b).write(line)
                    count += 1
    return first, second


def p95(values: list[float]) -> float:
    return values[max(0, int(len(values) * 0.95) - 1)]


def summary(label: str, timings: list[float]) -> str:
    timings = sorted(timings)
    return (f"{label}: {len(timings)} searches, p50 {statistics.median(timings):.1f} ms, "
            f"p95 {p95(timings):.1f} ms, max {timings[-1]:.1f} ms")


# An editor's paste while the import runs: how long until a search finds it.
PASTE_EVERY_SECONDS = 3
PASTE = """تجربة لصق رقم {n} أثناء الاستيراد
الأفق| متابعات
نشرت البلدية اليوم إعلانا عن الرمز رمزلصق{n:04d} الخاص بهذه التجربة، وقال المسؤول إن الأشغال ستبدأ الأسبوع المقبل في الحي.
"""


class Pastes:
    """Pastes made during the import: how long each request took, and when a search found it."""

    def __init__(self, services, search_service):
        self.services, self.search_service = services, search_service
        self.requests, self.found, self.waiting = [], [], {}

    def paste(self) -> None:
        n = len(self.requests)
        started = time.perf_counter()
        self.services.ingest_paste(text=PASTE.format(n=n))
        self.requests.append(time.perf_counter() - started)
        self.waiting[n] = started

    def look(self) -> None:
        for n, started in list(self.waiting.items()):
            params = self.search_service.parse_search_params({"q": f"رمزلصق{n:04d}", "mode": "exact"})
            if self.search_service.search_articles(params).count:
                self.found.append(time.perf_counter() - started)
                del self.waiting[n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=int, default=10_000, help="records in the archive before the import")
    parser.add_argument("--writes", type=int, default=3_000, help="records the concurrent import brings")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--entities", action="store_true", help="extract entities for the base archive too")
    parser.add_argument("--background", action="store_true", help="import with --background beside a run_worker")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-search-writes-"))
    data_dir = folder / "data"
    os.environ["ARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from articles import services
    from articles.models import Article
    from articles.search import service as search_service
    from articles.services import worker

    call_command("migrate", verbosity=0)
    base, writes = split_records(sorted(NEWS.glob("*.jsonl.gz")), args.base, args.writes, folder)
    started = time.perf_counter()
    services.import_jsonl(path=base, entities=args.entities)
    print(f"base archive: {Article.objects.count()} articles in {time.perf_counter() - started:.0f} s")

    rng = random.Random(args.seed)
    titles = list(Article.objects.order_by("pk").values_list("title", flat=True))
    queries = title_queries(titles, args.queries, rng)
    gc.collect()
    gc.freeze()

    def search(q: str) -> float:
        started = time.perf_counter()
        search_service.search_articles(search_service.parse_search_params({"q": q}))
        return (time.perf_counter() - started) * 1000

    search(queries[0])  # opens the searcher, as a site process does once
    quiet = [search(q) for q in queries]

    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data_dir)}
    background = ["--background"] if args.background else []
    runner = subprocess.Popen([sys.executable, "manage.py", "run_worker", "-v", "0"], cwd=ROOT, env=env)
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", *background, "--jsonl", str(writes), "--no-progress", "-v", "0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    busy, errors, pastes = [], [], Pastes(services, search_service)
    started = next_paste = time.perf_counter()
    stored_seconds = None

    def writing() -> bool:
        nonlocal stored_seconds
        if importer.poll() is None:
            return True
        if stored_seconds is None:
            stored_seconds = time.perf_counter() - started
        # With --background the import is over when the worker has drained what it recorded.
        return not worker.backlog().empty

    while writing():
        q = queries[len(busy) % len(queries)]
        try:
            busy.append(search(q))
            if time.perf_counter() >= next_paste:
                pastes.paste()
                next_paste = time.perf_counter() + PASTE_EVERY_SECONDS
            pastes.look()
        except Exception as error:  # counted: the target is no error at all
            errors.append(repr(error))
    pastes.look()
    import_seconds = time.perf_counter() - started
    runner.send_signal(signal.SIGTERM)
    runner.wait(timeout=120)
    stderr = importer.stderr.read()
    fts_db = folder / "fts5.sqlite3"
    fts5_load([base], fts_db)
    fts = fts5_query_ms(fts_db, queries)

    stored_note = f", stored and returned in {stored_seconds:.0f} s" if args.background else ""
    print(f"import beside the searches and a worker{' (--background)' if args.background else ''}: {args.writes} records "
          f"end to end in {import_seconds:.0f} s ({args.writes / import_seconds:.0f}/s){stored_note} "
          f"(exit {importer.returncode}{': ' + stderr.strip().splitlines()[-1] if importer.returncode and stderr.strip() else ''})")
    print(summary("quiet", quiet))
    print(summary("during the import", busy))
    print(f"errors during the import: {len(errors)} {errors[:3]}")
    if pastes.requests:
        late = sum(1 for seconds in pastes.found if seconds > 2)
        print(f"pastes during the import: {len(pastes.requests)}; request median "
              f"{statistics.median(pastes.requests):.2f} s, max {max(pastes.requests):.2f} s")
        print(f"paste -> searchable: median {statistics.median(pastes.found or [0]):.2f} s, "
              f"max {max(pastes.found or [0]):.2f} s over {len(pastes.found)} pastes; {late} over 2 s"
              f"{f', {len(pastes.waiting)} found only after the import' if pastes.waiting else ''}")
    print(summary("SQLite FTS5, same queries, quiet", fts))
    print(f"p95 ratio to FTS5: quiet {p95(sorted(quiet)) / p95(fts):.0f}x, during the import "
          f"{p95(sorted(busy)) / p95(fts):.0f}x; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
