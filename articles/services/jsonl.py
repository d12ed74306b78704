"""Bulk import of JSON Lines records (gzip or plain), in batches of one transaction each."""

import gzip
import json
import re
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path


from articles.models import Article, Source
from articles.search import indexing
from articles.services.articles import validate_article
from articles.services.reports import IngestError, IngestReport, PasteOutcome
from articles.services.sources import resolve_source, validate_source_name
from articles.services.syndication import detect_copies
from articles.services.transactions import archive_write, background_writes
from articles.services import worker
from articles.text.headers import credited_name, is_desk
from articles.text.keys import content_hash, source_key
from articles.text.normalize import clean

_SPACE_RE = re.compile(r"\s")
# JSONL imports index their new articles this many at a time (and at the end of the file).
INDEX_CHUNK = 5000


def read_jsonl(path: Path) -> Iterator[tuple[int, dict | None, str]]:
    """Records of a JSONL file (gzip or plain) as (line number, record or None, error)."""
    try:
        with path.open("rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
    except OSError as error:
        raise IngestError(f"{path}: {error.strerror or error}") from error
    opener = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8-sig", errors="strict") as lines:
        try:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    yield number, None, f"invalid JSON ({error.msg})"
                    continue
                if not isinstance(record, dict):
                    yield number, None, "a record must be a JSON object"
                    continue
                yield number, record, ""
        except (UnicodeDecodeError, EOFError, gzip.BadGzipFile) as error:
            raise IngestError(f"{path}: not a UTF-8 JSONL file ({error})") from error


def _record_article(record: dict) -> Article:
    """An unsaved, validated Article from a JSONL record; ValueError names the bad field."""
    title = clean(str(record.get("title") or "")).strip()
    if not title:
        raise ValueError("missing title")
    body_text = clean(str(record.get("body") or ""))
    paragraphs = [" ".join(line.split()) for line in body_text.splitlines()]
    body = "\n\n".join(p for p in paragraphs if p)
    if not body:
        raise ValueError("title without a body")
    published_on = None
    if record.get("date"):
        try:
            published_on = date.fromisoformat(str(record["date"])[:10])
        except ValueError:
            raise ValueError(f"date «{record['date']}» is not an ISO date (yyyy-mm-dd)") from None
    article = Article(
        title=title,
        body=body,
        published_on=published_on,
        byline=credited_name(str(record.get("author") or "")),
        # Crawled links sometimes keep a raw space; it is the same link percent-encoded.
        url=_SPACE_RE.sub("%20", str(record.get("url") or "").strip()),
        content_hash=content_hash(title, body),
    )
    validate_article(article)
    return article


def import_jsonl(
    *,
    path: Path,
    source: str | None = None,
    dry_run: bool = False,
    batch_size: int = 500,
    index: bool = True,
    entities: bool = True,
    background: bool = False,
    progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Bulk import of records with ``title``, ``body``, ``date``, ``source``, ``author``, ``url``.

    Records are stored in batches, each batch one transaction, and indexed ``INDEX_CHUNK`` at a
    time; records already stored (same title and body) are skipped, bad records (and those over
    a limit of :func:`~articles.services.articles.validate_article`) are rejected with their line
    number. Every stored batch records its entity extraction (or without entities its indexing)
    in its own transaction, so an interrupted run loses nothing: the next ingest, the worker or
    ``check_index --repair`` finishes what was stored. ``index=False`` leaves the outbox for ``check_index --repair`` and
    ``entities=False`` leaves entities to ``extract_entities``, for the fastest bulk load.
    ``background=True`` stores the articles and records the rest for the worker
    (:mod:`articles.services.worker`) in the same transactions: their entities, or without
    entities their indexing; nothing is extracted or indexed here.
    """
    report = IngestReport()
    batch: list[tuple[Article, str]] = []
    seen: set[str] = set()
    indexed_here = index and not dry_run and not background
    extracted_here = entities and not dry_run and not background
    # A batch's entities are tagged in the pool while the next batch is stored, then stored
    # themselves (the recorded rows keep a crash in between from losing them).
    tagging: deque[worker.RecordedExtraction] = deque()
    # Each batch's transactions let a paste or an edit waiting for the database go first.
    with indexing.deferred(index=False) as queued, background_writes():

        def store() -> None:
            created = _store_batch(batch, report=report, dry_run=dry_run, entities=entities, seen=seen)
            if progress:
                progress(len(batch))
            batch.clear()
            if extracted_here and created:
                tagging.append(worker.RecordedExtraction(article_ids=created))
            # One batch is left in the pool while the next is stored: this process writes
            # while the pool's processes tag.
            while len(tagging) > 1:
                tagging.popleft().finish()
            # The index is written every INDEX_CHUNK articles, in one piece that holds the
            # index only to read the articles and to put the piece in (the Whoosh engine writes
            # it apart), so pastes and edits made meanwhile wait milliseconds. Each flush takes
            # the whole outbox, what they left there too.
            if indexed_here and len(queued) >= INDEX_CHUNK:
                indexing.flush()
                queued.clear()
                # Each of the flush's commits left a segment: merged now (or by the worker,
                # if it is merging already), so that searches meanwhile read only a few.
                indexing.merge_all_due()

        for article, label in _articles(path, source=source, dry_run=dry_run, report=report):
            batch.append((article, label))
            if len(batch) >= batch_size:
                store()
        if batch:
            store()
        while tagging:
            tagging.popleft().finish()
    if indexed_here:
        # This import's last articles, and what an interrupted earlier run left undone.
        indexing.flush()
        # And the merges of the segments its commits left: searches over an archive left
        # unmerged were four times slower until a worker had caught up.
        worker.drain()
    return report


def _articles(path: Path, *, source: str | None, dry_run: bool, report: IngestReport) -> Iterator[tuple[Article, str]]:
    """The valid records of ``path`` as unsaved articles with their outlet, and their labels;
    bad records go to ``report`` as rejected."""
    override = resolve_source(name=source) if source and not dry_run else None
    sources: dict[str, Source | None] = {}
    for number, record, error in read_jsonl(path):
        label = f"{path}:{number}"
        if record is None:
            report.add(PasteOutcome(label=label, status="rejected", reason=error, code="bad_record", message=error))
            continue
        outlet_name = source or str(record.get("source") or "").strip()
        try:
            article = _record_article(record)
            validate_source_name(name=outlet_name)
        except ValueError as problem:
            report.add(PasteOutcome.rejection(label=label, error=problem))
            continue
        if dry_run:
            report.parsed.append(
                {"file": label, "title": article.title, "published_on": article.published_on and article.published_on.isoformat(),
                 "source": outlet_name or None, "byline": article.byline or None, "url": article.url}
            )
        elif override is not None:
            article.source = override
        elif is_desk(outlet_name):
            # «وكالات» as a record's source credits the newsroom's desk, not an outlet.
            article.desk = article.desk or outlet_name
        elif outlet_name:
            key = source_key(outlet_name)
            if key not in sources:
                sources[key] = resolve_source(name=outlet_name)
            article.source = sources[key]
        yield article, label


def _store_batch(
    batch: list[tuple[Article, str]], *, report: IngestReport, dry_run: bool, entities: bool, seen: set[str]
) -> list[int]:
    """Store the new articles of ``batch`` in one transaction; returns their ids.

    ``seen`` collects the hashes of a dry run, which stores nothing for later batches to find.
    """
    if dry_run:
        return _store_new(batch, report=report, dry_run=dry_run, entities=entities, seen=seen)
    with archive_write():  # the check for stored copies and the insert, with no writer between
        return _store_new(batch, report=report, dry_run=dry_run, entities=entities, seen=seen)


def _store_new(
    batch: list[tuple[Article, str]], *, report: IngestReport, dry_run: bool, entities: bool, seen: set[str]
) -> list[int]:
    hashes = [article.content_hash for article, _ in batch]
    existing = seen | set(Article.objects.filter(content_hash__in=hashes).values_list("content_hash", flat=True))
    fresh: dict[str, Article] = {}
    for article, label in batch:
        if article.content_hash in existing or article.content_hash in fresh:
            report.skipped += 1
            report.outcomes.append(PasteOutcome(label=label, status="skipped", title=article.title))
        else:
            fresh[article.content_hash] = article
    report.created += len(fresh)
    if dry_run:
        seen.update(fresh)
    if dry_run or not fresh:
        return []
    created = Article.objects.bulk_create(fresh.values())
    detect_copies(articles=created)
    if entities:
        # Extracted after this transaction, or by the worker; either queues them for the index.
        worker.record_extraction(article_ids=[article.pk for article in created])
    else:
        indexing.queue_articles(article.pk for article in created)
    return [article.pk for article in created]
