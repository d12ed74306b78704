"""
Ingest pasted articles from files, directories or standard input, or bulk-import JSONL records.

    python manage.py ingest article.txt pastes/ -        # files, *.txt under directories, stdin
    python manage.py ingest --jsonl news.jsonl.gz       # records with title, body, date, source...
    python manage.py ingest --dry-run --format json x.txt   # show the parse, write nothing
    python manage.py ingest --background --jsonl news.jsonl.gz   # store, leave the rest to run_worker

A file may hold several pastes separated by a line containing only ``===``. Every paste is one
transaction; a rejected paste is reported with its file, paste number and reason, the others are
still ingested, and the command exits non-zero.

By default the command returns when its articles are stored, their entities extracted and they
are searchable. ``--background`` returns once they are stored: their entity extraction and
indexing are recorded in the same transactions for the background worker (``run_worker``), and
``check_index`` tells what it still has to do.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import services


class Command(BaseCommand):
    help = "Ingest pasted Arabic articles (files, directories, - for stdin) or JSONL records (--jsonl)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files, directories (recursively *.txt) or - for standard input.")
        parser.add_argument("--source", help="Outlet name to use instead of the one found in the paste.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="json: print each paste's parse as one JSON object per line (JSON Lines).",
        )
        parser.add_argument("--jsonl", action="append", default=[], metavar="FILE", help="Bulk import a JSONL file (gzip or plain).")
        parser.add_argument("--batch-size", type=int, default=500, help="JSONL records per transaction (default 500).")
        parser.add_argument("--no-index", action="store_true", help="JSONL: skip search indexing (run update_index later).")
        parser.add_argument("--no-entities", action="store_true", help="JSONL: skip entity extraction (run extract_entities later).")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Store the articles and return; record their entities and indexing for run_worker.",
        )

    def handle(self, *args, paths, jsonl, **options):
        if not paths and not jsonl:
            raise CommandError("Give at least one path, - for standard input, or --jsonl FILE.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["background"] and options["no_index"]:
            raise CommandError("--background leaves the indexing to the worker; it cannot be combined with --no-index.")
        if options["source"]:
            try:
                services.validate_source_name(name=options["source"])
            except services.ArticleInvalid as error:
                raise CommandError(f"--source: {error}") from error
        report = services.IngestReport()
        try:
            for path in paths:
                report.merge(self.ingest_one(path, options))
            for path in jsonl:
                report.merge(self.import_one(Path(path), options))
        except services.IngestError as error:
            raise CommandError(str(error)) from error
        self.print_report(report, options)
        if report.rejected:
            raise CommandError(f"{report.rejected} input(s) rejected; see the messages above.")

    def ingest_one(self, path: str, options) -> services.IngestReport:
        if path == "-":
            data = sys.stdin.buffer.read()
            return services.ingest_bytes(
                data=data, name="<stdin>", source=options["source"], dry_run=options["dry_run"],
                background=options["background"],
            )
        total = len(services.paste_files(Path(path)))
        with tqdm(total=total, desc=path, unit=" files", disable=not self.show_progress(options, total), file=sys.stderr) as bar:
            return services.ingest_path(
                path=Path(path), source=options["source"], dry_run=options["dry_run"],
                background=options["background"], progress=bar.update,
            )

    def show_progress(self, options, total: int | None = None) -> bool:
        # A bar only where a run is long enough to wait for, and never in quiet runs.
        return not options["no_progress"] and options["verbosity"] > 0 and (total is None or total > 20)

    def import_one(self, path: Path, options) -> services.IngestReport:
        with tqdm(desc=path.name, unit=" records", disable=not self.show_progress(options), file=sys.stderr) as bar:
            return services.import_jsonl(
                path=path,
                source=options["source"],
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
                index=not options["no_index"],
                entities=not options["no_entities"],
                background=options["background"],
                progress=bar.update,
            )

    def print_report(self, report: services.IngestReport, options) -> None:
        if options["format"] == "json":
            for item in report.parsed:
                self.stdout.write(json.dumps(item, ensure_ascii=False))
        for outcome in report.outcomes:
            if outcome.status == "rejected":
                self.stderr.write(f"{outcome.label}: rejected: {outcome.reason}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"{outcome.label}: {outcome.status}: {outcome.title}")
        if options["verbosity"] > 0:
            verb = "would create" if options["dry_run"] else "created"
            summary = f"{verb} {report.created}, skipped {report.skipped}, rejected {report.rejected}"
            # Under --format json stdout carries only JSON Lines; the summary goes to stderr.
            out = self.stderr if options["format"] == "json" else self.stdout
            out.write(summary)
            if options["background"] and report.created and not options["dry_run"]:
                out.write("Stored; their entities and indexing are left to the background worker "
                          "(run_worker; check_index shows what it still has to do).")
