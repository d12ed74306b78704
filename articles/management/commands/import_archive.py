"""
Restore a backup written by ``export_archive`` into an empty (migrated) database, and index it.

    python manage.py migrate && python manage.py import_archive backup.jsonl.gz
    python manage.py import_archive --dry-run backup.jsonl.gz   # check the whole file, store nothing
    python manage.py import_archive --no-users backup.jsonl.gz  # keep the users already there

Works on SQLite and PostgreSQL alike; ids are kept, so addresses of articles stay the same. The
rows are stored in one transaction: a restore that fails or is killed stores nothing and can be
run again. Killed while indexing, running it again (or ``check_index --repair``) finishes the index.
A bad file stops with the line it is on.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.services.backup import BackupError, archive_is_empty, import_archive


class Command(BaseCommand):
    help = "Restore an export_archive backup into an empty database and index it (--dry-run: check only)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup written by export_archive.")
        parser.add_argument("--dry-run", action="store_true", help="Read and check the whole file; store nothing.")
        parser.add_argument("--no-users", action="store_true", help="Skip the file's users and groups.")
        parser.add_argument("--no-index", action="store_true", help="Leave indexing to check_index --repair.")

    def handle(self, *args, file, dry_run, no_users, no_index, verbosity, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        users = not no_users
        try:
            counts = import_archive(
                path=path, users=users, dry_run=dry_run, index=not no_index, progress=self.progress if verbosity > 1 else None
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity == 0:
            return
        summary = ", ".join(f"{kind} {count:,}" for kind, count in counts.items())
        if dry_run:
            where = "an empty database" if archive_is_empty(users=users) else "a database that is not empty (refused)"
            self.stdout.write(f"{path} is a valid backup: {summary} (dry run: nothing stored; this is {where})")
        elif not counts:
            self.stdout.write(self.style.SUCCESS(f"{path} was already restored; the index is up to date."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Restored {path}: {summary}"))

    def progress(self, kind: str, rows: int) -> None:
        self.stdout.write(f"indexing {rows:,} articles" if kind == "index" else f"stored {rows:,} {kind} rows")
        self.stdout.flush()
