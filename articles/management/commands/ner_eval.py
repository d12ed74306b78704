"""
Score the configured NER extractor (setting ARCHIVE_NER_EXTRACTOR) on a labelled CoNLL file.

    python manage.py ner_eval FILE [--json] [--extractor camel | --model PATH]

Entity-level exact match: precision, recall and F1 for PERS, LOC and ORG and micro-averaged over
them (MISC ignored), the counts behind them (tp, fp, fn), plus tagging speed in tokens per
second. --model scores a builtin model written by `train_ner --output PATH`. The shipped model
is trained on all of ANERcorp, so its score there means nothing; score text the model did not
see (bench/ner_holdout.py does that on ANERcorp, docs/entities.md has the figures).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import entities as ner
from articles.entities.builtin import BuiltinExtractor


class Command(BaseCommand):
    help = "Entity-level precision/recall/F1 (PERS, LOC, ORG, micro) and tokens/s of the NER extractor."

    def add_arguments(self, parser):
        parser.add_argument("conll", type=Path, help="'token TAG' per line; B-/I- PERS, LOC, ORG, MISC.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--extractor", choices=("builtin", "camel"),
                           help="Override the ARCHIVE_NER_EXTRACTOR setting.")
        which.add_argument("--model", type=Path, help="Score this builtin CRF model file instead.")

    def handle(self, *args, conll, extractor, model, **options):
        if not conll.is_file():
            raise CommandError(f"{conll}: no such file")
        try:
            sentences = ner.read_conll(conll)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{conll} is not a 'token TAG' file: {exc}") from None
        if model:
            try:
                tagger = BuiltinExtractor(model)
            except FileNotFoundError as exc:
                raise CommandError(str(exc)) from None
        else:
            tagger = ner.get_extractor(extractor)
        scores = ner.evaluate(tagger, sentences)
        report = {k: {m: scores[k][m] for m in ("p", "r", "f1", "tp", "fp", "fn")}
                  for k in ("micro", *ner.KINDS)}
        report["sentences"], report["tokens"] = len(sentences), scores["tokens"]
        report["tokens_per_s"] = round(scores["tokens_per_s"])
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(f"{tagger.name}: {scores['tokens']} tokens in {len(sentences)} sentences")
        for kind in ("PERS", "LOC", "ORG", "micro"):
            s = report[kind]
            self.stdout.write(f"{kind:6} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}"
                              f"  (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})")
        self.stdout.write(f"{report['tokens_per_s']} tokens/s")
