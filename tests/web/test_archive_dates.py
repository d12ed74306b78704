"""Browsing by date: the year index, year, month and day pages, their calendars and links."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.archive_views import month_weeks
from articles.models import Entity, Mention

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated(make_article):
    """Articles on 15 March 2018 (three), 20 March 2018, 2 May 2018, 1 January 2020, and one undated."""
    days = [date(2018, 3, 15)] * 3 + [date(2018, 3, 20), date(2018, 5, 2), date(2020, 1, 1), None]
    return [
        make_article(f"خبر رقم {n}", f"نص الخبر رقم {n}.", source="صحيفة الأفق", published_on=day)
        for n, day in enumerate(days)
    ]


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def calendar_cell(html: str, day: int) -> str:
    """The month calendar's cell of ``day``."""
    cells = re.findall(r"(<td[^>]*>.*?</td>)", html.split('class="calendar-month"')[1], flags=re.S)
    return next(cell for cell in cells if re.search(rf'<span class="day">{day}</span>', cell))


@pytest.mark.parametrize(
    "year, month, first_week, weeks",
    [
        # 1 March 2018 was a Thursday: five padding days before it, and 31 March a Saturday alone in a sixth week.
        (2018, 3, [None] * 5 + [1, 2], 6),
        # 1 February 2020 was a Saturday: no padding, and 29 days end on a Saturday.
        (2020, 2, [1, 2, 3, 4, 5, 6, 7], 5),
    ],
)
def test_month_weeks_start_on_saturday_and_pad_with_empty_days(year, month, first_week, weeks):
    grid = month_weeks(year, month, {1: 4})

    assert [day.day if day else None for day, _ in grid[0]] == first_week
    assert len(grid) == weeks
    counts = {day.day: n for week in grid for day, n in week if day}
    assert counts[1] == 4 and counts[2] == 0


def test_month_page_calendar_counts_articles_per_day_and_links_the_days(client, dated):
    html = html_of(client, "/archive/2018/03/")

    assert "أرشيف مارس 2018" in html
    fifteenth = calendar_cell(html, 15)
    assert 'href="/archive/2018/03/15/"' in fifteenth and '<span class="n">3</span>' in fifteenth
    assert '<span class="n">1</span>' in calendar_cell(html, 20)
    assert "href" not in calendar_cell(html, 16)
    assert html.count('class="card"') == 4


def test_month_page_costs_the_same_queries_however_many_days_have_articles(client, dated, make_article):
    with CaptureQueriesContext(connection) as two_days:
        client.get("/archive/2018/03/")
    for day in range(1, 13):
        make_article(f"خبر اليوم {day}", f"نص اليوم {day}", published_on=date(2018, 3, day))
    with CaptureQueriesContext(connection) as fourteen_days:
        html = client.get("/archive/2018/03/").content.decode()

    assert '<span class="n">1</span>' in calendar_cell(html, 12)
    assert len(fourteen_days) == len(two_days)


def test_year_page_shows_twelve_months_with_counts_linking_to_months_that_have_articles(client, dated):
    html = html_of(client, "/archive/2018/")

    months = re.findall(r"<li>(.*?)</li>", html.split('class="calendar-year')[1].split("</ol>")[0], flags=re.S)
    assert len(months) == 12
    assert 'href="/archive/2018/03/"' in months[2] and "مارس" in months[2] and ">4<" in months[2]
    assert 'href="/archive/2018/05/"' in months[4] and ">1<" in months[4]
    assert "href" not in months[3] and "إبريل" in months[3]
    assert "5 مقالات" in html


def test_index_lists_years_with_counts_and_the_undated_count(client, dated):
    html = html_of(client, reverse("articles:archive"))

    assert re.search(r'href="/archive/2018/">.*?2018.*?<span class="count">5</span>', html, flags=re.S)
    assert re.search(r'href="/archive/2020/">.*?<span class="count">1</span>', html, flags=re.S)
    assert html.index("/archive/2020/") < html.index("/archive/2018/")
    assert "مقال واحد بلا تاريخ نشر" in html


def test_day_page_lists_that_days_articles_under_an_arabic_date(client, dated):
    html = html_of(client, "/archive/2018/03/15/")

    assert "15 مارس 2018" in html
    assert html.count('class="card"') == 3
    assert 'aria-current="date"' in calendar_cell(html, 15)


@pytest.mark.parametrize(
    "url, previous, following",
    [
        # April 2018 and 2019 have no articles: the links jump over them.
        ("/archive/2018/05/", "/archive/2018/03/", "/archive/2020/01/"),
        ("/archive/2018/03/20/", "/archive/2018/03/15/", "/archive/2018/05/02/"),
        ("/archive/2018/", None, "/archive/2020/"),
        ("/archive/2020/", "/archive/2018/", None),
    ],
)
def test_previous_and_next_links_skip_empty_periods(client, dated, url, previous, following):
    html = html_of(client, url)

    found_previous = re.search(r'rel="prev" href="([^"]+)"', html.split('class="calendar-nav"')[1])
    found_next = re.search(r'rel="next" href="([^"]+)"', html.split('class="calendar-nav"')[1].split("</nav>")[0])
    assert (found_previous.group(1) if found_previous else None) == previous
    assert (found_next.group(1) if found_next else None) == following


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2018/13/",
        "/archive/2018/00/",
        "/archive/2018/02/30/",
        "/archive/2018/04/",  # a real month without articles
        "/archive/2019/",
        "/archive/2018/3/",  # months and days have two digits
    ],
)
def test_bad_or_empty_dates_are_404(client, dated, url):
    assert client.get(url).status_code == 404


def test_a_bad_page_number_gives_a_page_not_an_error(client, make_article):
    for n in range(25):
        make_article(f"خبر {n}", f"نص {n}", published_on=date(2018, 3, 15))

    second = client.get("/archive/2018/03/15/", {"page": 2})
    bad = client.get("/archive/2018/03/15/", {"page": "abc"})

    assert second.status_code == 200 and len(second.context["page"]) == 5
    assert bad.status_code == 200 and bad.context["page"].number == 1


def test_article_dates_on_cards_and_the_article_page_link_to_the_day(client, dated):
    article = dated[0]

    for url in [reverse("articles:home"), article.get_absolute_url()]:
        assert re.search(r'<a href="/archive/2018/03/15/"><time datetime="2018-03-15">', html_of(client, url)), url


def test_entity_timeline_shows_empty_months_and_links_each_month_to_the_filtered_search(client, dated):
    entity = Entity.objects.create(kind=Entity.Kind.PLACE, name="بنغازي")
    for article in dated[:2] + dated[4:5]:
        Mention.objects.create(article=article, entity=entity, surface="بنغازي", field="body", start=0, end=6)

    html = html_of(client, entity.get_absolute_url())
    timeline = html.split('class="timeline')[1].split("</ol>")[0]

    march = f'<a class="month" href="/search/?entity={entity.pk}&amp;from=2018-03&amp;to=2018-03">مارس 2018</a>'
    assert march in timeline
    assert f"entity={entity.pk}&amp;from=2018-05&amp;to=2018-05" in timeline
    # April has no article: it is there, without a link, so the gap shows.
    assert re.search(r'<li class="empty-month"><span class="month">[^<]+ 2018</span><span class="bar">', timeline)
