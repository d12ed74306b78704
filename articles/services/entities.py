"""Entities: extracting them from articles, and the editors' merge, split and rename."""

from collections import Counter, defaultdict
from dataclasses import replace
from collections.abc import Iterable
from itertools import islice, product

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _

from articles.entities import Extractor, Span, get_extractor, resolve
from articles.entities import parallel as tagging_pool
from articles.entities.resolution import (
    GIVEN_NAME_MIN_NAMES,
    clean_spans,
    is_given_name_or_title,
    join_hyphenated,
    normalize_role,
    owner_of_short_form,
    place_name,
    transliterations,
    variant_key,
    without_lineage,
)
from articles.entities.rules import junk_reason
from articles.models import Article, Entity, EntityAlias, Mention
from articles.search import indexing
from articles.search.variants import Lexicon, current_lexicon
from articles.services.transactions import archive_write
from articles.text.keys import entity_key, index_letter
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

    def keys(self, name: str, kind: str, *, transliterated: bool = False) -> list[str]:
        """The keys ``name`` may be stored under: each word in its loanword spellings and, with
        ``transliterated``, in a person's name of two words or more, its letters written either
        way (:func:`~articles.entities.resolution.transliterations`); the name's own key first."""
        prefix, text = entity_key(name, kind).split(":", 1)
        words = text.split()
        options = []
        for word in words:
            number = self.lexicon.index.get(word)
            forms = {word} if number is None else {word, *(normalize_word(f) for f in self.lexicon.classes[number])}
            ordered = sorted(forms, key=lambda form: (form != word, form))
            if transliterated and kind == "PERS" and len(words) > 1:
                ordered = list(dict.fromkeys(t for form in ordered for t in transliterations(form)))
            options.append(ordered)
        return [f"{prefix}:{' '.join(words)}" for words in islice(product(*options), _MAX_SPELLINGS)]


def name_search_keys(*, name: str) -> list[str]:
    """What an entity's spelling key starts with when it matches a typed name: the name
    normalised as a person's and as a place's (without ال), each with its loanword spellings."""
    spellings = _Spellings(current_lexicon())
    keys = {key.split(":", 1)[1] for kind in ("PERS", "LOC")
            for key in spellings.keys(name, kind, transliterated=True)}
    return sorted(key for key in keys if key)


# Keys or values per query, well under SQLite's variable limit.
_CHUNK = 500
# Organisation keys per query: each is a term of an OR, a range of keys.
_ORG_CHUNK = 100


