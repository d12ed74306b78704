"""The fast search path (:mod:`articles.search.whoosh.internals`) against Whoosh's own searcher.

The fast path counts with set algebra over posting lists read from Whoosh's private buffers and
ranks with a numpy copy of Whoosh's BM25F. Here real queries built by the site's query builder
run through both, on an index of several segments with deleted documents, and must give the same
hit counts, the same top 10 and the same scores (to 1e-6). The last tests check the private
members of whoosh-reloaded the fast path reads: an upgrade that changes them fails here.
"""

import random
from pathlib import Path

import pytest
from whoosh import fields, index, query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

from articles.search.query import TEXT_EXACT_FIELD, TEXT_FIELD, WEIGHTING, build_query, index_values, text_fields
from articles.search.whoosh.internals import (
    CachedLengthWeighting,
    SegmentWriter,
    matching_docs,
    rank_docs,
    live_segment_sizes,
    read_postings,
    top_docs,
    unfiltered,
)
from articles.search.whoosh.searcher import SharedIndex
from articles.text.parser import parse_paste

DEMO_FILES = sorted((Path(__file__).resolve().parents[2] / "articles" / "demo").glob("*.txt"))
TOP = 10

INVENTED = [
    ("وزير الخارجية السعودي يزور القاهرة", "التقى وزير الخارجية السعودي بنظيره المصري في القاهرة لبحث العلاقات."),
    ("الخارجية المصرية تنفي", "قالت وزارة الخارجية إن الوزير سيزور الرياض الأسبوع المقبل ولم يوقع أي اتفاق."),
    ("مدرسة جديدة في بيروت", "افتتحت في بيروت مدرسةٌ جديدة للأطفال اللاجئين بتمويل من بلدية المدينة."),
    ("مكتبات دمشق", "تضم المكتبات العامة في دمشق آلاف الكتب النادرة والمخطوطات القديمة."),
    ("أسعار النفط ترتفع", "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار خفض الإنتاج، وقال محللون إن الارتفاع مؤقت."),
    ("مهرجان السينما في المنستير", "يعرض مهرجان المنستير للسينما البحرية أفلاما من عشرين بلدا على شاطئ المدينة."),
    ("شبكة المياه في بنغازي", "تبدأ بلدية بنغازي تجديد شبكة المياه، وتقول إن الأعمال تستمر ستة أشهر في الأحياء."),
    ("الحافلات الكهربائية في وهران", "تسير في وهران أول حافلات كهربائية، وتقول الشركة إن الرحلة أرخص من الحافلة القديمة."),
]

# Words for generated articles of varied length and overlap: enough of them that common words
# have posting lists of several blocks (Whoosh writes 128 postings a block).
_VOCABULARY = (
    "المدينة بلدية الوزير الحكومة مشروع المياه الكهرباء المدرسة الطلاب السوق الأسعار النفط الميناء "
    "الشباب المهرجان السينما المكتبة الكتاب الطريق السيارات الحافلة البحر الشاطئ الصيادين السمك "
    "الجامعة الطاقة الشمسية المستشفى الأطباء المرضى القاهرة بيروت دمشق بنغازي طرابلس وهران تونس"
).split()


