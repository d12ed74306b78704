"""``/api/suggest``: what the search box offers as the reader types."""

from datetime import date

import pytest
from django.urls import reverse

from articles import services
from articles.models import Entity
from articles.search import indexing as search

pytestmark = pytest.mark.usefixtures("search_index")
SUGGEST = reverse("articles:api_suggest")


@pytest.fixture
def archive(make_article, reference_text):
    services.ingest_paste(text=reference_text)
    articles = [
        make_article("افتتاح سوق جديد في الإسكندرية", "افتتح سوق للأسماك.", source="اليوم السابع",
                     published_on=date(2024, 1, 14)),
        make_article("الإسكندرية تطلق تطبيقا للمواقف", "تطبيق لحجز المواقف.", source="اليوم السابع"),
        make_article("أمطار على الإسكندرية", "هطلت أمطار غزيرة.", source="الأهرام"),
    ]
    search.index_articles([a.pk for a in articles])
    return articles


def suggest(client, q):
    response = client.get(SUGGEST, {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_titles_are_found_by_a_prefix_of_their_words_whatever_the_hamza(client, archive):
    results = suggest(client, "الاسكندر")

    titles = [r["label"] for r in results if r["kind"] == "article"]
    assert sorted(titles) == sorted(a.title for a in archive)
    first = next(r for r in results if r["kind"] == "article")
    assert first["url"].startswith("http://testserver/articles/")
    assert first["kind_label"] == "مقال"


def test_outlets_match_from_the_start_of_any_word_most_articles_first(client, archive):
    results = suggest(client, "السا")

    outlets = [r for r in results if r["kind"] == "source"]
    assert [(o["label"], o["count"]) for o in outlets] == [("اليوم السابع", 2)]
    assert outlets[0]["url"] == f"http://testserver/sources/{archive[0].source_id}/"
    assert outlets[0]["kind_label"] == "مصدر"


def test_entities_come_with_their_kind_and_an_organisation_is_found_with_its_al(client, archive):
    person = suggest(client, "خالد الش")
    organisation = suggest(client, "الهيئة العا")

    assert [(r["label"], r["entity_kind"], r["kind_label"]) for r in person if r["kind"] == "entity"] == [
        ("خالد الشريف", "PERS", "شخص")
    ]
    hay = Entity.objects.get(name="الهيئة العامة للمياه")
    assert {"kind": "entity", "label": hay.name, "url": f"http://testserver/entities/{hay.pk}/"}.items() <= next(
        r for r in organisation if r["kind"] == "entity"
    ).items()


def test_names_come_before_titles_and_there_are_at_most_ten(client, archive, make_article):
    more = [make_article(f"طرابلس تستضيف معرضا رقم {n}", f"نص {n}") for n in range(12)]
    search.index_articles([a.pk for a in more])

    results = suggest(client, "طرابلس")

    assert len(results) == 10
    assert results[0]["kind"] == "entity" and results[0]["label"] == "طرابلس"
    assert {r["kind"] for r in results[1:]} == {"article"}


def test_a_title_must_hold_the_typed_words_not_just_its_body(client, archive):
    assert [r for r in suggest(client, "غزيرة") if r["kind"] == "article"] == []


@pytest.mark.parametrize("q", ["", " ", "ا", "   ب  "])
def test_fewer_than_two_letters_suggest_nothing(client, archive, q):
    assert suggest(client, q) == []


def test_an_overlong_text_is_a_400_naming_q(client, archive):
    response = client.get(SUGGEST, {"q": "ب" * 101})

    assert response.status_code == 400
    assert response.json()["param"] == "q"


def test_suggest_is_get_only(client, archive):
    assert client.post(SUGGEST, {"q": "طرابلس"}).status_code == 405


def test_pages_load_the_autocomplete_script_with_the_api_address(client, archive):
    html = client.get(reverse("articles:home")).content.decode()

    assert f'data-suggest-url="{SUGGEST}"' in html
    assert 'data-search-url="/search/"' in html
    assert 'src="/static/js/suggest.js"' in html and " defer" in html
