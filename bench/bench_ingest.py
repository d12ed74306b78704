"""Parse-and-store speed of the JSONL bulk import into a fresh SQLite archive.

    .venv/bin/python bench/bench_ingest.py [--limit N] [FILE ...]

Defaults to both files of ../shared/data/news/. Search indexing and entity extraction are off:
this measures parsing, deduplication and storage. Target: at least 500 articles/s.
"""

import argparse
import gzip
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"


def limited_copy(path: Path, limit: int, folder: Path) -> Path:
    out = folder / path.name
    with gzip.open(path, "rt", encoding="utf-8") as source, gzip.open(out, "wt", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number >= limit:
                break
            target.write(line)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, default=sorted(NEWS.glob("*.jsonl.gz")))
    parser.add_argument("--limit", type=int, default=0, help="records per file (0: all)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    os.environ["ARCHIVE_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles import services
    from articles.models import Article

    call_command("migrate", verbosity=0)
    files = [limited_copy(f, args.limit, folder) if args.limit else f for f in args.files]
    started = time.perf_counter()
    report = services.IngestReport()
    for path in files:
        report.merge(services.import_jsonl(path=path, index=False, entities=False))
    elapsed = time.perf_counter() - started
    stored = Article.objects.count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"records: {report.created + report.skipped + report.rejected} (created {report.created}, "
          f"skipped {report.skipped}, rejected {report.rejected}); stored: {stored}")
    print(f"time: {elapsed:.1f} s; speed: {(report.created + report.skipped) / elapsed:.0f} articles/s; "
          f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