def _generated(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        title = " ".join(rng.sample(_VOCABULARY, rng.randint(2, 5)))
        body = " ".join(rng.choice(_VOCABULARY) for _ in range(rng.randint(5, 120)))
        articles.append((f"{title} {number}", f"قال مسؤول في {body}."))
    return articles


def _demo_articles() -> list[tuple[str, str]]:
    parsed = [parse_paste(path.read_text(encoding="utf-8")) for path in DEMO_FILES]
    return [(article.title, article.body) for article in parsed]


def build_index(directory, articles, *, segments: int = 3, deleted=()) -> index.Index:
    """An index of ``articles`` written in ``segments`` commits without merging, then the
    documents ``deleted`` (positions in ``articles``) deleted, so the fast path meets several
    segments and deletions."""
    schema = fields.Schema(doc_id=fields.ID(stored=True, unique=True), **text_fields())
    ix = index.create_in(str(directory), schema)
    share = -(-len(articles) // segments)
    for start in range(0, len(articles), share):
        writer = ix.writer()
        for position in range(start, min(start + share, len(articles))):
            title, body = articles[position]
            writer.add_document(doc_id=str(position), **index_values(title, body))
        writer.commit(merge=False)
    if deleted:
        writer = ix.writer()
        for position in deleted:
            writer.delete_by_term("doc_id", str(position))
        writer.commit(merge=False)
    return ix


def _queries(articles) -> list[tuple[str, str]]:
    """``(mode, text)`` queries of every shape the site builds, made of the articles' own words."""
    rng = random.Random(11)
    queries = [("broad", w) for w in ("في", "قال", "المدينة", "بنغازي", "النفط", "ال", "مدارس", "الوزير")]
    for title, body in articles:
        words = [w for w in title.split() if len(w) > 2 and not w.isdigit()]
        body_words = [w for w in body.split() if len(w) > 2]
        if len(words) < 3 or len(body_words) < 8:
            continue
        a, b, c = rng.sample(words, 3)
        long_query = " ".join(rng.sample(body_words, 6))
        queries += [
            ("broad", a),  # one word
            ("broad", f"{a} {b}"),  # keyword queries: every word required
            ("broad", f"{a} {b} {c}"),
            ("broad", long_query),  # more than three words: optional
            ("broad", f"ما هو {a} {b}؟"),  # a question: optional words
            ("broad", f"{a} OR {rng.choice(body_words)}"),
            ("broad", f"{a} {b} -{c}"),  # exclusion
            ("broad", f"{a} OR {b} {long_query}"),  # a strict OR group and optional words
            ("broad", f'"{a} {b}"'),  # phrase: Whoosh ranks (fallback)
            ("broad", f"{a[:3]}* {b}"),  # prefix: Whoosh ranks (fallback)
            ("exact", a),
            ("exact", f"{a} {b}"),
            ("exact", long_query),
            ("exact", f"{a} -{b}"),
        ]
    return queries


def whoosh_search(searcher, q):
    """Every match of ``q``, ranked by Whoosh's own searcher.

    An exclusion (``AndNot``, only ever at the top of the site's queries) is given to Whoosh as
    a mask of the excluded documents: Whoosh's AndNot matcher lets a match through that it
    should exclude (see the last test), and the site never relies on it.
    """
    if isinstance(q, query.AndNot):
        return searcher.search(q.a, limit=None, mask=set(searcher.docs_for_query(q.b)))
    return searcher.search(q, limit=None)


def fast_and_whoosh(ix, queries):
    """Per query: (fast count, fast top 10, Whoosh count, Whoosh top 10), tops as (docnum, score)."""
    cache = SharedIndex(ix.storage, ix.schema)
    fast = cache.searcher()
    compared = []
    with ix.searcher(weighting=WEIGHTING) as reference:
        for mode, text in queries:
            q = build_query(text, mode=mode, schema=ix.schema)
            docs = matching_docs(fast, q, cache)
            ranked = top_docs(fast, q, docs, TOP, cache)
            results = whoosh_search(reference, q)
            expected = [(hit.docnum, hit.score) for hit in results[:TOP]]
            compared.append(((mode, text), len(docs), ranked, len(results), expected))
    cache.reset()
    return compared


def assert_same(compared):
    for label, count, ranked, expected_count, expected in compared:
        assert count == expected_count, label
        assert [doc for doc, _ in ranked] == [doc for doc, _ in expected], label
        assert [score for _, score in ranked] == pytest.approx([score for _, score in expected], abs=1e-6), label


@pytest.fixture(scope="module")
def archive_index(tmp_path_factory):
    articles = INVENTED + _demo_articles() + _generated(480)
    deleted = (1, 9, 30, 31, 200, len(articles) - 1)
    ix = build_index(tmp_path_factory.mktemp("equivalence"), articles, segments=3, deleted=deleted)
    # Queries from every hand-written article and a sample of the generated ones.
    queried = range(len(INVENTED) + len(DEMO_FILES) + 12)
    yield ix, [articles[position] for position in queried if position not in deleted]
    ix.close()


def test_the_index_has_several_segments_with_deletions(archive_index):
    ix, _articles = archive_index
    with ix.reader() as reader:
        leaves = [leaf for leaf, _offset in reader.leaf_readers()]

        assert len(leaves) >= 3
        assert any(leaf.has_deletions() for leaf in leaves)


def test_segment_sizes_from_the_table_of_contents_are_the_segments_live_document_counts(archive_index):
    ix, _articles = archive_index
    with ix.reader() as reader:
        counts = [leaf.doc_count() for leaf, _offset in reader.leaf_readers()]

    assert [size for _segment_id, size in live_segment_sizes(ix)] == counts
    assert counts != [leaf.doc_count_all() for leaf, _offset in ix.reader().leaf_readers()]


def test_fast_path_gives_whoosh_counts_top_10_and_scores(archive_index):
    ix, articles = archive_index
    queries = _queries(articles)
    assert len(queries) > 450

    compared = fast_and_whoosh(ix, queries)

    assert_same(compared)
    assert sum(1 for _label, count, *_rest in compared if count > TOP) > 200  # real rankings, not short lists


@pytest.mark.parametrize(
    ("mode", "text", "kind"),
    [
        ("broad", "بنغازي", query.Or),
        ("broad", "شبكة المياه", query.And),
        ("broad", "كم عدد زوار معرض الكتاب في طرابلس؟", query.PreloadedOr),
        ("broad", "الحكومة OR الكهرباء", query.Or),
        ("broad", "النفط -الأسعار", query.AndNot),
        ("broad", "المياه OR الكهرباء الطلاب المدرسة السوق الأسعار", query.AndMaybe),
        ("exact", "المدينة", query.Or),
    ],
)
def test_every_boolean_query_shape_is_ranked_by_the_fast_path(archive_index, mode, text, kind):
    ix, _articles = archive_index
    q = build_query(text, mode=mode, schema=ix.schema)
    cache = SharedIndex(ix.storage, ix.schema)
    searcher = cache.searcher()

    assert type(q) is kind
    assert rank_docs(searcher, q, matching_docs(searcher, q, cache), TOP, cache) is not None
    assert_same(fast_and_whoosh(ix, [(mode, text)]))


@pytest.mark.parametrize("text", ["كم عدد زوار معرض الكتاب في طرابلس؟", "بنغازي المياه الكهرباء المدرسة"])
def test_a_scaled_or_is_left_to_whoosh_and_ranked_as_whoosh_ranks_it(archive_index, text):
    # The site builds no Or(scale=…); Whoosh's coordination bonus counts the terms each segment
    # holds, which the fast path does not copy, so it must not rank one.
    ix, _articles = archive_index
    terms = [leaf for leaf in build_query(text, schema=ix.schema).leaves() if isinstance(leaf, query.Term)]
    q = query.Or(terms, scale=0.9)
    cache = SharedIndex(ix.storage, ix.schema)
    fast = cache.searcher()
    docs = matching_docs(fast, q, cache)
    with ix.searcher(weighting=WEIGHTING) as reference:
        results = whoosh_search(reference, q)
        expected = [(hit.docnum, hit.score) for hit in results[:TOP]]

    assert rank_docs(fast, q, docs, TOP, cache) is None
    assert_same([(text, len(docs), top_docs(fast, q, docs, TOP, cache), len(results), expected)])


@pytest.mark.parametrize("text", ['"شبكة المياه"', "مكتب*"])
def test_phrases_and_prefixes_are_ranked_by_whoosh(archive_index, text):
    ix, _articles = archive_index
    q = build_query(text, schema=ix.schema)
    cache = SharedIndex(ix.storage, ix.schema)
    searcher = cache.searcher()

    assert rank_docs(searcher, q, matching_docs(searcher, q, cache), TOP, cache) is None
    assert_same(fast_and_whoosh(ix, [("broad", text)]))


@pytest.mark.corpus
def test_fast_path_gives_whoosh_results_on_the_arcd_questions(shared, tmp_path):
    import json

    arcd = shared / "data" / "ir" / "arcd"
    with open(arcd / "corpus.jsonl", encoding="utf-8") as lines:
        passages = [json.loads(line) for line in lines if line.strip()]
    articles = [(p.get("title", ""), p.get("text", "")) for p in passages]
    with open(arcd / "queries.tsv", encoding="utf-8") as lines:
        questions = [line.rstrip("\n").split("\t", 1)[1] for line in lines if line.strip()]
    ix = build_index(tmp_path, articles, segments=2, deleted=(3, 100))

    compared = fast_and_whoosh(ix, [(mode, q) for q in questions for mode in ("broad", "exact")])

    assert len(questions) == 1395
    assert_same(compared)
    ix.close()


# The private members of whoosh-reloaded 2.7.5 that internals.py reads.


def _leaf_with_deletions(ix):
    reader = ix.reader()
    return reader, next(leaf for leaf, _offset in reader.leaf_readers() if leaf.has_deletions())


def test_posting_lists_are_w3_leaf_matchers_wrapped_in_a_filter_where_documents_were_deleted(archive_index):
    ix, _articles = archive_index
    reader, leaf = _leaf_with_deletions(ix)
    with reader:
        matcher = leaf.postings(TEXT_FIELD, "مسؤول")

        assert isinstance(matcher, FilterMatcher)
        assert isinstance(unfiltered(matcher), W3LeafMatcher)
        assert isinstance(matcher.child, W3LeafMatcher)


def test_block_buffers_read_the_same_postings_as_the_public_matcher(archive_index):
    ix, _articles = archive_index
    reader, leaf = _leaf_with_deletions(ix)
    with reader:
        public = unfiltered(leaf.postings(TEXT_FIELD, "مسؤول"))
        expected_ids, expected_weights = [], []
        while public.is_active():
            expected_ids.append(public.id())
            expected_weights.append(public.weight())
            public.next()
        raw = unfiltered(leaf.postings(TEXT_FIELD, "مسؤول"))
        for member in ("_ids", "_weights", "_read_ids", "_read_weights", "_next_block"):
            assert hasattr(raw, member), member

        ids, weights = read_postings(raw)

    assert len(expected_ids) > 128  # several blocks
    assert (ids, weights) == (expected_ids, expected_weights)


def test_deleted_docs_set_holds_exactly_the_deleted_documents(archive_index):
    ix, _articles = archive_index
    reader, leaf = _leaf_with_deletions(ix)
    with reader:
        deleted = {docnum for docnum in range(leaf.doc_count_all()) if leaf.is_deleted(docnum)}

        assert deleted and set(leaf.deleted_docs_set) == deleted


def test_cached_lengths_replace_the_scorers_length_lookup_with_the_same_numbers(archive_index):
    ix, _articles = archive_index
    cache = SharedIndex(ix.storage, ix.schema)
    searcher = cache.searcher()
    assert isinstance(searcher.weighting, CachedLengthWeighting)
    for leaf, _offset in searcher.leaf_searchers():
        for fieldname, text in ((TEXT_FIELD, "مسؤول"), (TEXT_EXACT_FIELD, "المدينه")):
            plain = WEIGHTING.scorer(leaf, fieldname, text)
            cached = searcher.weighting.scorer(leaf, fieldname, text)
            reader = leaf.reader()

            assert (cached.K1, cached.B, cached.idf, cached.avgfl) == (plain.K1, plain.B, plain.idf, plain.avgfl)
            assert cached.dfl is not plain.dfl
            for docnum in range(reader.doc_count_all()):
                assert cached.dfl(docnum) == (plain.dfl(docnum) or 1)
    cache.reset()


def test_whooshs_and_not_matcher_keeps_a_first_match_it_should_exclude(tmp_path):
    # Why exclusions are never left to Whoosh's AndNot matcher (matching_docs subtracts sets):
    # it only skips the excluded matcher forward when both start on the same document.
    ix = build_index(tmp_path, [("خبر عن الميناء", "نص"), ("خبر عن الميناء والمطار", "نص")], segments=1)
    with ix.searcher(weighting=WEIGHTING) as searcher:
        q = query.AndNot(query.Term(TEXT_FIELD, "مطار"), query.Term(TEXT_FIELD, "خبر"))

        assert [hit["doc_id"] for hit in searcher.search(q, limit=None)] == ["1"]
        assert matching_docs(searcher, q, SharedIndex(ix.storage, ix.schema)) == set()
    ix.close()


def _written_with(writer_class, directory, articles):
    schema = fields.Schema(doc_id=fields.ID(stored=True, unique=True), **text_fields())
    directory.mkdir()
    ix = index.create_in(str(directory), schema)
    writer = writer_class(ix)
    for position, (title, body) in enumerate(articles):
        writer.add_document(doc_id=str(position), **index_values(title, body))
    writer.commit(merge=False)
    return ix


def test_the_archives_segment_writer_writes_whooshs_postings_reading_each_length_once(tmp_path, monkeypatch):
    from whoosh.codec.whoosh3 import W3PerDocReader
    from whoosh.writing import SegmentWriter as WhooshSegmentWriter

    articles = _generated(300) + INVENTED
    reads = []
    original = W3PerDocReader.doc_field_length
    monkeypatch.setattr(
        W3PerDocReader, "doc_field_length", lambda self, *args, **kwargs: reads.append(1) or original(self, *args, **kwargs)
    )
    theirs = _written_with(WhooshSegmentWriter, tmp_path / "whoosh", articles)
    whooshs_reads, reads[:] = len(reads), []
    ours = _written_with(SegmentWriter, tmp_path / "ours", articles)

    postings = sum(len(body.split()) for _title, body in articles)
    assert whooshs_reads > postings  # a lookup per posting
    assert len(reads) <= len(articles) * len(ours.schema.names())
    with theirs.reader() as expected, ours.reader() as got:
        for fieldname in text_fields():
            assert list(got.lexicon(fieldname)) == list(expected.lexicon(fieldname))
            for text in expected.lexicon(fieldname):
                assert _term_postings(got, fieldname, text) == _term_postings(expected, fieldname, text)
            lengths = [got.doc_field_length(n, fieldname) for n in range(len(articles))]
            assert lengths == [expected.doc_field_length(n, fieldname) for n in range(len(articles))]


def _term_postings(reader, fieldname, text):
    """A term's statistics (length bounds included: BM25F's block skipping reads them) and its
    postings as ``(document, weight, value)``."""
    info = reader.term_info(fieldname, text)
    matcher, postings = reader.postings(fieldname, text), []
    while matcher.is_active():
        postings.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return (info.min_length(), info.max_length(), info.max_weight(), info.doc_frequency()), postings
