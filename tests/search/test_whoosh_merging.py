"""Merging segments apart from the index's writer (:mod:`articles.search.whoosh.merging`): which
segments are picked, and that a merge written without the write lock loses nothing that writers
did meanwhile. Real Whoosh indexes in temporary folders; the merge's use of Whoosh's private
writer members fails here when an upgrade changes them."""

import os

import pytest
from whoosh import fields, index, query

from articles.search.whoosh import merging
from articles.search.whoosh.internals import install_merged_segment, live_segment_sizes, write_merged_segment
from articles.search.whoosh.searcher import IndexBusy, writing
from tests.search.locks import held_elsewhere

SCHEMA = fields.Schema(doc_id=fields.ID(stored=True, unique=True), text=fields.TEXT(stored=True))


def build(folder, commits: list[list[str]]):
    """An index with one segment per entry of ``commits`` (document ids, each indexed with
    its own word and a shared one)."""
    os.makedirs(folder)
    ix = index.create_in(str(folder), SCHEMA)
    for ids in commits:
        writer = ix.writer()
        for doc_id in ids:
            writer.add_document(doc_id=doc_id, text=f"كلمة{doc_id} مشتركة")
        writer.commit(merge=False)
    return ix


def stored_ids(ix) -> list[str]:
    with ix.searcher() as searcher:
        return sorted(hit["doc_id"] for hit in searcher.search(query.Term("text", "مشتركة"), limit=None))


def found(ix, doc_id: str) -> list[str]:
    with ix.searcher() as searcher:
        return [hit["text"] for hit in searcher.search(query.Term("doc_id", doc_id))]


@pytest.mark.parametrize(
    "documents, tier",
    [(0, 0), (1, 0), (7, 0), (8, 1), (63, 1), (64, 2), (511, 2), (512, 3), (1999, 3)],
)
def test_size_tiers_grow_by_the_merge_factor(documents, tier):
    assert merging.size_tier(documents) == tier


SMALL = [("p1", 1), ("p2", 2), ("p3", 1), ("p4", 7), ("p5", 1), ("p6", 3), ("p7", 1), ("p8", 1)]
PIECES = [(f"i{n}", 30 + n) for n in range(8)]


@pytest.mark.parametrize(
    "sizes, chosen",
    [
        # A few pastes' one-document segments wait for more.
        ([("a", 3000), *SMALL[:7]], []),
        # Eight of them are merged, and only they; of more, the first eight.
        ([("a", 3000), *SMALL], [name for name, _size in SMALL]),
        ([*SMALL, ("p9", 1), ("p10", 2)], [name for name, _size in SMALL]),
        # The smallest full tier goes first; then the next.
        ([*PIECES, *SMALL], [name for name, _size in SMALL]),
        ([*PIECES, ("p1", 1)], [name for name, _size in PIECES]),
        # A bulk import's segments are never merged, however many there are.
        ([(name, 2000) for name in "abcdefghij"], []),
        # Segments whose documents were all replaced are merged away with the other small ones.
        ([("a", 0), ("b", 0), *SMALL[:6], ("f", 9000)], ["a", "b", *(name for name, _size in SMALL[:6])]),
    ],
)
def test_segments_to_merge(sizes, chosen):
    assert merging.segments_to_merge(sizes) == chosen


@pytest.mark.parametrize(
    "sizes, due",
    [
        ([], 0),
        ([1] * 7, 0),
        ([1] * 8, 1),  # eight pastes: one merge
        ([1] * 16, 2),
        ([1] * 64, 9),  # eight merges of eight pastes, then one of their eight segments
        ([9] * 7 + [1] * 8, 2),  # the pastes' merge makes the eighth segment of the next tier
        ([2500] * 20, 0),  # a bulk write's segments are never merged
    ],
)
def test_merges_due_counts_the_merges_until_nothing_is_left_to_merge(sizes, due):
    assert merging.merges_due([(f"s{n}", documents) for n, documents in enumerate(sizes)]) == due


def test_a_merged_segment_replaces_its_sources_with_the_same_documents(tmp_path):
    ix = build(tmp_path / "index", [["1", "2"], ["3"], ["4", "5", "6"], ["7"]])
    sources = [segment_id for segment_id, _size in live_segment_sizes(ix)][:3]
    (tmp_path / "merge").mkdir()

    merged = write_merged_segment(ix, sources, str(tmp_path / "merge"))
    assert install_merged_segment(ix, merged)

    ix = index.open_dir(str(tmp_path / "index"))
    assert sorted(size for _segment_id, size in live_segment_sizes(ix)) == [1, 6]
    assert stored_ids(ix) == ["1", "2", "3", "4", "5", "6", "7"]
    assert found(ix, "5") == ["كلمة5 مشتركة"]
    # The sources' files are gone with them.
    assert not any(name.startswith(sources[0]) for name in ix.storage.list())


