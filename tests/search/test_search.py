"""Full-text search as readers and editors use it: through ``articles.search`` and a real Whoosh index."""

import multiprocessing
import threading
from datetime import date

import pytest
from django.core.management import call_command

from articles.models import Article, Entity, Mention
from articles.search import indexing as search
from articles.search.analysis import broad_analyzer, exact_analyzer
from articles.search.highlight import highlight
from articles.search.service import SearchParamError, SearchParams, parse_search_params, search_articles
from tests.search_fixtures import index_in_child, unsaved_article

pytestmark = pytest.mark.usefixtures("search_index")

VOCALISED_BODY = (
    "قال مُحَمَّدٌ أَحْمَد إن مستشفى الإسكندرية الجديد افتتح أمس.\n\n"
    "وزار الوفد المدرسة القديمة ثم تجوّل وبالمكتبات العامة، وتحدث عن مصطفى والـمـسـؤولـيـة."
)


def find(q="", **params):
    data = {"q": q, **{k: str(v) for k, v in params.items()}}
    return search_articles(parse_search_params(data))


def titles(page):
    return [hit.title for hit in page.results]


@pytest.fixture
def vocalised(make_article):
    article = make_article("زيارة إلى الإسكندرية", VOCALISED_BODY)
    other = make_article("أخبار الطقس", "أمطار غزيرة على الساحل الليبي")
    search.index_articles([article.pk, other.pk])
    return article


@pytest.mark.parametrize(
    "query, marked",
    [
        ("محمد", "مُحَمَّدٌ"),  # no diacritics
        ("مُحمد", "مُحَمَّدٌ"),  # partly vocalised
        ("مـحـمـد", "مُحَمَّدٌ"),  # tatweel
        ("احمد", "أَحْمَد"),  # أ written as ا
        ("الاسكندرية", "الإسكندرية"),  # إ written as ا
        ("الإسكندريه", "الإسكندرية"),  # ة written as ه
        ("اسكندرية", "الإسكندرية"),  # without the article
        ("بالإسكندرية", "الإسكندرية"),  # with an attached preposition
        ("مستشفي", "مستشفى"),  # ى written as ي
        ("مدرسه", "المدرسة"),
        ("ومدرسة", "المدرسة"),  # attached و
        ("مكتبات", "وبالمكتبات"),  # و + ب + ال attached in the text
        ("المسؤولية", "والـمـسـؤولـيـة"),  # tatweel in the text
        ("مصطفي", "مصطفى"),
    ],
)
def test_spelling_variants_find_the_article_and_mark_the_word_as_written(vocalised, query, marked):
    page = find(query)

    assert titles(page) == [vocalised.title]
    assert f"<mark>{marked}</mark>" in page.results[0].snippet_html + page.results[0].title_html


def test_exact_mode_matches_the_written_form_only(make_article):
    article = make_article("المكتبات العامة", "افتتحت المكتبات أبوابها")
    search.index_articles([article.pk])

    assert find("مكتبة", mode="broad").count == 1
    assert find("مكتبة", mode="exact").count == 0
    assert find("المكتبات", mode="exact").count == 1
    # Exact still forgives spelling variants of the same word.
    assert find("المكتبات", mode="exact").results[0].title_html == "<mark>المكتبات</mark> العامة"


@pytest.fixture
def newsroom(make_article):
    articles = [
        make_article("وزير الخارجية يزور تونس", "وزير الخارجية الليبي في تونس لبحث النفط", source="الوسط",
                     published_on=date(2018, 3, 5)),
        make_article("الخارجية تنفي", "نفى وزير سابق أن تكون الخارجية قد وقعت اتفاقا للنفط في مصر", source="ليبيا الأحرار",
                     published_on=date(2019, 7, 1)),
        make_article("اقتصاد مصر", "نمو الاقتصاد المصري وارتفاع صادرات النفط", source="المرصد",
                     published_on=date(2019, 12, 31)),
        make_article("أسعار الذهب", "تراجع أسعار الذهب في الأسواق الاقتصادية", source="المرصد",
                     published_on=None),
    ]
    search.index_articles([a.pk for a in articles])
    return articles


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"وزير الخارجية"', {"وزير الخارجية يزور تونس"}),  # phrase: words next to each other
        ("«وزير الخارجية»", {"وزير الخارجية يزور تونس"}),  # Arabic quotes
        ("وزير الخارجية", {"وزير الخارجية يزور تونس", "الخارجية تنفي"}),  # words anywhere
        ("النفط -تونس", {"الخارجية تنفي", "اقتصاد مصر"}),  # exclusion
        ("تونس OR الذهب", {"وزير الخارجية يزور تونس", "أسعار الذهب"}),
        ("تونس أو الذهب", {"وزير الخارجية يزور تونس", "أسعار الذهب"}),
        ("اقتصا*", {"اقتصاد مصر", "أسعار الذهب"}),  # prefix
    ],
)
def test_query_language(newsroom, query, expected):
    assert set(titles(find(query))) == expected


