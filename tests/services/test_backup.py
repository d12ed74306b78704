"""export_archive / import_archive: a round trip keeps every row, id and search result, and a bad
file is refused with its line, leaving the database as it was.

Runs on whichever database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL).
"""

import gzip
import json

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from haystack import connections

from articles import services
from articles.models import (
    Article,
    Entity,
    EntityAlias,
    Mention,
    PendingIndexUpdate,
    RelatedArticle,
    ShingleBand,
    Source,
    SourceAlias,
)
from articles.search import indexing
from articles.search.service import parse_search_params, search_articles
from tests.syndication_texts import WIRE, WIRE_COPY

pytestmark = pytest.mark.django_db

MODELS = [Source, SourceAlias, Article, RelatedArticle, ShingleBand, Entity, EntityAlias, Mention, User, Group]
# Words of the demo articles, their spelling variants, a phrase, an outlet filter and a miss.
QUERIES = [
    {"q": "بنغازي"},
    {"q": "الاسكندرية"},
    {"q": "مهرجان"},
    {"q": "المياه"},
    {"q": "\"معرض الكتاب\""},
    {"q": "مدارس", "mode": "exact"},
    {"q": ""},
    {"q": "مستشفى الأطفال"},
    {"q": "كلمةلاتوجد"},
]


def search_results() -> list[tuple[int, list[int]]]:
    results = []
    for query in QUERIES:
        page = search_articles(parse_search_params(query), per_page=50)
        results.append((page.count, [hit.id for hit in page.results]))
    return results


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def empty_the_archive() -> None:
    """What a new, migrated database and a fresh index hold: nothing."""
    Article.objects.update(copy_of=None)
    for model in [Mention, EntityAlias, Entity, RelatedArticle, ShingleBand, Article, SourceAlias, Source,
                  PendingIndexUpdate, User, Group]:
        model.objects.all().delete()
    connections["default"].get_backend().clear()


def lines(path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as text:
        return text.read().splitlines()


def write_lines(path, records) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for record in records:
            out.write((record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)) + "\n")


@pytest.fixture
def archive(search_index):
    """The demo archive (outlets, related links, copies, entities), an editor in a group, indexed."""
    call_command("load_demo", verbosity=0)
    for title, outlet, body in [("افتتاح مستشفى للأطفال في سبها", "الأفق", WIRE), ("مستشفى جديد للأطفال في الجنوب", "الوسط", WIRE_COPY)]:
        services.ingest_paste(text=f"{title}\nتاريخ النشر: 3rd, March 2024 GMT\n{outlet}| متابعات\n{body}\n")
    editors = Group.objects.create(name="editors")
    editors.permissions.set(Permission.objects.filter(codename__in=["change_article", "view_article"]))
    editor = User.objects.create_user("huda", "huda@example.org", "a-long-password-7")
    editor.groups.add(editors)
    editor.user_permissions.add(Permission.objects.get(codename="delete_entity"))
    User.objects.create_superuser("admin", "admin@example.org", "another-password-9")
    indexing.flush()  # the test's transaction never commits, so nothing indexes on commit
    assert Article.objects.filter(copy_of__isnull=False).exists(), "the archive must hold syndicated copies"
    assert RelatedArticle.objects.exists() and Mention.objects.exists()
    return search_index


def test_a_round_trip_keeps_every_row_id_and_search_result(archive, tmp_path):
    before_counts, before_results = counts(), search_results()
    backup = tmp_path / "backup.jsonl.gz"
    call_command("export_archive", str(backup), verbosity=0)
    empty_the_archive()

    call_command("import_archive", str(backup), verbosity=0)

    assert counts() == before_counts
    assert search_results() == before_results
    assert any(ids for _count, ids in before_results[:-1])
    again = tmp_path / "again.jsonl.gz"
    call_command("export_archive", str(again), verbosity=0)
    assert lines(again) == lines(backup)
    call_command("check_index", verbosity=0)


def test_users_come_back_able_to_log_in_with_their_groups_and_permissions(archive, tmp_path):
    backup = tmp_path / "backup.jsonl.gz"
    call_command("export_archive", str(backup), verbosity=0)
    empty_the_archive()

    call_command("import_archive", str(backup), verbosity=0)

    editor = User.objects.get(username="huda")
    assert editor.check_password("a-long-password-7")
    assert editor.has_perm("articles.change_article") and editor.has_perm("articles.delete_entity")
    assert not editor.has_perm("articles.delete_article")
    assert User.objects.get(username="admin").is_superuser


