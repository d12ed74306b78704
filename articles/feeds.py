"""Atom feeds: the latest articles, an outlet's, an entity's and any search's.

Every entry has the title as plain text, the first paragraph HTML-escaped as its summary (Atom
readers render ``summary type="html"``, and the text is whatever was pasted), the byline or else
the outlet as author, and the article's absolute URL as link and id, so one article keeps the same
id in every feed. A feed holds at most ``FEED_ITEMS`` entries, fetched with one query.
"""

import dataclasses
from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Entity, Source
from articles.search import service as search_service

FEED_ITEMS = 30
SITE_NAME = gettext_lazy("Arabic News Archive")


class ArticleFeed(Feed):
    """The entry of an article, shared by every feed; items must come with their source
    (``Article.objects.for_listing()``)."""

    feed_type = Atom1Feed
    author_name = SITE_NAME

    def item_title(self, item: Article) -> str:
        # Atom titles are text: the generator escapes them once (Feed's default escapes twice).
        return item.title

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_description(self, item: Article) -> str:
        paragraphs = item.paragraphs()
        return escape(paragraphs[0] if paragraphs else "")

    def item_author_name(self, item: Article) -> str | None:
        return item.byline or (item.source.name if item.source_id else None)

    def item_pubdate(self, item: Article) -> datetime:
        if item.published_on is None:
            return item.created_at
        return timezone.make_aware(datetime.combine(item.published_on, time()))

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at


class LatestFeed(ArticleFeed):
    title = gettext_lazy("Arabic News Archive: latest articles")
    subtitle = gettext_lazy("The latest articles published in the archive.")

    def link(self):
        return reverse("articles:home")

    def items(self):
        return Article.objects.for_listing().latest_first()[:FEED_ITEMS]


class SourceFeed(ArticleFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Source, pk=pk)

    def title(self, source: Source) -> str:
        return f"{SITE_NAME}: {source.name}"

    def subtitle(self, source: Source) -> str:
        return _("The latest articles of %(source)s in the archive.") % {"source": source.name}

    def link(self, source: Source) -> str:
        return source.get_absolute_url()

    def items(self, source: Source):
        return source.articles.for_listing().latest_first()[:FEED_ITEMS]


class EntityFeed(ArticleFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Entity, pk=pk)

    def title(self, entity: Entity) -> str:
        return f"{SITE_NAME}: {entity.name}"

    def subtitle(self, entity: Entity) -> str:
        return _("The latest articles that mention %(name)s.") % {"name": entity.name}

    def link(self, entity: Entity) -> str:
        return entity.get_absolute_url()

    def items(self, entity: Entity):
        return Article.objects.mentioning(entity).for_listing().latest_first()[:FEED_ITEMS]


@dataclasses.dataclass(frozen=True)
class FeedSearch:
    """A search as its feed sees it: the parsed parameters and the query string they came from."""

    params: search_service.SearchParams
    query_string: str


class SearchFeed(ArticleFeed):
    """The newest ``FEED_ITEMS`` matches of a search, whatever its ``sort`` and ``page``: one
    search call and one query for the articles, whose summary, byline and dates the index does
    not store."""

    def get_object(self, request, search: FeedSearch):
        return search

    def title(self, search: FeedSearch) -> str:
        if search.params.q:
            return _("Arabic News Archive: search “%(query)s”") % {"query": search.params.q}
        return _("Arabic News Archive: search")

    def subtitle(self, search: FeedSearch) -> str:
        return _("The latest articles matching this search.")

    def link(self, search: FeedSearch) -> str:
        return with_query(reverse("articles:search"), search.query_string)

    def feed_url(self, search: FeedSearch) -> str:
        return with_query(reverse("articles:search_feed"), search.query_string)

    def items(self, search: FeedSearch) -> list[Article]:
        params = dataclasses.replace(search.params, sort="newest", page=1)
        # Only the ids: a feed reader has no use for highlights, facets or suggestions.
        ids = list(search_service.matching_ids(params, limit=FEED_ITEMS, batch=FEED_ITEMS).ids)
        articles = Article.objects.for_listing().in_bulk(ids)
        # In the index's order; an article deleted since it was indexed is left out.
        return [articles[pk] for pk in ids if pk in articles]


def with_query(path: str, query_string: str) -> str:
    return f"{path}?{query_string}" if query_string else path


def search_feed(request):
    """``/search/feed/?q=…``: the search page's parameters; a bad one is a 400 naming it."""
    try:
        params = search_service.parse_search_params(request.GET)
    except search_service.SearchParamError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    query = request.GET.copy()
    for name in ("page", "sort"):
        query.pop(name, None)
    return SearchFeed()(request, search=FeedSearch(params=params, query_string=query.urlencode()))
