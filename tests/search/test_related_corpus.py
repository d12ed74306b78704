"""Related coverage on real ANT news articles (``make test-corpus``): bench/bench_related.py has
the full measurement."""

import gzip
import json
from itertools import islice

import pytest

from articles import services
from articles.models import Article
from articles.search import indexing as search
from articles.search.related import related_coverage

pytestmark = [pytest.mark.corpus, pytest.mark.usefixtures("search_index")]

RECORDS = 400


@pytest.fixture
def ant_articles(shared, tmp_path, db):
    """The first ``RECORDS`` ANT records, and two near-duplicate halves of ten of them."""
    source = shared / "data" / "news" / "articles.ant_multisource_v2.1.jsonl.gz"
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in islice(lines, RECORDS)]
    path = tmp_path / "ant.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    services.import_jsonl(path=path, index=False, entities=False)
    category = {r["url"]: r["category"] for r in records}
    splits = []
    for n, article in enumerate(a for a in Article.objects.order_by("pk") if len(a.paragraphs()) >= 4):
        if n == 10:
            break
        parts = article.paragraphs()
        halves = [
            Article.objects.create(title=f"متابعة ({half}) {article.title}", body="\n\n".join(paragraphs),
                                   published_on=article.published_on, source=article.source)
            for half, paragraphs in (("أ", parts[:3]), ("ب", parts[1:]))
        ]
        splits.append((article, *halves))
    search.index_articles(list(Article.objects.values_list("pk", flat=True)))
    return category, splits


def test_related_coverage_of_a_split_story_finds_its_other_parts(ant_articles):
    _category, splits = ant_articles

    for original, first, second in splits:
        assert {original.pk, second.pk} <= {hit.id for hit in related_coverage(article=first, limit=5)}


def test_most_related_articles_are_in_the_articles_category(ant_articles):
    category, _splits = ant_articles
    url_of = dict(Article.objects.values_list("pk", "url"))
    shares = []
    for article in Article.objects.filter(url__in=list(category))[:100]:
        related = [category[url_of[hit.id]] for hit in related_coverage(article=article) if url_of[hit.id] in category]
        if related:
            shares.append(sum(c == category[article.url] for c in related) / len(related))

    # 0.895 on 2,000 articles with entities (bench/bench_related.py); fewer articles, no entities here.
    assert sum(shares) / len(shares) >= 0.75
