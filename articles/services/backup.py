"""The whole archive as one gzip JSON Lines file, and back: ``export_archive`` / ``import_archive``.

One record a line, each with its ``type``, in an order that needs no look-ahead: users and
groups, outlets and their aliases, articles (with their raw paste and copy signature), «اقرأ أيضاً»
links, entities, their aliases and mentions. The first line names the format, the last counts
each type, so a truncated file is refused. Ids are kept: an article's address survives a restore.

A restore is one transaction: killed part-way, it leaves the database empty and can simply be
run again. The search index is filled from the outbox once the rows are committed, so a run
killed while indexing is finished by running it again (or by ``check_index --repair``).
"""

import gzip
import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from django.contrib.auth.models import Group, Permission, User
from django.core.management.color import no_style
from django.db import connection, models, transaction

from articles.models import Article, Entity, EntityAlias, Mention, RelatedArticle, ShingleBand, Source, SourceAlias
from articles.search import indexing
from articles.services.articles import ArticleInvalid, validate_article
from articles.services.transactions import archive_write
from articles.text.keys import content_hash, entity_key, source_key

FORMAT = "arabic-news-archive"
VERSION = 1
_BATCH = 500
_CHUNK = 2000


class BackupError(ValueError):
    """A backup file that cannot be restored; the message names the line."""


# Per record type: the model, the fields a record carries (as in the model), and the fields that
# point at earlier records (field → type of the record pointed at).
_TYPES: dict[str, tuple[type[models.Model], tuple[str, ...], dict[str, str]]] = {
    "group": (Group, ("id", "name"), {}),
    "user": (
        User,
        ("id", "username", "password", "email", "first_name", "last_name", "is_staff", "is_active",
         "is_superuser", "date_joined", "last_login"),
        {},
    ),
    "source": (Source, ("id", "name", "created_at"), {}),
    "source_alias": (SourceAlias, ("id", "source_id", "name"), {"source_id": "source"}),
    "article": (
        Article,
        ("id", "title", "body", "published_on", "source_id", "byline", "desk", "source_line", "url",
         "raw_paste", "copy_of_id", "created_at", "updated_at"),
        {"source_id": "source"},
    ),
    "related": (RelatedArticle, ("id", "article_id", "related_id", "position"), {"article_id": "article", "related_id": "article"}),
    "entity": (Entity, ("id", "kind", "name", "named_by_editor", "created_at"), {}),
    "entity_alias": (EntityAlias, ("id", "entity_id", "name"), {"entity_id": "entity"}),
    "mention": (
        Mention,
        ("id", "article_id", "entity_id", "surface", "field", "start", "end", "role", "confidence"),
        {"article_id": "article", "entity_id": "entity"},
    ),
}
# Nullable references: may be null, and copy_of may point at an article later in the file.
_OPTIONAL = {"source_id", "copy_of_id"}
# Fields added after backups were first written: an older backup's records lack them.
_ADDED_LATER = {"named_by_editor": False, "confidence": None}


def _json_value(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _rows(kind: str, *, users: bool) -> Iterator[dict]:
    model, fields, _refs = _TYPES[kind]
    if kind in ("group", "user") and not users:
        return
    for row in model.objects.order_by("pk").values(*fields).iterator(chunk_size=_CHUNK):
        yield {name: _json_value(row[name]) for name in fields}


def _extras(kind: str, row: dict) -> dict:
    """What a record carries beyond its own columns: a group's or user's permissions and groups."""
    if kind == "group":
        group = Group.objects.get(pk=row["id"])
        return {"permissions": _permission_names(group.permissions.all())}
    if kind == "user":
        user = User.objects.get(pk=row["id"])
        return {"groups": sorted(user.groups.values_list("name", flat=True)),
                "permissions": _permission_names(user.user_permissions.all())}
    return {}


def _permission_names(permissions) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions.select_related("content_type"))


