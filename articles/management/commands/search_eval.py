"""``manage.py search_eval DIR [--json] [--mode broad|exact]``: retrieval quality of the site's search.

DIR holds a test collection (``corpus.jsonl``, ``queries.tsv``, ``qrels.tsv``; see
:mod:`articles.search.evaluation`). The passages are indexed into a temporary index with the site's
fields and analysers and each query runs through the site's query path and scoring.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from articles.search.evaluation import CUTOFF, CollectionError, evaluate, load_collection
from articles.search.query import MODES


class Command(BaseCommand):
    help = "Evaluate the site's search on a test collection: MRR@10, Recall@10 and nDCG@10."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="directory with corpus.jsonl, queries.tsv and qrels.tsv")
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
        parser.add_argument("--mode", choices=MODES, default="broad", help="search strength (default: broad)")

    def handle(self, *args, **options):
        try:
            scores = evaluate(load_collection(options["directory"]), mode=options["mode"])
        except (CollectionError, OSError) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(scores))
            return
        self.stdout.write(f"{scores['queries']} queries, mode {options['mode']}")
        for name in ("mrr", "recall", "ndcg"):
            key = f"{name}@{CUTOFF}"
            self.stdout.write(f"{key:>10}  {scores[key]:.4f}")
