"""The entity review: import a part of the ANT news into a fresh archive and list the top names.

    .venv/bin/python bench/review_entities.py [--limit 5000] [--top 50] [--data-dir DIR] [FILE ...]
    .venv/bin/python bench/review_entities.py --limit 5000 --seed 9 --both
    .venv/bin/python bench/review_entities.py --limit 2000 --time 5


Imports the first ``--limit`` records of FILE (default: the ANT v1.1 file of ../shared) or, with
``--seed N``, ``--limit`` records drawn at random (seeded, so the sample can be drawn again) from
all the FILEs together; ``--both`` names the two news files of ../shared (Tunisian ANT v1.1 and
the multi-source ANT v2.1, so about three records in four are multi-source). Extraction is on and
search indexing off, into ``--data-dir`` (default: a new temporary folder); it then prints, per kind, the ``--top`` names readers would see on the entity index
(``Entity.objects.listed()``), most articles first, numbered, to be checked by hand (see
docs/entities.md, "Review"). ``--list-only`` lists an archive imported before.

``--time RUNS`` times entity storage instead: the records are imported without entities and
tagged once (that time is printed), then RUNS times every entity is deleted and the tagged
spans are stored again by ``extract_entities`` in the import's batches of 500 (cleaning, junk,
resolution, lookups, writes; the search index is left to its outbox); it prints each run's
seconds and queries and their medians.
"""

import argparse
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS_DIR = ROOT.parent / "shared" / "data" / "news"
NEWS = NEWS_DIR / "articles.ant_v1.1.jsonl.gz"
BOTH = (NEWS, NEWS_DIR / "articles.ant_multisource_v2.1.jsonl.gz")
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE")
    parser.add_argument("--both", action="store_true", help="the two news files of ../shared")
    parser.add_argument("--seed", type=int, help="draw --limit records at random from all FILEs with this seed")
    parser.add_argument("--limit", type=int, default=5000, help="records to import (default 5000)")
    parser.add_argument("--top", type=int, default=50, help="names per kind (default 50)")
    parser.add_argument("--data-dir", type=Path, help="archive folder (default: a new temporary one)")
    parser.add_argument("--list-only", action="store_true", help="list the archive in --data-dir, import nothing")
    parser.add_argument("--time", type=int, default=0, metavar="RUNS",
                        help="time storing the tagged entities RUNS times instead of listing")
    args = parser.parse_args()
    if args.list_only and not args.data_dir:
        parser.error("--list-only needs --data-dir")
    if args.both and args.files:
        parser.error("--both names the files itself: give no FILE with it")
    files = list(BOTH) if args.both else args.files or [NEWS]
    if len(files) > 1 and args.seed is None:
        parser.error("several files need --seed (a random sample of them all)")
    for path in files:
        if not path.is_file():
            parser.error(f"no such file: {path}")
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="review-entities-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["ARCHIVE_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles import services
    from articles.models import Article, Entity
    from bench_ingest import limited_copy

    def source() -> Path:
        if args.seed is None:
            return limited_copy(files[0], args.limit, folder)
        return sampled_copy(files, args.limit, args.seed, folder)

    if args.time:
        call_command("migrate", verbosity=0)
        services.import_jsonl(path=source(), index=False, entities=False)
        time_storage(args.time)
        return
    if not args.list_only:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        report = services.import_jsonl(path=source(), index=False)
        print(f"# imported {report.created} articles into {folder} in {time.perf_counter() - started:.0f} s")
    print(f"# {Article.objects.count()} articles, {Entity.objects.count()} entities "
          f"({Entity.objects.listed().count()} listed)")
    for kind, label in Entity.Kind.choices:
        print(f"\n## {kind}")
        top = Entity.objects.listed().of_kind(kind).order_by("-article_count", "name")[: args.top]
        for number, entity in enumerate(top, start=1):
            print(f"{number}\t{entity.article_count}\t{entity.name}")


def sampled_copy(paths: list[Path], limit: int, seed: int, folder: Path) -> Path:
    """``limit`` records drawn at random with ``seed`` from all ``paths`` together, in file
    order, written to one gzipped file of ``folder``."""
    lines = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as source:
            lines.extend(source)
    chosen = sorted(random.Random(seed).sample(range(len(lines)), min(limit, len(lines))))
    out = folder / f"sample-{seed}-{limit}.jsonl.gz"
    with gzip.open(out, "wt", encoding="utf-8") as target:
        target.writelines(lines[i] for i in chosen)
    return out


class _Replay:
    """An extractor that returns spans tagged before, so only storage is timed."""

    def __init__(self, spans: dict):
        self.spans = spans

    def extract(self, text: str):
        return self.spans[text]

    def alone_share(self, token: str, kind: str):
        from articles.entities import get_extractor

        return get_extractor().alone_share(token, kind)


def time_storage(runs: int) -> None:
    from django.db import connection

    from articles import services
    from articles.entities import parallel
    from articles.models import Article, Entity
    from articles.search import indexing

    articles = list(Article.objects.order_by("pk"))
    texts = [f"{article.title}\n{article.body}" for article in articles]
    started = time.perf_counter()
    tagged = parallel.extracted_spans_in_pool(texts)
    print(f"# {len(articles)} articles tagged in {time.perf_counter() - started:.1f} s "
          f"({parallel.workers()} workers)")
    replay = _Replay(dict(zip(texts, tagged)))
    seconds, queries = [], []
    for run in range(runs):
        Entity.objects.all().delete()
        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        # The search index is left to its outbox, as an import with index=False does.
        with connection.execute_wrapper(counting), indexing.deferred(index=False):
            for start in range(0, len(articles), 500):
                services.extract_entities(articles=articles[start:start + 500], extractor=replay)
        seconds.append(time.perf_counter() - started)
        queries.append(count[0])
        print(f"run {run + 1}: {seconds[-1]:.2f} s, {queries[-1]} queries, {Entity.objects.count()} entities")
    print(f"# storage median {statistics.median(seconds):.2f} s, {statistics.median(queries):.0f} queries")


if __name__ == "__main__":
    main()
