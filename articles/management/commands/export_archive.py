"""
Write the whole archive to one gzip JSON Lines file, for a backup or a move to another database.

    python manage.py export_archive archive-2026-12-02.jsonl.gz
    python manage.py export_archive --no-users backup.jsonl.gz    # leave out users and groups

Outlets and their aliases, articles with their raw paste, «اقرأ أيضاً» links, syndicated-copy
groups, entities with their aliases and mentions, and (unless --no-users) users with their
password hashes, groups and permissions. The file is written beside FILE and renamed into place
when complete, so an interrupted export never leaves a half-written backup under FILE.
Restore it with ``import_archive``.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.services.backup import export_archive


class Command(BaseCommand):
    help = "Export the whole archive (and its users) as gzip JSON Lines; restore with import_archive."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup (gzip JSON Lines).")
        parser.add_argument("--no-users", action="store_true", help="Leave out users, groups and permissions.")

    def handle(self, *args, file, no_users, verbosity, **options):
        target = Path(file)
        if target.is_dir():
            raise CommandError(f"{target} is a folder: give the backup file's name")
        partial = target.with_name(f".{target.name}.partial")
        try:
            with partial.open("wb") as out:
                counts = export_archive(out=out, users=not no_users)
            os.replace(partial, target)
        except OSError as error:
            raise CommandError(f"{target}: {error.strerror or error}") from error
        finally:
            partial.unlink(missing_ok=True)
        if verbosity > 0:
            summary = ", ".join(f"{kind} {count:,}" for kind, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Wrote {target}: {summary}"))
