"""The search page's structure: one search box, the period as date inputs, the facets as a panel."""

import re
from datetime import date

import pytest
from django.urls import reverse

from articles.search import indexing as search

pytestmark = pytest.mark.usefixtures("search_index")


@pytest.fixture
def archive(make_article):
    articles = [
        make_article("افتتاح مستشفى في بنغازي", "افتتحت وزارة الصحة مستشفى في بنغازي.",
                     source="صحيفة الأفق", published_on=date(2018, 3, 2)),
        make_article("أمطار على بنغازي", "هطلت أمطار على بنغازي.", source="صحيفة الأفق", published_on=date(2019, 1, 9)),
    ]
    search.index_articles([a.pk for a in articles])
    return articles


def search_page(client, **params):
    response = client.get(reverse("articles:search"), params)
    return response, response.content.decode()


def test_the_search_page_has_one_search_box(client, archive):
    _, html = search_page(client, q="بنغازي")

    assert html.count('role="search"') == 1
    assert len(re.findall(r'<input[^>]*name="q"', html)) == 1


def test_other_pages_keep_the_header_search_box(client, archive):
    html = client.get(reverse("articles:home")).content.decode()

    assert 'class="search-box" role="search"' in html


@pytest.mark.parametrize(
    "params, shown_from, shown_to",
    [
        ({"from": "2018-03-01", "to": "2018-03-31"}, "2018-03-01", "2018-03-31"),
        ({"from": "2018", "to": "2018"}, "2018-01-01", "2018-12-31"),
        ({"month": "2018-03"}, "2018-03-01", "2018-03-31"),
        ({"from": "2018-03"}, "2018-03-01", ""),
        ({}, "", ""),
    ],
)
def test_date_inputs_show_the_period_searched(client, archive, params, shown_from, shown_to):
    _, html = search_page(client, q="بنغازي", **params)

    assert f'type="date" name="from" value="{shown_from}"' in html
    assert f'type="date" name="to" value="{shown_to}"' in html


def test_date_inputs_replace_the_period_parameters_instead_of_repeating_them(client, archive):
    _, html = search_page(client, q="بنغازي", month="2018-03", source=archive[0].source_id)

    assert not re.search(r'type="hidden" name="(from|to|month|year)"', html)
    assert f'type="hidden" name="source" value="{archive[0].source_id}"' in html


@pytest.mark.parametrize(
    "params, label, invalid",
    [
        ({"from": "13-2018"}, "من تاريخ: تاريخ غير صالح «13-2018»", "from"),
        ({"to": "2018-02-30"}, "إلى تاريخ: تاريخ غير صالح «2018-02-30»", "to"),
        ({"month": "2018"}, "الشهر: شهر غير صالح «2018»", "from"),
        ({"from": "2019", "to": "2018"}, "من تاريخ: تاريخ البداية", "from"),
    ],
)
def test_a_bad_date_names_its_field_and_marks_the_input_to_correct(client, archive, params, label, invalid):
    response, html = search_page(client, q="بنغازي", **params)

    assert response.status_code == 400
    assert label in html
    (marked,) = re.findall(r'<input[^>]*aria-invalid="true"[^>]*>', html)
    assert f'name="{invalid}"' in marked and 'aria-describedby="search-error"' in marked


def test_a_valid_date_is_kept_when_the_other_is_wrong(client, archive):
    _, html = search_page(client, q="بنغازي", **{"from": "2018-03-01", "to": "2018-13-01"})

    assert 'type="date" name="from" value="2018-03-01"' in html


def test_facets_are_a_panel_before_the_results(client, archive):
    _, html = search_page(client, q="بنغازي")

    panel = html.index('<details class="facets-panel" open>')
    assert "تصفية النتائج" in html[panel:panel + 200]
    assert panel < html.index('class="card hit"')
    assert "صحيفة الأفق" in html[panel:html.index("</details>")]
