"""The haystack backend's own entry points: «more like this» and the list of indexed documents."""

import pytest
from haystack import connections
from haystack.exceptions import SearchBackendError
from haystack.query import SearchQuerySet

from articles.search import indexing as search

pytestmark = pytest.mark.usefixtures("search_index")


def backend():
    return connections["default"].get_backend()


@pytest.fixture
def water_and_books(make_article):
    articles = {
        "water": make_article(
            "بلدية بنغازي تجدد شبكة المياه",
            "بدأت بلدية بنغازي تجديد شبكة المياه في أحياء الصابري والسلماني بعد شكاوى من انقطاع المياه.",
        ),
        "water2": make_article(
            "انقطاع المياه في أحياء بنغازي",
            "اشتكى سكان الصابري من انقطاع المياه أسبوعا، وقالت البلدية إن شبكة المياه القديمة تتسرب.",
        ),
        "water3": make_article(
            "مشروع مياه جديد في طرابلس",
            "أعلنت طرابلس مشروعا لتحسين شبكة المياه في الأحياء الجنوبية.",
        ),
        "books": make_article("معرض الكتاب في تونس", "افتتح معرض تونس الدولي للكتاب بمشاركة مئات الناشرين العرب."),
        "film": make_article("مهرجان السينما في المنستير", "يعرض المهرجان أفلاما عن البحر والصيادين."),
    }
    search.index_articles([a.pk for a in articles.values()])
    return articles


def test_more_like_this_ranks_articles_on_the_same_subject_first_without_the_article(water_and_books):
    found = backend().more_like_this(water_and_books["water"])

    ids = [int(result.pk) for result in found["results"]]
    assert ids[:2] == [water_and_books["water2"].pk, water_and_books["water3"].pk]
    assert water_and_books["water"].pk not in ids
    assert water_and_books["books"].pk not in ids and water_and_books["film"].pk not in ids
    assert found["hits"] == len(ids) == 2
    assert all(result.score > 0 for result in found["results"])


def test_more_like_this_through_haystacks_searchqueryset(water_and_books):
    similar = SearchQuerySet().more_like_this(water_and_books["water2"])

    assert [int(result.pk) for result in similar][0] == water_and_books["water"].pk
    assert water_and_books["water2"].pk not in {int(result.pk) for result in similar}
    assert similar[0].title == "بلدية بنغازي تجدد شبكة المياه"


def test_more_like_this_pages_and_narrows(water_and_books):
    first = backend().more_like_this(water_and_books["water"], start_offset=0, end_offset=1)
    second = backend().more_like_this(water_and_books["water"], start_offset=1, end_offset=2)
    narrowed = backend().more_like_this(water_and_books["water"], additional_query_string="title:طرابلس")

    assert [int(r.pk) for r in first["results"] + second["results"]] == [
        water_and_books["water2"].pk,
        water_and_books["water3"].pk,
    ]
    assert first["hits"] == second["hits"] == 2
    assert [int(r.pk) for r in narrowed["results"]] == [water_and_books["water3"].pk]


def test_more_like_this_of_an_unindexed_article_finds_nothing(water_and_books, make_article):
    unindexed = make_article("شبكة المياه", "شبكة المياه في بنغازي")

    assert backend().more_like_this(unindexed) == {"results": [], "hits": 0}


def test_indexed_documents_maps_every_haystack_id_to_the_stored_fields_asked_for(water_and_books):
    search.unindex_articles([water_and_books["film"].pk])

    documents = backend().indexed_documents(["title", "source"])

    expected = {a for name, a in water_and_books.items() if name != "film"}
    assert documents == {
        f"articles.article.{a.pk}": {"title": a.title, "source": None} for a in expected
    }
    assert backend().indexed_documents() == {f"articles.article.{a.pk}": {} for a in expected}


def test_indexed_documents_sees_the_latest_commit(water_and_books):
    article = water_and_books["books"]
    article.title = "معرض الكتاب يختتم"
    article.save()
    search.index_articles([article.pk])

    assert backend().indexed_documents(["title"])[f"articles.article.{article.pk}"] == {"title": "معرض الكتاب يختتم"}


@pytest.mark.parametrize("fieldname", ["text", "no_such_field"])
def test_indexed_documents_refuses_fields_the_index_does_not_store(water_and_books, fieldname):
    with pytest.raises(SearchBackendError, match=fieldname):
        backend().indexed_documents([fieldname])