@pytest.mark.parametrize(
    "query", ['"', "«", "(", ")", "OR", "أو", "-", ":", "title:", '""', "***", "[", "{}", "AND OR NOT", "\\", "-النفط",
              "a" * 400, "%s", "<script>"],
)
def test_malformed_queries_find_nothing_instead_of_failing(newsroom, query):
    # Punctuation, operators alone and words no article has: an empty page, not an error.
    page = find(query)

    assert (page.count, page.results) == (0, [])


@pytest.mark.parametrize("query", ["*", "ال*"])
def test_a_star_alone_or_after_the_article_finds_every_article(newsroom, query):
    assert find(query).count == len(newsroom)


def test_highlights_skip_excluded_words(newsroom):
    page = find("النفط -تونس")

    assert all("تونس</mark>" not in hit.snippet_html for hit in page.results)
    assert any("<mark>للنفط</mark>" in hit.snippet_html for hit in page.results)


def test_source_filter(newsroom):
    source_id = newsroom[2].source_id

    assert set(titles(find("النفط", source=source_id))) == {"اقتصاد مصر"}
    assert find("", source=source_id).count == 2


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"from": "2019"}, {"الخارجية تنفي", "اقتصاد مصر"}),
        ({"to": "2018"}, {"وزير الخارجية يزور تونس"}),
        ({"from": "2019-07", "to": "2019-07"}, {"الخارجية تنفي"}),
        ({"from": "2019-07-02", "to": "2019-12-31"}, {"اقتصاد مصر"}),
        ({"year": "2019"}, {"الخارجية تنفي", "اقتصاد مصر"}),
        ({"month": "2019-12"}, {"اقتصاد مصر"}),
    ],
)
def test_date_filters_cover_whole_years_and_months(newsroom, params, expected):
    assert set(titles(find("", **params))) == expected


def test_empty_query_lists_newest_first_with_undated_last(newsroom):
    assert titles(find("")) == ["اقتصاد مصر", "الخارجية تنفي", "وزير الخارجية يزور تونس", "أسعار الذهب"]


def test_sort_by_date_puts_undated_articles_last_both_ways(newsroom):
    assert titles(find("", sort="oldest")) == ["وزير الخارجية يزور تونس", "الخارجية تنفي", "اقتصاد مصر", "أسعار الذهب"]
    assert titles(find("الخارجية OR الذهب", sort="newest")) == ["الخارجية تنفي", "وزير الخارجية يزور تونس", "أسعار الذهب"]


def test_relevance_puts_title_matches_first(newsroom):
    # الذهب is in one article and وزير in two, so the rarer word's article comes first; the
    # article with وزير only in its body comes last.
    assert titles(find("الذهب OR وزير")) == ["أسعار الذهب", "وزير الخارجية يزور تونس", "الخارجية تنفي"]
    assert titles(find("مصر")) == ["اقتصاد مصر", "الخارجية تنفي"]


def test_facets_count_sources_years_and_entities_of_all_matches(newsroom):
    libya = Entity.objects.create(kind="LOC", name="ليبيا")
    for article in newsroom[:2]:
        Mention.objects.create(article=article, entity=libya, surface="ليبيا", field="body", start=0, end=5)
    search.index_articles([a.pk for a in newsroom])

    facets = find("النفط").facets

    assert sorted((s["name"], s["count"]) for s in facets["sources"]) == [("المرصد", 1), ("الوسط", 1), ("ليبيا الأحرار", 1)]
    assert facets["years"] == [{"year": 2019, "count": 2}, {"year": 2018, "count": 1}]
    assert facets["entities"] == [{"id": libya.pk, "name": "ليبيا", "kind": "LOC", "count": 2}]
    assert titles(find("النفط", entity=libya.pk)) and find("النفط", entity=libya.pk).count == 2


def test_pagination_past_the_last_page_is_empty_but_keeps_the_count(make_article):
    articles = [make_article(f"خبر رقم {n}", "خبر عن الانتخابات", published_on=date(2020, 1, n + 1)) for n in range(25)]
    search.index_articles([a.pk for a in articles])

    first = search_articles(parse_search_params({"q": "الانتخابات"}), per_page=10)
    third = search_articles(parse_search_params({"q": "الانتخابات", "page": "3"}), per_page=10)
    beyond = search_articles(parse_search_params({"q": "الانتخابات", "page": "9"}), per_page=10)

    assert (first.count, first.num_pages, len(first.results)) == (25, 3, 10)
    assert len(third.results) == 5
    assert (beyond.count, beyond.num_pages, beyond.results) == (25, 3, [])
    assert len({hit.id for hit in first.results + third.results}) == 15