class _Batch:
    """What one call of :func:`extract_entities` reads from and writes to the archive, in bulk.

    The stored spellings, the mentions that decide archive-wide short forms and the known
    organisations are read in one query per chunk of the batch's names, before its mentions
    are resolved (a query per mention made imports slow); entities, spellings and mentions
    made on the way are kept in memory, seen by later mentions of the batch exactly as stored
    ones would be, and written in bulk by :meth:`save`.
    """

    def __init__(self, spellings: _Spellings):
        self.spellings = spellings
        self.cache: dict = {}
        # (kind, key of a spelling) → its entity, stored or new; ``fetched`` what was looked up.
        self.by_key: dict[tuple[str, str], Entity] = {}
        self.own: dict[tuple[str, str], Entity] = {}
        self.fetched: set[tuple[str, str]] = set()
        # A short person mention as written → names of the entities its mentions link to:
        # stored (read once) and made in this batch.
        self.short_forms: dict[str, Counter] = {}
        self.new_short_forms: dict[str, Counter] = defaultdict(Counter)
        # Organisations: per key its name and mentions, stored and made in this batch; for a key
        # looked up, the stored keys that continue it.
        self.org_mentions: dict[str, list] = {}
        self.new_org_mentions: dict[str, list] = {}
        self.longer_orgs: dict[str, list[str]] = {}
        # A one-word person name → the longer people's keys of this batch it begins.
        self.new_longer_people: dict[str, set[str]] = defaultdict(set)
        self.new_entities: list[Entity] = []
        self.new_aliases: list[EntityAlias] = []

    def prefetch(self, spans: Iterable[Span]) -> None:
        """Read in bulk what resolving ``spans`` (cleaned) will ask for."""
        keys, surfaces, organisations = set(), set(), set()
        people: dict[str, list[str]] = {}  # a person's name of two words or more → its keys
        for span in spans:
            names = {span.text, span.name or span.text}
            if span.kind != "PERS" and span.text[:1] in "ول":
                names.add(span.text[1:])  # «لرويترز» may be «رويترز»
            for name in names:
                spelled = self.spellings.keys(name, span.kind)
                keys.update((span.kind, key) for key in spelled)
                if span.kind == "PERS" and " " in name:
                    people[name] = spelled
            if span.kind == "PERS" and len(span.text.split()) < 3:
                surfaces.add(span.text)
            elif span.kind == "PERS" and (short := without_lineage(span.text)):
                keys.update(("PERS", key) for key in self.spellings.keys(short, "PERS"))
            elif span.kind == "ORG":
                organisations.add(entity_key(span.name or span.text, "ORG"))
        self._fetch(keys)
        # People the archive does not know under their own spellings are looked up with their
        # letters written either way (:meth:`entity`), all in one go.
        unknown = [name for name, spelled in people.items()
                   if not any(("PERS", key) in self.by_key for key in spelled)]
        self._fetch({("PERS", key) for name in unknown
                     for key in self.spellings.keys(name, "PERS", transliterated=True)})
        self._fetch_short_forms(surfaces - set(self.short_forms))
        self._fetch_organisations(organisations)

    def _fetch(self, pairs: set[tuple[str, str]]) -> None:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, key in sorted(pairs - self.fetched):
            by_kind[kind].append(key)
        self.fetched |= pairs
        # By kind and key, so that the lookups use the (kind, key) indexes: by key alone they
        # read every entity and spelling of the archive, once per batch of 50 articles.
        for kind, keys in by_kind.items():
            for start in range(0, len(keys), _CHUNK):
                part = keys[start:start + _CHUNK]
                for alias in EntityAlias.objects.select_related("entity").filter(kind=kind, key__in=part).order_by():
                    self.by_key.setdefault((alias.kind, alias.key), alias.entity)
                # An entity whose own key no spelling holds any more is still that entity.
                for entity in Entity.objects.filter(kind=kind, key__in=part).order_by():
                    self.own.setdefault((entity.kind, entity.key), entity)

    def _fetch_short_forms(self, surfaces: set[str]) -> None:
        for surface in surfaces:
            self.short_forms[surface] = Counter()
        ordered = sorted(surfaces)
        for start in range(0, len(ordered), _CHUNK):
            # By surface alone, so that the query reads the surface index (asked for people's
            # mentions, SQLite reads every person's instead); unordered (a mention's default
            # order joins its article); counted by the database (a surname's mentions grow
            # with the archive).
            rows = (
                Mention.objects.filter(surface__in=ordered[start:start + _CHUNK]).order_by()
                .values_list("surface", "entity__name", "entity__kind").annotate(n=Count("pk"))
            )
            for surface, name, kind, count in rows:
                if kind == "PERS":
                    self.short_forms[surface][name] += count

    def _fetch_organisations(self, keys: set[str]) -> None:
        """For each organisation key, the stored ones that continue it («ORG:بنك مركزي» →
        «ORG:بنك مركزي تونسي») and the mentions of all of them."""
        keys = sorted(keys - set(self.longer_orgs))
        if not keys:
            return
        wanted: dict[int, tuple[str, str]] = {}
        for start in range(0, len(keys), _ORG_CHUNK):
            part = keys[start:start + _ORG_CHUNK]
            # The key itself and the keys that continue it with a word: those from «key» up to
            # «key!» in code point order («!» follows the space, and no key holds a character
            # before it). Each term names the kind, so that each is a search of the (kind, key)
            # index, not a test of every organisation.
            continued = Q()
            for key in part:
                self.longer_orgs[key] = []
                continued |= Q(kind="ORG", ordered_key__gte=key, ordered_key__lt=key + "!")
            found = Entity.objects.alias(ordered_key=_in_code_point_order("key")).filter(continued)
            for other, pk, name in found.order_by().values_list("key", "pk", "name"):
                wanted[pk] = (other, name)
        looked_up = set(keys)
        for other, _ in wanted.values():
            for length, char in enumerate(other):
                if char == " " and other[:length] in looked_up:
                    self.longer_orgs[other[:length]].append(other)
        pks = sorted(pk for pk in wanted if wanted[pk][0] not in self.org_mentions)
        for pk in pks:
            self.org_mentions[wanted[pk][0]] = [wanted[pk][1], 0]
        for start in range(0, len(pks), _CHUNK):
            rows = Mention.objects.filter(entity_id__in=pks[start:start + _CHUNK]).order_by().values("entity_id")
            for row in rows.annotate(n=Count("pk")):
                self.org_mentions[wanted[row["entity_id"]][0]][1] += row["n"]

    def is_known(self, kind: str, key: str) -> bool:
        self._fetch({(kind, key)})
        return (kind, key) in self.by_key

    def entity(self, kind: str, name: str) -> Entity:
        """The entity of ``name`` or of a spelling of it; new if the archive has none."""
        key = variant_key(name, kind, self.spellings.representative)
        if (kind, key) in self.cache:
            return self.cache[kind, key]
        entity = self._known_as(kind, self.spellings.keys(name, kind))
        if entity is None and kind == "PERS" and " " in name.strip():
            # Only a name the archive does not know yet is looked up with its letters written
            # either way: a few keys for each new person, not for each of the mentions.
            entity = self._known_as(kind, self.spellings.keys(name, kind, transliterated=True))
        if entity is None:
            own = entity_key(name, kind)
            entity = self.own.get((kind, own))
            if entity is None:
                entity = Entity(kind=kind, name=name, key=own, letter=index_letter(name))
                self.new_entities.append(entity)
                if kind == "PERS" and " " in own:
                    self.new_longer_people[own.split(" ", 1)[0]].add(own)
            self.add_alias(entity, name)
        self.cache[kind, key] = entity
        return entity

    def _known_as(self, kind: str, keys: list[str]) -> Entity | None:
        self._fetch({(kind, key) for key in keys})
        return next((self.by_key[kind, key] for key in keys if (kind, key) in self.by_key), None)

    def add_alias(self, entity: Entity, surface: str) -> None:
        key = entity_key(surface, entity.kind)
        if not self.is_known(entity.kind, key):
            self.by_key[entity.kind, key] = entity
            self.new_aliases.append(EntityAlias(entity=entity, kind=entity.kind, key=key, name=surface))

    def archive_owner(self, span_text: str) -> str | None:
        """The full name that owns a short person mention across the archive (see
        :func:`~articles.entities.resolution.owner_of_short_form`), from the mentions written so."""
        if ("owner", span_text) not in self.cache:
            if span_text not in self.short_forms:
                self._fetch_short_forms({span_text})
            rows = self.short_forms[span_text] + self.new_short_forms[span_text]
            counts = Counter({name: n for name, n in rows.items() if len(name.split()) > len(span_text.split())})
            self.cache["owner", span_text] = owner_of_short_form(counts)
        return self.cache["owner", span_text]

    def begins_names(self, name: str) -> bool:
        """Whether a one-word person name begins :data:`GIVEN_NAME_MIN_NAMES` or more longer
        names of the archive («روبرت»: «روبرت مولر», «روبرت دي نيرو» …): a given name, whoever
        it was written for, like those of the lexicons (:func:`is_given_name_or_title`)."""
        key = entity_key(name, "PERS")
        if ("begins", key) not in self.cache:
            # The first few keys that continue it with a word, from the (kind, key) index: a given
            # name of the lexicons begins thousands, which the decision does not need.
            continuing = Entity.objects.alias(ordered_key=_in_code_point_order("key")).filter(
                kind="PERS", ordered_key__gt=key + " ", ordered_key__lt=key + "!")
            first = continuing.order_by().values_list("key", flat=True)[:GIVEN_NAME_MIN_NAMES]
            self.cache["begins", key] = set(first)
        return len(self.cache["begins", key] | self.new_longer_people[key]) >= GIVEN_NAME_MIN_NAMES

    def organisation_owner(self, name: str) -> str | None:
        """The longer organisation ``name`` is short for («ريال» → «ريال مدريد», «البنك
        المركزي» → «البنك المركزي التونسي»): of the archive's mentions of organisations whose
        name continues it, one holds them overwhelmingly
        (:func:`~articles.entities.resolution.owner_of_short_form`) and more than ``name``'s own."""
        key = entity_key(name, "ORG")
        if ("org owner", key) not in self.cache:
            self._fetch_organisations({key})
            longer: Counter = Counter()
            for other in self.longer_orgs[key]:
                longer[self.org_mentions[other][0]] += self.org_mentions[other][1]
            for other, (other_name, count) in self.new_org_mentions.items():
                if other.startswith(key + " "):
                    longer[other_name] += count
            own = self.org_mentions.get(key, [name, 0])[1] + self.new_org_mentions.get(key, [name, 0])[1]
            owner = owner_of_short_form(longer)
            self.cache["org owner", key] = owner if owner and longer[owner] > own else None
        return self.cache["org owner", key]

    def stored(self, mention: Mention) -> None:
        """Count ``mention`` as the archive-wide decisions of later mentions would read it."""
        entity = mention.entity
        if entity.kind == "PERS":
            self.new_short_forms[mention.surface][entity.name] += 1
        elif entity.kind == "ORG":
            self.new_org_mentions.setdefault(entity.key, [entity.name, 0])[1] += 1

    def save(self, mentions: list[Mention]) -> None:
        Entity.objects.bulk_create(self.new_entities, batch_size=_CHUNK)
        EntityAlias.objects.bulk_create(self.new_aliases, batch_size=_CHUNK)
        _insert_mentions(mentions)


