import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(reference_text):
    services.ingest_paste(text=reference_text)
    return Article.objects.get(title__startswith="الوزير")


def test_pages_are_arabic_and_right_to_left(client, seed):
    for url in [reverse("articles:home"), seed.get_absolute_url(), reverse("articles:sources")]:
        html = client.get(url).content.decode()
        assert '<html lang="ar" dir="rtl">' in html, url
        assert 'name="viewport"' in html


def test_home_lists_latest_articles_with_outlet_and_arabic_date(client, seed):
    html = client.get(reverse("articles:home")).content.decode()

    assert seed.title in html
    assert "12 مارس 2023" in html
    assert "صحيفة الأفق الليبية" in html


def test_home_paginates_and_survives_a_bad_page_number(client):
    for n in range(25):
        services.ingest_paste(text=f"خبر رقم {n} عن الطقس\nكتب سالم\nتوقعت الأرصاد طقساً معتدلاً في اليوم رقم {n} من الشهر.\n")

    page2 = client.get(reverse("articles:home"), {"page": 2})
    bad = client.get(reverse("articles:home"), {"page": "abc"})

    assert page2.status_code == 200 and len(page2.context["page"]) == 5
    assert bad.status_code == 200


def test_article_page_shows_date_outlet_byline_paragraphs_and_related_both_ways(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()

    assert "الأحد 12 مارس 2023" in html
    assert "متابعات" in html
    assert html.split('<div class="article-body">')[1].split("</div>")[0].count("<p dir=\"auto\">") == 3
    related = seed.related_articles().get()
    assert related.get_absolute_url() in html
    back = client.get(related.get_absolute_url()).content.decode()
    assert seed.get_absolute_url() in back


def test_article_text_is_escaped(client):
    services.ingest_paste(text="<b>عنوان</b> فيه وسم\nنص المقال فيه <script>alert(1)</script> ومحاولة حقن.\n")
    article = Article.objects.get()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html


def test_undated_article_says_its_date_is_unknown(client):
    services.ingest_paste(text="خبر بلا تاريخ عن الأمطار\nهطلت أمطار غزيرة على المدينة طوال الليل.\n")

    html = client.get(Article.objects.get().get_absolute_url()).content.decode()

    assert "تاريخ النشر غير معروف" in html


def test_source_page_lists_its_articles(client, seed):
    source = Source.objects.get()

    html = client.get(source.get_absolute_url()).content.decode()

    assert seed.title in html
    assert "صحيفة الأفق الليبية" in html


def test_missing_article_is_404(client, db):
    assert client.get(reverse("articles:detail", args=[999])).status_code == 404
