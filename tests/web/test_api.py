"""The search page, ``/api/search`` and related coverage as a browser and an API client see them."""

from datetime import date

import pytest
from django.urls import reverse

from articles.search import indexing as search

pytestmark = pytest.mark.usefixtures("search_index")


@pytest.fixture
def archive(make_article):
    articles = [
        make_article("افتتاح مستشفى جديد في بنغازي", "افتتحت وزارة الصحة مستشفى جديداً في مدينة بنغازي.",
                     source="صحيفة الأفق", published_on=date(2023, 5, 2)),
        make_article("أمطار غزيرة على بنغازي", "هطلت أمطار غزيرة على مدينة بنغازي طوال الليل.",
                     source="النهار اليومية", published_on=date(2024, 1, 9)),
        make_article("مهرجان الكتاب في طرابلس", "انطلق مهرجان الكتاب في طرابلس بمشاركة دور نشر عربية.",
                     source="صحيفة الأفق", published_on=None),
    ]
    search.index_articles([a.pk for a in articles])
    return articles


def test_api_search_returns_results_facets_and_paging(client, archive):
    response = client.get(reverse("articles:api_search"), {"q": "بنغازى"})

    data = response.json()
    assert response.status_code == 200
    assert data["count"] == 2 and data["page"] == 1
    first = data["results"][0]
    assert {"id", "title", "url", "published_on", "source", "snippet"} <= first.keys()
    assert first["url"].startswith("http://testserver/articles/")
    assert "<mark>بنغازي</mark>" in first["snippet"]
    assert {f["name"] for f in data["facets"]["sources"]} == {"صحيفة الأفق", "النهار اليومية"}
    assert {f["year"] for f in data["facets"]["years"]} == {2023, 2024}
    assert "suggestion" in data


def test_api_search_filters_by_outlet_and_date_and_sorts(client, archive):
    source = archive[0].source
    url = reverse("articles:api_search")

    by_source = client.get(url, {"q": "بنغازي", "source": source.pk}).json()
    by_year = client.get(url, {"q": "بنغازي", "from": "2024", "to": "2024"}).json()
    oldest = client.get(url, {"q": "بنغازي", "sort": "oldest"}).json()

    assert [r["id"] for r in by_source["results"]] == [archive[0].pk]
    assert [r["id"] for r in by_year["results"]] == [archive[1].pk]
    assert [r["published_on"] for r in oldest["results"]] == ["2023-05-02", "2024-01-09"]


@pytest.mark.parametrize(
    "params, param",
    [
        ({"q": "x", "page": "0"}, "page"),
        ({"q": "x", "page": "abc"}, "page"),
        ({"q": "x", "from": "2024-13"}, "from"),
        ({"q": "x", "sort": "random"}, "sort"),
        ({"q": "x", "mode": "fuzzy"}, "mode"),
        ({"q": "x", "source": "-1"}, "source"),
    ],
)
def test_api_bad_parameter_is_a_400_naming_it(client, archive, params, param):
    response = client.get(reverse("articles:api_search"), params)

    assert response.status_code == 400
    assert response.json()["param"] == param
    assert response.json()["error"]


def test_malformed_query_syntax_is_not_an_error(client, archive):
    for q in ['"بنغازي', "-", "OR بنغازي OR", "*", "(("]:
        assert client.get(reverse("articles:api_search"), {"q": q}).status_code == 200


def test_search_page_shows_hits_with_marks_facets_and_removable_filters(client, archive):
    source = archive[0].source
    response = client.get(reverse("articles:search"), {"q": "بنغازي", "source": source.pk, "page": 1})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "<mark>بنغازي</mark>" in html
    assert archive[0].get_absolute_url() in html
    assert archive[1].title not in html
    (label, value, remove_url) = response.context["active_filters"][0]
    assert value == "صحيفة الأفق"
    assert "source=" not in remove_url and "q=" in remove_url


def test_search_page_bad_parameter_is_an_arabic_error_with_400(client, archive):
    response = client.get(reverse("articles:search"), {"q": "بنغازي", "from": "أمس"})

    assert response.status_code == 400
    assert "تعذّر تنفيذ البحث" in response.content.decode()


def test_search_page_without_results_says_so_in_arabic(client, archive):
    html = client.get(reverse("articles:search"), {"q": "زلزال"}).content.decode()

    assert "لا توجد نتائج" in html


def test_search_box_is_on_every_page(client, archive):
    for url in [reverse("articles:home"), archive[0].get_absolute_url(), reverse("articles:sources")]:
        assert f'action="{reverse("articles:search")}"' in client.get(url).content.decode()


