"""``/api/search`` latency at archive scale against SQLite FTS5 on the same queries, same run.

    .venv/bin/python bench/bench_search.py --keep            # once: builds the 41k archive
    .venv/bin/python bench/bench_api_search.py --reuse /tmp/bench-search-… [--rounds 3]

Draws the same queries as ``bench_search.py`` (1-3 title words, seeded) and sends each one as a
GET to ``/api/search`` through Django's test client: parameter parsing, the search with
highlights and facets, the JSON body, all of it as a reader's request runs it (no network or
server in between). FTS5 gets the same queries over the same texts (``bench/yardstick.py``)
in the same process, alternating round by round with the API, so a shared machine's load hits
both alike. Prints p50/p95 of each round and the medians over rounds, and the p95 ratio.
Targets (issue 11): p95 ≤ 20 ms at 41k articles, within 10× of FTS5's.
"""

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"
sys.path.insert(0, str(ROOT))

from bench.bench_search import p95, setup_django, title_queries  # noqa: E402
from bench.yardstick import fts5_load, fts5_query_ms  # noqa: E402


def api_query_ms(client, queries: list[str]) -> tuple[list[float], int]:
    """Sorted milliseconds per ``/api/search`` request, and the number of non-200 answers."""
    timings, errors = [], 0
    for q in queries:
        started = time.perf_counter()
        response = client.get("/api/search", {"q": q})
        timings.append((time.perf_counter() - started) * 1000)
        errors += response.status_code != 200
    return sorted(timings), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", type=Path, required=True, help="a data directory kept by bench_search.py --keep")
    parser.add_argument("--data", type=Path, default=NEWS, help="the JSONL files that archive was built from")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    if not (args.reuse / "whoosh_index").is_dir():
        parser.error(f"{args.reuse} holds no whoosh_index: build one with bench/bench_search.py --keep")

    setup_django(args.reuse)
    from django.test import Client

    from articles.models import Article

    rng = random.Random(args.seed)
    titles = list(Article.objects.order_by("pk").values_list("title", flat=True))
    queries = title_queries(titles, args.queries, rng)

    with tempfile.TemporaryDirectory(prefix="bench-api-fts5-") as folder:
        fts_db = Path(folder) / "fts5.sqlite3"
        rows, _seconds = fts5_load(sorted(args.data.glob("*.jsonl.gz")), fts_db)
        gc.collect()
        gc.freeze()
        client = Client(HTTP_HOST="localhost")  # a host the settings allow
        client.get("/api/search", {"q": queries[0]})  # opens the searcher, once per site process
        fts5_query_ms(fts_db, queries[:1])
        api_p50, api_p95, fts_p50, fts_p95, errors = [], [], [], [], 0
        for number in range(1, args.rounds + 1):
            api, failed = api_query_ms(client, queries)
            fts = fts5_query_ms(fts_db, queries)
            errors += failed
            api_p50.append(statistics.median(api))
            api_p95.append(p95(api))
            fts_p50.append(statistics.median(fts))
            fts_p95.append(p95(fts))
            print(f"round {number}: /api/search p50 {api_p50[-1]:.1f} ms, p95 {api_p95[-1]:.1f} ms; "
                  f"FTS5 p50 {fts_p50[-1]:.2f} ms, p95 {fts_p95[-1]:.2f} ms; ratio {api_p95[-1] / fts_p95[-1]:.1f}x")

    median_api, median_fts = statistics.median(api_p95), statistics.median(fts_p95)
    print(f"{Article.objects.count()} articles ({rows} in FTS5), {len(queries)} queries × {args.rounds} rounds, "
          f"non-200 answers: {errors}")
    print(f"median over rounds: /api/search p50 {statistics.median(api_p50):.1f} ms, p95 {median_api:.1f} ms; "
          f"FTS5 p50 {statistics.median(fts_p50):.2f} ms, p95 {median_fts:.2f} ms; "
          f"p95 ratio {median_api / median_fts:.1f}x; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