def test_a_backup_without_users_restores_beside_the_users_already_there(archive, tmp_path):
    backup = tmp_path / "backup.jsonl.gz"
    call_command("export_archive", str(backup), "--no-users", verbosity=0)
    articles = Article.objects.count()
    empty_the_archive()
    User.objects.create_superuser("new-admin", "n@example.org", "yet-another-password-3")

    call_command("import_archive", str(backup), verbosity=0)

    assert list(User.objects.values_list("username", flat=True)) == ["new-admin"]
    assert Article.objects.count() == articles


def test_an_article_stored_after_a_restore_gets_a_new_id(archive, tmp_path):
    backup = tmp_path / "backup.jsonl.gz"
    call_command("export_archive", str(backup), verbosity=0)
    last = Article.objects.order_by("-pk").first().pk
    empty_the_archive()
    call_command("import_archive", str(backup), verbosity=0)

    report = services.ingest_paste(text="حديقة جديدة في المدينة\nافتتحت البلدية حديقة عامة جديدة في وسط المدينة.")

    assert report.outcomes[0].article_id > last


def test_a_restore_refuses_a_database_that_holds_other_articles(archive, tmp_path):
    backup = tmp_path / "backup.jsonl.gz"
    call_command("export_archive", str(backup), verbosity=0)
    Article.objects.order_by("pk").first().delete()

    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("import_archive", str(backup), verbosity=0)


def test_a_dry_run_checks_the_file_and_stores_nothing(archive, tmp_path, capsys):
    backup = tmp_path / "backup.jsonl.gz"
    call_command("export_archive", str(backup), verbosity=0)
    empty_the_archive()

    call_command("import_archive", str(backup), "--dry-run")

    assert "is a valid backup: group 1, user 2, source" in capsys.readouterr().out
    assert not any(counts().values())


HEADER = {"type": "format", "format": "arabic-news-archive", "version": 1, "users": False}
SOURCE = {"type": "source", "id": 1, "name": "صحيفة الأفق", "created_at": "2024-01-02T03:04:05+00:00"}
ARTICLE = {
    "type": "article", "id": 7, "title": "حديقة جديدة", "body": "افتتحت البلدية حديقة عامة جديدة.",
    "published_on": "2024-01-01", "source_id": 1, "byline": "", "desk": "", "source_line": "", "url": "",
    "raw_paste": "", "copy_of_id": None, "created_at": "2024-01-02T03:04:05+00:00",
    "updated_at": "2024-01-02T03:04:05+00:00", "bands": [],
}


def end(**counts) -> dict:
    return {"type": "end", "counts": {"source": 1, "article": 1, **counts}}


@pytest.mark.parametrize(
    "records, message",
    [
        ([{"type": "format", "format": "other"}, SOURCE, ARTICLE, end()], ":1: not an archive backup"),
        ([HEADER, SOURCE, "{not json", end()], ":3: invalid JSON"),
        ([HEADER, SOURCE, {**ARTICLE, "type": "story"}, end()], ":3: unknown record type 'story'"),
        ([HEADER, SOURCE, {k: v for k, v in ARTICLE.items() if k != "title"}, end()], ":3: article without «title»"),
        ([HEADER, SOURCE, {**ARTICLE, "source_id": 2}, end()], ":3: article «source_id» 2 is in no source before it"),
        ([HEADER, SOURCE, {**ARTICLE, "published_on": "yesterday"}, end()], ":3: article «published_on»"),
        ([HEADER, SOURCE, {**ARTICLE, "title": "خبر-" * 200}, end()], ":3: article «title»: 800 characters, over the limit of 500"),
        ([HEADER, SOURCE, {**ARTICLE, "copy_of_id": 99}, end()], ":3: article «copy_of_id» 99 is in no article of the file"),
        ([HEADER, SOURCE, SOURCE, ARTICLE, end()], ":3: a second source with id 1"),
        ([HEADER, SOURCE, ARTICLE], ":3: the file ends without its end record"),
        ([HEADER, SOURCE, ARTICLE, end(article=2)], ":4: the end record counts 2 article rows, the file holds 1"),
    ],
)
def test_a_bad_backup_is_refused_with_its_line_and_stores_nothing(tmp_path, records, message):
    path = tmp_path / "bad.jsonl.gz"
    write_lines(path, records)

    with pytest.raises(CommandError, match=f"^{path}{message}".replace("?", r"\?").replace("(", r"\(")):
        call_command("import_archive", str(path), "--no-users", "--no-index", verbosity=0)
    assert not Source.objects.exists() and not Article.objects.exists()


