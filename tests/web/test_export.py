"""``/api/search/export``: every match of a search as CSV or JSON Lines, and the page's links to it."""

import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse

from articles.exports import spreadsheet_safe
from articles.search import indexing as search

pytestmark = pytest.mark.usefixtures("search_index")
EXPORT = reverse("articles:api_search_export")


@pytest.fixture
def archive(make_article):
    articles = [
        make_article("افتتاح مستشفى جديد في بنغازي", "افتتحت وزارة الصحة مستشفى في بنغازي.\n\nوحضر الافتتاح الوزير.",
                     source="صحيفة الأفق", published_on=date(2023, 5, 2), byline="سالم علي"),
        make_article("=HYPERLINK(\"http://evil\") أمطار على بنغازي", "هطلت أمطار غزيرة على بنغازي.",
                     source="النهار اليومية", published_on=date(2024, 1, 9), desk="متابعات"),
        make_article("-مهرجان الكتاب في طرابلس", "انطلق مهرجان الكتاب في طرابلس.", published_on=None),
    ]
    search.index_articles([a.pk for a in articles])
    return articles


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).removeprefix("\ufeff"))))


def test_csv_export_has_a_bom_a_header_and_every_match_in_order(client, archive):
    response = client.get(EXPORT, {"q": "بنغازي", "sort": "oldest", "format": "csv"})

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="archive-search.csv"' == response["Content-Disposition"]
    assert response["X-Total-Count"] == "2"
    text = body(client.get(EXPORT, {"q": "بنغازي"}))
    assert text.startswith("\ufeffid,title,url,published_on,source,byline,desk\r\n")
    header, first, second = csv_rows(response)
    assert first == [
        str(archive[0].pk), "افتتاح مستشفى جديد في بنغازي", f"http://testserver/articles/{archive[0].pk}/",
        "2023-05-02", "صحيفة الأفق", "سالم علي", "",
    ]
    assert second[0] == str(archive[1].pk) and second[3:] == ["2024-01-09", "النهار اليومية", "", "متابعات"]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, archive):
    rows = csv_rows(client.get(EXPORT, {"sort": "oldest"}))

    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles[str(archive[1].pk)] == "'=HYPERLINK(\"http://evil\") أمطار على بنغازي"
    assert titles[str(archive[2].pk)] == "'-مهرجان الكتاب في طرابلس"


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("+966 5", "'+966 5"),
        ("-مهرجان", "'-مهرجان"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("بنغازي = طرابلس", "بنغازي = طرابلس"),
        ("2024-01-09", "2024-01-09"),
        ("", ""),
    ],
)
def test_spreadsheet_safe_prefixes_formula_starts_only(value, safe):
    assert spreadsheet_safe(value) == safe


def test_jsonl_export_has_one_object_per_line_with_body_and_source(client, archive):
    response = client.get(EXPORT, {"q": "بنغازي", "format": "jsonl", "sort": "newest"})

    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    text = body(response)
    assert "بنغازي" in text  # Arabic as itself, not \u escapes
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["id"] for r in records] == [archive[1].pk, archive[0].pk]
    assert records[1] == {
        "id": archive[0].pk,
        "title": "افتتاح مستشفى جديد في بنغازي",
        "url": f"http://testserver/articles/{archive[0].pk}/",
        "published_on": "2023-05-02",
        "source": {"id": archive[0].source_id, "name": "صحيفة الأفق"},
        "byline": "سالم علي",
        "desk": None,
        "body": "افتتحت وزارة الصحة مستشفى في بنغازي.\n\nوحضر الافتتاح الوزير.",
    }
    assert records[0]["title"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet


def test_export_filters_like_the_search_page_and_ignores_page(client, archive):
    response = client.get(EXPORT, {"q": "بنغازي", "from": "2024", "page": "7", "format": "jsonl"})

    assert [json.loads(line)["id"] for line in body(response).splitlines()] == [archive[1].pk]


def test_export_stops_at_the_limit_and_reports_the_total(client, archive, settings):
    settings.ARCHIVE_EXPORT_LIMIT = 2

    capped = client.get(EXPORT, {"format": "jsonl", "sort": "oldest"})
    asked = client.get(EXPORT, {"format": "jsonl", "sort": "oldest", "limit": "1"})

    assert capped["X-Total-Count"] == "3"
    assert [json.loads(line)["id"] for line in body(capped).splitlines()] == [archive[0].pk, archive[1].pk]
    assert len(body(asked).splitlines()) == 1


def test_export_reads_the_matches_in_batches_without_repeating_any(archive):
    from articles.search import service

    params = service.SearchParams(q="", sort="oldest")
    matches = service.matching_ids(params, limit=10, batch=1)

    assert matches.count == 3
    assert list(matches.ids) == [archive[0].pk, archive[1].pk, archive[2].pk]


@pytest.mark.parametrize(
    "params, param",
    [
        ({"format": "xlsx"}, "format"),
        ({"limit": "0"}, "limit"),
        ({"limit": "10001"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"from": "2024-13"}, "from"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 501}, "q"),
    ],
)
def test_bad_export_parameter_is_a_400_naming_it(client, archive, params, param):
    response = client.get(EXPORT, params)

    assert response.status_code == 400
    assert response.json()["param"] == param
    assert response.json()["error"].startswith(param)


def test_export_of_no_match_is_the_header_alone(client, archive):
    response = client.get(EXPORT, {"q": "القاهرة"})

    assert response["X-Total-Count"] == "0"
    assert body(response) == "\ufeffid,title,url,published_on,source,byline,desk\r\n"


def test_results_page_links_both_exports_with_its_parameters(client, archive):
    html = client.get(reverse("articles:search"), {"q": "بنغازي", "sort": "newest", "page": "1"}).content.decode()

    assert f'href="{EXPORT}?q=%D8%A8%D9%86%D8%BA%D8%A7%D8%B2%D9%8A&amp;sort=newest&amp;format=csv"' in html
    assert f'href="{EXPORT}?q=%D8%A8%D9%86%D8%BA%D8%A7%D8%B2%D9%8A&amp;sort=newest&amp;format=jsonl"' in html
