"""Outlets named by slug get their display name; desk words never become outlets."""

import json

import pytest

from articles import services
from articles.models import Article, PendingIndexUpdate, Source
from articles.services.sources import resolve_source
from tests.text.pastes import BODY, BODY_2, paste

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("printed", "display"),
    [("alarabia", "العربية"), ("skynews", "سكاي نيوز عربية"), ("Jawhara FM", "جوهرة أف أم"), ("BBC", "بي بي سي عربي")],
)
def test_an_outlet_printed_by_slug_is_created_under_its_display_name(printed, display):
    source = resolve_source(name=printed)

    assert source.name == display
    assert printed in source.short_names()


def test_reimport_by_slug_or_display_name_finds_the_same_outlet():
    first = resolve_source(name="skynews")

    assert resolve_source(name="SkyNews") == first
    assert resolve_source(name="سكاي نيوز عربية") == first
    assert Source.objects.count() == 1


def test_a_slug_finds_an_outlet_already_stored_under_its_display_name():
    existing = Source.objects.create(name="العربية")

    assert resolve_source(name="alarabia") == existing
    assert "alarabia" in existing.short_names()


def test_a_display_name_is_not_replaced_by_a_longer_printed_name():
    resolve_source(name="BBC")

    assert resolve_source(name="BBC", full_name="صحيفة BBC").name == "بي بي سي عربي"


def test_an_unknown_outlet_keeps_its_printed_name():
    assert resolve_source(name="صحيفة الأفق").name == "صحيفة الأفق"


def test_a_paste_crediting_agencies_has_a_desk_and_no_outlet():
    services.ingest_paste(text=paste("عنوان الخبر", BODY, BODY_2, "(المصدر: وكالات)"), label="paste")

    article = Article.objects.get()
    assert (article.source, article.desk, article.source_line) == (None, "وكالات", "(المصدر: وكالات)")
    assert not Source.objects.exists()


def test_a_jsonl_record_crediting_agencies_has_a_desk_and_no_outlet(tmp_path):
    path = tmp_path / "news.jsonl"
    records = [
        {"title": "خبر من الوكالات", "body": "نص الخبر الأول عن الاقتصاد.", "source": "وكالات"},
        {"title": "خبر من العربية", "body": "نص الخبر الثاني عن الطقس.", "source": "alarabia"},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")

    services.import_jsonl(path=path, entities=False)

    agencies = Article.objects.get(title="خبر من الوكالات")
    assert (agencies.source, agencies.desk) == (None, "وكالات")
    assert Article.objects.get(title="خبر من العربية").source.name == "العربية"
    assert list(Source.objects.values_list("name", flat=True)) == ["العربية"]


def test_a_jsonl_author_that_is_an_id_is_no_byline(tmp_path):
    path = tmp_path / "news.jsonl"
    records = [
        {"title": "خبر أول", "body": "نص الخبر الأول عن الاقتصاد.", "author": "00a72cbb-c99e-4308-8730-79dc24507368"},
        {"title": "خبر ثان", "body": "نص الخبر الثاني عن الطقس.", "author": "  دبي -   قناة العربية "},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")

    services.import_jsonl(path=path, entities=False)

    assert dict(Article.objects.values_list("title", "byline")) == {"خبر أول": "", "خبر ثان": "دبي - قناة العربية"}


def run_data_migration():
    from importlib import import_module

    from django.apps import apps

    import_module("articles.migrations.0004_outlet_display_names_and_desks").name_outlets_and_move_desks(apps, None)


def stored_outlet(name: str) -> Source:
    """An outlet as an ingest before display names stored it: under the printed name, itself an alias."""
    source = Source.objects.create(name=name)
    source.aliases.create(name=name)
    return source


def test_the_data_migration_renames_outlets_stored_by_slug_and_keeps_the_slug(make_article):
    slug = stored_outlet("skynews")
    article = make_article("خبر", "نص الخبر عن الطقس.", source=slug)

    run_data_migration()

    slug.refresh_from_db()
    assert slug.name == "سكاي نيوز عربية"
    assert resolve_source(name="skynews") == slug
    assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()


def test_the_data_migration_merges_a_slug_into_the_outlet_under_its_display_name(make_article):
    named = stored_outlet("العربية")
    slug = stored_outlet("alarabia")
    article = make_article("خبر", "نص الخبر عن الطقس.", source=slug)

    run_data_migration()

    assert list(Source.objects.all()) == [named]
    assert Article.objects.get(pk=article.pk).source == named
    assert "alarabia" in named.short_names()


def test_the_data_migration_turns_desk_outlets_into_desks(make_article):
    agencies = stored_outlet("وكالات")
    plain = make_article("خبر أول", "نص الخبر الأول.", source=agencies)
    with_desk = make_article("خبر ثان", "نص الخبر الثاني.", source=agencies, desk="متابعات")
    kept = stored_outlet("صحيفة الأفق")

    run_data_migration()

    assert list(Source.objects.all()) == [kept]
    assert (Article.objects.get(pk=plain.pk).source, Article.objects.get(pk=plain.pk).desk) == (None, "وكالات")
    assert Article.objects.get(pk=with_desk.pk).desk == "متابعات"
    assert set(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == {plain.pk, with_desk.pk}


def test_an_editor_renaming_an_outlet_keeps_its_slug_and_old_name_as_aliases():
    source = resolve_source(name="france24")
    source.name = "فرانس 24 عربي"

    services.save_source(source=source)

    assert resolve_source(name="france24") == source
    assert resolve_source(name="فرانس 24") == source
    assert Source.objects.get().name == "فرانس 24 عربي"
