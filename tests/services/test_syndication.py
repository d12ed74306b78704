"""Syndicated copies at every write path: pastes, JSONL batches, admin edits, deletions, the archive."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles import services
from articles.models import Article, PendingIndexUpdate, ShingleBand
from articles.services import syndication
from articles.text.shingles import BANDS
from tests.syndication_texts import BOILERPLATE, BULLETIN_ONE, BULLETIN_TWO, REWRITE, WIRE, WIRE_COPY

pytestmark = pytest.mark.django_db


def paste(title: str, outlet: str, body: str) -> str:
    return f"{title}\nتاريخ النشر: 3rd, March 2024 GMT\n{outlet}| متابعات\n{body}\n"


def jsonl(tmp_path, *records) -> "Path":  # noqa: F821
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return path


def groups() -> dict[int, set[int]]:
    """Lead id → ids of its copies, for every group."""
    found: dict[int, set[int]] = {}
    for pk, lead in Article.objects.exclude(copy_of=None).values_list("pk", "copy_of_id"):
        found.setdefault(lead, set()).add(pk)
    return found


def article(title: str) -> Article:
    return Article.objects.get(title=title)


def test_a_copy_pasted_from_another_outlet_joins_the_group_of_the_first():
    services.ingest_paste(text=paste("افتتاح مستشفى للأطفال في سبها", "الأفق", WIRE))
    services.ingest_paste(text=paste("مستشفى جديد للأطفال في الجنوب", "الوسط", WIRE_COPY))

    lead, copy = article("افتتاح مستشفى للأطفال في سبها"), article("مستشفى جديد للأطفال في الجنوب")
    assert copy.copy_of == lead and lead.copy_of is None
    assert lead.copy_group_ids() == copy.copy_group_ids() == {lead.pk, copy.pk}
    assert ShingleBand.objects.filter(article=copy).count() == BANDS


@pytest.mark.parametrize("body", [REWRITE, BULLETIN_TWO], ids=["rewrite", "template"])
def test_a_near_miss_stays_alone(body):
    first = BULLETIN_ONE if body is BULLETIN_TWO else WIRE
    services.ingest_paste(text=paste("الخبر الأول", "الأفق", first))
    services.ingest_paste(text=paste("الخبر الثاني", "الوسط", body))

    assert groups() == {}


def test_short_texts_are_never_grouped_and_keep_no_bands():
    services.ingest_paste(text=paste("مقال أول", "الأفق", BOILERPLATE))
    services.ingest_paste(text=paste("مقال ثان", "الوسط", BOILERPLATE))

    assert groups() == {}
    assert not ShingleBand.objects.exists()


def test_a_third_copy_joins_the_lead_even_when_it_matches_a_copy_first():
    services.ingest_paste(text=paste("النسخة الأولى", "الأفق", WIRE))
    services.ingest_paste(text=paste("النسخة الثانية", "الوسط", WIRE_COPY))
    services.ingest_paste(text=paste("النسخة الثالثة", "الشروق", WIRE_COPY + "\n\nنقلا عن وكالة الأنباء"))

    lead = article("النسخة الأولى")
    assert groups() == {lead.pk: {article("النسخة الثانية").pk, article("النسخة الثالثة").pk}}


def test_reingesting_a_paste_changes_no_group():
    services.ingest_paste(text=paste("النسخة الأولى", "الأفق", WIRE))
    services.ingest_paste(text=paste("النسخة الثانية", "الوسط", WIRE_COPY))
    before = groups()

    report = services.ingest_paste(text=paste("النسخة الثانية", "الوسط", WIRE_COPY))

    assert report.skipped == 1 and groups() == before
    assert ShingleBand.objects.count() == 2 * BANDS


@pytest.mark.parametrize("batch_size", [500, 1], ids=["one-batch", "batch-per-record"])
def test_jsonl_copies_are_grouped_within_a_batch_and_across_batches(tmp_path, batch_size):
    path = jsonl(
        tmp_path,
        {"title": "الأولى", "body": WIRE, "source": "الأفق"},
        {"title": "قصة أخرى", "body": REWRITE, "source": "الأفق"},
        {"title": "الثانية", "body": WIRE_COPY, "source": "الوسط"},
        {"title": "الثالثة", "body": WIRE.replace("يوم الأربعاء", "الأربعاء"), "source": "الشروق"},
    )

    services.import_jsonl(path=path, index=False, entities=False, batch_size=batch_size)

    assert groups() == {article("الأولى").pk: {article("الثانية").pk, article("الثالثة").pk}}


def test_a_copy_joining_queues_the_whole_group_for_the_index():
    services.ingest_paste(text=paste("النسخة الأولى", "الأفق", WIRE))
    lead = article("النسخة الأولى")
    PendingIndexUpdate.objects.all().delete()

    # In one transaction, as every ingest does: what it queues is in the outbox when it commits.
    from django.db import transaction

    with transaction.atomic():
        copy = Article.objects.create(title="النسخة الثانية", body=WIRE_COPY)
        syndication.detect_copies(articles=[copy])
        queued = set(PendingIndexUpdate.objects.values_list("article_id", flat=True))
        transaction.set_rollback(True)

    assert queued == {lead.pk, copy.pk}


def test_an_article_added_in_the_admin_joins_its_group():
    services.ingest_paste(text=paste("النسخة الأولى", "الأفق", WIRE))

    copy = services.save_article(article=Article(title="نسخة من المحرر", body=WIRE_COPY))

    assert copy.copy_of == article("النسخة الأولى")


def test_editing_a_lone_article_into_a_copy_groups_it_and_refreshes_its_bands():
    services.ingest_paste(text=paste("النسخة الأولى", "الأفق", WIRE))
    other = services.save_article(article=Article(title="مقال آخر", body=REWRITE))
    old_bands = set(ShingleBand.objects.filter(article=other).values_list("hash", flat=True))

    other.body = WIRE_COPY
    services.save_article(article=other)

    assert article("مقال آخر").copy_of == article("النسخة الأولى")
    assert set(ShingleBand.objects.filter(article=other).values_list("hash", flat=True)) != old_bands
    assert ShingleBand.objects.filter(article=other).count() == BANDS


def test_deleting_a_lead_makes_the_next_copy_lead_the_others():
    members = [("الأفق", WIRE), ("الوسط", WIRE_COPY), ("الشروق", WIRE_COPY + "\n\nوكالات")]
    for number, (outlet, body) in enumerate(members):
        services.ingest_paste(text=paste(f"النسخة {number}", outlet, body))
    lead, second, third = article("النسخة 0"), article("النسخة 1"), article("النسخة 2")

    services.delete_articles(articles=[lead])

    assert groups() == {second.pk: {third.pk}}
    assert article("النسخة 1").copy_of is None
    assert not ShingleBand.objects.filter(article_id=lead.pk).exists()


def test_deleting_the_only_copy_leaves_the_lead_alone_and_queued():
    services.ingest_paste(text=paste("النسخة الأولى", "الأفق", WIRE))
    services.ingest_paste(text=paste("النسخة الثانية", "الوسط", WIRE_COPY))
    lead, copy = article("النسخة الأولى"), article("النسخة الثانية")

    from django.db import transaction

    with transaction.atomic():
        services.delete_articles(articles=[copy])
        queued = set(PendingIndexUpdate.objects.values_list("article_id", flat=True))
        transaction.set_rollback(True)

    assert lead.pk in queued
    services.delete_articles(articles=[copy])
    assert groups() == {} and article("النسخة الأولى").syndicated_copies().count() == 0


def forget_copies() -> None:
    """The archive as an import from before copy detection left it."""
    ShingleBand.objects.all().delete()
    Article.objects.update(copy_of=None)


def test_detect_copies_groups_an_archive_imported_before_detection(tmp_path, capsys):
    path = jsonl(
        tmp_path,
        {"title": "الأولى", "body": WIRE},
        {"title": "قصة أخرى", "body": REWRITE},
        {"title": "الثانية", "body": WIRE_COPY},
    )
    services.import_jsonl(path=path, index=False, entities=False)
    expected = groups()
    forget_copies()

    call_command("detect_copies")

    assert groups() == expected == {article("الأولى").pk: {article("الثانية").pk}}
    assert ShingleBand.objects.count() == 3 * BANDS
    assert capsys.readouterr().out.strip() == "articles 3, signed 3: 1 groups with 1 copies; changed 1 articles"


def test_detect_copies_dry_run_reports_and_stores_nothing(capsys):
    services.ingest_paste(text=paste("النسخة الأولى", "الأفق", WIRE))
    services.ingest_paste(text=paste("النسخة الثانية", "الوسط", WIRE_COPY))
    forget_copies()

    call_command("detect_copies", "--dry-run")

    assert groups() == {} and not ShingleBand.objects.exists()
    assert "would change 1 articles (dry run: nothing stored)" in capsys.readouterr().out


def test_detect_copies_again_changes_nothing(capsys):
    services.ingest_paste(text=paste("النسخة الأولى", "الأفق", WIRE))
    services.ingest_paste(text=paste("النسخة الثانية", "الوسط", WIRE_COPY))
    before = groups()

    call_command("detect_copies", verbosity=0)

    assert groups() == before and capsys.readouterr().out == ""
    summary = syndication.detect_archive(dry_run=True)
    assert (summary.groups, summary.copies, summary.changed) == (1, 1, 0)


def test_detect_copies_refuses_a_bad_chunk_size():
    with pytest.raises(CommandError, match="--chunk-size must be at least 1"):
        call_command("detect_copies", "--chunk-size", "0")


def test_the_detector_finds_the_labelled_copies_of_the_news_corpora(shared):
    # bench/data/syndication_pairs.tsv: copies and near-misses of ../shared/data/news, by id.
    from bench.bench_syndication import evaluate, read_bodies, read_pairs

    pairs = read_pairs()
    ids = {pair[side] for pair in pairs for side in ("first", "second")}
    result = evaluate(pairs, read_bodies(ids, shared / "data" / "news"))

    summary = {name: result[name] for name in ("precision", "recall", "fp", "fn")}
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, summary