def test_a_merge_is_written_while_another_writer_holds_the_index_and_keeps_its_deletions(tmp_path):
    path = str(tmp_path / "index")
    ix = build(path, [["1", "2", "3"], ["4", "5"], ["6"]])
    sources = [segment_id for segment_id, _size in live_segment_sizes(ix)]
    with writing(path):
        # A writer holds the index: the merge is written all the same, in its own folder.
        (tmp_path / "merge").mkdir()
        merged = write_merged_segment(ix, sources, str(tmp_path / "merge"))
        # ...while that writer replaces one document and deletes another of the sources,
        # and commits (cleaning every segment file its commit does not list).
        writer = ix.writer()
        writer.update_document(doc_id="2", text="كلمة2 مشتركة معدلة")
        writer.delete_by_term("doc_id", "5")
        writer.commit(merge=False)

    with writing(path):
        assert install_merged_segment(index.open_dir(path), merged)

    ix = index.open_dir(path)
    assert stored_ids(ix) == ["1", "2", "3", "4", "6"]
    assert found(ix, "2") == ["كلمة2 مشتركة معدلة"]
    assert found(ix, "5") == []
    assert len(live_segment_sizes(ix)) == 2


def test_a_merge_whose_source_was_merged_away_meanwhile_changes_nothing(tmp_path):
    path = str(tmp_path / "index")
    ix = build(path, [["1"], ["2"], ["3"]])
    sources = [segment_id for segment_id, _size in live_segment_sizes(ix)]
    (tmp_path / "merge").mkdir()
    merged = write_merged_segment(ix, sources[:2], str(tmp_path / "merge"))
    ix.optimize()
    generation = index.open_dir(path).latest_generation()

    assert not install_merged_segment(index.open_dir(path), merged)

    ix = index.open_dir(path)
    assert ix.latest_generation() == generation
    assert stored_ids(ix) == ["1", "2", "3"]


def test_segments_with_nothing_left_are_dropped_without_writing_a_segment(tmp_path):
    path = str(tmp_path / "index")
    ix = build(path, [["1"], ["2"], ["3", "4"]])
    writer = ix.writer()
    writer.delete_by_term("doc_id", "1")
    writer.delete_by_term("doc_id", "2")
    writer.commit(merge=False)
    sources = [segment_id for segment_id, size in live_segment_sizes(ix) if size == 0]
    (tmp_path / "merge").mkdir()

    merged = write_merged_segment(index.open_dir(path), sources, str(tmp_path / "merge"))
    assert install_merged_segment(index.open_dir(path), merged)

    ix = index.open_dir(path)
    assert [size for _segment_id, size in live_segment_sizes(ix)] == [2]
    assert stored_ids(ix) == ["3", "4"]


def test_a_merge_step_merges_a_full_tier_and_then_finds_nothing_to_do(tmp_path):
    path = str(tmp_path / "index")
    pastes = [str(n) for n in range(merging.MERGE_FACTOR)]
    ix = build(path, [["big" + str(n) for n in range(70)], *[[doc_id] for doc_id in pastes]])

    assert merging.merge_step(path, ix.storage, ix.schema) == len(pastes)
    assert sorted(size for _segment_id, size in live_segment_sizes(index.open_dir(path))) == [len(pastes), 70]
    generation = index.open_dir(path).latest_generation()
    assert merging.merge_step(path, ix.storage, ix.schema) == 0
    assert index.open_dir(path).latest_generation() == generation
    assert stored_ids(index.open_dir(path)) == sorted(["big" + str(n) for n in range(70)] + pastes)


def test_a_merge_step_waits_for_the_index_only_to_put_its_segment_in(tmp_path):
    path = str(tmp_path / "index")
    pastes = [str(n) for n in range(merging.MERGE_FACTOR)]
    ix = build(path, [[doc_id] for doc_id in pastes])

    with held_elsewhere(writing(path)), pytest.raises(IndexBusy):
        merging.merge_step(path, ix.storage, ix.schema, seconds=0.2)
    # Nothing half-done: the merge was thrown away whole, and the next step does it.
    assert len(live_segment_sizes(index.open_dir(path))) == len(pastes)
    assert not (tmp_path / "index" / merging.MERGE_FOLDER).exists()
    assert merging.merge_step(path, ix.storage, ix.schema) == len(pastes)
    assert stored_ids(index.open_dir(path)) == sorted(pastes)


def test_one_merge_at_a_time(tmp_path):
    path = str(tmp_path / "index")
    ix = build(path, [[str(n)] for n in range(merging.MERGE_FACTOR)])

    with merging.rewriting(path) as alone:
        assert alone
        assert merging.merge_step(path, ix.storage, ix.schema) == 0
    assert merging.merge_step(path, ix.storage, ix.schema) == merging.MERGE_FACTOR


def test_what_a_merge_killed_midway_left_is_cleaned_up(tmp_path):
    path = str(tmp_path / "index")
    ix = build(path, [[str(n)] for n in range(merging.MERGE_FACTOR)])
    # Killed while writing: a half-written merge in its folder. Killed between moving the
    # merged segment in and the commit that lists it: a segment file no commit lists.
    leftover = tmp_path / "index" / merging.MERGE_FOLDER
    leftover.mkdir()
    (leftover / "MAIN_halfwritten.seg").write_bytes(b"\0" * 64)
    (tmp_path / "index" / "MAIN_unlisted.seg").write_bytes(b"\0" * 64)

    assert merging.merge_step(path, ix.storage, ix.schema) == merging.MERGE_FACTOR

    names = set(os.listdir(path))
    assert "MAIN_unlisted.seg" not in names
    assert merging.MERGE_FOLDER not in names
    assert stored_ids(index.open_dir(path)) == sorted(str(n) for n in range(merging.MERGE_FACTOR))
