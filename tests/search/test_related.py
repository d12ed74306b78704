"""Related coverage («تغطيات ذات صلة») through the search backend, on a real Whoosh index."""

from datetime import date

import pytest

from articles.models import Entity, Mention
from articles.search import indexing as search
from articles.search.related import related_coverage

pytestmark = pytest.mark.usefixtures("search_index")

FLOOD = "غرقت أحياء مدينة درنة بعد انهيار السدين وأعلنت البلدية حالة الطوارئ وبدأت فرق الإنقاذ البحث عن المفقودين."


@pytest.fixture
def desk(make_article):
    articles = {
        "flood": make_article("فيضانات درنة تغرق الأحياء", FLOOD, source="الوسط", published_on=date(2023, 9, 11)),
        "follow_up": make_article(
            "فرق الإنقاذ تواصل البحث في درنة",
            "واصلت فرق الإنقاذ البحث عن المفقودين في درنة بعد انهيار السدين وغرق الأحياء.",
            source="ليبيا الأحرار", published_on=date(2023, 9, 13),
        ),
        "copy": make_article("فيضانات درنة تغرق أحياء المدينة", FLOOD + " نقلاً عن وكالة الأنباء.", source="المرصد",
                             published_on=date(2023, 9, 11)),
        "old_dams": make_article(
            "تقرير قديم عن سدود درنة", "حذر تقرير من انهيار السدين في درنة وطالب البلدية بصيانتهما.",
            source="الوسط", published_on=date(2010, 1, 5),
        ),
        "books": make_article("معرض الكتاب في تونس", "افتتح معرض تونس الدولي للكتاب بمشاركة مئات الناشرين العرب."),
    }
    articles["copy"].copy_of = articles["flood"]
    articles["copy"].save()
    search.index_articles([a.pk for a in articles.values()])
    return articles


def ids(hits):
    return [hit.id for hit in hits]


def test_related_coverage_finds_other_articles_on_the_story_but_not_the_article_or_its_copies(desk):
    found = related_coverage(article=desk["flood"])

    assert ids(found)[0] == desk["follow_up"].pk
    assert desk["flood"].pk not in ids(found) and desk["copy"].pk not in ids(found)
    assert desk["books"].pk not in ids(found)


def test_a_copy_does_not_list_its_lead_either(desk):
    assert {desk["flood"].pk, desk["copy"].pk}.isdisjoint(ids(related_coverage(article=desk["copy"])))


# Two candidates with the same words (so the same text score) apart from one title word the
# article does not have; the one that should lose is indexed first, so it wins a tie.
TWIN_BODY = "انهيار السدين في درنة وغرق الأحياء"


def test_coverage_from_the_same_days_ranks_above_the_same_text_years_older(desk, make_article):
    older = make_article("سدود درنة في تقرير", TWIN_BODY, published_on=date(2012, 9, 12))
    recent = make_article("سدود درنة في مقال", TWIN_BODY, published_on=date(2023, 9, 12))
    search.index_articles([older.pk, recent.pk])

    found = ids(related_coverage(article=desk["flood"], limit=10))

    assert found.index(recent.pk) < found.index(older.pk)


def test_an_article_naming_the_same_people_ranks_above_the_same_text_without_them(desk, make_article):
    without = make_article("سدود درنة في تقرير", TWIN_BODY, published_on=date(2023, 9, 12))
    naming = make_article("سدود درنة في مقال", TWIN_BODY, published_on=date(2023, 9, 12))
    mayor = Entity.objects.create(kind=Entity.Kind.PERSON, name="عبد المنعم الغيثي")
    for each in (desk["flood"], naming):
        Mention.objects.create(article=each, entity=mayor, surface=mayor.name, field="body", start=0, end=16)
    search.index_articles([desk["flood"].pk, without.pk, naming.pk])

    found = ids(related_coverage(article=desk["flood"], limit=10))

    assert found.index(naming.pk) < found.index(without.pk)


def test_limit_and_json_shape(desk):
    (first,) = related_coverage(article=desk["flood"], limit=1)

    assert first.as_json(absolute=lambda path: "https://archive.example" + path) == {
        "id": desk["follow_up"].pk,
        "title": "فرق الإنقاذ تواصل البحث في درنة",
        "url": f"https://archive.example/articles/{desk['follow_up'].pk}/",
        "published_on": "2023-09-13",
        "source": {"id": desk["follow_up"].source_id, "name": "ليبيا الأحرار"},
    }


def test_an_unindexed_article_has_no_related_coverage(desk, make_article):
    assert related_coverage(article=make_article("فيضانات درنة", FLOOD + " تحديث")) == []
