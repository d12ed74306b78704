"""Fixtures for search tests: a private Whoosh index per test, and helpers to fill it.

Loaded from ``tests/conftest.py`` with ``pytest_plugins = ["tests.search_fixtures"]``.
"""

import os
from datetime import date

import pytest


@pytest.fixture
def search_index(tmp_path):
    """An empty Whoosh index in ``tmp_path`` used by haystack's default connection for this test."""
    from haystack import connections

    info = connections.connections_info["default"]
    previous = info["PATH"]
    info["PATH"] = str(tmp_path / "whoosh_index")
    connections.reload("default")
    yield info["PATH"]
    info["PATH"] = previous
    connections.reload("default")


@pytest.fixture
def make_article(db):
    """Create an article (no indexing: tests index explicitly, as the ingest services do)."""
    from articles.models import Article, Source

    def make(title="عنوان", body="نص", *, source=None, published_on=date(2020, 1, 1), **extra):
        if isinstance(source, str):
            source = Source.objects.filter(name=source).first() or Source.objects.create(name=source)
        return Article.objects.create(title=title, body=body, source=source, published_on=published_on, **extra)

    return make


def unsaved_article(pk: int, title: str, body: str):
    """An article that exists only in memory, prepared for indexing without the database.

    Child processes of the concurrency test cannot see the test database (SQLite in memory).
    """
    from articles.models import Article

    article = Article(pk=pk, title=title, body=body, published_on=date(2021, 3, 4))
    article.copy_members = 0  # what the index queryset annotates
    article.entity_ids = None
    return article


def index_in_child(index_path: str, data_dir: str, first_pk: int, count: int, batch: int) -> None:
    """Run in a spawned process: index ``count`` distinct articles, ``batch`` per commit."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    os.environ["ARCHIVE_DATA_DIR"] = data_dir
    os.environ["ARCHIVE_SEARCH_PATH"] = index_path
    import django

    django.setup()
    from haystack import connections

    from articles.models import Article

    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    for start in range(first_pk, first_pk + count, batch):
        pks = range(start, min(start + batch, first_pk + count))
        backend.update(index, [unsaved_article(pk, f"عنوان رقم {pk}", f"مقال العملية {pk} كلمةمشتركة") for pk in pks])