def _bands_by_article(first: int, last: int) -> dict[int, list[list[int]]]:
    bands: dict[int, list[list[int]]] = {}
    rows = ShingleBand.objects.filter(article_id__gte=first, article_id__lte=last).order_by("article_id", "band")
    for article_id, band, value in rows.values_list("article_id", "band", "hash"):
        bands.setdefault(article_id, []).append([band, value])
    return bands


def export_archive(*, out, users: bool = True) -> Counter:
    """Write the whole archive to ``out`` (a binary file) as gzip JSON Lines; returns the counts.

    Read in one transaction so that the file is one moment of the archive even while ingests
    go on (PostgreSQL: a repeatable-read snapshot; SQLite: the write lock, held to the end).
    """
    counts: Counter = Counter()
    outermost = not connection.in_atomic_block  # else the caller's transaction decides
    with transaction.atomic(), gzip.open(out, "wt", encoding="utf-8") as lines:
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

        def write(record: dict) -> None:
            lines.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")

        write({"type": "format", "format": FORMAT, "version": VERSION, "users": users})
        for kind in _TYPES:
            pending: list[dict] = []

            def emit() -> None:
                if kind == "article" and pending:
                    bands = _bands_by_article(pending[0]["id"], pending[-1]["id"])
                    for row in pending:
                        row["bands"] = bands.get(row["id"], [])
                for row in pending:
                    write({"type": kind, **row, **_extras(kind, row)})
                counts[kind] += len(pending)
                pending.clear()

            for row in _rows(kind, users=users):
                pending.append(row)
                if len(pending) >= _CHUNK:
                    emit()
            emit()
        write({"type": "end", "counts": {kind: counts[kind] for kind in _TYPES}})
    return counts


