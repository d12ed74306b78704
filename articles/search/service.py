"""Full-text search of the archive: the one service the views, the API, the commands and the tests use.

It talks to the search engine through haystack (``haystack.connections``), so the engine is a
setting. Results come from what the index stores: a page of results costs no query per hit.
"""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from haystack import connections

from articles.models import Entity, Source
# The views, the API and the benchmark take the parameters from here with the search itself.
from articles.search.params import SearchParamError, SearchParams, parse_search_params  # noqa: F401

FACETS = ("source", "year", "entities")
MAX_ENTITY_FACETS = 20
_SORT_FIELDS = {"newest": ["-published_on"], "oldest": ["published_on"]}


def article_summary(
    *,
    id: int,
    title: str,
    path: str,
    published_on: date | None,
    source_id: int | None,
    source_name: str,
    absolute: Callable[[str], str],
) -> dict:
    """An article as every API response lists it; ``absolute`` turns a path into a full URL
    (``request.build_absolute_uri``), so a client can follow ``url`` wherever it found it."""
    return {
        "id": id,
        "title": title,
        "url": absolute(path),
        "published_on": published_on.isoformat() if published_on else None,
        "source": {"id": source_id, "name": source_name} if source_id else None,
    }


@dataclass(frozen=True)
class SearchHit:
    id: int
    title: str
    title_html: SafeString
    url: str
    published_on: date | None
    source_id: int | None
    source_name: str
    snippet_html: SafeString
    # Other articles of its syndicated-copy group, which the results do not list again.
    copies: int = 0

    def as_json(self, *, absolute: Callable[[str], str]) -> dict:
        """The hit's :func:`article_summary`."""
        return article_summary(
            id=self.id,
            title=self.title,
            path=self.url,
            published_on=self.published_on,
            source_id=self.source_id,
            source_name=self.source_name,
            absolute=absolute,
        )


@dataclass(frozen=True)
class SearchPage:
    params: SearchParams
    count: int
    page: int
    num_pages: int
    results: list[SearchHit]
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    # Spellings of the query's loanwords and names searched besides those typed (broad mode).
    variant_forms: tuple[str, ...] = ()

    def as_json(self, *, absolute: Callable[[str], str]) -> dict:
        """The page as the ``/api/search`` response body: each result an :func:`article_summary`
        with its highlighted ``snippet``."""
        return {
            "count": self.count,
            "page": self.page,
            "num_pages": self.num_pages,
            "results": [
                {**hit.as_json(absolute=absolute), "snippet": str(hit.snippet_html), "copies": hit.copies}
                for hit in self.results
            ],
            "facets": self.facets,
            "suggestion": self.suggestion,
            "variants": self.params.variants,
            "variant_forms": list(self.variant_forms),
        }


# ---------------------------------------------------------------------------------------------
# Searching


def _backend():
    return connections["default"].get_backend()


def _narrow_queries(params: SearchParams) -> set[str]:
    narrow = set()
    if params.source:
        narrow.add(f"source:{params.source}")
    if params.entity:
        narrow.add(f"entities:{params.entity}")
    if params.date_from or params.date_to:
        start = params.date_from.strftime("%Y%m%d ") if params.date_from else ""
        end = params.date_to.strftime(" %Y%m%d") if params.date_to else ""
        narrow.add(f"published_on:[{start}to{end}]")
    return narrow


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def search_hit(result) -> SearchHit:
    """One search-engine result as the pages and the API show it (its stored fields, no query)."""
    highlighted = getattr(result, "highlighted", None) or {}
    title = getattr(result, "title", "") or ""
    body_html = (highlighted.get("body") or [""])[0]
    title_html = (highlighted.get("title") or [escape(title)])[0]
    source_id = getattr(result, "source", None) or None
    return SearchHit(
        id=int(result.pk),
        title=title,
        title_html=mark_safe(title_html),
        url=reverse("articles:detail", kwargs={"pk": int(result.pk)}),
        published_on=_as_date(getattr(result, "published_on", None)),
        source_id=int(source_id) if source_id else None,
        source_name=getattr(result, "source_name", None) or "",
        snippet_html=mark_safe(body_html),
        copies=int(getattr(result, "copies", 0) or 0),
    )


