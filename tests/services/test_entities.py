"""Entities as the archive stores and shows them: extraction at ingest, resolution, pages, API."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import services
from articles.models import Article, Entity, Mention
from tests.conftest import SEED_ENTITIES

pytestmark = pytest.mark.django_db


LATER = """أبو زريبة يتفقد منفذ امساعد الحدودي
تاريخ النشر: 2nd, September 2024 GMT
الوطن| متابعات
تفقد وزير الداخلية اللواء عصام أبو زريبة منفذ امساعد الحدودي مع ليبيا ومصر، واطلع على سير العمل فيه.
وأكد أبو زريبة أهمية تطوير المنافذ البرية وتسهيل حركة المسافرين.
"""


@pytest.fixture
def seed(shared):
    services.ingest_paste(text=(shared / "samples" / "seed-article.txt").read_text(encoding="utf-8"))
    return Article.objects.get(title__startswith="اللواء")


@pytest.mark.parametrize("kind, name", SEED_ENTITIES)
def test_ingesting_reference_paste_stores_its_entities(seed, kind, name):
    assert Entity.objects.by_name(name, kind).exists(), f"{kind} {name} not found"


@pytest.mark.parametrize(
    "name, role",
    [
        ("عصام أبوزريبة", "وزير الداخلية"),
        ("أسامة الدرسي", "رئيس جهاز الأمن الداخلي"),
        ("فرج اقعيم", "الوكيل"),
        ("محمود توفيق", "اللواء"),
    ],
)
def test_roles_that_introduce_people_are_kept(seed, name, role):
    entity = Entity.objects.by_name(name, "PERS").get()

    assert any(role in seen for seen in entity.roles())


def test_short_mention_in_title_resolves_to_full_name(seed):
    entity = Entity.objects.by_name("عصام أبوزريبة", "PERS").get()

    title_mentions = entity.mentions.filter(field=Mention.Field.TITLE)
    assert title_mentions.exists()
    mention = title_mentions.first()
    assert seed.title[mention.start : mention.end] == mention.surface


def test_spelling_variants_across_articles_are_one_entity(seed):
    services.ingest_paste(text=LATER)

    entity = Entity.objects.by_name("عصام أبوزريبة", "PERS").get()
    assert Entity.objects.by_name("عصام أبو زريبة", "PERS").get() == entity
    assert Article.objects.mentioning(entity).count() == 2


def test_mention_offsets_point_at_the_surface_form(seed):
    for mention in Mention.objects.filter(article=seed, field=Mention.Field.BODY):
        assert seed.body[mention.start : mention.end] == mention.surface


def test_extract_entities_command_is_idempotent(seed):
    before = sorted(Mention.objects.values_list("article_id", "entity_id", "field", "start"))

    call_command("extract_entities", "--all", stdout=io.StringIO())
    call_command("extract_entities", "--since", "2000-01-01", stdout=io.StringIO())

    assert sorted(Mention.objects.values_list("article_id", "entity_id", "field", "start")) == before


def test_extract_entities_rejects_a_bad_date():
    with pytest.raises(CommandError, match="--since"):
        call_command("extract_entities", "--since", "yesterday", stdout=io.StringIO())


def test_article_page_shows_entity_chips_and_marks_mentions(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()

    entity = Entity.objects.by_name("بنغازي", "LOC").get()
    assert f'class="chip chip-LOC" href="{entity.get_absolute_url()}"' in html
    assert f'class="mention mention-LOC" href="{entity.get_absolute_url()}"' in html


def test_entity_page_shows_variants_roles_timeline_articles_and_co_occurring(client, seed):
    services.ingest_paste(text=LATER)
    entity = Entity.objects.by_name("عصام أبوزريبة", "PERS").get()

    response = client.get(entity.get_absolute_url())

    html = response.content.decode()
    assert response.context["article_count"] == 2
    assert "وزير الداخلية" in html
    assert "أغسطس 2024" in html and "سبتمبر 2024" in html
    assert seed.title in html
    co = [e.name for e in response.context["co_occurring"]]
    assert "بنغازي" in co or "ليبيا" in co


def test_entity_index_lists_top_entities_and_letters(client, seed):
    html = client.get(reverse("articles:entities")).content.decode()
    assert "بنغازي" in html

    by_letter = client.get(reverse("articles:entities"), {"letter": "ق"}).content.decode()
    assert "القاهرة" in by_letter


def test_api_article_returns_entities_with_mentions(client, seed):
    data = client.get(reverse("articles:api_article", args=[seed.pk])).json()

    assert data["title"] == seed.title
    assert data["published_on"] == "2024-08-19"
    names = {(e["kind"], e["name"]) for e in data["entities"]}
    assert ("LOC", "بنغازي") in names
    person = next(e for e in data["entities"] if e["name"] == "عصام أبوزريبة")
    assert {m["field"] for m in person["mentions"]} == {"title", "body"}


def test_api_article_missing_is_404(client):
    assert client.get(reverse("articles:api_article", args=[12345])).status_code == 404
