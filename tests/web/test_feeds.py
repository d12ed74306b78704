"""Atom feeds of the latest articles, an outlet, an entity and a search, read as a feed reader would."""

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from articles.feeds import FEED_ITEMS
from articles.models import Entity, Mention
from articles.search import indexing

ATOM = {"a": "http://www.w3.org/2005/Atom"}

pytestmark = pytest.mark.usefixtures("search_index")


def feed_of(client, url, params=None) -> ET.Element:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall("a:entry", ATOM)


def titles(feed: ET.Element) -> list[str]:
    return [entry.findtext("a:title", namespaces=ATOM) for entry in entries(feed)]


@pytest.fixture
def archive(make_article):
    """Four articles about Benghazi from two outlets and three dates, one about Tripoli, all indexed."""
    articles = [
        make_article("مستشفى جديد في بنغازي", "افتتحت الوزارة مستشفى في بنغازي.\n\nوحضر الافتتاح مسؤولون.",
                     source="صحيفة الأفق", published_on=date(2023, 5, 2), byline="سالم علي"),
        make_article("أمطار على بنغازي", "هطلت أمطار غزيرة على بنغازي.", source="النهار اليومية",
                     published_on=date(2024, 1, 9)),
        make_article("ميناء بنغازي يستقبل سفينة", "استقبل ميناء بنغازي سفينة حبوب.", source="صحيفة الأفق",
                     published_on=date(2022, 8, 30)),
        make_article("طرق بنغازي بعد العاصفة", "أعيد فتح طرق بنغازي.", source="النهار اليومية", published_on=None),
        make_article("مهرجان الكتاب في طرابلس", "انطلق مهرجان الكتاب في طرابلس.", source="صحيفة الأفق",
                     published_on=date(2024, 3, 1)),
    ]
    indexing.index_articles([article.pk for article in articles])
    return articles


def test_latest_feed_lists_articles_newest_first_with_their_entry_fields(client, archive):
    feed = feed_of(client, reverse("articles:latest_feed"))

    assert titles(feed) == [archive[n].title for n in (4, 1, 0, 2, 3)]
    entry = entries(feed)[2]
    first = archive[0]
    assert entry.findtext("a:id", namespaces=ATOM) == f"http://testserver{first.get_absolute_url()}"
    assert entry.find("a:link", ATOM).get("href") == f"http://testserver{first.get_absolute_url()}"
    assert entry.findtext("a:published", namespaces=ATOM).startswith("2023-05-02T00:00:00")
    assert entry.findtext("a:updated", namespaces=ATOM)
    assert entry.findtext("a:author/a:name", namespaces=ATOM) == "سالم علي"
    assert entry.findtext("a:summary", namespaces=ATOM) == "افتتحت الوزارة مستشفى في بنغازي."
    # No byline: the outlet is the author.
    assert entries(feed)[1].findtext("a:author/a:name", namespaces=ATOM) == "النهار اليومية"
    # Undated: published when it was stored.
    assert entries(feed)[4].findtext("a:published", namespaces=ATOM).startswith(str(archive[3].created_at.year))


def test_feed_text_is_escaped_and_every_link_is_http(client, make_article):
    make_article("<script>alert(1)</script> عنوان", 'فقرة فيها <img src=x onerror="alert(2)"> وسم.',
                 url="https://example.com/news/1")

    response = client.get(reverse("articles:latest_feed"))
    feed = ET.fromstring(response.content)

    assert b"<script>" not in response.content and b"<img" not in response.content
    assert titles(feed) == ["<script>alert(1)</script> عنوان"]
    # The summary is HTML: the reader must get the tags as text, escaped once more than the XML.
    assert entries(feed)[0].findtext("a:summary", namespaces=ATOM) == (
        "فقرة فيها &lt;img src=x onerror=&quot;alert(2)&quot;&gt; وسم."
    )
    hrefs = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert hrefs and all(re.match(r"https?://", href) for href in hrefs)


def test_latest_feed_is_bounded_and_costs_one_query(client, make_article, django_assert_num_queries):
    for n in range(FEED_ITEMS + 5):
        make_article(f"خبر رقم {n}", f"نص {n}", source="صحيفة الأفق", published_on=date(2020, 1, 1 + n % 28))

    with django_assert_num_queries(1):
        feed = feed_of(client, reverse("articles:latest_feed"))

    assert len(entries(feed)) == FEED_ITEMS


def test_source_feed_holds_only_that_outlets_articles(client, archive):
    source = archive[1].source

    feed = feed_of(client, reverse("articles:source_feed", args=[source.pk]))

    assert titles(feed) == [archive[1].title, archive[3].title]
    assert source.name in feed.findtext("a:title", namespaces=ATOM)
    assert client.get(reverse("articles:source_feed", args=[999999])).status_code == 404


