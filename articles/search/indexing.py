"""The one owner of writes to the search index."""

import threading
from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from haystack import connections, signals
from haystack.utils import get_identifier

from articles.models import Article, Mention

INDEX_BATCH_SIZE = 500


def _backend():
    return connections["default"].get_backend()



def _article_index():
    return connections["default"].get_unified_index().get_index(Article)


def index_articles(article_ids: Iterable[int]) -> None:
    """(Re)index these articles as they are now in the database; ids no longer there are removed.

    Used after bulk writes (which send no signals). Articles are read in batches of
    ``INDEX_BATCH_SIZE`` and written in a single index commit.
    """
    ids = sorted(set(article_ids))
    if not ids:
        return
    index = _article_index()
    found: set[int] = set()

    def articles():
        for start in range(0, len(ids), INDEX_BATCH_SIZE):
            for article in index.index_queryset().filter(pk__in=ids[start : start + INDEX_BATCH_SIZE]):
                found.add(article.pk)
                yield article

    _backend().update(index, articles())
    unindex_articles(set(ids) - found)


def unindex_articles(article_ids: Iterable[int]) -> None:
    """Remove these articles from the index (in one commit)."""
    identifiers = [get_identifier(f"articles.article.{pk}") for pk in article_ids]
    if identifiers:
        _backend().remove_many(identifiers)


_pending = threading.local()


def _flush_pending() -> None:
    ids = getattr(_pending, "ids", set())
    _pending.ids = set()
    if ids:
        index_articles(ids)


def _schedule(article_id: int) -> None:
    """Index ``article_id`` when the current transaction commits, with the others it touched.

    Every save registers a callback, and the first to run indexes everything pending: after a
    rollback the pending ids stay and are indexed (as they are in the database) at the next commit.
    """
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(article_id)
    transaction.on_commit(_flush_pending)


class ArticleSignalProcessor(signals.BaseSignalProcessor):
    """Keep the index in step with single-object edits (the admin): saves and deletes of
    articles, and of the mentions that make an article's entity facet."""

    def setup(self):
        for model in (Article, Mention):
            post_save.connect(self.handle_change, sender=model)
            post_delete.connect(self.handle_change, sender=model)

    def teardown(self):
        for model in (Article, Mention):
            post_save.disconnect(self.handle_change, sender=model)
            post_delete.disconnect(self.handle_change, sender=model)

    def handle_change(self, sender, instance, **kwargs):
        _schedule(instance.pk if sender is Article else instance.article_id)
