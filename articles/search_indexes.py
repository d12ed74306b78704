"""What the search index holds for each article.

Everything a result list shows (title, outlet name, date) is stored in the index, so a page
of results costs no database query. The body is stored under ``body`` for snippets; the text fields hold what
:func:`articles.search.query.index_values` gives them, exactly as ``search_eval`` indexes passages.
"""

import hashlib

from django.db.models import Aggregate, CharField, Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from haystack import indexes

from articles.models import Article, Mention
from articles.search.query import TEXT_EXACT_FIELD, TEXT_FIELD, index_values


class _IdList(Aggregate):
    """The values of an integer column joined by commas, in no particular order."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s(%(expressions)s::text, ',')", **extra_context)


def entity_ids(article: Article) -> list[int]:
    """The ids of the entities ``article`` mentions; ``article`` must come from the index's own
    queryset, which fetches them with it."""
    return sorted({int(pk) for pk in article.entity_ids.split(",")}) if article.entity_ids else []


def document_fingerprint(article: Article) -> str:
    """What the index holds for ``article``, as one digest: a stored copy that differs is stale.

    ``article`` must come from the index's own queryset (source and entity ids fetched with it).
    """
    parts = [
        article.title,
        article.body,
        str(article.source_id or ""),
        article.source.name if article.source_id else "",
        article.published_on.isoformat() if article.published_on else "",
        ",".join(map(str, entity_ids(article))),
        f"{copy_group(article) or ''}:{article.copy_members}",
    ]
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


def copy_group(article: Article) -> int | None:
    """The id of the lead of ``article``'s syndicated-copy group, ``None`` for an article alone.

    ``article`` must carry ``copy_members`` (the index queryset annotates it).
    """
    if article.copy_of_id:
        return article.copy_of_id
    return article.pk if article.copy_members else None


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
    # A syndicated-copy group is listed once (articles.search.whoosh.collapse): its lead's id, the
    # article's own id (the earliest stored member stands for the group) and how many other
    # members it has, for «N نسخ أخرى».
    copy_group = indexes.IntegerField(null=True)
    copy_order = indexes.IntegerField(model_attr="pk")
    copies = indexes.IntegerField(indexed=False, default=0)
    # What check_index compares with the database to find stale documents.
    fingerprint = indexes.CharField(indexed=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        """Every article, with what ``prepare`` reads fetched in bulk (no query per article)."""
        # The lead's copies: for the lead its copies, for a copy the lead and the other copies.
        members = (
            Article.objects.filter(copy_of_id=Coalesce(OuterRef("copy_of_id"), OuterRef("pk")))
            .order_by()
            .values("copy_of_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        # Ids of the entities mentioned, as one string a row: prefetched mentions were a model
        # instance each, about 30 an article, most of the time a bulk write spent reading.
        mentioned = (
            Mention.objects.filter(article_id=OuterRef("pk"))
            .order_by()
            .values("article_id")
            .annotate(ids=_IdList("entity_id"))
            .values("ids")
        )
        return (
            Article.objects.select_related("source")
            .annotate(copy_members=Coalesce(Subquery(members), 0), entity_ids=Subquery(mentioned))
            .order_by("pk")
        )

    def prepare_text(self, article):
        return index_values(article.title, article.body)[TEXT_FIELD]

    def prepare_text_exact(self, article):
        return index_values(article.title, article.body)[TEXT_EXACT_FIELD]

    def prepare_source_name(self, article):
        return article.source.name if article.source_id else None

    def prepare_year(self, article):
        return article.published_on.year if article.published_on else None

    def prepare_copy_group(self, article):
        return copy_group(article)

    def prepare_copies(self, article):
        return article.copy_members

    def prepare_fingerprint(self, article):
        return document_fingerprint(article)

    def prepare_entities(self, article):
        return entity_ids(article)