def _open_lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            yield from enumerate(lines, start=1)
    except OSError as error:  # a missing file, or not gzip (BadGzipFile is one)
        raise BackupError(f"{path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, EOFError) as error:
        raise BackupError(f"{path}: not a gzip UTF-8 archive file ({error})") from error


def _instance(kind: str, record: dict, *, where: str, entity_kinds: dict[int, str]) -> models.Model:
    """The unsaved row a record describes, its values checked as the model would."""
    model, fields, _refs = _TYPES[kind]
    values = {}
    for name in fields:
        if name not in record and name in _ADDED_LATER:
            values[name] = _ADDED_LATER[name]
            continue
        if name not in record:
            raise BackupError(f"{where}: {kind} without «{name}»")
        field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
        value = record[name]
        if value is None:
            if name != "id" and (field.null or name in _OPTIONAL):
                values[name] = None
                continue
            raise BackupError(f"{where}: {kind} «{name}» is empty")
        try:
            values[name] = field.target_field.to_python(value) if field.is_relation else field.to_python(value)
        except Exception as error:  # Django's ValidationError, or a TypeError from a list or a dict
            raise BackupError(f"{where}: {kind} «{name}»: {value!r:.60} is not valid") from error
        limit = getattr(field, "max_length", None)
        if limit and isinstance(values[name], str) and len(values[name]) > limit:
            raise BackupError(f"{where}: {kind} «{name}»: {len(values[name]):,} characters, over the limit of {limit:,}")
    row = model(**values)
    if kind == "article":
        # Its lead may come later in the file: checked at the end, not against the database.
        row.copy_of_id = None
        try:
            validate_article(row)
        except ArticleInvalid as error:
            raise BackupError(f"{where}: article: {error}") from error
        row.content_hash = content_hash(row.title, row.body)
        row.copy_of_id = values["copy_of_id"]
    elif kind in ("source", "source_alias"):
        row.key = source_key(row.name)
    elif kind == "entity":
        row.key = entity_key(row.name, row.kind)
        entity_kinds[row.pk] = row.kind
    elif kind == "entity_alias":
        row.kind = entity_kinds.get(row.entity_id, "")
        row.key = entity_key(row.name, row.kind)
    return row


def read_archive(path: Path, *, users: bool = True) -> Iterator[tuple[str, models.Model, dict]]:
    """The rows of a backup file as (type, unsaved row, record), every record checked first.

    Raises :class:`BackupError` naming the line of the first bad record: invalid JSON, an
    unknown type, a missing or invalid value, a reference to a row the file does not hold
    before it, a second row with the same id; or a file without its end record (truncated).
    """
    seen: dict[str, set[int]] = {kind: set() for kind in _TYPES}
    copies: list[tuple[str, int]] = []
    entity_kinds: dict[int, str] = {}
    number = 0
    for number, line in _open_lines(path):
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise BackupError(f"{where}: invalid JSON ({error.msg})") from None
        kind = record.get("type") if isinstance(record, dict) else None
        if number == 1:
            if kind != "format" or record.get("format") != FORMAT:
                raise BackupError(f"{where}: not an archive backup (its first line names no «{FORMAT}» format)")
            if record.get("version") != VERSION:
                raise BackupError(f"{where}: backup format version {record.get('version')!r}, this archive reads {VERSION}")
            continue
        if kind == "end":
            _check_end(record, seen, where=where, users=users)
            for copy_where, lead in copies:
                if lead not in seen["article"]:
                    raise BackupError(f"{copy_where}: article «copy_of_id» {lead} is in no article of the file")
            return
        if kind not in _TYPES:
            raise BackupError(f"{where}: unknown record type {kind!r}")
        if kind in ("group", "user") and not users:
            continue
        row = _instance(kind, record, where=where, entity_kinds=entity_kinds)
        _model, _fields, refs = _TYPES[kind]
        for name, target in refs.items():
            value = getattr(row, name)
            if value is not None and value not in seen[target]:
                raise BackupError(f"{where}: {kind} «{name}» {value} is in no {target} before it")
        if row.pk in seen[kind]:
            raise BackupError(f"{where}: a second {kind} with id {row.pk}")
        seen[kind].add(row.pk)
        if kind == "article" and row.copy_of_id is not None:
            copies.append((where, row.copy_of_id))
        yield kind, row, record
    raise BackupError(f"{path}:{number}: the file ends without its end record (truncated?)")


def _check_end(record: dict, seen: dict[str, set[int]], *, where: str, users: bool) -> None:
    counts = record.get("counts")
    if not isinstance(counts, dict):
        raise BackupError(f"{where}: the end record has no counts")
    for kind, ids in seen.items():
        if kind in ("group", "user") and not users:
            continue
        if counts.get(kind, 0) != len(ids):
            raise BackupError(f"{where}: the end record counts {counts.get(kind, 0)} {kind} rows, the file holds {len(ids)}")


def archive_is_empty(*, users: bool = True) -> bool:
    """Nothing a restore would write is stored yet."""
    content = [Source, SourceAlias, Article, Entity, EntityAlias, Mention]
    return not any(model.objects.exists() for model in content + ([User, Group] if users else []))


def import_archive(
    *,
    path: Path,
    users: bool = True,
    dry_run: bool = False,
    index: bool = True,
    progress: Callable[[str, int], None] | None = None,
) -> Counter:
    """Restore a backup into an empty archive and index it; returns the rows restored by type.

    ``dry_run`` reads and checks the whole file and writes nothing. Rerun after a restore that
    was killed while indexing (the rows stored, the index not), it finishes the indexing.
    Raises :class:`BackupError` for a bad file (naming the line) or a database that already
    holds other rows. ``progress(type, rows)`` is told of each stored batch, then of the
    indexing (``"index"``, articles).
    """
    users = users and _holds_users(path)
    if dry_run:
        return Counter(kind for kind, _row, _record in read_archive(path, users=users))
    if not archive_is_empty(users=users):
        if not _already_restored(path, users=users):
            raise BackupError("the database is not empty: a backup is restored into a new, migrated database only")
        if index:
            indexing.repair()
        return Counter()
    counts: Counter = Counter()
    # The outbox rows commit with the articles; repair() indexes them once, after the commit.
    with indexing.deferred(index=False), archive_write():
        batch: list[tuple[str, models.Model, dict]] = []
        for item in read_archive(path, users=users):
            if batch and (item[0] != batch[0][0] or len(batch) >= _BATCH):
                _store(batch, counts)
                if progress:
                    progress(batch[0][0], len(batch))
                batch.clear()
            batch.append(item)
        _store(batch, counts)
        with connection.cursor() as cursor:
            models_used = [model for model, _fields, _refs in _TYPES.values()] + [ShingleBand]
            for statement in connection.ops.sequence_reset_sql(no_style(), models_used):
                cursor.execute(statement)
    if index:
        if progress:
            progress("index", counts["article"])
        indexing.repair()  # also drops documents that an earlier archive left in the index
    return counts


def _holds_users(path: Path) -> bool:
    """Whether the file was written with its users (not ``--no-users``): its first line says."""
    for _number, line in _open_lines(path):
        try:
            return bool(json.loads(line).get("users", True))
        except (json.JSONDecodeError, AttributeError):
            return True  # read_archive names the bad first line
    return True


def _store(batch: list[tuple[str, models.Model, dict]], counts: Counter) -> None:
    if not batch:
        return
    kind = batch[0][0]
    model = _TYPES[kind][0]
    rows = [row for _kind, row, _record in batch]
    stamps = [name for name in ("created_at", "updated_at") if name in _TYPES[kind][1]]
    kept = [[getattr(row, name) for name in stamps] for row in rows]
    model.objects.bulk_create(rows)
    if stamps:
        # bulk_create stamps auto_now(_add) fields with the present time: put the archive's back.
        for row, values in zip(rows, kept):
            for name, value in zip(stamps, values):
                setattr(row, name, value)
        model.objects.bulk_update(rows, stamps)
    if kind == "article":
        ShingleBand.objects.bulk_create(
            ShingleBand(article_id=row.pk, band=band, hash=value)
            for (_kind, row, record) in batch
            for band, value in record.get("bands") or []
        )
        indexing.queue_articles(row.pk for row in rows)
    elif kind in ("user", "group"):
        _store_permissions(batch)
    counts[kind] += len(rows)


def _store_permissions(batch: list[tuple[str, models.Model, dict]]) -> None:
    permissions = {f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")}
    groups = {group.name: group for group in Group.objects.all()}
    for kind, row, record in batch:
        names = record.get("permissions") or []
        unknown = [name for name in names if name not in permissions]
        if unknown:
            raise BackupError(f"{kind} {row.pk}: unknown permission {unknown[0]!r}")
        chosen = [permissions[name] for name in names]
        if kind == "group":
            row.permissions.set(chosen)
            continue
        row.user_permissions.set(chosen)
        missing = [name for name in record.get("groups") or [] if name not in groups]
        if missing:
            raise BackupError(f"user {row.pk}: unknown group {missing[0]!r}")
        row.groups.set([groups[name] for name in record.get("groups") or []])


def _already_restored(path: Path, *, users: bool) -> bool:
    """Whether the database holds exactly the rows of ``path`` (a restore that committed and was
    killed before its indexing ended)."""
    counts: Counter = Counter()
    batch: dict[int, str] = {}

    def same(batch: dict[int, str]) -> bool:
        stored = dict(Article.objects.filter(pk__in=batch).values_list("pk", "content_hash"))
        return stored == batch

    for kind, row, _record in read_archive(path, users=users):
        counts[kind] += 1
        if kind == "article":
            batch[row.pk] = row.content_hash
            if len(batch) >= _CHUNK:
                if not same(batch):
                    return False
                batch = {}
    if batch and not same(batch):
        return False
    return all(model.objects.count() == counts[kind] for kind, (model, _f, _r) in _TYPES.items()
               if users or kind not in ("group", "user"))
