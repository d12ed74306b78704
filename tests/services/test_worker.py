"""The background worker's outboxes in one process: what ``--background`` records, what a worker
step does with it, and what ``check_index`` says meanwhile. Real SQLite, real Whoosh, the real
extractor; the worker as processes (killed, stopped) is in test_worker_processes.py."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from haystack import connections

from articles import services
from articles.models import Article, Mention, PendingExtraction, PendingIndexUpdate
from articles.search import indexing
from articles.search.whoosh import merging
from articles.search.service import parse_search_params, search_articles
from articles.services import worker
from tests.search.locks import held_elsewhere

pytestmark = pytest.mark.django_db

PASTE = """وزير الصحة خالد الشريف يزور مستشفى سبها
الأفق| متابعات
زار وزير الصحة خالد الشريف مستشفى سبها المركزي اليوم، والرمز رمزخلفية يخص هذا الخبر.
وقال الشريف إن الوزارة سترسل أجهزة جديدة إلى الجنوب.
"""


def find(code: str) -> list[int]:
    return [hit.id for hit in search_articles(parse_search_params({"q": code, "mode": "exact"})).results]


def command(name: str, *args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_a_background_paste_is_stored_with_its_work_recorded_and_nothing_extracted_or_indexed(search_index):
    report = services.ingest_paste(text=PASTE, background=True)

    (article,) = Article.objects.all()
    assert report.created == 1
    assert list(PendingExtraction.objects.values_list("article_id", flat=True)) == [article.pk]
    assert not Mention.objects.exists()
    assert find("رمزخلفية") == []
    assert worker.backlog() == worker.Backlog(entities=1, index=0)


def test_the_worker_extracts_the_entities_then_indexes_them(search_index):
    services.ingest_paste(text=PASTE, background=True)
    (article,) = Article.objects.all()

    done = worker.drain()

    assert (done.extracted, done.indexed) == (1, 1)
    assert "خالد الشريف" in set(Mention.objects.filter(article=article).values_list("entity__name", flat=True))
    assert find("رمزخلفية") == [article.pk]
    assert worker.backlog().empty


def test_a_background_jsonl_import_stores_everything_and_leaves_the_rest_to_the_worker(tmp_path, search_index):
    path = tmp_path / "news.jsonl"
    path.write_text(
        "".join(
            json.dumps({"title": f"خبر رقم {n} من سبها", "body": f"قال خالد الشريف في سبها إن الرمز رمز{n:03d} يخص الخبر.",
                        "source": "الأفق"}, ensure_ascii=False) + "\n"
            for n in range(30)
        ),
        encoding="utf-8",
    )

    out, error = command("ingest", "--background", "--jsonl", str(path), "--no-progress")

    assert error is None, out
    assert "created 30" in out and "left to the background worker" in out
    assert worker.backlog() == worker.Backlog(entities=30, index=0)
    assert find("رمز007") == []
    worker.drain()
    assert find("رمز007") == list(Article.objects.filter(title="خبر رقم 7 من سبها").values_list("pk", flat=True))
    assert Mention.objects.values("article").distinct().count() == 30


def test_background_without_entities_leaves_only_the_indexing_to_the_worker(tmp_path, search_index):
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"title": "خبر من درنة", "body": "نص الخبر رمزدرنة."}, ensure_ascii=False), encoding="utf-8")

    services.import_jsonl(path=path, background=True, entities=False)

    assert worker.backlog() == worker.Backlog(entities=0, index=1)
    worker.drain()
    assert len(find("رمزدرنة")) == 1 and not Mention.objects.exists()


def test_background_and_no_index_together_are_refused():
    out, error = command("ingest", "--background", "--no-index", "--jsonl", "x.jsonl")

    assert error is not None and "--no-index" in str(error)


def test_check_index_reports_the_workers_backlog_and_repair_finishes_it_without_a_worker(search_index):
    services.ingest_paste(text=PASTE, background=True)

    out, error = command("check_index")
    assert error is not None and "run_worker" in str(error)
    assert "missing 1" in out and "background worker: entities pending 1, index pending 0" in out

    out, error = command("check_index", "--repair")
    assert error is None, out
    assert "background worker: entities pending 0, index pending 0" in out.splitlines()[-2]
    assert len(find("رمزخلفية")) == 1
    assert Mention.objects.exists()


def test_a_worker_step_indexes_the_newest_updates_first(search_index, make_article):
    backlog = [make_article(f"مقال قديم رقم {n}", f"نص قديم رمزقديم{n}") for n in range(5)]
    pasted = make_article("مقال ملصوق للتو", "نص الملصوق رمزجديد")
    with indexing.deferred(index=False):
        indexing.queue_articles(a.pk for a in backlog)
        indexing.queue_articles([pasted.pk])

    indexing.flush_newest(limit=1)

    assert find("رمزجديد") == [pasted.pk]
    assert find("رمزقديم0") == []
    assert set(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == {a.pk for a in backlog}


def test_a_worker_step_waits_for_a_bulk_write_and_a_paste_never_does(search_index, make_article):
    article = make_article("مقال الخطوة", "نص المقال رمزخطوة")
    with indexing.deferred(index=False):
        indexing.queue_articles([article.pk])
    path = connections["default"].get_backend().path

    # While an import writes a piece apart from the index's lock (or a merge runs), the worker's
    # step, written apart too however small, waits its turn; a paste's write, in place, goes on.
    with held_elsewhere(merging.rewriting(path)):
        assert indexing.flush_newest(limit=10, wait=0.2) == 0
        assert indexing.flush(article_ids=[article.pk], wait=0.2) == 1
    assert find("رمزخطوة") == [article.pk]


def test_a_flush_commits_in_pieces_and_leaves_nothing_behind(search_index, make_article):
    articles = [make_article(f"مقال رقم {n}", f"نص المقال رمزقطعة{n:03d}") for n in range(250)]
    with indexing.deferred(index=False):
        indexing.queue_articles(a.pk for a in articles)

    done = indexing.flush(piece_size=120)  # two pieces written apart from the lock, one in place

    assert done == 250
    assert not PendingIndexUpdate.objects.exists()
    assert find("رمزقطعة249") == [articles[-1].pk]
    assert find("رمزقطعة000") == [articles[0].pk]


def test_the_pacer_sizes_commits_from_the_rate_it_measured():
    pacer = indexing.CommitPacer(seconds=1.0)
    assert pacer.size == indexing.CommitPacer.FIRST

    pacer.record(documents=600, seconds=2.0)
    assert pacer.size == 300
    pacer.record(documents=300, seconds=0.5)  # smoothed: halfway between 300/s and 600/s
    assert pacer.size == 450
    pacer.record(documents=10, seconds=100.0)
    assert pacer.size >= indexing.CommitPacer.SMALLEST


def test_the_worker_skips_the_extraction_of_an_article_deleted_meanwhile(search_index):
    services.ingest_paste(text=PASTE, background=True)
    services.delete_articles(articles=Article.objects.all())

    worker.drain()

    assert worker.backlog().empty and not Mention.objects.exists()


def index():
    backend = connections["default"].get_backend()
    backend.setup()
    return backend.storage.open_index(schema=backend.schema)


def segments() -> int:
    with index().reader() as reader:
        return len(list(reader.leaf_readers()))


def numbered_paste(n: int) -> str:
    return PASTE.replace("رمزخلفية", f"رمزلصق{n}").replace("سبها", f"سبها {n}")


def paste_and_index(n: int, capture) -> None:
    # The paste's index commit runs once its transaction commits, as on the site.
    with capture(execute=True):
        services.ingest_paste(text=numbered_paste(n))


def test_a_paste_commits_its_own_segment_without_merging_others_and_the_idle_worker_merges_them(
    search_index, django_capture_on_commit_callbacks
):
    pastes = merging.MERGE_FACTOR
    for n in range(pastes):
        paste_and_index(n, django_capture_on_commit_callbacks)
    # Each paste's commit added its one document and merged nothing: a merge inside it is what
    # kept a paste's request waiting during an import.
    assert segments() == pastes

    assert worker.Worker().step() == pastes
    assert segments() == 1
    assert all(len(find(f"رمزلصق{n}")) == 1 for n in range(pastes))
    # Merged: the next idle steps write no new generation, so searchers are not reopened.
    generation = index().latest_generation()
    worker.Worker().step()
    assert index().latest_generation() == generation


def test_check_index_repair_merges_the_segments_an_index_in_step_has_left(search_index, django_capture_on_commit_callbacks):
    for n in range(merging.MERGE_FACTOR):
        paste_and_index(n, django_capture_on_commit_callbacks)
    output, error = command("check_index")
    assert error is None and f"index segments {merging.MERGE_FACTOR}, merges due 1" in output

    output, error = command("check_index", "--repair")

    assert error is None and "agree" in output
    assert segments() == 1
    assert "index segments 1, merges due 0" in command("check_index")[0]


def test_the_idle_worker_leaves_a_few_small_segments_alone(search_index, django_capture_on_commit_callbacks):
    for n in range(3):
        paste_and_index(n, django_capture_on_commit_callbacks)

    generation = index().latest_generation()

    assert worker.Worker().step() == 0
    assert segments() == 3
    assert index().latest_generation() == generation