def test_search_page_escapes_the_query(client, archive):
    html = client.get(reverse("articles:search"), {"q": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)</script>" not in html


def test_a_page_past_the_last_is_a_400_in_the_api(client, archive):
    response = client.get(reverse("articles:api_search"), {"q": "بنغازي", "page": 99})

    assert response.status_code == 400
    assert response.json()["param"] == "page"
    assert "99" in response.json()["error"]


def test_a_page_past_the_last_is_a_404_on_the_search_page(client, archive):
    last = client.get(reverse("articles:search"), {"q": "بنغازي", "page": 1})
    past = client.get(reverse("articles:search"), {"q": "بنغازي", "page": 2})

    assert last.status_code == 200
    assert past.status_code == 404
    html = past.content.decode()
    assert "لا توجد صفحة 2" in html and "صفحة 2 من 1" not in html


def test_a_search_without_results_still_answers_its_first_page(client, archive):
    assert client.get(reverse("articles:api_search"), {"q": "زلزال"}).status_code == 200


@pytest.fixture
def coverage(make_article):
    articles = [
        make_article("أمطار غزيرة تغرق شوارع بنغازي", "أغرقت الأمطار الغزيرة شوارع مدينة بنغازي وأغلقت الطرق.",
                     source="صحيفة الأفق", published_on=date(2024, 1, 9)),
        make_article("استمرار الأمطار في بنغازي", "تستمر الأمطار الغزيرة في بنغازي والطرق مغلقة.",
                     source="النهار اليومية", published_on=date(2024, 1, 10)),
        make_article("مهرجان الكتاب في طرابلس", "انطلق مهرجان الكتاب في طرابلس بمشاركة دور نشر عربية."),
    ]
    search.index_articles([a.pk for a in articles])
    return articles


def test_api_related_lists_coverage_of_the_same_story_like_search_results(client, coverage):
    response = client.get(reverse("articles:api_related", args=[coverage[0].pk]))

    assert response.status_code == 200
    (first,) = response.json()["results"]
    assert first == {
        "id": coverage[1].pk,
        "title": "استمرار الأمطار في بنغازي",
        "url": "http://testserver" + coverage[1].get_absolute_url(),
        "published_on": "2024-01-10",
        "source": {"id": coverage[1].source_id, "name": "النهار اليومية"},
    }


def test_api_related_of_an_unknown_article_is_a_json_404(client, coverage):
    response = client.get(reverse("articles:api_related", args=[999999]))

    assert response.status_code == 404
    assert "999999" in response.json()["error"]


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "51", "2.5"])
def test_api_related_bad_limit_is_a_400_naming_it(client, coverage, limit):
    response = client.get(reverse("articles:api_related", args=[coverage[0].pk]), {"limit": limit})

    assert response.status_code == 400
    assert response.json()["param"] == "limit"


def test_article_page_shows_related_coverage_only_when_there_is_some(client, coverage):
    with_coverage = client.get(coverage[0].get_absolute_url()).content.decode()
    without = client.get(coverage[2].get_absolute_url()).content.decode()

    assert "تغطيات ذات صلة" in with_coverage
    assert coverage[1].get_absolute_url() in with_coverage
    assert "تغطيات ذات صلة" not in without


def test_every_api_response_lists_articles_in_one_shape(client, archive, make_article):
    main = archive[0]
    cited = make_article("ملحق عن المستشفى", "تفاصيل عن المستشفى الجديد في بنغازي.", source="النهار اليومية",
                         published_on=None)
    main.related.add(cited, through_defaults={"position": 0})
    summary_keys = {"id", "title", "url", "published_on", "source"}

    found = next(r for r in client.get(reverse("articles:api_search"), {"q": "مستشفى"}).json()["results"]
                 if r["id"] == main.pk)
    detail = client.get(reverse("articles:api_article", args=[main.pk])).json()

    expected = {
        "id": main.pk,
        "title": main.title,
        "url": "http://testserver" + main.get_absolute_url(),
        "published_on": "2023-05-02",
        "source": {"id": main.source_id, "name": "صحيفة الأفق"},
    }
    assert {key: found[key] for key in summary_keys} == expected
    assert {key: detail[key] for key in summary_keys} == expected
    (related,) = detail["related"]
    assert related == {
        "id": cited.pk,
        "title": "ملحق عن المستشفى",
        "url": "http://testserver" + cited.get_absolute_url(),
        "published_on": None,
        "source": {"id": cited.source_id, "name": "النهار اليومية"},
    }


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("get", "/api/articles/999999", 404),
        ("get", "/api/articles/999999/related", 404),
        ("get", "/api/no-such-endpoint", 404),
        ("get", "/api/articles/abc", 404),
        ("post", "/api/search", 405),
        ("delete", "/api/articles/1", 405),
    ],
)
def test_api_errors_are_json_with_their_status(client, archive, method, path, status):
    response = getattr(client, method)(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["status"] == status and data["error"]


def test_a_wrong_method_names_the_allowed_ones(client, archive):
    response = client.post(reverse("articles:api_search"))

    assert response["Allow"] == "GET"
    assert "POST" in response.json()["error"] and "GET" in response.json()["error"]


def test_a_bad_api_parameter_carries_its_status_and_name(client, archive):
    data = client.get(reverse("articles:api_search"), {"from": "2018-13"}).json()

    assert data["status"] == 400 and data["param"] == "from"


def test_unknown_pages_outside_the_api_stay_html(client, archive):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
