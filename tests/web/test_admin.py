import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services
from articles.models import Article, Entity, EntityAlias, Mention

pytestmark = pytest.mark.django_db

PASTE = "افتتاح مكتبة عامة جديدة في مدينة درنة\nكتب علي المنصوري\nافتتحت بلدية درنة مكتبة عامة تضم آلاف الكتب وقاعة للأطفال.\n"
OTHER = "بدء موسم جني الزيتون في الجبل الأخضر\nبدأ المزارعون في الجبل الأخضر موسم جني الزيتون وسط توقعات بإنتاج وفير.\n"


@pytest.fixture
def import_url():
    return reverse("admin:articles_article_import")


def test_import_page_is_for_staff_only(client, django_user_model, import_url):
    assert client.get(import_url).status_code == 302  # to the login page
    django_user_model.objects.create_user("reader", password="x")
    client.login(username="reader", password="x")
    assert client.get(import_url).status_code == 302


def test_changelist_links_to_import_page(admin_client, import_url):
    html = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert import_url in html
    assert "استيراد نص" in html


def test_pasted_text_and_uploaded_files_are_ingested_with_a_report_per_paste(admin_client, import_url):
    files = [
        SimpleUploadedFile("one.txt", OTHER.encode("cp1256")),
        SimpleUploadedFile("bad.txt", b"\x00\x01\x02binary"),
    ]

    response = admin_client.post(import_url, {"text": PASTE + "\n===\nعنوان وحيد", "files": files, "source": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert Article.objects.count() == 2
    assert "افتتاح مكتبة عامة جديدة" in html
    assert "bad.txt" in html and "binary" in html
    assert "#2" in html  # the title-only paste, rejected by number
    assert "رُفض 2" in html


def test_empty_import_form_asks_for_text_or_files(admin_client, import_url):
    response = admin_client.post(import_url, {"text": "  "})

    assert "الصق نصاً أو اختر ملفاً" in response.content.decode()
    assert Article.objects.count() == 0


def test_article_admin_searches_and_filters(admin_client):
    services.ingest_paste(text=PASTE)
    url = reverse("admin:articles_article_changelist")

    assert "افتتاح مكتبة" in admin_client.get(url, {"q": "درنة"}).content.decode()
    assert admin_client.get(url, {"published_on__isnull": "True"}).status_code == 200


def make_entity(name, surfaces):
    entity = Entity.objects.create(kind=Entity.Kind.PERSON, name=name)
    for surface in surfaces:
        EntityAlias.objects.create(entity=entity, name=surface)
    return entity


def test_staff_can_merge_entities(admin_client):
    services.ingest_paste(text=PASTE)
    article = Article.objects.get()
    a = make_entity("علي المنصوري", ["علي المنصوري"])
    b = make_entity("علي منصوري", ["علي منصوري"])
    Mention.objects.create(article=article, entity=a, surface="علي المنصوري", field="body", start=0, end=12)
    Mention.objects.create(article=article, entity=b, surface="علي منصوري", field="title", start=0, end=10)

    admin_client.post(
        reverse("admin:articles_entity_changelist"),
        {"action": "merge_selected", "_selected_action": [a.pk, b.pk]},
    )

    (survivor,) = Entity.objects.filter(pk__in=[a.pk, b.pk])
    assert survivor.mentions.count() == 2
    assert set(survivor.aliases.values_list("name", flat=True)) == {"علي المنصوري", "علي منصوري"}


def test_staff_can_rename_an_entity_and_keep_the_old_spelling(admin_client):
    entity = make_entity("م. المنصوري", ["م. المنصوري"])

    admin_client.post(reverse("admin:articles_entity_change", args=[entity.pk]), {
        "name": "محمد المنصوري",
        "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "1", "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-id": entity.aliases.get().pk, "aliases-0-entity": entity.pk, "aliases-0-name": "م. المنصوري",
    })

    entity.refresh_from_db()
    assert entity.name == "محمد المنصوري"
    assert {"م. المنصوري", "محمد المنصوري"} <= set(entity.aliases.values_list("name", flat=True))


def test_staff_can_split_spellings_off_an_entity(admin_client):
    services.ingest_paste(text=PASTE)
    article = Article.objects.get()
    entity = make_entity("علي المنصوري", ["علي المنصوري", "علي الدرسي"])
    Mention.objects.create(article=article, entity=entity, surface="علي الدرسي", field="body", start=5, end=15)
    wrong = entity.aliases.get(name="علي الدرسي")

    admin_client.post(
        reverse("admin:articles_entityalias_changelist"),
        {"action": "split_selected", "_selected_action": [wrong.pk]},
    )

    new = Entity.objects.exclude(pk=entity.pk).get(aliases__name="علي الدرسي")
    assert new.name == "علي الدرسي"
    assert new.mentions.count() == 1
    assert entity.mentions.count() == 0
