"""Entities: extracting them from articles, and the editors' merge, split and rename."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from articles.entities import Extractor, get_extractor, resolve
from articles.models import Article, Entity, EntityAlias, Mention
from articles.search import indexing
from articles.services.transactions import archive_write
from articles.text.keys import entity_key

# The editors see it in the admin when a spelling they give is another entity's.
_SPELLING_CLASH = _("“%(name)s” is a name of the entity “%(other)s”; merge them instead.")


def _entity_for(kind: str, name: str, cache: dict) -> Entity:
    key = entity_key(name, kind)
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
    key = entity_key(surface, entity.kind)
    if not EntityAlias.objects.filter(kind=entity.kind, key=key).exists():
        EntityAlias.objects.create(entity=entity, name=surface)


def extract_entities(*, articles: Iterable[Article], extractor: Extractor | None = None) -> int:
    """(Re)extract the people, organizations and places of ``articles``; returns mentions stored.

    Idempotent: an article's old mentions are replaced. Spelling variants resolve to one entity by
    normalised key, and a later short mention in an article to the full name introduced earlier.
    """
    extractor = extractor or get_extractor()
    cache: dict = {}
    stored = 0
    touched = []
    with archive_write():
        for article in articles:
            touched.append(article.pk)
            Mention.objects.filter(article=article).delete()
            # Title and body in one pass: the body gives the context that tags the title's names.
            offset = len(article.title) + 1
            spans = extractor.extract(f"{article.title}\n{article.body}")
            mentions = []
            for span, canonical in resolve(spans):
                if span.start < len(article.title) < span.end:
                    continue
                entity = _entity_for(span.kind, canonical, cache)
                written = span.name or span.text  # «لقاهرة» after «ل» is the name «القاهرة»
                if entity_key(written, span.kind) != entity.key:
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
        # The entity facet of each article's search document changes with its mentions.
        indexing.queue_articles(touched)
    return stored


def merge_entities(*, target: Entity, others: Iterable[Entity]) -> Entity:
    """Fold ``others`` into ``target``: their mentions and spellings become ``target``'s."""
    with archive_write():
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
    with archive_write():
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
    with archive_write():
        _add_alias(entity, entity.name)
        entity.name = name
        entity.save()
        _add_alias(entity, name)
    return entity


def delete_entities(*, entities: Iterable[Entity]) -> int:
    """Delete entities with their mentions and spellings; the articles' search documents follow."""
    ids = [entity.pk for entity in entities]
    with archive_write():
        article_ids = set(Mention.objects.filter(entity_id__in=ids).values_list("article_id", flat=True))
        deleted = Entity.objects.filter(pk__in=ids).count()
        Entity.objects.filter(pk__in=ids).delete()
        indexing.queue_articles(article_ids)
    return deleted


def save_entity(*, entity: Entity, name: str) -> Entity:
    """Create an entity under ``name``, or rename an existing one (:func:`rename_entity`)."""
    if entity.pk:
        return rename_entity(entity=entity, name=name)
    with archive_write():
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
    with archive_write():
        entity.aliases.exclude(key__in=wanted).delete()
        known = set(entity.aliases.values_list("key", flat=True))
        for key, name in wanted.items():
            if key not in known:
                EntityAlias.objects.create(entity=entity, name=name)
