"""Entities: extracting them from articles, and the editors' merge, split and rename."""

from collections import Counter
from dataclasses import replace
from collections.abc import Iterable
from itertools import islice, product

from django.utils.translation import gettext_lazy as _

from articles.entities import Extractor, Span, get_extractor, resolve
from articles.entities import parallel as tagging_pool
from articles.entities.resolution import (
    clean_spans,
    is_given_name_or_title,
    normalize_role,
    owner_of_short_form,
    variant_key,
)
from articles.entities.rules import junk_reason
from articles.models import Article, Entity, EntityAlias, Mention
from articles.search import indexing
from articles.search.variants import Lexicon, current_lexicon
from articles.services.transactions import archive_write
from articles.text.keys import entity_key
from articles.text.normalize import normalize_word

# At most this many spellings of one name are looked up (each word's loanword variants multiplied).
_MAX_SPELLINGS = 16

# The editors see it in the admin when a spelling they give is another entity's.
_SPELLING_CLASH = _("“%(name)s” is a name of the entity “%(other)s”; merge them instead.")


class _Spellings:
    """The loanword lexicon as the resolution functions use it: a word's class representative,
    a written word's class spelling, and the keys of every spelling of a name."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def representative(self, normal: str) -> str:
        number = self.lexicon.index.get(normal)
        return normal if number is None else normalize_word(self.lexicon.classes[number][0])

    def spelling(self, word: str) -> str:
        number = self.lexicon.index.get(normalize_word(word))
        return word if number is None else self.lexicon.classes[number][0]

    def keys(self, name: str, kind: str) -> list[str]:
        prefix, text = entity_key(name, kind).split(":", 1)
        options = []
        for word in text.split():
            number = self.lexicon.index.get(word)
            forms = {word} if number is None else {word, *(normalize_word(f) for f in self.lexicon.classes[number])}
            options.append(sorted(forms, key=lambda form: form != word))
        return [f"{prefix}:{' '.join(words)}" for words in islice(product(*options), _MAX_SPELLINGS)]


def name_search_keys(*, name: str) -> list[str]:
    """What an entity's spelling key starts with when it matches a typed name: the name
    normalised as a person's and as a place's (without ال), each with its loanword spellings."""
    spellings = _Spellings(current_lexicon())
    keys = {key.split(":", 1)[1] for kind in ("PERS", "LOC") for key in spellings.keys(name, kind)}
    return sorted(key for key in keys if key)


def _entity_for(kind: str, name: str, cache: dict, spellings: _Spellings) -> Entity:
    key = variant_key(name, kind, spellings.representative)
    if (kind, key) in cache:
        return cache[kind, key]
    keys = spellings.keys(name, kind)
    found = {a.key: a for a in EntityAlias.objects.select_related("entity").filter(kind=kind, key__in=keys)}
    alias = next((found[k] for k in keys if k in found), None)
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


def _archive_owner(span_text: str, cache: dict) -> str | None:
    """The full name that owns a short person mention across the archive (see
    :func:`~articles.entities.resolution.owner_of_short_form`), from the mentions written so."""
    if ("owner", span_text) not in cache:
        rows = Mention.objects.filter(entity__kind="PERS", surface=span_text).values_list("entity__name", flat=True)
        counts = Counter(name for name in rows if len(name.split()) > len(span_text.split()))
        cache["owner", span_text] = owner_of_short_form(counts)
    return cache["owner", span_text]


def _known_without_particle(span, cache: dict):
    """An organisation or place written with و/ل attached («لرويترز») as the archive's entity
    without it («رويترز»), when the archive knows that one and not the written form."""
    word = span.text.split(" ")[0]
    if span.kind == "PERS" or span.name or len(word) < 4 or word[0] not in "ول":
        return span
    rest = span.text[1:]
    if ("bare", span.kind, rest) not in cache:
        keys = {entity_key(span.text, span.kind), entity_key(rest, span.kind)}
        known = set(EntityAlias.objects.filter(kind=span.kind, key__in=keys).values_list("key", flat=True))
        cache["bare", span.kind, rest] = known == {entity_key(rest, span.kind)}
    if not cache["bare", span.kind, rest]:
        return span
    return replace(span, start=span.start + 1, text=rest)


def _article_spans(text: str, extracted: list[Span], spellings: _Spellings, cache: dict):
    """The article's ``extracted`` spans, cleaned (particles off, «X و Y» split), junk out, resolved."""
    spans = clean_spans(extracted, known=spellings.lexicon.index)
    spans = [_known_without_particle(s, cache) for s in spans]
    spans = [s for s in spans if junk_reason(s.text, text[max(0, s.start - 12):s.start], text[s.end:s.end + 12]) is None]
    return resolve(spans, spellings.representative)


def extract_entities(
    *, articles: Iterable[Article], extractor: Extractor | None = None, parallel: bool = False
) -> int:
    """(Re)extract the people, organizations and places of ``articles``; returns mentions stored.

    Idempotent: an article's old mentions are replaced. Spelling variants (the key, then the
    loanword lexicon) resolve to one entity; a short person mention to the full name of its
    article, or else to the one full name that owns it across the archive. A given name or title
    alone that neither resolves is not stored: it would join different people. ``parallel``
    (bulk imports; never a web request, which must not start processes) has the configured
    extractor tag a large batch in a pool of processes (:mod:`articles.entities.parallel`).
    """
    articles = list(articles)
    # Title and body in one pass: the body gives the context that tags the title's names.
    texts = [f"{article.title}\n{article.body}" for article in articles]
    if parallel and extractor is None and len(articles) >= tagging_pool.POOL_MIN_ARTICLES:
        extracted = tagging_pool.extracted_spans_in_pool(texts)
    else:
        extractor = extractor or get_extractor()
        extracted = [extractor.extract(text) for text in texts]
    spellings = _Spellings(current_lexicon())
    cache: dict = {}
    stored = 0
    touched = []
    with archive_write():
        for article, text, spans in zip(articles, texts, extracted):
            touched.append(article.pk)
            Mention.objects.filter(article=article).delete()
            offset = len(article.title) + 1
            mentions = []
            for span, canonical in _article_spans(text, spans, spellings, cache):
                if span.start < len(article.title) < span.end:
                    continue
                written = span.name or span.text  # «لقاهرة» after «ل» is the name «القاهرة»
                if span.kind == "PERS" and canonical == written and len(written.split()) < 3:
                    canonical = _archive_owner(span.text, cache) or canonical
                    if canonical == written and is_given_name_or_title(written):
                        continue
                entity = _entity_for(span.kind, canonical, cache, spellings)
                # Only a spelling of the whole name becomes an alias: a short form («عبدالله»)
                # resolved here would otherwise link every later «عبدالله» to this person.
                if entity_key(written, span.kind) != entity.key and \
                        variant_key(written, span.kind, spellings.representative) == \
                        variant_key(entity.name, span.kind, spellings.representative):
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
                        role=normalize_role(span.role or "", spellings.spelling)[:300],
                    )
                )
            Mention.objects.bulk_create(mentions, ignore_conflicts=True)
            stored += len(mentions)
        # The entity facet of each article's search document changes with its mentions.
        indexing.queue_articles(touched)
    return stored


def merge_entities(*, target: Entity, others: Iterable[Entity], name: str | None = None) -> Entity:
    """Fold ``others`` into ``target``: their mentions and spellings become ``target``'s; with
    ``name``, the merged entity is renamed to it (:func:`rename_entity`)."""
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
        if name and " ".join(name.split()) != target.name:
            rename_entity(entity=target, name=name)
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
