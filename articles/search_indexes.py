"""What the search index holds for each article.

Everything a result list shows (title, outlet name, date) is stored in the index, so a page
of results costs no database query. The body is stored under ``body`` for snippets; the text fields hold what
:func:`articles.search.query.index_values` gives them, exactly as ``search_eval`` indexes passages.
"""

import hashlib

from django.db.models import Prefetch
from haystack import indexes

from articles.models import Article, Mention
from articles.search.query import TEXT_EXACT_FIELD, TEXT_FIELD, index_values


def document_fingerprint(article: Article) -> str:
    """What the index holds for ``article``, as one digest: a stored copy that differs is stale.

    ``article`` must come from the index's own queryset (source and mentions prefetched).
    """
    entity_ids = sorted({mention.entity_id for mention in article.mentions.all()})
    parts = [
        article.title,
        article.body,
        str(article.source_id or ""),
        article.source.name if article.source_id else "",
        article.published_on.isoformat() if article.published_on else "",
        ",".join(map(str, entity_ids)),
    ]
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # Field names are the contract with articles.search.query (TEXT_FIELD, TITLE_FIELD, ...): the
    # backend gives these the broad (stemmed) or exact (normalised words) analyser.
    text = indexes.CharField(document=True, stored=False)
    text_exact = indexes.CharField(stored=False)
    title = indexes.CharField(model_attr="title")
    title_exact = indexes.CharField(model_attr="title", stored=False)
    body = indexes.CharField(model_attr="body", indexed=False)
    source = indexes.IntegerField(model_attr="source_id", null=True)
    source_name = indexes.CharField(indexed=False, null=True)
    published_on = indexes.DateField(model_attr="published_on", null=True)
    year = indexes.IntegerField(null=True)
    entities = indexes.MultiValueField(stored=False, null=True)
    # What check_index compares with the database to find stale documents.
    fingerprint = indexes.CharField(indexed=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        """Every article, with what ``prepare`` reads fetched in bulk (no query per article)."""
        return Article.objects.select_related("source").prefetch_related(
            Prefetch("mentions", queryset=Mention.objects.only("article_id", "entity_id"))
        ).order_by("pk")

    def prepare_text(self, article):
        return index_values(article.title, article.body)[TEXT_FIELD]

    def prepare_text_exact(self, article):
        return index_values(article.title, article.body)[TEXT_EXACT_FIELD]

    def prepare_source_name(self, article):
        return article.source.name if article.source_id else None

    def prepare_year(self, article):
        return article.published_on.year if article.published_on else None

    def prepare_fingerprint(self, article):
        return document_fingerprint(article)

    def prepare_entities(self, article):
        # .all() rather than values_list(): it uses the prefetched mentions.
        return sorted({mention.entity_id for mention in article.mentions.all()})
