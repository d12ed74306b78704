"""One set of limits on every write path: pastes, JSONL records and the admin's edits."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import services
from articles.models import Article

pytestmark = pytest.mark.django_db

BODY = "افتتحت البلدية حديقة عامة جديدة في وسط المدينة بعد أشهر من الأشغال.\n"


def jsonl(tmp_path, *records) -> "Path":  # noqa: F821
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return path


def test_a_paste_with_an_overlong_title_is_rejected_whole():
    report = services.ingest_paste(text="خبر-" * 2500 + "\n" + BODY, label="long.txt")

    (outcome,) = report.outcomes
    assert outcome.status == "rejected"
    assert outcome.reason == "article: title: 10,000 characters, over the limit of 500"
    assert not Article.objects.exists()


def test_a_paste_whose_related_article_breaks_a_limit_writes_nothing():
    paste = f"حديقة جديدة في المدينة\n{BODY}اقرأ أيضاً\n{'عنوان-' * 100}\n{BODY}"

    report = services.ingest_paste(text=paste)

    assert report.outcomes[0].reason == "related article 1: title: 600 characters, over the limit of 500"
    assert not Article.objects.exists()


def test_a_paste_given_an_overlong_outlet_is_rejected_before_the_database_refuses_it():
    report = services.ingest_paste(text=f"حديقة جديدة في المدينة\n{BODY}", source="صحيفة" * 50)

    assert report.outcomes[0].reason == "source: 250 characters, over the limit of 200"
    assert not Article.objects.exists()


def test_ingest_refuses_an_overlong_source_override(tmp_path):
    path = jsonl(tmp_path, {"title": "خبر سليم", "body": BODY})

    with pytest.raises(CommandError, match="--source: source: 250 characters, over the limit of 200"):
        call_command("ingest", "--jsonl", str(path), "--source", "صحيفة" * 50, "--no-progress")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "record, reason",
    [
        ({"title": "خبر-" * 2500, "body": BODY}, "title: 10,000 characters, over the limit of 500"),
        ({"title": "حديقة", "body": BODY, "author": "كاتب-" * 70}, "byline: 350 characters, over the limit of 300"),
        ({"title": "حديقة", "body": BODY, "url": "javascript:alert(1)"}, "url: only http and https links are kept, not «javascript:alert(1)»"),
        ({"title": "حديقة", "body": BODY, "url": "ftp://example.org/a"}, "url: only http and https links are kept, not «ftp://example.org/a»"),
        ({"title": "حديقة", "body": BODY, "url": "https://"}, "url: «https://» is not a valid link"),
        ({"title": "حديقة", "body": BODY, "source": "صحيفة" * 50}, "source: 250 characters, over the limit of 200"),
    ],
)
def test_jsonl_records_over_a_limit_are_rejected_with_their_line(tmp_path, record, reason):
    path = jsonl(tmp_path, {"title": "خبر سليم", "body": BODY}, record)

    report = services.import_jsonl(path=path, index=False, entities=False)

    assert report.created == 1
    (rejected,) = [o for o in report.outcomes if o.status == "rejected"]
    assert rejected.label == f"{path}:2"
    assert rejected.reason.startswith(reason)
    assert list(Article.objects.values_list("title", flat=True)) == ["خبر سليم"]


@pytest.mark.parametrize(
    "url, stored",
    [
        ("https://example.org/news/1", "https://example.org/news/1"),
        ("http://example.org/ar/article/ حديقة-جديدة!/106/79267", "http://example.org/ar/article/%20حديقة-جديدة!/106/79267"),
    ],
)
def test_http_links_from_jsonl_are_kept(tmp_path, url, stored):
    path = jsonl(tmp_path, {"title": "حديقة", "body": BODY, "url": url})

    report = services.import_jsonl(path=path, index=False, entities=False)

    assert report.rejected == 0
    assert Article.objects.get().url == stored


def test_the_admin_refuses_a_script_link(admin_client):
    services.ingest_paste(text="حديقة جديدة في المدينة\n" + BODY)
    article = Article.objects.get()
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = {
        "title": article.title, "body": article.body, "url": "javascript:alert(1)",
        "related_links-TOTAL_FORMS": "0", "related_links-INITIAL_FORMS": "0",
        "mentions-TOTAL_FORMS": "0", "mentions-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, form)

    assert response.status_code == 200  # the form again, with the error
    article.refresh_from_db()
    assert article.url == ""
    assert 'href="javascript' not in admin_client.get(article.get_absolute_url()).content.decode()
