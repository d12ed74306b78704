"""
Load the demo articles shipped in ``articles/demo/`` so a new archive is not empty.

Idempotent: articles already stored are skipped, so ``make run`` can call it every time.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import services

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Load the invented demo articles (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")

    def handle(self, *args, dry_run, verbosity, **options):
        report = services.ingest_path(path=DEMO_DIR, dry_run=dry_run)
        for outcome in report.outcomes:
            if outcome.status == "rejected":
                self.stderr.write(f"{outcome.label}: rejected: {outcome.reason}")
        if report.rejected:
            raise CommandError(f"{report.rejected} demo paste(s) rejected.")
        if verbosity > 0:
            self.stdout.write(f"Demo articles: created {report.created}, already there {report.skipped}.")
