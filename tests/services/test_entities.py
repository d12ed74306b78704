"""Entities as the archive stores and shows them: extraction at ingest, resolution, pages, API."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import services
from articles.models import Article, Entity, Mention
from tests.conftest import REFERENCE_ENTITIES, SEED_ENTITIES

pytestmark = pytest.mark.django_db


# A later article naming the minister with a vocalised surname: the same entity.
LATER = """خالد الشّريف يفتتح محطة لتحلية المياه في زوارة
تاريخ النشر: 2nd, May 2023 GMT
الأفق| متابعات
افتتح وزير الموارد المائية خالد الشّريف محطة جديدة لتحلية مياه البحر في مدينة زوارة غرب ليبيا.
وقال الشّريف إن المحطة ستوفر مياه الشرب لآلاف الأسر في المنطقة.
"""


@pytest.fixture
def seed(reference_text):
    services.ingest_paste(text=reference_text)
    return Article.objects.get(title__startswith="الوزير")


@pytest.fixture
def real_seed(shared):
    services.ingest_paste(text=(shared / "samples" / "seed-article.txt").read_text(encoding="utf-8"))
    return Article.objects.get(title__startswith="اللواء")


@pytest.mark.parametrize("kind, name", REFERENCE_ENTITIES)
def test_ingesting_a_paste_stores_its_entities(seed, kind, name):
    assert Entity.objects.by_name(name, kind).exists(), f"{kind} {name} not found"


@pytest.mark.parametrize("kind, name", SEED_ENTITIES)
def test_ingesting_the_real_reference_paste_stores_its_entities(real_seed, kind, name):
    assert Entity.objects.by_name(name, kind).exists(), f"{kind} {name} not found"


@pytest.mark.parametrize(
    "name, role",
    [("خالد الشريف", "وزير الموارد المائية"), ("مراد الفيتوري", "الدكتور")],
)
def test_roles_that_introduce_people_are_kept(seed, name, role):
    entity = Entity.objects.by_name(name, "PERS").get()

    assert any(role in seen for seen in entity.roles())


@pytest.mark.parametrize(
    "name, role",
    [
        ("عصام أبوزريبة", "وزير الداخلية"),
        ("أسامة الدرسي", "رئيس جهاز الأمن الداخلي"),
        ("فرج اقعيم", "الوكيل"),
        ("محمود توفيق", "اللواء"),
    ],
)
def test_roles_in_the_real_reference_paste_are_kept(real_seed, name, role):
    entity = Entity.objects.by_name(name, "PERS").get()

    assert any(role in seen for seen in entity.roles())


def test_short_mention_in_title_resolves_to_full_name(seed):
    entity = Entity.objects.by_name("خالد الشريف", "PERS").get()

    (mention,) = entity.mentions.filter(field=Mention.Field.TITLE)
    assert mention.surface == "الشريف"
    assert seed.title[mention.start : mention.end] == mention.surface


def test_spelling_variants_across_articles_are_one_entity(seed):
    services.ingest_paste(text=LATER)

    entity = Entity.objects.by_name("خالد الشريف", "PERS").get()
    assert Entity.objects.by_name("خالد الشّريف", "PERS").get() == entity
    assert Article.objects.mentioning(entity).count() == 3  # with the related article


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
    entity = Entity.objects.by_name("خالد الشريف", "PERS").get()

    response = client.get(entity.get_absolute_url())

    html = response.content.decode()
    assert response.context["article_count"] == 3
    assert response.context["variants"] == []  # «الشريف» is a short form, not a spelling of the name
    assert "وزير الموارد المائية" in html
    assert "مارس 2023" in html and "مايو 2023" in html
    assert seed.title in html
    co = [e.name for e in response.context["co_occurring"]]
    assert co[:2] == ["زوارة", "ليبيا"], co  # two articles each, then by name
    assert "بنغازي" in co


def test_entity_index_lists_top_entities_and_letters(client, seed):
    html = client.get(reverse("articles:entities")).content.decode()
    assert "بنغازي" in html

    listing = client.get(reverse("articles:entities"), {"letter": "ط"}).context["listing"]
    assert [entity.name for entity in listing] == ["طرابلس"]


def test_api_article_returns_entities_with_mentions(client, seed):
    data = client.get(reverse("articles:api_article", args=[seed.pk])).json()

    assert data["title"] == seed.title
    assert data["published_on"] == "2023-03-12"
    names = {(e["kind"], e["name"]) for e in data["entities"]}
    assert ("LOC", "بنغازي") in names
    person = next(e for e in data["entities"] if e["name"] == "خالد الشريف")
    assert {m["field"] for m in person["mentions"]} == {"title", "body"}
    assert data["entities"][0]["name"] == "خالد الشريف"  # in the order the text names them


def test_api_article_missing_is_404(client):
    assert client.get(reverse("articles:api_article", args=[12345])).status_code == 404
