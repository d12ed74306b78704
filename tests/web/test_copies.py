"""Syndicated copies as readers see them: the result card, the article page and the API."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from articles import services
from articles.models import Article, Source
from articles.search import indexing
from tests.syndication_texts import WIRE, WIRE_COPY

pytestmark = pytest.mark.usefixtures("search_index")


@pytest.fixture
def group(db):
    stored = []
    for number, (outlet, day, body) in enumerate(
        [("صحيفة الأفق", 5, WIRE), ("بوابة الوسط", 6, WIRE_COPY), ("الشروق", 7, WIRE_COPY + "\n\nوكالات")]
    ):
        stored.append(
            services.save_article(
                article=Article(title=f"مستشفى للأطفال {number}", body=body,
                                source=Source.objects.create(name=outlet), published_on=date(2024, 3, day))
            )
        )
    indexing.flush()
    return stored


@pytest.mark.parametrize(
    "count, text",
    [(0, ""), (1, "نسخة أخرى"), (2, "نسختان أخريان"), (3, "3 نسخ أخرى"), (10, "10 نسخ أخرى"), (11, "11 نسخة أخرى")],
)
def test_the_card_names_the_other_copies_in_arabic_and_links_to_the_article(count, text):
    html = render_to_string("includes/copies_link.html", {"count": count, "url": "/articles/7/"})

    if count:
        assert f'<a href="/articles/7/#copies">{text}</a>' in html
    else:
        assert html.strip() == ""


def test_search_results_show_the_group_once_with_its_copies(client, group):
    lead = group[0]

    html = client.get(reverse("articles:search"), {"q": "مستشفى الأطفال"}).content.decode()

    assert html.count('class="card hit"') == 1
    assert f'<a href="{lead.get_absolute_url()}#copies">نسختان أخريان</a>' in html


def test_the_article_page_lists_the_other_copies_with_outlet_date_and_link(client, group):
    lead, second, third = group

    html = client.get(second.get_absolute_url()).content.decode()

    assert 'id="copies"' in html
    for other, outlet, day in ((lead, "صحيفة الأفق", "5 مارس 2024"), (third, "الشروق", "7 مارس 2024")):
        assert f'<a href="{other.get_absolute_url()}"><bdi>{outlet}</bdi></a>' in html
        assert day in html
    assert f'<a href="{second.get_absolute_url()}">' not in html


def test_an_article_without_copies_has_no_copies_section(client, make_article):
    alone = make_article("خبر وحيد", "نص قصير")

    assert 'id="copies"' not in client.get(alone.get_absolute_url()).content.decode()


def test_the_article_api_lists_its_copies(client, group):
    lead, second, third = group

    data = client.get(reverse("articles:api_article", kwargs={"pk": lead.pk})).json()

    assert [(c["id"], c["source"]["name"], c["published_on"]) for c in data["copies"]] == [
        (third.pk, "الشروق", "2024-03-07"),
        (second.pk, "بوابة الوسط", "2024-03-06"),
    ]
    assert data["copies"][0]["url"].endswith(third.get_absolute_url())
