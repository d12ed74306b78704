"""Benchmark of related coverage («تغطيات ذات صلة») on real ANT articles: quality and speed.

Imports the first ``--limit`` records of the news corpus with their entities into a temporary
data directory, and for a seeded sample of articles reports:

* the share of the top 5 related articles in the article's own ANT ``category``;
* split stories: ``--splits`` articles of four paragraphs or more are each stored again as two
  near-duplicate halves (paragraphs 1–3 and 2–end, under new titles); the share of halves whose
  twin and original are both in the other half's top 5;
* the time per ``related_coverage`` call and per article page (``GET /articles/<id>/``).

    .venv/bin/python bench/bench_related.py --limit 3000
    .venv/bin/python bench/bench_related.py --reuse DIR --date-weight 0    # weights to compare
"""

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import DEFAULT_DATA, limited_copy, setup_django  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl.gz files")
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--splits", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--reuse", type=Path, help="a data directory kept by an earlier run")
    for name in ("terms", "title-weight", "entity-weight", "date-weight"):
        parser.add_argument(f"--{name}", type=float, help="override the similar.py constant")
    return parser.parse_args()


def categories(paths) -> dict[str, str]:
    """ANT category per article link."""
    found = {}
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                if record.get("url") and record.get("category"):
                    found[record["url"]] = record["category"]
    return found


def main():
    args = parse_args()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="bench-related-"))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"  # the test client's host
    setup_django(work)

    from django.test import Client

    from articles import services
    from articles.models import Article
    from articles.search import indexing
    from articles.search.related import related_coverage
    from articles.search.whoosh import similar

    for name, constant in (("terms", "MORE_LIKE_THIS_TERMS"), ("title_weight", "TITLE_TERM_WEIGHT"),
                           ("entity_weight", "ENTITY_WEIGHT"), ("date_weight", "DATE_WEIGHT")):
        value = getattr(args, name)
        if value is not None:
            setattr(similar, constant, int(value) if constant == "MORE_LIKE_THIS_TERMS" else value)

    paths = sorted(args.data.glob("*.jsonl.gz"))
    rng = random.Random(args.seed)
    if not args.reuse:
        for path in limited_copy(paths, args.limit, work):
            services.import_jsonl(path=path, index=False, entities=True, batch_size=1000)
        originals = [a for a in Article.objects.order_by("pk") if len(a.paragraphs()) >= 4]
        for n, article in enumerate(rng.sample(originals, min(args.splits, len(originals)))):
            parts = article.paragraphs()
            for half, paragraphs in (("أ", parts[:3]), ("ب", parts[1:])):
                Article.objects.create(title=f"متابعة {n} ({half}): {article.title}"[:500], body="\n\n".join(paragraphs),
                                       published_on=article.published_on, source=article.source,
                                       desk=f"split:{article.pk}")
        services.extract_entities(articles=Article.objects.filter(desk__startswith="split:"))
        indexing.index_articles(list(Article.objects.values_list("pk", flat=True)))
        print(f"data kept in {work}")

    category = categories(paths)
    articles = [a for a in Article.objects.exclude(desk__startswith="split:") if a.url in category]
    sample = rng.sample(articles, min(args.sample, len(articles)))
    url_of = dict(Article.objects.values_list("pk", "url"))
    shares, timings = [], []
    for article in sample:
        started = time.perf_counter()
        hits = related_coverage(article=article, limit=5)
        timings.append((time.perf_counter() - started) * 1000)
        known = [hit for hit in hits if url_of.get(hit.id) in category]
        if known:
            shares.append(sum(category[url_of[hit.id]] == category[article.url] for hit in known) / len(known))

    halves = list(Article.objects.filter(desk__startswith="split:"))
    found = 0
    for half in halves:
        original = int(half.desk.split(":")[1])
        twins = {a.pk for a in halves if a.desk == half.desk and a.pk != half.pk} | {original}
        found += twins <= {hit.id for hit in related_coverage(article=half, limit=5)}

    client = Client()
    page_timings = []
    for article in sample[:100]:
        started = time.perf_counter()
        assert client.get(article.get_absolute_url()).status_code == 200
        page_timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    page_timings.sort()
    print(
        f"articles: {Article.objects.count()}; weights: terms {similar.MORE_LIKE_THIS_TERMS}, title"
        f" {similar.TITLE_TERM_WEIGHT}, entities {similar.ENTITY_WEIGHT}, date {similar.DATE_WEIGHT}\n"
        f"top 5 in the article's category: {statistics.mean(shares):.3f} over {len(shares)} articles\n"
        f"split stories: both others in the top 5 for {found}/{len(halves)} halves ({found / len(halves):.3f})\n"
        f"related_coverage p50: {statistics.median(timings):.1f} ms, p95: {timings[int(len(timings) * 0.95) - 1]:.1f} ms\n"
        f"article page p50: {statistics.median(page_timings):.1f} ms,"
        f" p95: {page_timings[int(len(page_timings) * 0.95) - 1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