@pytest.mark.parametrize(
    "data, param",
    [
        ({"from": "2018-13"}, "from"),
        ({"to": "2018-02-30"}, "to"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2019", "to": "2018"}, "from"),
        ({"year": "18"}, "year"),
        ({"month": "2019"}, "month"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "-1"}, "page"),
        ({"source": "x"}, "source"),
        ({"entity": "0"}, "entity"),
        ({"sort": "random"}, "sort"),
        ({"mode": "fuzzy"}, "mode"),
    ],
)
def test_bad_parameters_raise_an_error_naming_them(data, param):
    with pytest.raises(SearchParamError) as error:
        parse_search_params(data)

    assert error.value.param == param
    assert param in str(error.value)


def test_parameters_parse_partial_dates_as_whole_spans():
    params = parse_search_params({"q": "  نفط   ليبيا ", "from": "2018", "to": "2020-02", "page": "2", "source": "3"})

    assert params.q == "نفط ليبيا"
    assert (params.date_from, params.date_to) == (date(2018, 1, 1), date(2020, 2, 29))
    assert (params.page, params.source, params.sort, params.mode) == (2, 3, "relevance", "broad")
    assert parse_search_params({}) == SearchParams()


def test_html_in_articles_is_escaped(make_article):
    article = make_article("<script>alert(1)</script> تحديث", "نص فيه <b>وسم</b> & رموز تحديث")
    search.index_articles([article.pk])

    hit = find("تحديث").results[0]

    assert hit.title == "<script>alert(1)</script> تحديث"
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>تحديث</mark>"
    assert "&lt;b&gt;وسم&lt;/b&gt; &amp; رموز <mark>تحديث</mark>" in hit.snippet_html
    assert "<script>" not in find("alert").results[0].title_html


@pytest.fixture
def economy_desk(make_article):
    """«الاقتصاد» in 24 articles, a typo of it in one, and «زقزقة» once beside «زعزعة» in five."""
    articles = [make_article(f"تقرير {n} عن الاقتصاد", f"نمو الاقتصاد في الربع {n}") for n in range(24)]
    articles.append(make_article("خطأ مطبعي", "تراجع الاقتصاض هذا العام"))
    articles.append(make_article("صباح الربيع", "زقزقة العصافير في الحديقة"))
    articles += [make_article(f"أزمة {n}", f"زعزعة الاستقرار في المنطقة {n}") for n in range(5)]
    articles.append(make_article("المطار", "افتتح المطار الجديد"))
    articles += [make_article(f"أمطار {n}", f"هطلت الأمطار على المدينة {n}") for n in range(3)]
    search.index_articles([a.pk for a in articles])
    return articles


@pytest.mark.parametrize(
    "query, suggestion",
    [
        ("الاقتصاص", "الاقتصاد"),  # no article has it: one letter replaced
        ("الاقتصد", "الاقتصاد"),  # a letter left out
        ("الاقتصاد اليومي", None),  # an unknown word with no frequent neighbour is left as typed
        ("الاقتصاض", "الاقتصاد"),  # in one article, but the correction is in 24
        ("زقزقة", None),  # a rare real word: «زعزعة» is two edits away
        ("المطار", None),  # «الأمطار» is one edit away but only three times as frequent
    ],
)
def test_did_you_mean_offers_only_a_close_and_much_more_frequent_word(economy_desk, query, suggestion):
    page = find(query)

    assert page.suggestion == suggestion
    if suggestion:
        assert find(page.suggestion).count > page.count


def test_no_suggestion_when_the_query_finds_enough(newsroom):
    assert find("النفط").suggestion is None


