"""
Compile the interface translations, ``locale/<lang>/LC_MESSAGES/*.po``, into the ``.mo`` files
Django reads.

    python manage.py compile_translations            # write every .mo next to its .po
    python manage.py compile_translations --dry-run  # say what would be compiled, write nothing

Django's own ``compilemessages`` needs GNU ``msgfmt`` (Debian's ``gettext``), which a fresh machine
and the CI image lack and which needs root to install; polib (pinned, pure Python) writes the same
files, so ``make install`` compiles with nothing beyond requirements.txt. Untranslated and fuzzy
entries are left out of the ``.mo`` (the English message id shows), as msgfmt does, and counted.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files with polib (no GNU gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be compiled; write nothing.")

    def handle(self, *args, dry_run, verbosity, **options):
        catalogs = sorted(po for folder in settings.LOCALE_PATHS for po in Path(folder).glob("*/LC_MESSAGES/*.po"))
        if not catalogs:
            raise CommandError(f"No .po files under {', '.join(map(str, settings.LOCALE_PATHS))}.")
        for path in catalogs:
            try:
                catalog = polib.pofile(str(path))
            except (OSError, ValueError) as error:
                raise CommandError(f"{path}: {error}") from error
            if not dry_run:
                catalog.save_as_mofile(str(path.with_suffix(".mo")))
            if verbosity > 0:
                untranslated = len(catalog.untranslated_entries()) + len(catalog.fuzzy_entries())
                verb = "would compile" if dry_run else "compiled"
                self.stdout.write(
                    f"{path}: {verb} {len(catalog.translated_entries())} messages"
                    + (f", {untranslated} untranslated or fuzzy left out" if untranslated else "")
                )
