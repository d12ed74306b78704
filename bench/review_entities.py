"""The entity review: import a part of the ANT news into a fresh archive and list the top names.

    .venv/bin/python bench/review_entities.py [--limit 5000] [--top 50] [--data-dir DIR] [FILE]

Imports the first ``--limit`` records of FILE (default: the ANT v1.1 file of ../shared) with
entity extraction on and search indexing off, into ``--data-dir`` (default: a new temporary
folder), then prints, per kind, the ``--top`` names readers would see on the entity index
(``Entity.objects.listed()``), most articles first, numbered, to be checked by hand (see
docs/entities.md, "Review"). ``--list-only`` lists an archive imported before.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news" / "articles.ant_v1.1.jsonl.gz"
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=Path, default=NEWS)
    parser.add_argument("--limit", type=int, default=5000, help="records to import (default 5000)")
    parser.add_argument("--top", type=int, default=50, help="names per kind (default 50)")
    parser.add_argument("--data-dir", type=Path, help="archive folder (default: a new temporary one)")
    parser.add_argument("--list-only", action="store_true", help="list the archive in --data-dir, import nothing")
    args = parser.parse_args()
    if args.list_only and not args.data_dir:
        parser.error("--list-only needs --data-dir")
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="review-entities-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["ARCHIVE_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles import services
    from articles.models import Article, Entity
    from bench_ingest import limited_copy

    if not args.list_only:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        report = services.import_jsonl(path=limited_copy(args.file, args.limit, folder), index=False)
        print(f"# imported {report.created} articles into {folder} in {time.perf_counter() - started:.0f} s")
    print(f"# {Article.objects.count()} articles, {Entity.objects.count()} entities "
          f"({Entity.objects.listed().count()} listed)")
    for kind, label in Entity.Kind.choices:
        print(f"\n## {kind}")
        top = Entity.objects.listed().of_kind(kind).order_by("-article_count", "name")[: args.top]
        for number, entity in enumerate(top, start=1):
            print(f"{number}\t{entity.article_count}\t{entity.name}")


if __name__ == "__main__":
    main()