_MENTION_FIELDS = [
    Mention._meta.get_field(name)
    for name in ("article", "entity", "surface", "field", "start", "end", "role", "confidence")
]


def _insert_mentions(mentions: list[Mention]) -> None:
    """Insert ``mentions`` in one ``executemany``, leaving out any whose position its article
    already has (the unique position), as ``bulk_create(ignore_conflicts=True)`` did: its SQL
    assembly (every value of every row through the query compiler) cost more than the inserts.
    Importing both news files (about 30 mentions an article), storing mentions took 194 s
    with it and 157 s with this. ``ON CONFLICT DO NOTHING`` is SQLite's (3.24 on) and
    PostgreSQL's alike; the extraction tests run it on both."""
    if not mentions:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _MENTION_FIELDS)
    values = ", ".join(["%s"] * len(_MENTION_FIELDS))
    sql = f"INSERT INTO {quote(Mention._meta.db_table)} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING"
    # An entity new in this batch got its id after its mentions were made: read it from it.
    rows = [(m.article_id, m.entity.pk, m.surface, str(m.field), m.start, m.end, m.role, m.confidence)
            for m in mentions]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _in_code_point_order(field: str) -> Collate:
    """``field`` compared character by character, as a range of keys needs: SQLite's own
    order, and PostgreSQL's "C" (a language's order there sets punctuation and spaces aside)."""
    return Collate(field, "C" if connection.vendor == "postgresql" else "BINARY")


