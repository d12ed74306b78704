"""What the search box offers as the reader types: outlets, entities and article titles.

Names are compared in their normalised keys (:mod:`articles.text.keys`), so «الاسكندرية» finds
«الإسكندرية»; a typed text matches a name when it starts the name or one of its words. Titles
come from the search index (a prefix search on the last word), kept only when the title itself
holds every typed word, so a title offered is one the reader is spelling.
"""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Entity, EntityAlias, Source
from articles.search import service as search_service
from articles.text.keys import entity_key, source_key
from articles.text.normalize import normalize

MAX_SUGGESTIONS = 10
MIN_CHARS = 2
MAX_CHARS = 100
# Room kept for each kind, so a name that starts many titles still leaves titles in the list.
MAX_SOURCES = 3
MAX_ENTITIES = 4
_WORD_RE = re.compile(r"\w+")


KIND_LABELS = {"source": _("مصدر"), "article": _("مقال")}


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "source", "entity" or "article"
    label: str
    path: str
    entity_kind: str | None = None
    count: int | None = None

    @property
    def kind_label(self) -> str:
        """What the item is, in words: «مصدر», «مقال» or the entity's kind («شخص»…)."""
        if self.entity_kind:
            return str(Entity.Kind(self.entity_kind).label)
        return str(KIND_LABELS[self.kind])


def _starts_name_or_word(field: str, prefix: str) -> Q:
    return Q(**{f"{field}__startswith": prefix}) | Q(**{f"{field}__contains": f" {prefix}"})


def _sources(text: str, limit: int) -> list[Suggestion]:
    key = source_key(text)
    matches = _starts_name_or_word("key", key) | _starts_name_or_word("aliases__key", key)
    sources = (
        Source.objects.with_article_counts()
        .filter(pk__in=Source.objects.filter(matches).values("pk"), article_count__gt=0)
        .order_by("-article_count", "name")[:limit]
    )
    return [Suggestion("source", s.name, s.get_absolute_url(), count=s.article_count) for s in sources]


def _entities(text: str, limit: int) -> list[Suggestion]:
    matches = Q()
    for kind in Entity.Kind.values:
        typed = entity_key(text, kind).split(":", 1)[1]
        # «الق» is how «القاهرة» starts as typed; its key («قاهره») lost the ال.
        prefixes = {typed, typed[2:]} if kind != Entity.Kind.PERSON and typed.startswith("ال") else {typed}
        for prefix in filter(None, prefixes):
            matches |= Q(kind=kind) & (Q(key__startswith=f"{kind}:{prefix}") | Q(key__contains=f" {prefix}"))
    entity_ids = EntityAlias.objects.filter(matches).values("entity_id")
    entities = (
        Entity.objects.with_article_counts()
        .filter(pk__in=entity_ids, article_count__gt=0)
        .order_by("-article_count", "name")[:limit]
    )
    return [
        Suggestion("entity", e.name, e.get_absolute_url(), entity_kind=e.kind, count=e.article_count) for e in entities
    ]


def _titles(text: str, limit: int) -> list[Suggestion]:
    words = _WORD_RE.findall(normalize(text))
    if not words or limit < 1:
        return []
    # The last word is still being typed unless a space follows it.
    query = " ".join(words) if text.endswith(" ") else " ".join(words[:-1] + [f"{words[-1]}*"])
    limit_searched = limit * 3
    ids = list(search_service.matching_ids(search_service.SearchParams(q=query), limit=limit_searched,
                                           batch=limit_searched).ids)
    titles = dict(Article.objects.filter(pk__in=ids).values_list("pk", "title"))
    found = []
    for pk in ids:
        title_words = _WORD_RE.findall(normalize(titles.get(pk, "")))
        if all(any(t.startswith(w) or t.startswith(f"ال{w}") for t in title_words) for w in words):
            found.append(Suggestion("article", titles[pk], reverse("articles:detail", kwargs={"pk": pk})))
    return found[:limit]


def suggestions(*, text: str, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Up to ``limit`` completions of ``text``: outlets, then entities (most articles first), then
    titles in search order. Fewer than ``MIN_CHARS`` letters give none."""
    text = " ".join(text.split()) + (" " if text[-1:].isspace() else "")
    if len(text.strip()) < MIN_CHARS:
        return []
    names = _sources(text, MAX_SOURCES) + _entities(text, MAX_ENTITIES)
    return names + _titles(text, max(0, limit - len(names)))
