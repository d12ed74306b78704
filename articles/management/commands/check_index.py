"""
Compare the database with the search index, and repair the difference.

    python manage.py check_index            # report; exits non-zero when they differ
    python manage.py check_index --repair   # index what is missing or stale, drop orphans

Missing: stored articles the index does not have. Stale: documents that no longer match their
article (an edit that never reached the index). Orphaned: documents of deleted articles.
Pending: updates recorded in the index's outbox that have not reached it yet (an interrupted
ingest). ``--repair`` finishes the pending updates first, then mends the rest; it exits non-zero
if anything is still out of step afterwards.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.search import indexing


class Command(BaseCommand):
    help = "Compare database and search index (missing, stale, orphaned documents); --repair mends them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Index what is missing or stale, remove orphans.")

    def handle(self, *args, repair, verbosity, **options):
        drift = indexing.compare()
        self.report(drift, "before repair" if repair and not drift.clean else "", verbosity)
        if repair and not drift.clean:
            drift = indexing.repair()
            self.report(drift, "after repair", verbosity)
        if not drift.clean:
            hint = "" if repair else " Run check_index --repair."
            raise CommandError(f"The search index is out of step with the database.{hint}")
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS("Database and search index agree."))

    def report(self, drift: indexing.IndexDrift, when: str, verbosity: int) -> None:
        heading = f" ({when})" if when else ""
        self.stdout.write(
            f"articles {drift.articles:,}, documents {drift.documents:,}{heading}: "
            f"missing {len(drift.missing):,}, stale {len(drift.stale):,}, "
            f"orphaned {len(drift.orphaned):,}, pending {drift.pending:,}"
        )
        if verbosity > 1:
            for name in ("missing", "stale", "orphaned"):
                ids = sorted(getattr(drift, name))
                if ids:
                    self.stdout.write(f"  {name}: {', '.join(map(str, ids[:50]))}{' …' if len(ids) > 50 else ''}")
