"""The index's one owner: writes reach it through the outbox, once per ingest, and check_index
finds and mends whatever drift is left."""

import io
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from whoosh.index import open_dir

from articles import services
from articles.models import Article, Entity, PendingIndexUpdate
from articles.search import indexing
from articles.search.service import parse_search_params, search_articles

pytestmark = [pytest.mark.usefixtures("search_index"), pytest.mark.django_db(transaction=True)]

PASTE = """مجلس بلدي جديد يتسلم مهامه في مدينة البيضاء
الأفق| متابعات
تسلم المجلس البلدي الجديد في مدينة البيضاء مهامه رسمياً اليوم بعد انتخابات شارك فيها آلاف الناخبين.
وقال رئيس المجلس إن الأولوية ستكون لصيانة الطرق وشبكة المياه قبل فصل الشتاء.
اقرأ أيضاً
افتتاح سوق شعبي للخضار في البيضاء
افتتحت البلدية سوقاً شعبياً جديداً للخضار والفواكه في وسط المدينة بعد أشهر من الأشغال.
"""


def find(q="", **params) -> list[str]:
    page = search_articles(parse_search_params({"q": q, **{k: str(v) for k, v in params.items()}}))
    return [hit.title for hit in page.results]


def generation(path) -> int:
    return open_dir(path).latest_generation()


def check_index(*args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("check_index", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_a_paste_reaches_the_index_in_one_commit(search_index):
    services.ingest_paste(text="تمهيد\nنص قصير للتمهيد حتى يوجد الفهرس.\n")
    before = generation(search_index)

    report = services.ingest_paste(text=PASTE)

    assert report.created == 2
    assert generation(search_index) == before + 1
    assert find("المجلس البلدي") == ["مجلس بلدي جديد يتسلم مهامه في مدينة البيضاء"]
    assert find("سوق الخضار") == ["افتتاح سوق شعبي للخضار في البيضاء"]
    assert not PendingIndexUpdate.objects.exists()


def test_reingesting_the_same_paste_touches_neither_database_nor_index(search_index):
    services.ingest_paste(text=PASTE)
    before = generation(search_index)

    report = services.ingest_paste(text=PASTE)

    assert (report.created, report.skipped) == (0, 2)
    assert generation(search_index) == before


def test_an_edit_extracts_entities_again_and_reindexes_the_article(search_index):
    services.ingest_paste(text=PASTE)
    article = Article.objects.get(title__startswith="مجلس بلدي")
    article.title = "مجلس بلدي جديد في مدينة درنة"
    article.body = "أعلنت وزارة الحكم المحلي في طرابلس أن المجلس البلدي في مدينة درنة تسلم مهامه.\n\n" + article.body

    services.save_article(article=article)

    assert find("درنة") == ["مجلس بلدي جديد في مدينة درنة"]
    assert find("يتسلم") == []
    mentions = list(article.mentions.all())
    assert any(m.surface == "طرابلس" for m in mentions)
    for mention in mentions:
        text = article.title if mention.field == "title" else article.body
        assert text[mention.start : mention.end] == mention.surface


def test_deleting_an_article_removes_its_document(search_index):
    services.ingest_paste(text=PASTE)
    article = Article.objects.get(title__startswith="افتتاح سوق")

    services.delete_articles(articles=[article])

    assert find("سوق الخضار") == []
    assert find("المجلس البلدي") != []


def test_a_rolled_back_write_queues_nothing_and_leaves_the_index_alone(search_index):
    services.ingest_paste(text="تمهيد\nنص قصير للتمهيد حتى يوجد الفهرس.\n")
    before = generation(search_index)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.ingest_paste(text=PASTE)
        raise RuntimeError("the editor's request failed after the paste")

    assert not Article.objects.filter(title__contains="البيضاء").exists()
    assert not PendingIndexUpdate.objects.exists()
    assert generation(search_index) == before
    assert find("البيضاء") == []


def test_entity_merge_moves_the_entity_filter_of_the_articles(search_index):
    services.ingest_paste(text=PASTE)
    article = Article.objects.get(title__startswith="مجلس بلدي")
    target = Entity.objects.create(kind="LOC", name="مدينة البيضاء الليبية")
    (other,) = {m.entity for m in article.mentions.filter(surface="البيضاء")}
    other_pk = other.pk

    services.merge_entities(target=target, others=[other])

    assert article.title in find("", entity=target.pk)
    assert find("", entity=other_pk) == []


def test_work_left_in_the_outbox_is_reported_and_repaired():
    with indexing.deferred(index=False):
        services.ingest_paste(text=PASTE)
    assert find("البيضاء") == []

    out, error = check_index()
    assert error is not None
    assert "missing 2" in out and "pending 2" in out

    out, error = check_index("--repair")
    assert error is None, out
    assert "missing 0, stale 0, orphaned 0, pending 0" in out
    assert len(find("البيضاء")) == 2
    assert check_index()[1] is None


def test_check_index_finds_stale_and_orphaned_documents():
    services.ingest_paste(text=PASTE)
    # Writes behind the services' back: what a bug or a restored database backup would leave.
    Article.objects.filter(title__startswith="مجلس بلدي").update(title="عنوان عُدّل خارج الأرشيف")
    Article.objects.filter(title__startswith="افتتاح سوق").delete()

    out, error = check_index()
    assert error is not None
    assert "missing 0, stale 1, orphaned 1, pending 0" in out

    out, error = check_index("--repair")
    assert error is None, out
    assert find("عدل خارج") == ["عنوان عُدّل خارج الأرشيف"]
    assert find("سوق الخضار") == []


def test_an_archive_in_step_passes_the_check():
    services.ingest_paste(text=PASTE)

    out, error = check_index()

    assert error is None
    assert "articles 2, documents 2: missing 0, stale 0, orphaned 0, pending 0" in out


def test_reextracting_entities_commits_to_the_index_once(search_index):
    services.ingest_paste(text=PASTE)
    before = generation(search_index)

    call_command("extract_entities", "--all", stdout=io.StringIO())

    assert generation(search_index) == before + 1
    assert not PendingIndexUpdate.objects.exists()


# Holds the index's write lock from another process, as a bulk import's commit does, until its
# standard input closes.
HOLD_THE_INDEX = """
import fcntl, os, sys
with open(os.path.join(sys.argv[1], "archive-write.lock"), "a") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_paste_while_another_process_writes_the_index_is_stored_at_once_and_indexed_by_the_next_flush(search_index):
    services.ingest_paste(text="اختبار أول\nنص أول يفتح الفهرس قبل الاختبار في مدينة البيضاء.")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_INDEX, search_index], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.perf_counter()
        report = services.ingest_paste(text=PASTE)
        waited = time.perf_counter() - started
        assert report.created == 2
        assert indexing.QUEUED_WAIT_SECONDS <= waited < indexing.QUEUED_WAIT_SECONDS + 3
        assert find("سوق شعبي") == [] and PendingIndexUpdate.objects.count() >= 2
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)

    indexing.flush()

    assert find("سوق شعبي") == ["افتتاح سوق شعبي للخضار في البيضاء"]
    assert not PendingIndexUpdate.objects.exists()
