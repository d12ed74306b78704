"""Opening searchers while other processes commit: a reader always opens a complete commit,
never the files of a generation that a writer has just replaced (``_MAIN_N.toc`` gone)."""

import multiprocessing

import pytest

from tests.search_fixtures import index_in_child

pytestmark = pytest.mark.django_db(transaction=True)


def test_searchers_opened_during_a_stream_of_commits_open_a_complete_one(search_index, tmp_path):
    from haystack import connections

    backend = connections["default"].get_backend()
    backend.setup()
    shared = backend.shared
    context = multiprocessing.get_context("spawn")
    # Many one-document commits: each deletes the generation before it.
    writers = [
        context.Process(target=index_in_child, args=(search_index, str(tmp_path), first, 150, 1))
        for first in (1, 1000)
    ]
    for writer in writers:
        writer.start()
    counts, errors = [], []
    while any(writer.is_alive() for writer in writers):
        shared.reset()  # every search of this loop opens the index anew, as after each commit
        try:
            counts.append(shared.searcher().doc_count())
        except Exception as error:  # collected: the test reports every failure
            errors.append(repr(error))
    for writer in writers:
        writer.join(timeout=240)
    shared.reset()

    assert errors == []
    assert [writer.exitcode for writer in writers] == [0, 0]
    assert len(counts) > 20 and counts == sorted(counts)
    assert shared.searcher().doc_count() == 300
