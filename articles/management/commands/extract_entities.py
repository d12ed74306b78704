"""
Re-run named-entity extraction over stored articles, e.g. after the extractor changed.

    python manage.py extract_entities --all
    python manage.py extract_entities --since 2024-01-01

Idempotent: each article's mentions are replaced, entities are reused by normalised key.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import services
from articles.search import indexing
from articles.models import Article

BATCH = 200


class Command(BaseCommand):
    help = "Extract people, organizations and places from stored articles (--all or --since DATE)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", dest="every", action="store_true", help="Every article.")
        which.add_argument("--since", metavar="DATE", help="Articles stored or updated on or after DATE (yyyy-mm-dd).")
        parser.add_argument("--dry-run", action="store_true", help="Count the articles; extract nothing.")

    def handle(self, *args, since, dry_run, verbosity, **options):
        articles = Article.objects.order_by("pk")
        if since:
            try:
                articles = articles.filter(updated_at__date__gte=date.fromisoformat(since))
            except ValueError:
                raise CommandError(f"--since: «{since}» is not a date (yyyy-mm-dd).") from None
        ids = list(articles.values_list("pk", flat=True))
        total = len(ids)
        if dry_run:
            self.stdout.write(f"Would extract entities from {total} article(s).")
            return
        mentions = 0
        # One index commit at the end; an interrupted run leaves the rest in the index's outbox.
        with indexing.deferred(), tqdm(total=total, unit=" articles", disable=verbosity < 1 or total < BATCH) as bar:
            for start in range(0, total, BATCH):
                chunk = ids[start : start + BATCH]
                mentions += services.extract_entities(articles=Article.objects.filter(pk__in=chunk), parallel=True)
                bar.update(len(chunk))
        if verbosity > 0:
            self.stdout.write(f"Extracted {mentions} mention(s) from {total} article(s).")
