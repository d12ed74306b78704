"""A bulk batch of articles is tagged in a pool of processes and stores exactly what tagging
them one after another in this process stores: the same entities, spellings and mentions."""

import pytest

from articles import services
from articles.entities import get_extractor
from articles.models import Article, Entity, EntityAlias, Mention
from articles.entities import parallel as extraction
from articles.text.keys import content_hash

pytestmark = pytest.mark.django_db

PEOPLE = ["خالد الشريف", "سامي بن عمر", "مراد الفيتوري", "ليلى المصراتي"]
TOWNS = ["طرابلس", "بنغازي", "سبها", "لبنغازي", "وطرابلس"]


def _articles(count: int) -> list[Article]:
    articles = []
    for n in range(count):
        person, town = PEOPLE[n % len(PEOPLE)], TOWNS[n % len(TOWNS)]
        title = f"{person} يفتتح مشروعاً جديداً في {town} رقم {n}"
        body = (
            f"افتتح وزير الموارد المائية {person} محطة جديدة في مدينة {town} شرق ليبيا، "
            f"بحضور ممثلين عن الهيئة العامة للمياه.\n\nوقال {person.split()[-1]} إن المحطة رقم {n} "
            "ستوفر مياه الشرب لآلاف الأسر."
        )
        articles.append(Article(title=title, body=body, content_hash=content_hash(title, body)))
    return Article.objects.bulk_create(articles)


def _stored() -> tuple[set, set, list]:
    entities = set(Entity.objects.values_list("kind", "name", "key"))
    aliases = set(EntityAlias.objects.values_list("entity__name", "kind", "name"))
    mentions = sorted(
        Mention.objects.values_list("article_id", "entity__name", "surface", "field", "start", "end", "role")
    )
    return entities, aliases, mentions


def test_a_large_batch_tagged_by_the_pool_stores_what_tagging_in_this_process_stores(monkeypatch):
    monkeypatch.setenv("ARCHIVE_EXTRACTION_WORKERS", "2")
    articles = _articles(extraction.POOL_MIN_ARTICLES)

    pooled_count = services.extract_entities(articles=articles, parallel=True)
    pooled = _stored()
    Entity.objects.all().delete()
    in_process_count = services.extract_entities(articles=articles, extractor=get_extractor())

    assert pooled_count == in_process_count > len(articles)
    assert pooled == _stored()
    assert ("LOC", "بنغازي") in {(kind, name) for kind, name, _key in pooled[0]}


@pytest.mark.parametrize("setting, expected", [("1", 1), ("0", 0), ("3", 3)])
def test_the_number_of_tagging_processes_follows_the_setting(monkeypatch, setting, expected):
    monkeypatch.setenv("ARCHIVE_EXTRACTION_WORKERS", setting)
    assert extraction.workers() == expected


def test_a_batch_stores_what_storing_its_articles_one_by_one_stores():
    articles = _articles(12)
    extractor = get_extractor()
    services.extract_entities(articles=articles, extractor=extractor)
    batch = _stored()
    Entity.objects.all().delete()
    for article in articles:
        services.extract_entities(articles=[article], extractor=extractor)
    assert batch == _stored()


@pytest.mark.parametrize("small, large", [(4, 40)])
def test_the_queries_of_a_batch_do_not_grow_with_its_mentions(small, large):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    extractor = get_extractor()
    counts = []
    for count in (small, large):
        Article.objects.all().delete()
        articles = _articles(count)
        with CaptureQueriesContext(connection) as queries:
            stored = services.extract_entities(articles=articles, extractor=extractor)
        counts.append((len(queries), stored))
    (few, few_mentions), (many, many_mentions) = counts
    assert many_mentions > 5 * few_mentions
    assert many <= few + 2, counts
