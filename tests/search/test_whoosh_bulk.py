"""Bulk writes apart from the index's write lock (:mod:`articles.search.whoosh.bulk`): they
replace documents as ``update_document`` does, hold the lock only for moments, and lose nothing
that other writers did meanwhile. Real Whoosh indexes in temporary folders; the use of Whoosh's
private writer members fails here when an upgrade changes them."""

import os

import pytest
from haystack.constants import ID
from whoosh import fields, index, query
from whoosh.writing import CLEAR

from articles.search.whoosh import bulk, merging
from articles.search.whoosh.searcher import IndexBusy, writing
from tests.search.locks import held_elsewhere

SCHEMA = fields.Schema(**{ID: fields.ID(stored=True, unique=True)}, text=fields.TEXT(stored=True))


def build(folder, ids: list[str]):
    os.makedirs(folder)
    ix = index.create_in(str(folder), SCHEMA)
    write_in_place(ix, {doc_id: "قديم" for doc_id in ids})
    return ix


def write_in_place(ix, texts: dict[str, str]):
    """A paste's or an edit's write: in place, under the write lock."""
    with writing(ix.storage.folder, timeout=1):
        writer = ix.writer()
        for doc_id, text in texts.items():
            writer.update_document(**{ID: doc_id, "text": f"{text} مشتركة"})
        writer.commit(merge=False)


def documents(texts: dict[str, str]):
    return [{ID: doc_id, "text": f"{text} مشتركة"} for doc_id, text in texts.items()]


def write_apart(ix, docs, *, seconds=None, parallel_min_documents=1000):
    return bulk.write_apart(
        ix.storage.folder, ix.storage, ix.schema, docs, seconds=seconds,
        parallel_min_documents=parallel_min_documents, limitmb=32,
    )


def index_texts(ix) -> dict[str, list[str]]:
    """Every live document's text by identifier (a list: a document indexed twice shows)."""
    texts: dict[str, list[str]] = {}
    with index.open_dir(ix.storage.folder).searcher() as searcher:
        for hit in searcher.search(query.Term("text", "مشتركة"), limit=None):
            texts.setdefault(hit[ID], []).append(hit["text"].split()[0])
    return texts


def test_a_bulk_write_replaces_the_older_copies_of_its_documents(tmp_path):
    ix = build(tmp_path / "index", ["a", "b", "c"])

    left = write_apart(ix, documents({"a": "جديد", "b": "جديد", "d": "جديد"}))

    assert left == set()
    assert index_texts(ix) == {"a": ["جديد"], "b": ["جديد"], "c": ["قديم"], "d": ["جديد"]}


def test_two_writer_processes_write_all_the_documents(tmp_path):
    ix = build(tmp_path / "index", ["0", "1"])
    texts = {str(n): "جديد" for n in range(250)}  # three batches of Whoosh's parallel writer

    write_apart(ix, documents(texts), parallel_min_documents=100)

    assert index_texts(ix) == {doc_id: ["جديد"] for doc_id in texts}
    assert len(index.open_dir(ix.storage.folder)._segments()) == 3


def test_the_index_is_free_for_pastes_while_the_bulk_documents_are_read_and_written(tmp_path):
    ix = build(tmp_path / "index", ["a"])

    def read_from_the_database():
        # A paste now takes the write lock at once, and its article is searchable before the
        # bulk write has put its own segment in.
        write_in_place(ix, {"paste": "لصق"})
        assert index_texts(ix)["paste"] == ["لصق"]
        yield from documents({"a": "جديد", "b": "جديد"})

    write_apart(ix, read_from_the_database())

    assert index_texts(ix) == {"a": ["جديد"], "b": ["جديد"], "paste": ["لصق"]}


def test_a_document_another_writer_rewrote_meanwhile_keeps_that_copy_and_is_left_for_later(tmp_path):
    ix = build(tmp_path / "index", ["a", "b"])

    def read_from_the_database():
        yield from documents({"a": "قراءة", "b": "قراءة", "c": "قراءة"})
        # An edit of «a» and a new «c», indexed in place while the bulk write was writing:
        # whichever read the database last is not known, so the edit's copy stays.
        write_in_place(ix, {"a": "تعديل", "c": "تعديل"})

    left = write_apart(ix, read_from_the_database())

    assert left == {"a", "c"}
    assert index_texts(ix) == {"a": ["تعديل"], "b": ["قراءة"], "c": ["تعديل"]}


def test_a_document_deleted_meanwhile_stays_deleted_and_is_left_for_later(tmp_path):
    ix = build(tmp_path / "index", ["a", "b"])

    def read_from_the_database():
        yield from documents({"a": "قراءة", "b": "قراءة"})
        with writing(ix.storage.folder, timeout=1):
            writer = ix.writer()
            writer.delete_by_term(ID, "a")
            writer.commit(merge=False)

    left = write_apart(ix, read_from_the_database())

    assert left == {"a"}
    assert index_texts(ix) == {"b": ["قراءة"]}


def test_a_bulk_write_into_an_index_cleared_meanwhile_writes_nothing(tmp_path):
    ix = build(tmp_path / "index", ["a"])

    def read_from_the_database():
        yield from documents({"a": "قراءة", "b": "قراءة"})
        with writing(ix.storage.folder, timeout=1):
            ix.writer().commit(mergetype=CLEAR)

    with pytest.raises(IndexBusy):
        write_apart(ix, read_from_the_database())

    assert index_texts(ix) == {}
    assert not (tmp_path / "index" / bulk.BULK_FOLDER).exists()


def test_a_bulk_write_waits_for_a_merge_or_gives_up_whole(tmp_path):
    ix = build(tmp_path / "index", ["a"])

    with held_elsewhere(merging.rewriting(ix.storage.folder)), pytest.raises(IndexBusy):
        write_apart(ix, documents({"a": "جديد"}), seconds=0.2)

    assert index_texts(ix) == {"a": ["قديم"]}
    write_apart(ix, documents({"a": "جديد"}), seconds=0.2)
    assert index_texts(ix) == {"a": ["جديد"]}


def test_what_a_bulk_write_killed_midway_left_is_cleaned_up(tmp_path):
    ix = build(tmp_path / "index", ["a"])
    leftover = tmp_path / "index" / bulk.BULK_FOLDER
    leftover.mkdir()
    (leftover / "MAIN_halfwritten.seg").write_bytes(b"\0" * 64)
    (tmp_path / "index" / "MAIN_unlisted.seg").write_bytes(b"\0" * 64)

    write_apart(ix, documents({"b": "جديد"}))

    names = set(os.listdir(ix.storage.folder))
    assert bulk.BULK_FOLDER not in names and "MAIN_unlisted.seg" not in names
    assert index_texts(ix) == {"a": ["قديم"], "b": ["جديد"]}
