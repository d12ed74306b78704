"""
Rebuild the builtin NER model (a CRF) from a labelled CoNLL file.

    python manage.py train_ner ../shared/data/ner/anercorp-train.txt \
        --news ../shared/data/news/articles.ant_multisource_v2.1.jsonl.gz \
        --news ../shared/data/news/articles.ant_v1.1.jsonl.gz

Writes articles/entities/data/ner-model.crfsuite and, beside it, ner-model.entities.json (memorised
entity strings and word classes). --news adds word classes learned from unlabelled news, worth
a few points of F1 on unseen text, then tags that news with the new model to count how often
each common word standing alone is a name of each kind (a one-word name's confidence is kept at
most that share); the shipped model is built with both files above. --clusters FILE reuses word
classes learned before (they do not depend on the CoNLL file):
--clusters articles/entities/data/ner-model.entities.json retrains with the shipped ones, and
with --news still counts. --count-only recounts for the model as it is (no CoNLL file), e.g.
after a change to the rules applied after the CRF. Takes five to fifteen minutes.
bench/ner_holdout.py estimates accuracy on unseen text (--cv 5 for the cross-validated figure);
docs/entities.md has the figures and what changing features needs.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.entities import read_conll, training as ner_training
from articles.entities.builtin import DEFAULT_MODEL_PATH, gazetteer_path


class Command(BaseCommand):
    help = "Train the builtin NER model on a 'token TAG' CoNLL file (ANERcorp layout)."

    def add_arguments(self, parser):
        parser.add_argument("conll", type=Path, nargs="?", help="Training file: 'token TAG' per line.")
        parser.add_argument("--output", type=Path, default=DEFAULT_MODEL_PATH,
                            help=f"Model file to write, or with --count-only to count with "
                                 f"(default: {DEFAULT_MODEL_PATH}).")
        parser.add_argument("--news", type=Path, metavar="JSONL", action="append", default=[],
                            help="Unlabelled news (JSONL or .jsonl.gz with title/body) for word "
                                 "classes and the counts of words read alone; repeat for several files.")
        parser.add_argument("--clusters", type=Path, metavar="JSON",
                            help="Reuse word classes instead of learning them from --news: a file "
                                 "cached by bench/ner_holdout.py --news, or a model's .entities.json.")
        parser.add_argument("--count-only", action="store_true",
                            help="Do not train: only count, with the model at --output, how it reads "
                                 "words alone in --news.")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                            help="Processes tagging --news for the counts (default: one per core).")

    def handle(self, *args, conll, output, news, clusters, count_only, workers, **options):
        if workers < 1:
            raise CommandError(f"--workers {workers}: give at least 1")
        for path in news:
            if not path.is_file():
                raise CommandError(f"--news {path}: no such file")
        if count_only:
            if conll or clusters or not news:
                raise CommandError("--count-only takes --news and no CoNLL file or --clusters")
            if not output.is_file():
                raise CommandError(f"{output}: no such model")
            self._count(output, news, workers)
            return
        if conll is None:
            raise CommandError("give the CoNLL file to train on (or --count-only)")
        if not conll.is_file():
            raise CommandError(f"{conll}: no such file")
        try:
            sentences = read_conll(conll)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{conll} is not a 'token TAG' file: {exc}") from None
        if clusters:
            try:
                clusters = ner_training.load_clusters(clusters)
            except (ValueError, OSError) as exc:
                raise CommandError(f"--clusters {clusters}: {exc}") from None
        elif news:
            self.stdout.write(f"Learning word classes from {', '.join(map(str, news))} …")
            try:
                clusters = ner_training.word_clusters(ner_training.news_texts(*news))
            except (ValueError, OSError) as exc:
                raise CommandError(f"--news: {exc}") from None
        self.stdout.write(f"Training on {len(sentences)} sentences …")
        try:
            path = ner_training.train(sentences, output, clusters=clusters)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if news:
            self._count(path, news, workers)
        size = path.stat().st_size + gazetteer_path(path).stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} (+ entities) — {size / 1e6:.1f} MB"))

    def _count(self, model: Path, news: list[Path], workers: int) -> None:
        self.stdout.write("Counting how the model reads common words alone in the news …")
        try:
            words = ner_training.record_alone_counts(model, ner_training.news_texts(*news), workers=workers)
        except (ValueError, OSError) as exc:
            raise CommandError(f"--news: {exc}") from None
        self.stdout.write(f"Words counted: {words}.")