def test_results_carry_stored_fields_without_database_queries(newsroom, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the facet names: sources and entities, not per hit
        page = find("النفط")

    hit = next(h for h in page.results if h.title == "اقتصاد مصر")
    assert (hit.source_name, hit.published_on, hit.url) == ("المرصد", date(2019, 12, 31), f"/articles/{hit.id}/")
    data = page.as_json(absolute=lambda path: "http://testserver" + path)
    assert data["count"] == 3 and data["num_pages"] == 1 and data["suggestion"] is None
    first = next(r for r in data["results"] if r["id"] == hit.id)
    assert first["published_on"] == "2019-12-31" and first["url"] == f"http://testserver/articles/{hit.id}/"
    assert first["source"] == {"id": hit.source_id, "name": "المرصد"}
    assert "<mark>" in first["snippet"]


def test_index_articles_removes_articles_deleted_from_the_database(make_article):
    article = make_article("قرار البرلمان", "أصدر البرلمان قرارا")
    search.index_articles([article.pk])
    Article.objects.filter(pk=article.pk).delete()  # a bulk delete: no signal

    search.index_articles([article.pk])

    assert find("البرلمان").count == 0


def test_rebuild_and_update_index_commands(newsroom):
    search.unindex_articles([a.pk for a in newsroom])
    assert find("").count == 0

    call_command("rebuild_index", interactive=False, verbosity=0)
    assert find("").count == 4

    Article.objects.filter(pk=newsroom[0].pk).update(title="عنوان محدث بالجملة")
    call_command("update_index", verbosity=0)
    assert titles(find("محدث")) == ["عنوان محدث بالجملة"]


def test_concurrent_writers_lose_no_update_and_readers_see_no_error(search_index, tmp_path):
    from haystack import connections

    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    backend.setup()
    errors = []

    def write(first_pk):
        try:
            for start in range(first_pk, first_pk + 30, 5):
                backend.update(index, [unsaved_article(pk, f"عنوان {pk}", "كلمةمشتركة") for pk in range(start, start + 5)])
        except Exception as error:  # collected: an exception in a thread would not fail the test
            errors.append(error)

    def read(stop):
        try:
            while not stop.is_set():
                find("كلمةمشتركة")
        except Exception as error:
            errors.append(error)

    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=index_in_child, args=(search_index, str(tmp_path), first, 30, 5))
        for first in (1000, 2000)
    ]
    stop = threading.Event()
    readers = [threading.Thread(target=read, args=(stop,)) for _ in range(2)]
    writers = [threading.Thread(target=write, args=(first,)) for first in (1, 100, 200)]
    for worker in processes + readers + writers:
        worker.start()
    for worker in processes + writers:
        worker.join(timeout=240)
    stop.set()
    for reader in readers:
        reader.join(timeout=60)

    assert errors == []
    assert [p.exitcode for p in processes] == [0, 0]
    assert find("كلمةمشتركة").count == 3 * 30 + 2 * 30


def test_bulk_writes_in_parallel_segments_lose_nothing(make_article, search_index):
    from haystack import connections
    from whoosh.index import open_dir

    connections.connections_info["default"]["PARALLEL_MIN_DOCUMENTS"] = 5
    connections.reload("default")
    try:
        articles = [make_article(f"خبر رقم {n}", f"نص الخبر رقم {n} عن مدينة سبها") for n in range(30)]
        # Written apart from the lock, as a worker's step is: two writer processes from 5 on.
        search.index_articles([a.pk for a in articles], apart=True)
        search.index_articles([a.pk for a in articles[:10]], apart=True)  # re-indexing replaces, never duplicates
    finally:
        del connections.connections_info["default"]["PARALLEL_MIN_DOCUMENTS"]
        connections.reload("default")

    assert find("سبها").count == 30
    assert len(open_dir(search_index).reader().leaf_readers()) >= 2


def test_haystack_searchqueryset_goes_through_the_same_backend(newsroom):
    from haystack.query import SearchQuerySet

    source_id = newsroom[2].source_id

    assert SearchQuerySet().auto_query("النفط").count() == 3
    assert [r.title for r in SearchQuerySet().auto_query("النفط").narrow(f"source:{source_id}")] == ["اقتصاد مصر"]
    assert [r.title for r in SearchQuerySet().all().order_by("-published_on")][0] == "اقتصاد مصر"
    assert SearchQuerySet().all().facet("year").facet_counts()["fields"]["year"] == [(2019, 2), (2018, 1)]


# The highlighter on its own, without an index.

def test_highlight_marks_the_original_words_and_escapes_the_rest():
    html = highlight("<i>مُحَمَّدٌ</i> والمدرسةُ", {"محمد", "مدرس"}, broad_analyzer(), snippet=False)

    assert html == "&lt;i&gt;<mark>مُحَمَّدٌ</mark>&lt;/i&gt; <mark>والمدرسةُ</mark>"


def test_highlight_snippet_is_the_sentence_around_the_match():
    text = ("جملة أولى بلا شيء مهم. " * 20) + "هنا ذكر الميناء الجديد في طرابلس. " + ("جملة أخرى طويلة. " * 20)

    html = highlight(text, {"الميناء"}, exact_analyzer())

    assert "<mark>الميناء</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 310
    assert html.startswith("…") and html.endswith("…")


def test_highlight_of_a_long_sentence_is_cut_at_word_boundaries():
    text = " ".join(["كلمة"] * 150 + ["الهدف"] + ["كلمة"] * 150)

    html = highlight(text, {"الهدف"}, exact_analyzer())

    assert "<mark>الهدف</mark>" in html
    plain = html.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert len(plain) <= 300 and all(word in {"كلمة", "الهدف"} for word in plain.split())


def test_highlight_without_matches_gives_the_lead():
    assert highlight("المقدمة هنا. وبقية النص.", set(), exact_analyzer()) == "المقدمة هنا. وبقية النص."
