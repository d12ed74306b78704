"""``manage.py search_eval DIR [--json] [--mode broad|exact] [--baseline lucene|none] [--engine whoosh|postgres|opensearch
--search-url URL]``: retrieval quality.

DIR holds a test collection (``corpus.jsonl``, ``queries.tsv``, ``qrels.tsv``; see
:mod:`articles.search.evaluation`). The passages are indexed into a temporary index with the site's
fields and analysers and each query runs through the site's query path and scoring. Beside it, by
default, the yardstick: the same collection under Lucene's Arabic analyser and BM25, and how far
the site is above it.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from articles.search.evaluation import (
    CUTOFF, CollectionError, evaluate, evaluate_lucene, load_collection, score_rankings,
)
from articles.search.query import MODES

METRICS = tuple(f"{name}@{CUTOFF}" for name in ("mrr", "recall", "ndcg"))
BASELINES = ("lucene", "none")
ENGINES = ("whoosh", "postgres", "opensearch")


class Command(BaseCommand):
    help = (
        "Evaluate the site's search on a test collection: MRR@10, Recall@10 and nDCG@10, beside "
        "BM25 with Lucene's Arabic analyser."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="directory with corpus.jsonl, queries.tsv and qrels.tsv")
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
        parser.add_argument("--mode", choices=MODES, default="broad", help="search strength (default: broad)")
        parser.add_argument(
            "--baseline", choices=BASELINES, default="lucene",
            help="the yardstick printed beside the site's scores (default: lucene; none to skip it)",
        )
        parser.add_argument("--engine", choices=ENGINES, default="whoosh", help="search engine (default: whoosh)")
        parser.add_argument(
            "--search-url", default="", help="server of --engine postgres|opensearch (a scratch table or index is used)",
        )

    def _scores(self, collection, options) -> dict:
        if options["engine"] == "whoosh":
            return evaluate(collection, mode=options["mode"])
        url, mode = options["search_url"], options["mode"]
        if options["engine"] == "opensearch":
            if not url.startswith(("http://", "https://")):
                raise CommandError("--engine opensearch needs --search-url http(s)://host:9200")
            from articles.search.opensearch.evaluation import rank_opensearch

            return score_rankings(collection, rank_opensearch(collection, url=url, mode=mode))
        if not url.startswith(("postgres://", "postgresql://")):
            raise CommandError("--engine postgres needs --search-url postgres://...")
        from articles.search.postgres.evaluation import rank_postgres

        return score_rankings(collection, rank_postgres(collection, url=url, mode=mode))

    def handle(self, *args, **options):
        try:
            collection = load_collection(options["directory"])
            scores = self._scores(collection, options)
            baseline = evaluate_lucene(collection) if options["baseline"] == "lucene" else None
        except (CollectionError, OSError) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            if baseline is not None:
                scores = {**scores, "lucene": {key: baseline[key] for key in METRICS}}
            self.stdout.write(json.dumps(scores))
            return
        self.stdout.write(f"{scores['queries']} queries, mode {options['mode']}")
        if baseline is None:
            for key in METRICS:
                self.stdout.write(f"{key:>10}  {scores[key]:.4f}")
            return
        self.stdout.write(f"{'':>10}  {'ours':>7}  {'lucene':>7}  {'diff':>7}")
        for key in METRICS:
            self.stdout.write(f"{key:>10}  {scores[key]:7.4f}  {baseline[key]:7.4f}  {scores[key] - baseline[key]:+7.4f}")
