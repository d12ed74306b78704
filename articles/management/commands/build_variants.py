"""
Mine the spelling variants of loanwords and names (الأمريكي/الأميركي, غوغل/جوجل) for broad search.

    python manage.py build_variants                       # from the archive's articles → DATA_DIR/variants.tsv
    python manage.py build_variants --dry-run -v 2        # show the classes, write nothing
    python manage.py build_variants --jsonl news.jsonl.gz --output articles/search/data/variants.tsv

Candidates are common words with one variant skeleton; a pair is kept when the texts show it is
one word (same neighbours, rarely both in one article or each in its own outlets; see
:mod:`articles.text.variants`). The file written replaces the shipped default for this archive's
searches from the next search on; rebuild it as the archive grows.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.search.variants import data_lexicon_path, write_lexicon
from articles.services.jsonl import read_jsonl
from articles.services.reports import IngestError
from articles.text.variants import MinerSettings, mine_variants


class Command(BaseCommand):
    help = "Mine spelling variants of loanwords and names from the archive (or JSONL files) into the variant lexicon."

    def add_arguments(self, parser):
        parser.add_argument("--jsonl", nargs="+", type=Path, metavar="FILE",
                            help="read these JSONL records (title, body, source; gzip allowed) instead of the database")
        parser.add_argument("--output", type=Path, help="write here instead of DATA_DIR/variants.tsv")
        parser.add_argument("--min-df", type=int, default=MinerSettings.min_df,
                            help=f"articles each spelling must occur in (default {MinerSettings.min_df})")
        parser.add_argument("--dry-run", action="store_true", help="mine and report, write nothing")

    def handle(self, *args, jsonl, output, min_df, dry_run, verbosity, **options):
        if min_df < 2:
            raise CommandError("--min-df must be at least 2")
        for path in jsonl or ():
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        settings = MinerSettings(min_df=min_df)
        documents = self._jsonl_documents(jsonl) if jsonl else self._database_documents()
        counted = _Counted(documents)
        try:
            classes, scores = mine_variants(counted, settings)
        except IngestError as error:
            raise CommandError(str(error)) from error
        if not counted.count:
            raise CommandError("no articles to mine")
        target = output or data_lexicon_path()
        self.stdout.write(
            f"{counted.count:,} articles, {len(scores):,} candidate pairs, {len(classes):,} variant classes"
            + (" (dry run: nothing written)" if dry_run else f" → {target}")
        )
        if verbosity > 1:
            for forms in classes:
                self.stdout.write("  " + " / ".join(forms))
        if dry_run:
            return
        source = ", ".join(p.name for p in jsonl) if jsonl else "the archive's articles"
        write_lexicon(target, classes, header=(
            f"Variant classes mined by manage.py build_variants from {source} ({counted.count:,} articles).\n"
            "One class per line, written forms separated by tabs, the most frequent first."
        ))

    def _database_documents(self):
        rows = Article.objects.order_by("pk").values_list("title", "body", "source__name")
        for title, body, source in rows.iterator(chunk_size=2000):
            yield f"{title}\n{body}", source

    def _jsonl_documents(self, paths):
        for path in paths:
            for number, record, error in read_jsonl(path):
                if record is None:
                    self.stderr.write(f"{path}:{number}: {error}")
                    continue
                yield f"{record.get('title') or ''}\n{record.get('body') or ''}", record.get("source") or None


class _Counted:
    """An iterable that counts what it yields (the summary's article count)."""

    def __init__(self, iterable):
        self.iterable = iterable
        self.count = 0

    def __iter__(self):
        for item in self.iterable:
            self.count += 1
            yield item
