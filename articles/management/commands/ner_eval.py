"""
Score the configured NER extractor (setting ARCHIVE_NER_EXTRACTOR) on a labelled CoNLL file.

    python manage.py ner_eval ../shared/data/ner/anercorp-train.txt [--json] [--extractor camel]

Entity-level exact match: precision, recall and F1 for PERS, LOC and ORG and micro-averaged over
them (MISC ignored), plus tagging speed in tokens per second. Note that a file the model was
trained on gives an optimistic figure; bench/ner_holdout.py measures on unseen text.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.entities import extract as ner


class Command(BaseCommand):
    help = "Entity-level precision/recall/F1 (PERS, LOC, ORG, micro) and tokens/s of the NER extractor."

    def add_arguments(self, parser):
        parser.add_argument("conll", type=Path, help="'token TAG' per line; B-/I- PERS, LOC, ORG, MISC.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--extractor", choices=("builtin", "camel"),
                            help="Override the ARCHIVE_NER_EXTRACTOR setting.")

    def handle(self, *args, conll, extractor, **options):
        if not conll.is_file():
            raise CommandError(f"{conll}: no such file")
        try:
            sentences = ner.read_conll(conll)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{conll} is not a 'token TAG' file: {exc}") from None
        tagger = ner.get_extractor(extractor)
        scores = ner.evaluate(tagger, sentences)
        report = {k: {m: scores[k][m] for m in ("p", "r", "f1")} for k in ("micro", *ner.KINDS)}
        report["tokens_per_s"] = round(scores["tokens_per_s"])
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(f"{tagger.name}: {scores['tokens']} tokens in {len(sentences)} sentences")
        for kind in ("PERS", "LOC", "ORG", "micro"):
            s = report[kind]
            self.stdout.write(f"{kind:6} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}")
        self.stdout.write(f"{report['tokens_per_s']} tokens/s")
