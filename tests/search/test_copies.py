"""Syndicated copies in search: a group is one result with its count of other copies."""

from datetime import date

import pytest

from articles import services
from articles.models import Article, Source
from articles.search import indexing
from articles.search.service import parse_search_params, search_articles
from tests.syndication_texts import REWRITE, WIRE, WIRE_COPY

pytestmark = pytest.mark.usefixtures("search_index")


def find(q="", **params):
    return search_articles(parse_search_params({"q": q, **{k: str(v) for k, v in params.items()}}))


@pytest.fixture
def wire(db):
    """One agency text from three outlets (stored in this order), and a rewrite of the story."""
    outlets = [Source.objects.create(name=name) for name in ("الأفق", "الوسط", "الشروق", "المرصد")]
    stored = []
    for number, (outlet, body, day) in enumerate(
        [(outlets[0], WIRE, 5), (outlets[1], WIRE_COPY, 6), (outlets[2], WIRE_COPY + "\n\nوكالات", 4),
         (outlets[3], REWRITE, 5)]
    ):
        stored.append(
            services.save_article(
                article=Article(
                    title=f"مستشفى الأطفال {number}", body=body, source=outlet, published_on=date(2024, 3, day)
                )
            )
        )
    indexing.flush()
    return stored


def test_a_group_is_listed_once_by_its_lead_with_the_count_of_other_copies(wire):
    lead, _second, _third, rewrite = wire

    page = find("مستشفى الأطفال سبها")

    assert page.count == 2
    assert {hit.id for hit in page.results} == {lead.pk, rewrite.pk}
    assert {hit.id: hit.copies for hit in page.results} == {lead.pk: 2, rewrite.pk: 0}
    assert sorted(item["copies"] for item in page.as_json(absolute=lambda path: path)["results"]) == [0, 2]
    assert indexing.compare().clean


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_every_order_lists_the_group_once(wire, sort):
    page = find("مستشفى", sort=sort)

    assert page.count == 2 and len(page.results) == 2


def test_filtering_by_an_outlet_shows_that_outlets_own_copy(wire):
    _lead, second, third, _rewrite = wire

    for copy in (second, third):
        page = find("مستشفى", source=copy.source_id)
        assert [(hit.id, hit.copies) for hit in page.results] == [(copy.pk, 2)]


def test_outlet_facets_count_what_choosing_them_lists(wire):
    page = find("مستشفى")

    facets = {item["name"]: item["count"] for item in page.facets["sources"]}
    assert facets == {"الأفق": 1, "الوسط": 1, "الشروق": 1, "المرصد": 1}
    for item in page.facets["sources"]:
        assert find("مستشفى", source=item["id"]).count == item["count"]
    # The group has three members but counts once in its year.
    assert page.facets["years"] == [{"year": 2024, "count": 2}]


def test_deleting_the_lead_lists_the_group_under_the_next_copy(wire):
    lead, second, _third, rewrite = wire

    services.delete_articles(articles=[lead])
    indexing.flush()

    page = find("مستشفى سبها")
    assert {(hit.id, hit.copies) for hit in page.results} == {(second.pk, 1), (rewrite.pk, 0)}
    assert indexing.compare().clean


def test_an_archive_without_copies_lists_every_match(db, make_article):
    first = make_article("أمطار على الساحل", "أمطار غزيرة على الساحل الليبي")
    second = make_article("أمطار في الجبل", "أمطار خفيفة في الجبل الأخضر")
    indexing.index_articles([first.pk, second.pk])

    page = find("أمطار")

    assert page.count == 2 and {hit.copies for hit in page.results} == {0}
