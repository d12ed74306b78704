"""The reader's query language (:func:`articles.query.build_query`) on a real Whoosh index."""

import pytest
from whoosh import fields, index, query

from articles.search.query import WEIGHTING, build_query, index_values, text_fields

ARTICLES = {
    "a": ("وزير الخارجية السعودي يزور القاهرة", "التقى وزير الخارجية السعودي بنظيره المصري في القاهرة."),
    "b": ("الخارجية المصرية", "قالت وزارة الخارجية إن الوزير سيزور الرياض الأسبوع المقبل."),
    "c": ("مدرسة جديدة في بيروت", "افتتحت في بيروت مدرسةٌ جديدة للأطفال اللاجئين."),
    "d": ("مكتبات دمشق", "تضم المكتبات العامة في دمشق آلاف الكتب النادرة."),
    "e": ("وليد جنبلاط", "قال وليد جنبلاط إن لبنان يمر بأزمة."),
    "f": ("أحمد شوقي", "أمير الشعراء أحمد شوقي وُلِدَ في القاهرة."),
}


def _searcher_over(directory, articles):
    """A searcher, scored as the site scores, over a fresh index of ``articles`` (id → title, body)."""
    schema = fields.Schema(doc_id=fields.ID(stored=True, unique=True), **text_fields())
    ix = index.create_in(directory, schema)
    with ix.writer() as writer:
        for doc_id, (title, body) in articles.items():
            writer.add_document(doc_id=doc_id, **index_values(title, body))
    return ix.searcher(weighting=WEIGHTING)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    with _searcher_over(tmp_path_factory.mktemp("query-index"), ARTICLES) as opened:
        yield opened


def _found(searcher, q, mode="broad"):
    built = build_query(q, mode=mode, schema=searcher.schema)
    return {hit["doc_id"] for hit in searcher.search(built, limit=None)}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("وزير الخارجية", {"a", "b"}),  # all words required; الوزير and وزير are one stem
        ("الخارجيه السعودي", {"a"}),  # ة/ه and ال forgiven
        ('"وزير الخارجية"', {"a"}),  # phrase: b has the words but not in this order
        ("الخارجية -السعودي", {"b"}),  # exclusion
        ('الخارجية -"وزير الخارجية"', {"b"}),  # excluded phrase
        ("بيروت OR دمشق", {"c", "d"}),
        ("بيروت أو دمشق", {"c", "d"}),
        ("القاهرة الرياض OR شوقي", {"f"}),  # OR binds tighter than the implicit AND
        ("مكتب*", {"d"}),  # prefix on the stemmed field: المكتبات starts with مكتب
        ("والمكتب*", {"d"}),  # particles of a prefix go like those of a word
        ("احمد شوقي", {"f"}),  # hamza forms
        ("أَحْمَد", {"f"}),  # a vocalised query
        ("مدرسه", {"c"}),
        ("وليد", {"e"}),  # not stemmed to ليد
        ("بالمكتبات", {"d"}),
    ],
)
def test_query_language_finds_the_right_articles(searcher, q, expected):
    assert _found(searcher, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("المدرسة", set()),  # exact: the article is written مدرسةٌ without ال
        ("مدرسة", {"c"}),
        ('"وزير الخارجية السعودي"', {"a"}),
        ("في", {"a", "c", "d", "f"}),  # stop words are searchable in exact mode
    ],
)
def test_exact_mode_matches_normalised_words_only(searcher, q, expected):
    assert _found(searcher, q, mode="exact") == expected


@pytest.mark.parametrize(
    "q",
    ['"وزير الخارجية', 'وزير" الخارجية', "-", "- وزير", "OR", "وزير OR", "OR وزير", "أو وزير أو", "وزير OR OR الخارجية",
     "*", "و*", "-*", "«»", '""', "؟!.", "", "   ", "\u200f", "ـــ"],
)
def test_malformed_queries_never_raise(searcher, q):
    built = build_query(q, schema=searcher.schema)
    assert isinstance(built, query.Query)
    searcher.search(built, limit=5)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"وزير الخارجية', {"a", "b"}),  # unbalanced quote: plain words
        ("- وزير", {"a", "b"}),  # lone minus ignored
        ("OR بيروت OR", {"c"}),  # OR at the ends ignored
        ("بيروت OR OR دمشق", {"c", "d"}),
    ],
)
def test_malformed_syntax_falls_back_to_plain_words(searcher, q, expected):
    assert _found(searcher, q) == expected


@pytest.mark.parametrize("q", ["؟!.", "", "-وزير", "*", "و*"])
def test_queries_with_nothing_to_find_build_the_null_query(q):
    assert build_query(q) is query.NullQuery


def test_a_query_of_only_stop_words_searches_the_exact_fields(searcher):
    assert _found(searcher, "في") == {"a", "c", "d", "f"}


def test_a_typed_question_needs_not_contain_every_word(searcher):
    # No article mentions the word «اليوم», so requiring it would find nothing.
    assert "a" in _found(searcher, "من هو وزير الخارجية السعودي اليوم؟")


def test_long_keyword_queries_rank_articles_with_more_words_first(searcher):
    built = build_query("وزير الخارجية السعودي القاهرة المصري", schema=searcher.schema)
    assert [hit["doc_id"] for hit in searcher.search(built, limit=2)][0] == "a"


def test_unknown_mode_is_an_error():
    with pytest.raises(ValueError):
        build_query("وزير", mode="fuzzy")



# Stem-only matches of «مدرسة»: the broken plural «مدارس» shares its stem, and these documents
# repeat it, so only the as-typed bonus puts the document that says «مدرسة» first.
STEM_ONLY = {
    "school": ("افتتاح مدرسة في القرية", "افتتحت مدرسة جديدة في القرية هذا الأسبوع."),
    "schools": ("المدارس تفتح أبوابها", "فتحت المدارس أبوابها، وقالت إدارة المدارس إن المدارس جاهزة."),
    "plural": ("المدارس", "بيان حول المدارس والمدارس الخاصة."),
}


@pytest.fixture(scope="module")
def stem_only(tmp_path_factory):
    with _searcher_over(tmp_path_factory.mktemp("stem-only"), STEM_ONLY) as opened:
        yield opened


@pytest.mark.parametrize("q", ["مدرسة", "والمدرسة", "بمدرسة", "المدرسة"])
def test_the_word_as_typed_ranks_above_stem_only_matches_whatever_its_particles(stem_only, q):
    hits = stem_only.search(build_query(q, schema=stem_only.schema), limit=None)

    assert [hit["doc_id"] for hit in hits][0] == "school"
    assert len(hits) == 3  # the stem still finds «المدارس»
