"""The results of a search as CSV or JSON Lines, streamed row by row.

Rows come from :func:`articles.search.service.matching_ids` (the search's order) and the
database, ``DB_BATCH`` articles per query, so an export of 10,000 articles never holds them all.
CSV is for spreadsheets: UTF-8 with a byte-order mark (Excel reads Arabic as mojibake without
it) and no cell that a spreadsheet would run as a formula.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from articles.models import Article

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
CSV_COLUMNS = ("id", "title", "url", "published_on", "source", "byline", "desk")
DB_BATCH = 500
BOM = "\ufeff"
# What Excel, LibreOffice and Google Sheets start a formula (or DDE call) with.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def export_records(*, ids: Iterable[int], absolute_url: Callable[[str], str]) -> Iterator[dict]:
    """One record per article of ``ids``, in that order (an id no longer in the database is
    skipped); ``absolute_url`` turns a path into the link the record carries."""
    ids = iter(ids)
    while batch := list(islice(ids, DB_BATCH)):
        articles = Article.objects.for_listing().in_bulk(batch)
        for pk in batch:
            article = articles.get(pk)
            if article is None:
                continue
            yield {
                "id": article.pk,
                "title": article.title,
                "url": absolute_url(article.get_absolute_url()),
                "published_on": article.published_on.isoformat() if article.published_on else None,
                "source": {"id": article.source_id, "name": article.source.name} if article.source_id else None,
                "byline": article.byline or None,
                "desk": article.desk or None,
                "body": article.body,
            }


def csv_lines(records: Iterable[dict]) -> Iterator[str]:
    """The BOM and header, then a line per record (no body: a spreadsheet cell is no place for it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield BOM + line(CSV_COLUMNS)
    for record in records:
        source = record["source"]["name"] if record["source"] else ""
        cells = {**record, "source": source}
        yield line(
            cell if isinstance(cell, int) else spreadsheet_safe(cell or "")
            for cell in (cells[name] for name in CSV_COLUMNS)
        )


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    """A JSON object per line, body included, Arabic as itself rather than ``\\u`` escapes."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


LINES = {"csv": csv_lines, "jsonl": jsonl_lines}