def _add_alias(entity: Entity, surface: str) -> None:
    key = entity_key(surface, entity.kind)
    if not EntityAlias.objects.filter(kind=entity.kind, key=key).exists():
        EntityAlias.objects.create(entity=entity, name=surface)


def _known_without_particle(span, batch: _Batch):
    """An organisation or place written with و/ل attached («لرويترز») as the archive's entity
    without it («رويترز»), when the archive knows that one and not the written form."""
    word = span.text.split(" ")[0]
    if span.kind == "PERS" or span.name or len(word) < 4 or word[0] not in "ول":
        return span
    rest = span.text[1:]
    cache = batch.cache
    if ("bare", span.kind, rest) not in cache:
        keys = {entity_key(span.text, span.kind), entity_key(rest, span.kind)}
        known = {key for key in keys if batch.is_known(span.kind, key)}
        cache["bare", span.kind, rest] = known == {entity_key(rest, span.kind)}
    if not cache["bare", span.kind, rest]:
        return span
    return replace(span, start=span.start + 1, text=rest)


def _article_spans(text: str, cleaned: list[Span], batch: _Batch):
    """The article's ``cleaned`` spans (particles off, «X و Y» split), junk out, resolved."""
    spans = [_known_without_particle(s, batch) for s in cleaned]
    spans = [s for s in spans if junk_reason(s.text, text[max(0, s.start - 12):s.start], text[s.end:s.end + 12],
                                             kind=s.kind) is None]
    return resolve(spans, batch.spellings.representative)


