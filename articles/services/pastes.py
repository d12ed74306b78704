"""Ingesting pastes: text, uploaded bytes, files and folders of them."""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from articles.models import Article, RelatedArticle, Source
from articles.search import indexing
from articles.services.articles import ArticleInvalid, validate_article
from articles.services.entities import extract_entities
from articles.services.reports import IngestError, IngestReport, PasteOutcome
from articles.services.sources import resolve_source
from articles.services.syndication import detect_copies
from articles.services.transactions import archive_write
from articles.services.worker import record_extraction
from articles.text import parser as parsing
from articles.text.keys import content_hash


# «اقرأ أيضاً» articles one paste may bring: each is stored, tagged and indexed in the paste's
# one transaction (an admin request), and 50 take about a second; more is not a paste but a
# bulk import (ingest --jsonl).
MAX_RELATED = 50


def ingest_paste(
    *,
    text: str,
    source: str | None = None,
    label: str = "paste",
    dry_run: bool = False,
    background: bool = False,
) -> IngestReport:
    """Parse one paste and store its article and «اقرأ أيضاً» articles in one transaction.

    ``source`` overrides the outlet found in the paste. Re-ingesting the same text creates nothing
    and counts the articles as skipped. A paste that cannot be parsed, that brings more than
    :data:`MAX_RELATED` related articles, or whose article or a related one breaks a limit (:func:`~articles.services.articles.validate_article`), is
    rejected with its reason; nothing is written for it. The new articles reach the search
    index in one commit once the transaction has committed; with ``background`` their entity
    extraction and indexing are recorded for the worker (:mod:`articles.services.worker`).
    """
    report = IngestReport()
    try:
        parsed = parsing.parse_paste(text, max_bytes=settings.ARCHIVE_MAX_PASTE_BYTES)
    except parsing.PasteError as error:
        report.add(PasteOutcome.rejection(label=label, error=error))
        return report
    if len(parsed.related) > MAX_RELATED:
        report.add(PasteOutcome.rejection(label=label, error=_too_many_related(len(parsed.related)), title=parsed.title[:200]))
        return report
    report.parsed.append({"file": label, **parsed.as_dict()})
    if dry_run:
        report.created, report.skipped = _count_new(parsed)
        report.add(PasteOutcome(label=label, status="created" if report.created else "skipped", title=parsed.title))
        return report

    new_ids: list[int] = []
    try:
        with archive_write():
            main, related_created = _store_paste(
                parsed, text=text, source=source, new_ids=new_ids, background=background
            )
    except ArticleInvalid as error:
        report.add(PasteOutcome.rejection(label=label, error=error, title=parsed.title[:200]))
        return report
    report.created = len(new_ids)
    report.skipped = 1 + len(parsed.related) - len(new_ids)
    report.add(
        PasteOutcome(
            label=label,
            status="created" if main.pk in new_ids else "skipped",
            title=main.title,
            article_id=main.pk,
            related_created=related_created,
        )
    )
    return report


def _too_many_related(count: int) -> parsing.PasteError:
    return parsing.PasteError(
        f"{count:,} related («اقرأ أيضاً») articles, over the limit of {MAX_RELATED} per paste; split it into several pastes",
        code="too_many_related",
        count=f"{count:,}",
        limit=MAX_RELATED,
    )


def _store_paste(
    parsed: parsing.ParsedArticle, *, text: str, source: str | None, new_ids: list[int], background: bool = False
) -> tuple[Article, int]:
    """Store a parse inside the caller's transaction: the main article, then each related one
    linked in order. Appends the new articles' ids to ``new_ids``; returns the main article and
    how many related articles were new."""
    outlet = resolve_source(name=source) if source else _paste_source(parsed)
    main, created = _store_parsed(parsed, source=outlet, raw_paste=text, part="article")
    if created:
        new_ids.append(main.pk)
    related_created = 0
    for position, item in enumerate(parsed.related):
        related_outlet = outlet if source else (_paste_source(item) or outlet)
        related, was_created = _store_parsed(
            item, source=related_outlet, raw_paste="", part="related", number=position + 1
        )
        if was_created:
            new_ids.append(related.pk)
            related_created += 1
        RelatedArticle.objects.get_or_create(article=main, related=related, defaults={"position": position})
    new_articles = list(Article.objects.filter(pk__in=new_ids))
    detect_copies(articles=new_articles)
    if background:
        record_extraction(article_ids=new_ids)
    else:
        # Also queues the new articles for the search index.
        extract_entities(articles=new_articles)
    return main, related_created


def _paste_source(parsed: parsing.ParsedArticle) -> Source | None:
    return resolve_source(name=parsed.source, full_name=parsed.source_name)


def _count_new(parsed: parsing.ParsedArticle) -> tuple[int, int]:
    hashes = {content_hash(a.title, a.body) for a in (parsed, *parsed.related)}
    existing = Article.objects.filter(content_hash__in=hashes).count()
    return len(hashes) - existing, existing


def _store_parsed(
    parsed: parsing.ParsedArticle, *, source: Source | None, raw_paste: str, part: str, number: int = 0
) -> tuple[Article, bool]:
    article = Article(
        title=parsed.title,
        body=parsed.body,
        published_on=parsed.published_on,
        source=source,
        byline=parsed.byline or "",
        desk=parsed.desk or "",
        source_line=parsed.source_line or "",
        raw_paste=raw_paste,
    )
    existing = Article.objects.filter(content_hash=content_hash(article.title, article.body)).first()
    if existing:
        return existing, False
    try:
        validate_article(article)
    except ArticleInvalid as error:
        raise error.in_part(part, number) from None
    article.save()
    return article, True


def ingest_bytes(
    *, data: bytes, name: str, source: str | None = None, dry_run: bool = False, background: bool = False
) -> IngestReport:
    """Ingest a file's contents: decoded (UTF-8, UTF-16 or Windows-1256), split on ``===`` lines.

    Each paste is its own transaction and is labelled ``name#N`` in the report.
    """
    report = IngestReport()
    try:
        text = parsing.decode_bytes(data, name=name)
    except parsing.PasteError as error:
        report.add(PasteOutcome.rejection(label=name, error=error))
        return report
    pastes = parsing.split_pastes(text)
    for number, paste in enumerate(pastes, start=1):
        label = f"{name}#{number}" if len(pastes) > 1 else name
        report.merge(ingest_paste(text=paste, source=source, label=label, dry_run=dry_run, background=background))
    return report


def paste_files(path: Path) -> list[Path]:
    """The files an ingest of ``path`` reads: the file itself, or ``*.txt`` under a directory."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.txt") if p.is_file())
    if not path.is_file():
        raise IngestError(f"{path}: no such file or directory")
    return [path]


def ingest_file(
    *, path: Path, source: str | None = None, dry_run: bool = False, background: bool = False
) -> IngestReport:
    """Ingest one file of pastes; its pastes are labelled with the file's path."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"{path}: {error.strerror or error}") from error
    return ingest_bytes(data=data, name=str(path), source=source, dry_run=dry_run, background=background)


def ingest_path(
    *,
    path: Path,
    source: str | None = None,
    dry_run: bool = False,
    background: bool = False,
    progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest a file, or every ``*.txt`` file under a directory (recursively, in name order).

    ``progress`` is called with 1 after each file. Ends by finishing any index updates an
    earlier, interrupted run left in the outbox, unless ``background`` leaves them to the worker.
    """
    report = IngestReport()
    for file in paste_files(path):
        report.merge(ingest_file(path=file, source=source, dry_run=dry_run, background=background))
        if progress:
            progress(1)
    if not dry_run and not background:
        indexing.flush()
    return report