def _facets(raw: dict) -> dict:
    """Backend facet counts → named sources, years and entities (one query each, not per hit)."""
    fields = raw.get("fields", {}) if raw else {}
    source_counts = [(int(value), count) for value, count in fields.get("source", [])]
    names = dict(Source.objects.filter(pk__in=[pk for pk, _ in source_counts]).values_list("pk", "name"))
    entity_counts = [(int(value), count) for value, count in fields.get("entities", [])][:MAX_ENTITY_FACETS]
    # A low-confidence find (seen once, one word or the tagger unsure) is kept out of facets as
    # out of the index pages.
    entities = Entity.objects.listed().in_bulk([pk for pk, _ in entity_counts])
    return {
        "sources": [{"id": pk, "name": names[pk], "count": count} for pk, count in source_counts if pk in names],
        "years": sorted(
            ({"year": int(year), "count": count} for year, count in fields.get("year", [])),
            key=lambda item: -item["year"],
        ),
        "entities": [
            {"id": pk, "name": entities[pk].name, "kind": entities[pk].kind, "count": count}
            for pk, count in entity_counts
            if pk in entities
        ],
    }


def _sort(params: SearchParams) -> str:
    # Without words there is nothing to rank by: the newest come first.
    return "newest" if not params.q and params.sort == "relevance" else params.sort


def search_articles(params: SearchParams, *, per_page: int | None = None) -> SearchPage:
    """One page of the articles matching ``params``, with highlights, facets and a suggestion.

    An empty ``q`` lists the articles that pass the filters, newest first. A page past the last
    is empty but still carries the count, facets and number of pages.
    """
    per_page = per_page or settings.ARCHIVE_PAGE_SIZE
    start = (params.page - 1) * per_page
    raw = _backend().search(
        params.q,
        sort_by=_SORT_FIELDS.get(_sort(params)),
        start_offset=start,
        end_offset=start + per_page,
        highlight=True,
        facets=list(FACETS),
        narrow_queries=_narrow_queries(params),
        mode=params.mode,
        suggest=bool(params.q),
        variants=params.variants,
    )
    count = raw.get("hits", 0)
    return SearchPage(
        params=params,
        count=count,
        page=params.page,
        num_pages=max(1, math.ceil(count / per_page)),
        results=[search_hit(result) for result in raw.get("results", [])],
        facets=_facets(raw.get("facets")),
        suggestion=raw.get("spelling_suggestion") or None,
        variant_forms=tuple(raw.get("variant_forms") or ()),
    )


def matching_article_ids(*, q: str, limit: int) -> list[int]:
    """Ids of the ``limit`` articles that match ``q`` best, as the search page finds them
    (broad mode, the archive's normalisation): what the admin's article search lists."""
    raw = _backend().search(q, start_offset=0, end_offset=limit, mode="broad")
    return [int(result.pk) for result in raw.get("results", [])]


@dataclass(frozen=True)
class MatchingIds:
    """Every match of a search: how many there are, and the ids of the first ``limit`` in order."""

    count: int
    ids: Iterator[int]


def matching_ids(params: SearchParams, *, limit: int, batch: int = 1000) -> MatchingIds:
    """The ids of the first ``limit`` articles matching ``params``, in the order of its ``sort``
    (``page`` is ignored), fetched ``batch`` at a time without highlights, facets or suggestions:
    what an export streams. The first batch is searched at once, for the count; the rest as the
    ids are consumed. An article indexed between two batches can shift the order; none is given twice.
    """
    sort_by = _SORT_FIELDS.get(_sort(params))
    narrow = _narrow_queries(params)

    def fetch(start: int) -> tuple[int, list[int]]:
        raw = _backend().search(
            params.q,
            sort_by=sort_by,
            start_offset=start,
            end_offset=min(start + batch, limit),
            narrow_queries=narrow,
            mode=params.mode,
            variants=params.variants,
        )
        return raw.get("hits", 0), [int(result.pk) for result in raw.get("results", [])]

    count, first = fetch(0) if limit > 0 else (0, [])

    def ids() -> Iterator[int]:
        seen: set[int] = set()
        chunk, start = first, 0
        while chunk:
            for pk in chunk:
                if pk not in seen:
                    seen.add(pk)
                    yield pk
            start += batch
            if start >= min(count, limit):
                return
            chunk = fetch(start)[1]

    return MatchingIds(count=count, ids=ids())