def _confidence(span: Span, entity: Entity, extractor: Extractor) -> float | None:
    """The tagger's confidence in a name; in a one-word name, a rule's find too, at most how
    often its word alone is such a name in the news («الله» as a person, «ترامب» as a place)."""
    written = span.name or span.text  # «لقاهرة» after «ل» is the name «القاهرة», as counted
    one_word = " " not in written and " " not in entity.name
    share = extractor.alone_share(written, span.kind) if one_word else None
    if share is None:
        return span.confidence
    return round(share if span.confidence is None else min(span.confidence, share), 4)


def extract_entities(
    *, articles: Iterable[Article], extractor: Extractor | None = None, parallel: bool = False
) -> int:
    """(Re)extract the people, organizations and places of ``articles``; returns mentions stored.

    Idempotent: an article's old mentions are replaced. Spelling variants (the key, then the
    loanword lexicon) resolve to one entity; a short person mention to the full name of its
    article, or else to the one full name that owns it across the archive; an organisation to
    the one longer organisation that owns it across the archive («ريال» → «ريال مدريد»). A given name or title alone that neither resolves is not stored: it would join
    different people. ``parallel`` (bulk imports; never a web request, which must not start
    processes) has the configured extractor tag a large batch in a pool of processes
    (:mod:`articles.entities.parallel`). The archive is read and written in bulk for the batch.
    """
    articles = list(articles)
    # Title and body in one pass: the body gives the context that tags the title's names.
    texts = [f"{article.title}\n{article.body}" for article in articles]
    if parallel and extractor is None and len(articles) >= tagging_pool.POOL_MIN_ARTICLES:
        extracted = tagging_pool.extracted_spans_in_pool(texts)
        extractor = get_extractor()  # for its words' alone shares
    else:
        extractor = extractor or get_extractor()
        extracted = [extractor.extract(text) for text in texts]
    spellings = _Spellings(current_lexicon())
    cleaned = [clean_spans(join_hyphenated(spans, text), known=spellings.lexicon.index)
               for spans, text in zip(extracted, texts)]
    batch = _Batch(spellings)
    mentions: list[Mention] = []
    respelled: dict[int, tuple[Entity, set[str]]] = {}  # by id(): new entities have no pk yet
    ids = [article.pk for article in articles]
    with archive_write():
        for start in range(0, len(ids), _CHUNK):
            Mention.objects.filter(article_id__in=ids[start:start + _CHUNK]).delete()
        batch.prefetch(span for spans in cleaned for span in spans)
        for article, text, spans in zip(articles, texts, cleaned):
            offset = len(article.title) + 1
            positions = set()
            for span, canonical in _article_spans(text, spans, batch):
                if span.start < len(article.title) < span.end:
                    continue
                written = span.name or span.text  # «لقاهرة» after «ل» is the name «القاهرة»
                if span.kind == "PERS" and canonical == written and len(written.split()) < 3:
                    canonical = batch.archive_owner(span.text) or canonical
                    if canonical == written and (is_given_name_or_title(written) or (
                            " " not in written and batch.begins_names(written))):
                        continue
                elif span.kind == "ORG" and canonical == written:
                    canonical = batch.organisation_owner(written) or canonical
                elif span.kind == "LOC":
                    canonical = place_name(canonical)
                if span.kind == "PERS" and (short := without_lineage(canonical)) \
                        and any(batch.is_known("PERS", key) for key in spellings.keys(short, "PERS")):
                    canonical = short  # «جمال بن أحمد خاشقجي» is the archive's «جمال خاشقجي»
                entity = batch.entity(span.kind, canonical)
                whole_name = variant_key(entity.name, span.kind, spellings.representative)
                # Only a spelling of the whole name becomes an alias: a short form («عبدالله»)
                # resolved here would otherwise link every later «عبدالله» to this person.
                if entity_key(written, span.kind) != entity.key and \
                        variant_key(written, span.kind, spellings.representative) == whole_name:
                    batch.add_alias(entity, written)
                in_title = span.end <= len(article.title)
                shift = 0 if in_title else offset
                mention = Mention(
                    article=article,
                    entity=entity,
                    surface=span.text[:300],
                    field=Mention.Field.TITLE if in_title else Mention.Field.BODY,
                    start=span.start - shift,
                    end=span.end - shift,
                    role=normalize_role(span.role or "", spellings.spelling)[:300],
                    confidence=_confidence(span, entity, extractor),
                )
                if (mention.field, mention.start) in positions:
                    continue  # the unique position: the database would drop it
                positions.add((mention.field, mention.start))
                mentions.append(mention)
                batch.stored(mention)
                if mention.surface != entity.name and not entity.named_by_editor and \
                        variant_key(mention.surface, span.kind, spellings.representative) == whole_name:
                    respelled.setdefault(id(entity), (entity, set()))[1].add(mention.surface)
        batch.save(mentions)
        _name_by_usage(list(respelled.values()))
        # The entity facet of each article's search document changes with its mentions.
        indexing.queue_articles(ids)
    return len(mentions)


