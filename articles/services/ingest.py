"""Every write to the archive: ingesting pastes, files and JSONL records, and extracting entities.

The management commands, the admin and the tests all call these functions; they hold no logic of
their own. Each paste is one transaction: it is stored whole or not at all.
"""

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from articles import entities as ner
from articles.search import indexing as search
from articles.text import parser as parsing
from articles.text.keys import content_hash, source_key
from articles.text.normalize import clean
from articles.models import (
    Article,
    Entity,
    EntityAlias,
    Mention,
    RelatedArticle,
    Source,
    SourceAlias,
)

# JSONL imports index their new articles this many at a time (and at the end of the file).
INDEX_CHUNK = 5000


@dataclass
class PasteOutcome:
    """What happened to one paste (or one JSONL record)."""

    label: str
    status: str  # "created", "skipped" or "rejected"
    title: str = ""
    reason: str = ""
    article_id: int | None = None
    related_created: int = 0


@dataclass
class IngestReport:
    """Counts of articles created and skipped (already stored), and of inputs rejected."""

    created: int = 0
    skipped: int = 0
    rejected: int = 0
    outcomes: list[PasteOutcome] = field(default_factory=list)
    parsed: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rejected == 0

    def add(self, outcome: PasteOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status == "rejected":
            self.rejected += 1

    def merge(self, other: "IngestReport") -> None:
        self.created += other.created
        self.skipped += other.skipped
        self.rejected += other.rejected
        self.outcomes.extend(other.outcomes)
        self.parsed.extend(other.parsed)


class IngestError(ValueError):
    """An input that cannot be read at all (a missing file, a malformed JSONL file)."""


def resolve_source(*, name: str | None, full_name: str | None = None) -> Source | None:
    """The outlet printed as ``name`` (short, «الوطن») and/or ``full_name`` («صحيفة الوطن الليبية»).

    Every name seen becomes an alias of one Source, so later pastes printing either resolve to it.
    When the two names point at different known outlets, the full name wins.
    """
    names = [n.strip() for n in (full_name, name) if n and n.strip()]
    if not names:
        return None
    source = None
    for candidate in names:
        source = Source.objects.by_name(candidate).first()
        if source:
            break
    if source is None:
        source = Source.objects.create(name=names[0])
    elif full_name and source.name == (name or "").strip():
        # First seen as «الوطن», now printed in full: show the full name from now on.
        source.name = full_name.strip()
        source.save(update_fields=["name", "key"])
    for alias in {source.name, *names}:
        if not SourceAlias.objects.filter(key=source_key(alias)).exists():
            SourceAlias.objects.create(source=source, name=alias)
    return source


def ingest_paste(
    *,
    text: str,
    source: str | None = None,
    label: str = "paste",
    dry_run: bool = False,
) -> IngestReport:
    """Parse one paste and store its article and «اقرأ أيضاً» articles in one transaction.

    ``source`` overrides the outlet found in the paste. Re-ingesting the same text creates nothing
    and counts the articles as skipped. A paste that cannot be parsed is rejected with its reason;
    nothing is written for it.
    """
    report = IngestReport()
    try:
        parsed = parsing.parse_paste(text, max_bytes=settings.ARCHIVE_MAX_PASTE_BYTES)
    except parsing.PasteError as error:
        report.add(PasteOutcome(label=label, status="rejected", reason=str(error)))
        return report
    report.parsed.append({"file": label, **parsed.as_dict()})
    if dry_run:
        report.created, report.skipped = _count_new(parsed)
        report.add(PasteOutcome(label=label, status="created" if report.created else "skipped", title=parsed.title))
        return report

    new_ids: list[int] = []
    with transaction.atomic():
        outlet = resolve_source(name=source) if source else _paste_source(parsed)
        main, created = _store_parsed(parsed, source=outlet, raw_paste=text)
        new_ids += [main.pk] if created else []
        related_created = 0
        for position, item in enumerate(parsed.related):
            related_outlet = outlet if source else (_paste_source(item) or outlet)
            related, was_created = _store_parsed(item, source=related_outlet, raw_paste="")
            if was_created:
                new_ids.append(related.pk)
                related_created += 1
            RelatedArticle.objects.get_or_create(article=main, related=related, defaults={"position": position})
        report.created = len(new_ids)
        report.skipped = 1 + len(parsed.related) - len(new_ids)
        extract_entities(articles=Article.objects.filter(pk__in=new_ids))
        transaction.on_commit(lambda: search.index_articles(new_ids))
    report.add(
        PasteOutcome(
            label=label,
            status="created" if created else "skipped",
            title=main.title,
            article_id=main.pk,
            related_created=related_created,
        )
    )
    return report


def _paste_source(parsed: parsing.ParsedArticle) -> Source | None:
    return resolve_source(name=parsed.source, full_name=parsed.source_name)


def _count_new(parsed: parsing.ParsedArticle) -> tuple[int, int]:
    hashes = {content_hash(a.title, a.body) for a in (parsed, *parsed.related)}
    existing = Article.objects.filter(content_hash__in=hashes).count()
    return len(hashes) - existing, existing


def _store_parsed(parsed: parsing.ParsedArticle, *, source: Source | None, raw_paste: str) -> tuple[Article, bool]:
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
    article.save()
    return article, True


def ingest_bytes(*, data: bytes, name: str, source: str | None = None, dry_run: bool = False) -> IngestReport:
    """Ingest a file's contents: decoded (UTF-8, UTF-16 or Windows-1256), split on ``===`` lines.

    Each paste is its own transaction and is labelled ``name#N`` in the report.
    """
    report = IngestReport()
    try:
        text = parsing.decode_bytes(data, name=name)
    except parsing.PasteError as error:
        report.add(PasteOutcome(label=name, status="rejected", reason=str(error)))
        return report
    pastes = parsing.split_pastes(text)
    for number, paste in enumerate(pastes, start=1):
        label = f"{name}#{number}" if len(pastes) > 1 else name
        report.merge(ingest_paste(text=paste, source=source, label=label, dry_run=dry_run))
    return report


def paste_files(path: Path) -> list[Path]:
    """The files an ingest of ``path`` reads: the file itself, or ``*.txt`` under a directory."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.txt") if p.is_file())
    if not path.is_file():
        raise IngestError(f"{path}: no such file or directory")
    return [path]


def ingest_file(*, path: Path, source: str | None = None, dry_run: bool = False) -> IngestReport:
    """Ingest one file of pastes; its pastes are labelled with the file's path."""
    return ingest_bytes(data=path.read_bytes(), name=str(path), source=source, dry_run=dry_run)


def ingest_path(*, path: Path, source: str | None = None, dry_run: bool = False) -> IngestReport:
    """Ingest a file, or every ``*.txt`` file under a directory (recursively, in name order)."""
    report = IngestReport()
    for file in paste_files(path):
        report.merge(ingest_file(path=file, source=source, dry_run=dry_run))
    return report


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
    """An unsaved Article from a JSONL record; ValueError names the bad field."""
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
    return Article(
        title=title[:500],
        body=body,
        published_on=published_on,
        byline=" ".join(str(record.get("author") or "").split())[:300],
        url=str(record.get("url") or "")[:1000],
        content_hash=content_hash(title[:500], body),
    )


def import_jsonl(
    *,
    path: Path,
    source: str | None = None,
    dry_run: bool = False,
    batch_size: int = 500,
    index: bool = True,
    entities: bool = True,
    progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Bulk import of records with ``title``, ``body``, ``date``, ``source``, ``author``, ``url``.

    Records are stored in batches, each batch one transaction, and indexed ``INDEX_CHUNK`` at a
    time; records already stored (same title and body) are skipped, bad records are rejected with
    their line number. If a run is interrupted, ``update_index`` indexes what was stored. ``index=False`` and
    ``entities=False`` leave search indexing and entity extraction to ``update_index`` and
    ``extract_entities``, for the fastest bulk load.
    """
    report = IngestReport()
    override = resolve_source(name=source) if source and not dry_run else None
    sources: dict[str, Source | None] = {}
    batch: list[tuple[Article, str]] = []
    unindexed: list[int] = []
    seen: set[str] = set()

    def flush() -> None:
        if not batch:
            return
        unindexed.extend(_store_batch(batch, report=report, dry_run=dry_run, entities=entities, seen=seen))
        if progress:
            progress(len(batch))
        batch.clear()
        # Few large index commits: each commit rewrites segments, and large ones go parallel.
        if index and len(unindexed) >= INDEX_CHUNK:
            search.index_articles(unindexed)
            unindexed.clear()

    for number, record, error in read_jsonl(path):
        label = f"{path}:{number}"
        if record is None:
            report.add(PasteOutcome(label=label, status="rejected", reason=error))
            continue
        try:
            article = _record_article(record)
        except ValueError as problem:
            report.add(PasteOutcome(label=label, status="rejected", reason=str(problem)))
            continue
        outlet_name = source or str(record.get("source") or "").strip()
        if not dry_run:
            if override is not None:
                article.source = override
            elif outlet_name:
                key = source_key(outlet_name)
                if key not in sources:
                    sources[key] = resolve_source(name=outlet_name)
                article.source = sources[key]
        if dry_run:
            report.parsed.append(
                {"file": label, "title": article.title, "published_on": article.published_on and article.published_on.isoformat(),
                 "source": outlet_name or None, "byline": article.byline or None, "url": article.url}
            )
        batch.append((article, label))
        if len(batch) >= batch_size:
            flush()
    flush()
    if index:
        search.index_articles(unindexed)
    return report


def _store_batch(
    batch: list[tuple[Article, str]], *, report: IngestReport, dry_run: bool, entities: bool, seen: set[str]
) -> list[int]:
    """Store the new articles of ``batch`` in one transaction; returns their ids.

    ``seen`` collects the hashes of a dry run, which stores nothing for later batches to find.
    """
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
    with transaction.atomic():
        created = Article.objects.bulk_create(fresh.values())
        if entities:
            extract_entities(articles=created)
    return [article.pk for article in created]


def _entity_for(kind: str, name: str, cache: dict) -> Entity:
    key = ner.entity_key(name, kind)
    if (kind, key) in cache:
        return cache[kind, key]
    alias = EntityAlias.objects.select_related("entity").filter(kind=kind, key=key).first()
    if alias:
        entity = alias.entity
    else:
        entity = Entity.objects.create(kind=kind, name=name)
        EntityAlias.objects.create(entity=entity, name=name)
    cache[kind, key] = entity
    return entity


def _add_alias(entity: Entity, surface: str) -> None:
    key = ner.entity_key(surface, entity.kind)
    if not EntityAlias.objects.filter(kind=entity.kind, key=key).exists():
        EntityAlias.objects.create(entity=entity, name=surface)


def extract_entities(*, articles: Iterable[Article], extractor: ner.Extractor | None = None) -> int:
    """(Re)extract the people, organizations and places of ``articles``; returns mentions stored.

    Idempotent: an article's old mentions are replaced. Spelling variants resolve to one entity by
    normalised key, and a later short mention in an article to the full name introduced earlier.
    """
    extractor = extractor or ner.get_extractor()
    cache: dict = {}
    stored = 0
    with transaction.atomic():
        for article in articles:
            Mention.objects.filter(article=article).delete()
            # Title and body in one pass: the body gives the context that tags the title's names.
            offset = len(article.title) + 1
            spans = extractor.extract(f"{article.title}\n{article.body}")
            mentions = []
            for span, canonical in ner.resolve(spans):
                if span.start < len(article.title) < span.end:
                    continue
                entity = _entity_for(span.kind, canonical, cache)
                written = span.name or span.text  # «لقاهرة» after «ل» is the name «القاهرة»
                if ner.entity_key(written, span.kind) != entity.key:
                    _add_alias(entity, written)
                in_title = span.end <= len(article.title)
                shift = 0 if in_title else offset
                mentions.append(
                    Mention(
                        article=article,
                        entity=entity,
                        surface=span.text[:300],
                        field=Mention.Field.TITLE if in_title else Mention.Field.BODY,
                        start=span.start - shift,
                        end=span.end - shift,
                        role=(span.role or "")[:300],
                    )
                )
            Mention.objects.bulk_create(mentions, ignore_conflicts=True)
            stored += len(mentions)
    return stored


def merge_entities(*, target: Entity, others: Iterable[Entity]) -> Entity:
    """Fold ``others`` into ``target``: their mentions and spellings become ``target``'s."""
    with transaction.atomic():
        for other in others:
            if other.pk == target.pk:
                continue
            if other.kind != target.kind:
                raise ValueError(f"cannot merge {other} ({other.kind}) into {target} ({target.kind})")
            article_ids = list(other.mentions.values_list("article_id", flat=True))
            other.mentions.update(entity=target)
            other.aliases.update(entity=target)
            other.delete()
            transaction.on_commit(lambda ids=article_ids: search.index_articles(ids))
    return target


def split_entity(*, entity: Entity, aliases: Iterable[EntityAlias], name: str | None = None) -> Entity:
    """Move some spellings (and the mentions written that way) of ``entity`` to a new entity."""
    aliases = list(aliases)
    if not aliases:
        raise ValueError("choose at least one spelling to split off")
    with transaction.atomic():
        new = Entity.objects.create(kind=entity.kind, name=name or aliases[0].name)
        keys = set()
        for alias in aliases:
            keys.add(alias.key)
            alias.entity = new
            alias.save()
        moved = [m for m in entity.mentions.all() if ner.entity_key(m.surface, entity.kind) in keys]
        Mention.objects.filter(pk__in=[m.pk for m in moved]).update(entity=new)
        article_ids = {m.article_id for m in moved}
        transaction.on_commit(lambda: search.index_articles(article_ids))
    return new
