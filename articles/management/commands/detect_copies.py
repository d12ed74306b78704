"""
Find the syndicated copies of the whole archive again, from the articles' texts.

    python manage.py detect_copies             # sign every article, regroup, reindex what changed
    python manage.py detect_copies --dry-run   # only report what would change

Ingest detects copies as it stores articles; this is for an archive imported before that
existed, or after the detector's parameters changed. Every article is signed again and grouped
as if the archive were ingested in storage order (a copy joins its earliest stored match); the
articles whose group changed are re-pointed and their documents reindexed. One transaction.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.services.syndication import detect_archive


class Command(BaseCommand):
    help = "Detect syndicated copies over the whole archive (--dry-run: report only)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; store nothing.")
        parser.add_argument("--chunk-size", type=int, default=2000, help="Articles read per query (default 2000).")

    def handle(self, *args, dry_run, chunk_size, verbosity, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        summary = detect_archive(dry_run=dry_run, chunk_size=chunk_size)
        if verbosity > 0:
            verb = "would change" if dry_run else "changed"
            self.stdout.write(
                f"articles {summary.articles:,}, signed {summary.signed:,}: {summary.groups:,} groups with "
                f"{summary.copies:,} copies; {verb} {summary.changed:,} articles"
                + (" (dry run: nothing stored)" if dry_run else "")
            )