def _name_by_usage(entities: list[tuple[Entity, set[str]]]) -> None:
    """Name each entity by the spelling of its whole name that its mentions use most
    («فلاديمير بوتين» 51 times over «فلاديمير بوتن» 27, «سوسة» over «السوسة»): an entity is
    created under the first spelling an import meets, often the rarer one. ``entities`` pairs
    each entity with the other spellings of its name its new mentions used: only those
    can have overtaken its name, so only they and the name are counted (the names of big
    entities have thousands of mentions). Short forms («بوتين») are other names, not spellings."""
    ids = [entity.pk for entity, _ in entities]
    surfaces = sorted({surface for entity, seen in entities for surface in (*seen, entity.name)})
    usage: dict[int, Counter] = defaultdict(Counter)
    for start in range(0, len(ids), _CHUNK):
        for part in range(0, len(surfaces), _CHUNK):
            rows = (
                Mention.objects.filter(entity_id__in=ids[start:start + _CHUNK], surface__in=surfaces[part:part + _CHUNK])
                .order_by()
                .values_list("entity_id", "surface")
                .annotate(n=Count("pk"))
            )
            for pk, surface, count in rows:
                usage[pk][surface] += count
    for entity, seen in entities:
        counts = {surface: usage[entity.pk][surface] for surface in (*seen, entity.name)}
        best = max(counts, key=lambda surface: (counts[surface], surface == entity.name))
        if counts[best] <= counts[entity.name]:
            continue
        if Entity.objects.filter(kind=entity.kind, key=entity_key(best, entity.kind)).exclude(pk=entity.pk).exists():
            continue
        entity.name = best
        entity.save(update_fields=["name", "key", "letter"])
        _add_alias(entity, best)


def merge_entities(*, target: Entity, others: Iterable[Entity], name: str | None = None) -> Entity:
    """Fold ``others`` into ``target``: their mentions and spellings become ``target``'s; with
    ``name``, the merged entity takes it (:func:`rename_entity`) and keeps it."""
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
        if name:
            target.named_by_editor = True
            rename_entity(entity=target, name=name)
    return target


def split_entity(*, entity: Entity, aliases: Iterable[EntityAlias], name: str | None = None) -> Entity:
    """Move some spellings (and the mentions written that way) of ``entity`` to a new entity."""
    aliases = list(aliases)
    if not aliases:
        raise ValueError("choose at least one spelling to split off")
    with archive_write():
        new = Entity.objects.create(kind=entity.kind, name=name or aliases[0].name, named_by_editor=bool(name))
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
        if name != entity.name:
            entity.named_by_editor = True
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
        entity.named_by_editor = True
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
