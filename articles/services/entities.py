"""Entities: extracting them from articles, and the editors' merge, split and rename."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from articles.entities import Extractor, Span, get_extractor, resolve
from articles.models import Article, Entity, EntityAlias, Mention
from articles.entities import parallel as tagging_pool
from articles.search import indexing
from articles.text.keys import entity_key

# The editors see it in the admin when a spelling they give is another entity's.
_SPELLING_CLASH = _("“%(name)s” is a name of the entity “%(other)s”; merge them instead.")


def _add_alias(entity: Entity, surface: str) -> None:
    key = entity_key(surface, entity.kind)
    if not EntityAlias.objects.filter(kind=entity.kind, key=key).exists():
        EntityAlias.objects.create(entity=entity, name=surface)


def extract_entities(
    *, articles: Iterable[Article], extractor: Extractor | None = None, parallel: bool = False
) -> int:
    """(Re)extract the people, organizations and places of ``articles``; returns mentions stored.

    Idempotent: an article's old mentions are replaced. Spelling variants resolve to one entity by
    normalised key, and a later short mention in an article to the full name introduced earlier.
    Entities and spellings are looked up and created in bulk for all ``articles`` at once.
    ``parallel`` (bulk imports; never a web request, which must not start processes) has the configured
    extractor tag a large batch in a pool of processes (:mod:`articles.entities.parallel`).
    """
    articles = list(articles)
    if parallel and extractor is None and len(articles) >= tagging_pool.POOL_MIN_ARTICLES:
        found = tagging_pool.resolved_spans_in_pool([_text(article) for article in articles])
    else:
        extractor = extractor or get_extractor()
        found = [resolve(extractor.extract(_text(article))) for article in articles]
    with transaction.atomic():
        ids = [article.pk for article in articles]
        for start in range(0, len(ids), _CHUNK):
            Mention.objects.filter(article_id__in=ids[start : start + _CHUNK]).delete()
        mentions = _mentions(articles, found)
        Mention.objects.bulk_create(mentions, ignore_conflicts=True, batch_size=2000)
        # The entity facet of each article's search document changes with its mentions.
        indexing.queue_articles(ids)
    return len(mentions)


# Keys or ids per query, well under SQLite's variable limit.
_CHUNK = 500


def _text(article: Article) -> str:
    # Title and body in one pass: the body gives the context that tags the title's names.
    return f"{article.title}\n{article.body}"


def _mentions(articles: list[Article], found: list[list[tuple[Span, str]]]) -> list[Mention]:
    """Unsaved mentions of ``articles`` for their resolved spans; the entities and spellings they
    need are created here, in bulk, as one mention after another would have created them."""
    kept = [
        [(span, canonical) for span, canonical in spans if not span.start < len(article.title) < span.end]
        for article, spans in zip(articles, found)
    ]
    entities = _Entities({(span.kind, name) for spans in kept for span, canonical in spans
                          for name in (canonical, span.name or span.text)})
    mentions = []
    for article, spans in zip(articles, kept):
        offset = len(article.title) + 1
        for span, canonical in spans:
            entity = entities.entity(span.kind, canonical)
            # «لقاهرة» after «ل» is the name «القاهرة»: what is written becomes a spelling of it.
            entities.add_spelling(entity, span.name or span.text)
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
    entities.save()
    return mentions


class _Entities:
    """Entities by spelling for a batch of mentions: the stored ones read in one query per chunk
    of keys, new entities and spellings kept in memory and created in bulk by :meth:`save`
    (a query per mention was a fifth of the time of a bulk import)."""

    def __init__(self, names: set[tuple[str, str]]):
        self._keys = {(kind, name): entity_key(name, kind) for kind, name in names}
        # (kind, key of a spelling) → its entity (stored ones carry only pk, kind and key).
        self._by_key: dict[tuple[str, str], Entity] = {}
        self._own: dict[tuple[str, str], Entity] = {}
        keys = sorted(set(self._keys.values()))
        for start in range(0, len(keys), _CHUNK):
            part = keys[start : start + _CHUNK]
            for kind, key, pk, own_key in EntityAlias.objects.filter(key__in=part).values_list(
                "kind", "key", "entity_id", "entity__key"
            ):
                self._by_key[kind, key] = Entity(pk=pk, kind=kind, key=own_key)
            # An entity whose own key no spelling holds any more is still that entity.
            for pk, kind, key in Entity.objects.filter(key__in=part).values_list("pk", "kind", "key"):
                self._own[kind, key] = Entity(pk=pk, kind=kind, key=key)
        self._new_entities: list[Entity] = []
        self._new_aliases: list[EntityAlias] = []

    def entity(self, kind: str, name: str) -> Entity:
        """The entity of the canonical ``name``, new (and named so) if no spelling of it is stored."""
        key = self._keys[kind, name]
        entity = self._by_key.get((kind, key))
        if entity is None:
            entity = self._own.get((kind, key))
            if entity is None:
                entity = Entity(kind=kind, name=name, key=key)
                self._new_entities.append(entity)
            self._remember(entity, kind, key, name)
        return entity

    def add_spelling(self, entity: Entity, name: str) -> None:
        """``name`` as a spelling of ``entity`` unless its key is the entity's or another's spelling."""
        key = self._keys[entity.kind, name]
        if key != entity.key and (entity.kind, key) not in self._by_key:
            self._remember(entity, entity.kind, key, name)

    def _remember(self, entity: Entity, kind: str, key: str, name: str) -> None:
        self._by_key[kind, key] = entity
        self._new_aliases.append(EntityAlias(entity=entity, kind=kind, key=key, name=name))

    def save(self) -> None:
        Entity.objects.bulk_create(self._new_entities, batch_size=_CHUNK)
        EntityAlias.objects.bulk_create(self._new_aliases, batch_size=_CHUNK)


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
            indexing.queue_articles(article_ids)
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
        moved = [m for m in entity.mentions.all() if entity_key(m.surface, entity.kind) in keys]
        Mention.objects.filter(pk__in=[m.pk for m in moved]).update(entity=new)
        indexing.queue_articles({m.article_id for m in moved})
    return new


def rename_entity(*, entity: Entity, name: str) -> Entity:
    """Give ``entity`` a new display name; the old spelling stays an alias so mentions still resolve.

    Raises ``ValueError`` when ``name`` is already a spelling of another entity (merge instead).
    """
    name = " ".join(name.split())
    if not name:
        raise ValueError("an entity needs a name")
    key = entity_key(name, entity.kind)
    clash = EntityAlias.objects.filter(kind=entity.kind, key=key).exclude(entity=entity).select_related("entity").first()
    if clash:
        raise ValueError(_SPELLING_CLASH % {"name": name, "other": clash.entity.name})
    with transaction.atomic():
        _add_alias(entity, entity.name)
        entity.name = name
        entity.save()
        _add_alias(entity, name)
    return entity


def delete_entities(*, entities: Iterable[Entity]) -> int:
    """Delete entities with their mentions and spellings; the articles' search documents follow."""
    ids = [entity.pk for entity in entities]
    with transaction.atomic():
        article_ids = set(Mention.objects.filter(entity_id__in=ids).values_list("article_id", flat=True))
        deleted = Entity.objects.filter(pk__in=ids).count()
        Entity.objects.filter(pk__in=ids).delete()
        indexing.queue_articles(article_ids)
    return deleted


def save_entity(*, entity: Entity, name: str) -> Entity:
    """Create an entity under ``name``, or rename an existing one (:func:`rename_entity`)."""
    if entity.pk:
        return rename_entity(entity=entity, name=name)
    with transaction.atomic():
        entity.name = " ".join(name.split())
        entity.save()
        _add_alias(entity, entity.name)
    return entity


def set_entity_aliases(*, entity: Entity, names: list[str]) -> None:
    """Make ``names`` (plus the entity's own name) the spellings ``entity`` resolves from.

    Raises ``ValueError`` when a spelling already belongs to another entity (merge instead).
    """
    wanted = {entity_key(name, entity.kind): name.strip() for name in [*names, entity.name] if name.strip()}
    clash = (
        EntityAlias.objects.filter(kind=entity.kind, key__in=wanted).exclude(entity=entity).select_related("entity").first()
    )
    if clash:
        raise ValueError(_SPELLING_CLASH % {"name": clash.name, "other": clash.entity.name})
    with transaction.atomic():
        entity.aliases.exclude(key__in=wanted).delete()
        known = set(entity.aliases.values_list("key", flat=True))
        for key, name in wanted.items():
            if key not in known:
                EntityAlias.objects.create(entity=entity, name=name)
