"""The per-segment caches of :class:`articles.search.whoosh.searcher.SharedIndex` across commits:
a commit keeps what was read from the segments it left alone, and searches after it still give
Whoosh's own counts, top 10 and scores (new documents found, deleted ones gone)."""

import pytest
from whoosh import writing

from articles.search.query import TEXT_FIELD, WEIGHTING, build_query, index_values
from articles.search.whoosh.internals import matching_docs, top_docs
from articles.search.whoosh.searcher import SharedIndex, segment_key
from tests.search.test_whoosh_internals import TOP, _generated, build_index, whoosh_search

QUERIES = ["المدينة", "بلدية الوزير", "النفط الميناء", "قال مسؤول في المدرسة الطلاب السوق", "الحافلة -البحر"]


def _search_all(shared, ix):
    """Per query: (fast count, fast top 10, Whoosh count, Whoosh top 10) on the current commit."""
    fast = shared.searcher()
    compared = []
    with ix.searcher(weighting=WEIGHTING) as reference:
        for text in QUERIES:
            q = build_query(text, schema=ix.schema)
            docs = matching_docs(fast, q, shared)
            results = whoosh_search(reference, q)
            compared.append(
                (text, len(docs), top_docs(fast, q, docs, TOP, shared), len(results),
                 [(hit.docnum, hit.score) for hit in results[:TOP]])
            )
    return compared


def _assert_same(compared):
    for text, count, ranked, expected_count, expected in compared:
        assert count == expected_count, text
        assert [doc for doc, _ in ranked] == [doc for doc, _ in expected], text
        assert [score for _, score in ranked] == pytest.approx([score for _, score in expected], abs=1e-6), text


def _commit(ix, articles, *, first: int, deleted=(), mergetype=writing.NO_MERGE):
    writer = ix.writer()
    for position in deleted:
        writer.delete_by_term("doc_id", str(position))
    for offset, (title, body) in enumerate(articles):
        writer.add_document(doc_id=str(first + offset), **index_values(title, body))
    writer.commit(mergetype=mergetype)


@pytest.fixture
def index_and_articles(tmp_path):
    articles = _generated(400, seed=3)
    ix = build_index(tmp_path, articles[:300], segments=3)
    yield ix, articles
    ix.close()


def test_a_commit_keeps_the_postings_read_from_the_segments_it_left_alone(index_and_articles):
    ix, articles = index_and_articles
    shared = SharedIndex(ix.storage, ix.schema)
    _assert_same(_search_all(shared, ix))
    old = {segment_key(reader): shared.postings(reader, TEXT_FIELD, "مدين")
           for reader, _offset in shared.searcher().reader().leaf_readers()}

    _commit(ix, articles[300:], first=300, deleted=(2, 150))

    readers = [reader for reader, _offset in shared.searcher().reader().leaf_readers()]
    kept = [reader for reader in readers if segment_key(reader) in old]
    assert len(kept) == 3 and len(readers) == 4
    assert all(shared.postings(reader, TEXT_FIELD, "مدين") is old[segment_key(reader)] for reader in kept)
    _assert_same(_search_all(shared, ix))


def test_searches_after_a_merge_read_the_merged_segment_and_find_what_whoosh_finds(index_and_articles):
    ix, articles = index_and_articles
    shared = SharedIndex(ix.storage, ix.schema)
    _assert_same(_search_all(shared, ix))

    _commit(ix, articles[300:], first=300, deleted=(5,), mergetype=writing.OPTIMIZE)

    assert len(shared.searcher().reader().leaf_readers()) == 1
    compared = _search_all(shared, ix)
    _assert_same(compared)
    assert compared[0][1] > 0
