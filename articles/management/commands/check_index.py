"""
Compare the database with the search index, and repair the difference.

    python manage.py check_index            # report; exits non-zero when they differ
    python manage.py check_index --repair   # index what is missing or stale, drop orphans

Missing: stored articles the index does not have. Stale: documents that no longer match their
article (an edit that never reached the index). Orphaned: documents of deleted articles.
Pending: updates recorded in the index's outbox that have not reached it yet (an interrupted
ingest, or work ``ingest --background`` left to the worker). The worker's line gives what the
background worker (``run_worker``) still has to do: articles whose entities are to be extracted,
and index updates, and the index's segments with the merges the worker has still to do (they
make searches faster; they do not put anything out of step). ``--repair`` does that work here
first (and merges the index's small segments, as the worker does), then mends the rest; it
exits non-zero if anything is still out of step afterwards.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.search import indexing
from articles.services import worker


class Command(BaseCommand):
    help = "Compare database and search index (missing, stale, orphaned documents); --repair mends them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Index what is missing or stale, remove orphans.")

    def handle(self, *args, repair, verbosity, **options):
        drift, backlog = indexing.compare(), worker.backlog()
        in_step = drift.clean and backlog.empty
        self.report(drift, backlog, "before repair" if repair and not in_step else "", verbosity)
        if repair:
            # The backlog, and the merges of the segments that commits left (pastes, when no
            # worker runs), even when the index is in step.
            worker.drain()
            if not in_step:
                drift, backlog = indexing.repair(), worker.backlog()
                in_step = drift.clean and backlog.empty
                self.report(drift, backlog, "after repair", verbosity)
        if not in_step:
            hint = "" if repair else " Run check_index --repair, or let run_worker finish."
            raise CommandError(f"The search index is out of step with the database.{hint}")
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS("Database and search index agree."))

    def report(self, drift: indexing.IndexDrift, backlog: worker.Backlog, when: str, verbosity: int) -> None:
        heading = f" ({when})" if when else ""
        self.stdout.write(
            f"articles {drift.articles:,}, documents {drift.documents:,}{heading}: "
            f"missing {len(drift.missing):,}, stale {len(drift.stale):,}, "
            f"orphaned {len(drift.orphaned):,}, pending {drift.pending:,}"
        )
        segments = indexing.segment_counts()
        merges = f"; index segments {segments[0]:,}, merges due {segments[1]:,}" if segments else ""
        self.stdout.write(
            f"background worker: entities pending {backlog.entities:,}, index pending {backlog.index:,}{merges}"
        )
        if verbosity > 1:
            for name in ("missing", "stale", "orphaned"):
                ids = sorted(getattr(drift, name))
                if ids:
                    self.stdout.write(f"  {name}: {', '.join(map(str, ids[:50]))}{' …' if len(ids) > 50 else ''}")