def test_a_file_that_is_not_gzip_is_refused(tmp_path):
    path = tmp_path / "plain.jsonl"
    path.write_text(json.dumps(HEADER) + "\n", encoding="utf-8")

    with pytest.raises(CommandError, match="plain.jsonl: Not a gzipped file"):
        call_command("import_archive", str(path), verbosity=0)


def test_a_small_valid_file_restores_its_article_with_its_timestamps(tmp_path, search_index):
    path = tmp_path / "small.jsonl.gz"
    write_lines(path, [HEADER, SOURCE, ARTICLE, end()])

    call_command("import_archive", str(path), "--no-users", verbosity=0)

    article = Article.objects.get(pk=7)
    assert (article.source.name, article.created_at.isoformat()) == ("صحيفة الأفق", "2024-01-02T03:04:05+00:00")
    assert search_articles(parse_search_params({"q": "حديقة"})).count == 1


def test_an_entity_from_a_backup_older_than_editor_chosen_names_restores_as_named_by_usage(tmp_path, search_index):
    path = tmp_path / "older.jsonl.gz"
    entity = {"type": "entity", "id": 3, "kind": "LOC", "name": "سوسة", "created_at": "2024-01-02T03:04:05+00:00"}
    write_lines(path, [HEADER, SOURCE, ARTICLE, entity, end(entity=1)])

    call_command("import_archive", str(path), "--no-users", verbosity=0)

    assert Entity.objects.filter(pk=3, name="سوسة", named_by_editor=False).exists()


def test_a_mention_from_a_backup_older_than_tagger_confidence_restores_without_one(tmp_path, search_index):
    path = tmp_path / "older.jsonl.gz"
    entity = {"type": "entity", "id": 3, "kind": "LOC", "name": "حديقة الأفق", "created_at": "2024-01-02T03:04:05+00:00"}
    mention = {"type": "mention", "id": 5, "article_id": 7, "entity_id": 3, "surface": "حديقة الأفق",
               "field": "body", "start": 0, "end": 11, "role": ""}
    write_lines(path, [HEADER, SOURCE, ARTICLE, entity, mention, end(entity=1, mention=1)])

    call_command("import_archive", str(path), "--no-users", verbosity=0)

    assert Mention.objects.get(pk=5).confidence is None
    assert Entity.objects.listed().filter(pk=3).exists()


def test_a_round_trip_keeps_how_sure_the_tagger_was(archive, tmp_path):
    before = dict(Mention.objects.values_list("pk", "confidence"))
    backup = tmp_path / "backup.jsonl.gz"
    call_command("export_archive", str(backup), verbosity=0)
    empty_the_archive()

    call_command("import_archive", str(backup), verbosity=0)

    assert dict(Mention.objects.values_list("pk", "confidence")) == before
    assert any(0 < confidence < 1 for confidence in before.values() if confidence is not None)


def test_a_round_trip_keeps_the_names_editors_chose(archive, tmp_path):
    entity = Entity.objects.order_by("pk").first()
    services.rename_entity(entity=entity, name=entity.name + " الأول")
    backup = tmp_path / "backup.jsonl.gz"
    call_command("export_archive", str(backup), verbosity=0)
    empty_the_archive()

    call_command("import_archive", str(backup), verbosity=0)

    assert Entity.objects.get(pk=entity.pk).named_by_editor
    assert Entity.objects.filter(named_by_editor=True).count() == 1


def test_an_export_to_a_missing_folder_is_refused_and_leaves_nothing(tmp_path):
    with pytest.raises(CommandError, match="No such file or directory"):
        call_command("export_archive", str(tmp_path / "missing" / "backup.jsonl.gz"), verbosity=0)