def test_entity_feed_holds_the_articles_that_mention_it(client, archive):
    entity = Entity.objects.create(kind=Entity.Kind.PLACE, name="طرابلس")
    Mention.objects.create(article=archive[4], entity=entity, surface="طرابلس", field="title", start=16, end=22)

    feed = feed_of(client, reverse("articles:entity_feed", args=[entity.pk]))

    assert titles(feed) == [archive[4].title]
    assert client.get(reverse("articles:entity_feed", args=[999999])).status_code == 404


def test_search_feed_is_newest_first_whatever_the_sort(client, archive):
    for sort in ("relevance", "oldest"):
        feed = feed_of(client, reverse("articles:search_feed"), {"q": "بنغازى", "sort": sort})

        assert titles(feed)[:3] == [archive[n].title for n in (1, 0, 2)], sort
        assert set(titles(feed)) == {archive[n].title for n in range(4)}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "بنغازي", "from": "2023", "to": "2023"}, [0]),
        ({"q": "بنغازي", "from": "2023"}, [1, 0]),
        ({"q": "مهرجان"}, [4]),
        ({"q": "بنغازي -أمطار", "to": "2023-12-31"}, [0, 2]),
    ],
)
def test_search_feed_honours_the_query_and_the_date_filters(client, archive, params, expected):
    feed = feed_of(client, reverse("articles:search_feed"), params)

    assert titles(feed) == [archive[n].title for n in expected]


def test_search_feed_honours_the_outlet_filter_and_links_back_to_the_search(client, archive):
    source = archive[0].source

    feed = feed_of(client, reverse("articles:search_feed"), {"q": "بنغازي", "source": source.pk, "page": 1})

    assert titles(feed) == [archive[0].title, archive[2].title]
    links = {link.get("rel"): link.get("href") for link in feed.findall("a:link", ATOM)}
    assert links["alternate"].startswith("http://testserver/search/?q=") and f"source={source.pk}" in links["alternate"]
    assert links["self"].startswith("http://testserver/search/feed/?q=") and "page" not in links["self"]
    assert "بنغازي" in feed.findtext("a:title", namespaces=ATOM)


def test_search_feed_costs_one_search_and_a_constant_number_of_queries(client, make_article, django_assert_max_num_queries):
    articles = [make_article(f"خبر عن الميناء {n}", f"نص عن الميناء رقم {n}", source="صحيفة الأفق",
                             published_on=date(2021, 1 + n % 12, 1 + n % 28)) for n in range(FEED_ITEMS + 10)]
    indexing.index_articles([article.pk for article in articles])

    # The search's facet names (outlets, entities) and the articles themselves, however many entries.
    with django_assert_max_num_queries(3):
        feed = feed_of(client, reverse("articles:search_feed"), {"q": "الميناء"})

    published = [entry.findtext("a:published", namespaces=ATOM) for entry in entries(feed)]
    assert len(published) == FEED_ITEMS and published == sorted(published, reverse=True)


@pytest.mark.parametrize(
    "params, param",
    [
        ({"q": "x", "from": "2018-13"}, "from"),
        ({"q": "x", "sort": "random"}, "sort"),
        ({"q": "x", "page": "0"}, "page"),
        ({"q": "x", "source": "abc"}, "source"),
        ({"q": "x" * 501}, "q"),
    ],
)
def test_search_feed_rejects_bad_parameters_with_a_400_naming_them(client, db, params, param):
    response = client.get(reverse("articles:search_feed"), params)

    assert response.status_code == 400
    assert response.content.decode().startswith(f"{param}:")


def alternate_feeds(html: str) -> list[str]:
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', html)


def test_pages_announce_their_feeds(client, archive):
    source = archive[0].source
    entity = Entity.objects.create(kind=Entity.Kind.PLACE, name="بنغازي")
    Mention.objects.create(article=archive[0], entity=entity, surface="بنغازي", field="title", start=13, end=19)
    latest = reverse("articles:latest_feed")

    assert alternate_feeds(client.get(reverse("articles:home")).content.decode()) == [latest]
    source_page = client.get(source.get_absolute_url()).content.decode()
    assert alternate_feeds(source_page) == [latest, reverse("articles:source_feed", args=[source.pk])]
    entity_page = client.get(entity.get_absolute_url()).content.decode()
    assert alternate_feeds(entity_page) == [latest, reverse("articles:entity_feed", args=[entity.pk])]
    search_page = client.get(reverse("articles:search"), {"q": "بنغازي", "source": source.pk, "page": 1})
    feeds = alternate_feeds(search_page.content.decode())
    assert feeds[0] == latest and feeds[1].startswith("/search/feed/?q=") and "page" not in feeds[1]
    assert f"source={source.pk}" in feeds[1].replace("&amp;", "&")


def test_a_search_page_without_a_search_announces_no_search_feed(client, db):
    html = client.get(reverse("articles:search")).content.decode()

    assert alternate_feeds(html) == [reverse("articles:latest_feed")]
