"""Benchmark of indexing and searching the news corpus through the search service.

Imports the JSONL files into a fresh SQLite database and Whoosh index in a temporary data
directory, indexes them with ``index_articles`` in batches, then runs queries of 1-3 words drawn
(seeded) from article titles through ``search_articles`` (highlights, facets and suggestions
included, as the site runs them), then typo queries: a title word of five letters or more with
one letter replaced, so that no article has it and the «هل تقصد» suggestion is looked for.
Prints indexing speed, query p50/p95 for both kinds, index size and peak memory.

    .venv/bin/python bench/bench_search.py                # all 41,686 articles, 500 queries
    .venv/bin/python bench/bench_search.py --limit 2000   # a quick run
    .venv/bin/python bench/bench_search.py --limit 5000 --keep     # keep the data directory...
    .venv/bin/python bench/bench_search.py --reuse /tmp/bench-search-…  # ...and time queries on it again
    .venv/bin/python bench/bench_search.py --reuse /tmp/bench-search-… --variants 0  # without expansion
"""

import argparse
import gc
import gzip
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl.gz files")
    parser.add_argument("--limit", type=int, default=0, help="import at most this many records")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--batch", type=int, default=5000, help="articles per index_articles call (as ingest --jsonl)")
    parser.add_argument("--entities", action="store_true", help="also extract entities (slow import)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--typos", type=int, default=100, help="typo queries, timed apart (0: none)")
    parser.add_argument("--variants", choices=("1", "0"), default="1",
                        help="0: search the words as typed only (the cost of the variant expansion)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument("--reuse", type=Path, help="a data directory kept by --keep: skip importing and indexing")
    return parser.parse_args()


def setup_django(data_dir: Path):
    os.environ["ARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("ARCHIVE_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# Letters a typo puts in place of another.
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def typo_queries(titles, count: int, rng, known) -> list[str]:
    """``count`` title words (five letters or more) with one letter replaced, none of them a
    word in ``known`` (the normalised words of the archive)."""
    from articles.text.normalize import normalize_word

    words = [w for title in titles for w in title.split() if len(w) >= 5 and w.isalpha()]
    typos = []
    while len(typos) < count:
        word = rng.choice(words)
        position = rng.randrange(len(word))
        typo = word[:position] + rng.choice(ARABIC_LETTERS) + word[position + 1 :]
        if normalize_word(typo) not in known:
            typos.append(typo)
    return typos


def title_queries(titles: list[str], count: int, rng) -> list[str]:
    """``count`` queries of 1-3 words of a title drawn with ``rng``."""
    queries = []
    while len(queries) < count:
        words = [w for w in rng.choice(titles).split() if len(w) > 1 and w.isalpha()]
        if words:
            queries.append(" ".join(rng.sample(words, min(len(words), rng.randint(1, 3)))))
    return queries


def time_queries(search_service, queries, variants: str = "1") -> tuple[list[float], list[float], int, int]:
    """Sorted wall and CPU milliseconds per query, queries with results, queries with a suggestion."""
    timings, cpu_timings, hits, suggestions = [], [], 0, 0
    for q in queries:
        params = search_service.parse_search_params({"q": q, "variants": variants})
        started, cpu_started = time.perf_counter(), time.process_time()
        page = search_service.search_articles(params)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
        hits += page.count > 0
        suggestions += page.suggestion is not None
    return sorted(timings), sorted(cpu_timings), hits, suggestions


def p95(values):
    return values[max(0, int(len(values) * 0.95) - 1)]


def report(label, timings, cpu_timings):
    return (
        f"{label} p50: {statistics.median(timings):.1f} ms, p95: {p95(timings):.1f} ms, max: {timings[-1]:.1f} ms"
        f" (CPU time p50: {statistics.median(cpu_timings):.1f} ms, p95: {p95(cpu_timings):.1f} ms)"
    )


def cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def limited_copy(paths, limit: int, folder: Path) -> list[Path]:
    """The first ``limit`` records of ``paths``, as one plain JSONL file."""
    target = folder / "limited.jsonl"
    written = 0
    with target.open("w", encoding="utf-8") as out:
        for path in paths:
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                for line in lines:
                    if written >= limit:
                        return [target]
                    out.write(line)
                    written += 1
    return [target]


def main():
    args = parse_args()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="bench-search-"))
    setup_django(work)

    from articles import services
    from articles.search import indexing as search, service as search_service
    from articles.models import Article

    if not args.reuse:
        paths = sorted(args.data.glob("*.jsonl.gz"))
        if args.limit:
            paths = limited_copy(paths, args.limit, work)

        started = time.perf_counter()
        for path in paths:
            services.import_jsonl(path=path, index=False, entities=args.entities, batch_size=1000)
        import_seconds = time.perf_counter() - started
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        print(f"imported {len(ids)} articles in {import_seconds:.1f} s (entities: {args.entities})")

        # Bulk writes index in worker processes: count their CPU time too.
        started, cpu_started = time.perf_counter(), cpu_seconds()
        for start in range(0, len(ids), args.batch):
            search.index_articles(ids[start : start + args.batch])
        index_seconds = time.perf_counter() - started
        index_cpu = cpu_seconds() - cpu_started
        print(
            f"indexing: {len(ids) / index_seconds:.0f} articles/s ({index_seconds:.1f} s, batches of {args.batch};"
            f" CPU-time rate {len(ids) / index_cpu:.0f} articles/s; load average {os.getloadavg()[0]:.1f}"
            f" on {os.cpu_count()} cores)"
        )

    rng = random.Random(args.seed)
    titles = list(Article.objects.order_by("pk").values_list("title", flat=True))
    queries = title_queries(titles, args.queries, rng)

    # A site process does not hold 40k ORM objects from an import: keep the garbage collector
    # from rescanning them during the queries.
    gc.collect()
    gc.freeze()

    # The first search opens the searcher; a site process pays that once, not per query.
    first = time.perf_counter()
    search_service.search_articles(search_service.parse_search_params({"q": queries[0]}))
    print(f"first search (opens the searcher): {(time.perf_counter() - first) * 1000:.0f} ms")

    # Wall time is what a reader waits; CPU time shows how much of it is other load on a shared
    # machine.
    timings, cpu_timings, hits, suggestions = time_queries(search_service, queries, args.variants)
    typo_lines = ""
    if args.typos:
        backend = search_service.connections["default"].get_backend()
        with backend.shared.lock:
            reader = backend.shared.searcher().reader()
            known = {word for word, _info in reader.iter_field("text_exact")}
        typos = typo_queries(titles, args.typos, rng, known)
        typo_timings, typo_cpu, typo_hits, typo_suggestions = time_queries(search_service, typos, args.variants)
        typo_lines = (
            f"typo queries: {len(typo_timings)}, with results: {typo_hits}, with suggestion: {typo_suggestions}\n"
            f"{report('typo query', typo_timings, typo_cpu)}\n"
        )

    index_dir = Path(os.environ["ARCHIVE_DATA_DIR"]) / "whoosh_index"
    size_mb = sum(f.stat().st_size for f in index_dir.iterdir()) / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"queries: {len(timings)}, with results: {hits}, with suggestion: {suggestions}\n"
        f"{report('query', timings, cpu_timings)}\n"
        f"{typo_lines}"
        f"index size: {size_mb:.1f} MB, peak memory (maxrss): {peak_mb:.0f} MB"
    )
    if not args.keep and not args.reuse:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"data kept in {work}")


if __name__ == "__main__":
    main()
