import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services
from articles.models import Article, Entity, EntityAlias, Mention
from articles.search import indexing as search

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
    assert "bad.txt" in html and "ملف ثنائي" in html
    assert "#2" in html  # the title-only paste, rejected by number
    assert "رُفض 2" in html


def test_empty_import_form_asks_for_text_or_files(admin_client, import_url):
    response = admin_client.post(import_url, {"text": "  "})

    assert "الصق نصاً أو اختر ملفاً" in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.usefixtures("search_index")
def test_article_admin_searches_and_filters(admin_client):
    services.ingest_paste(text=PASTE)
    search.index_articles(list(Article.objects.values_list("pk", flat=True)))
    url = reverse("admin:articles_article_changelist")

    assert "افتتاح مكتبة" in admin_client.get(url, {"q": "درنة"}).content.decode()
    assert admin_client.get(url, {"published_on__isnull": "True"}).status_code == 200


@pytest.fixture
def spelt_differently(make_article):
    articles = [
        make_article("أحمد يفتتح المعرض", "افتتح أحمد المعرض السنوي للكتاب.", source="صحيفة الأفق"),
        make_article("لقاء مع احمد", "تحدث احمد عن مدرسته الجديدة.", source="النهار اليومية", published_on=None),
        make_article("مدارس المدينة", "زار الوزير المدارس.", byline="سالم أحمد"),
        make_article("أمطار غزيرة", "هطلت أمطار غزيرة على المدينة."),
    ]
    search.index_articles([a.pk for a in articles])
    return articles


def changelist_titles(admin_client, **params) -> set[str]:
    response = admin_client.get(reverse("admin:articles_article_changelist"), params)
    assert response.status_code == 200
    return {article.title for article in response.context["cl"].result_list}


@pytest.mark.usefixtures("search_index")
@pytest.mark.parametrize(
    "q, titles",
    [
        ("احمد", {"أحمد يفتتح المعرض", "لقاء مع احمد"}),  # alef forms, as the search page does
        ("أحمد", {"أحمد يفتتح المعرض", "لقاء مع احمد", "مدارس المدينة"}),  # and the byline, as written
        ("معرض", {"أحمد يفتتح المعرض"}),  # without the article ال
        ("النهار", {"لقاء مع احمد"}),  # the outlet's name
        ("زلزال", set()),
    ],
)
def test_article_admin_search_uses_the_archives_normalisation(admin_client, spelt_differently, q, titles):
    assert changelist_titles(admin_client, q=q) == titles


@pytest.mark.usefixtures("search_index")
def test_article_admin_search_keeps_the_changelists_filters(admin_client, spelt_differently):
    assert changelist_titles(admin_client, q="احمد", published_on__isnull="True") == {"لقاء مع احمد"}


def make_entity(name, surfaces):
    entity = Entity.objects.create(kind=Entity.Kind.PERSON, name=name)
    for surface in surfaces:
        EntityAlias.objects.create(entity=entity, name=surface)
    return entity


def _two_spellings():
    services.ingest_paste(text=PASTE)
    article = Article.objects.get()
    a = make_entity("علي المنصوري", ["علي المنصوري"])
    b = make_entity("علي منصوري", ["علي منصوري"])
    Mention.objects.create(article=article, entity=a, surface="علي المنصوري", field="body", start=0, end=12)
    Mention.objects.create(article=article, entity=b, surface="علي منصوري", field="title", start=0, end=10)
    return a, b


def test_merging_entities_first_asks_which_survives_and_merges_nothing(admin_client):
    a, b = _two_spellings()

    response = admin_client.post(
        reverse("admin:articles_entity_changelist"),
        {"action": "merge_selected", "_selected_action": [a.pk, b.pk]},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="radio"' in html and 'name="name"' in html
    assert "PERS:" not in html
    assert Entity.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


@pytest.mark.parametrize("survivor_index, name", [(0, "علي المنصوري"), (1, "علي منصوري"), (1, "علي حسن المنصوري")])
def test_staff_merge_into_the_entity_and_name_they_choose(admin_client, survivor_index, name):
    a, b = _two_spellings()
    chosen = (a, b)[survivor_index]

    admin_client.post(
        reverse("admin:articles_entity_changelist"),
        {"action": "merge_selected", "_selected_action": [a.pk, b.pk], "confirm": "yes",
         "target": chosen.pk, "name": name},
    )

    (survivor,) = Entity.objects.filter(pk__in=[a.pk, b.pk])
    assert survivor.pk == chosen.pk and survivor.name == name
    assert survivor.named_by_editor, "an import must not rename what staff chose"
    assert survivor.mentions.count() == 2
    assert {"علي المنصوري", "علي منصوري"} <= set(survivor.aliases.values_list("name", flat=True))


def test_entity_admin_pages_never_show_raw_keys(admin_client):
    a, _ = _two_spellings()
    for url in (reverse("admin:articles_entity_changelist"), reverse("admin:articles_entity_change", args=[a.pk]),
                reverse("admin:articles_entityalias_changelist")):
        assert "PERS:" not in admin_client.get(url).content.decode(), url


def test_staff_can_rename_an_entity_and_keep_the_old_spelling(admin_client):
    entity = make_entity("م. المنصوري", ["م. المنصوري"])

    admin_client.post(reverse("admin:articles_entity_change", args=[entity.pk]), {
        "name": "محمد المنصوري",
        "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "1", "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-id": entity.aliases.get().pk, "aliases-0-entity": entity.pk, "aliases-0-name": "م. المنصوري",
    })

    entity.refresh_from_db()
    assert entity.name == "محمد المنصوري" and entity.named_by_editor
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


def change_form(article, **changes) -> dict:
    data = {
        "title": article.title, "body": article.body, "byline": article.byline, "desk": article.desk,
        "source_line": article.source_line, "url": article.url, "published_on": "",
        "related_links-TOTAL_FORMS": "0", "related_links-INITIAL_FORMS": "0",
        "mentions-TOTAL_FORMS": "0", "mentions-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


@pytest.mark.usefixtures("search_index")
def test_editing_an_article_in_the_admin_reextracts_entities_and_updates_search(admin_client, django_capture_on_commit_callbacks):
    from articles.search.service import parse_search_params, search_articles

    services.ingest_paste(text=PASTE)
    article = Article.objects.get()
    body = "زار وفد من مدينة طبرق مدينة درنة أمس.\n\n" + article.body

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:articles_article_change", args=[article.pk]), change_form(article, body=body)
        )

    assert response.status_code == 302
    article.refresh_from_db()
    surfaces = {m.surface for m in article.mentions.all()}
    assert "طبرق" in surfaces
    for mention in article.mentions.filter(field="body"):
        assert article.body[mention.start : mention.end] == mention.surface
    hits = search_articles(parse_search_params({"q": "طبرق"})).results
    assert [hit.id for hit in hits] == [article.pk]


def test_mentions_are_shown_but_not_edited_in_the_admin(admin_client):
    services.ingest_paste(text=PASTE)
    article = Article.objects.get()

    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert 'name="mentions-0-surface"' not in html
    assert 'name="mentions-TOTAL_FORMS"' in html


@pytest.mark.usefixtures("search_index")
def test_deleting_articles_from_the_admin_list_removes_them_from_search(admin_client, django_capture_on_commit_callbacks):
    from articles.models import PendingIndexUpdate
    from articles.search.service import parse_search_params, search_articles

    with django_capture_on_commit_callbacks(execute=True):
        services.ingest_paste(text=PASTE)
        services.ingest_paste(text=OTHER)
    assert search_articles(parse_search_params({"q": "مكتبة"})).count == 1

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "delete_selected", "_selected_action": list(Article.objects.values_list("pk", flat=True)), "post": "yes"},
        )

    assert not Article.objects.exists()
    assert search_articles(parse_search_params({"q": "مكتبة"})).count == 0
    assert not PendingIndexUpdate.objects.exists()


@pytest.mark.usefixtures("search_index")
def test_renaming_an_outlet_in_the_admin_updates_search_and_keeps_the_old_name(admin_client, django_capture_on_commit_callbacks):
    from articles.models import Source
    from articles.search.service import parse_search_params, search_articles

    with django_capture_on_commit_callbacks(execute=True):
        services.ingest_paste(text=PASTE, source="الأفق")
    source = Source.objects.get()
    alias = source.aliases.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:articles_source_change", args=[source.pk]), {
            "name": "صحيفة الأفق الليبية",
            "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "1", "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-id": alias.pk, "aliases-0-source": source.pk, "aliases-0-name": "الأفق",
        })

    assert response.status_code == 302
    (hit,) = search_articles(parse_search_params({"q": "مكتبة"})).results
    assert hit.source_name == "صحيفة الأفق الليبية"
    assert set(source.aliases.values_list("name", flat=True)) == {"الأفق", "صحيفة الأفق الليبية"}
    assert services.resolve_source(name="الأفق") == source


def test_an_alias_that_names_another_outlet_is_refused(admin_client):
    from articles.models import Source

    services.ingest_paste(text=PASTE, source="الأفق")
    services.ingest_paste(text=OTHER, source="المرصد")
    source = Source.objects.get(name="الأفق")
    alias = source.aliases.get()

    admin_client.post(reverse("admin:articles_source_change", args=[source.pk]), {
        "name": "الأفق",
        "aliases-TOTAL_FORMS": "2", "aliases-INITIAL_FORMS": "1", "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-id": alias.pk, "aliases-0-source": source.pk, "aliases-0-name": "الأفق",
        "aliases-1-id": "", "aliases-1-source": source.pk, "aliases-1-name": "صحيفة المرصد",
    })

    assert set(source.aliases.values_list("name", flat=True)) == {"الأفق"}
    assert services.resolve_source(name="المرصد").name == "المرصد"


# --- what editors read: Arabic labels and reasons, a report that adds up, lists that fit -------

WITH_RELATED = (
    "مهرجان للتمور في واحة جالو\n"
    "انطلق مهرجان التمور السنوي في واحة جالو بمشاركة مئات المزارعين من الواحات المجاورة.\n"
    "اقرأ أيضاً\n"
    "سوق جديد للخضار في أجدابيا\n"
    "افتتحت بلدية أجدابيا سوقاً جديداً للخضار والفواكه قرب الميناء.\n"
    "حملة لتنظيف شاطئ بنغازي\n"
    "شارك مئات المتطوعين في حملة لتنظيف شاطئ بنغازي من المخلفات البلاستيكية.\n"
)


def report_rows(html: str) -> list[str]:
    """The status class of each row of the import report table."""
    table = html.split('id="import-report"', 1)[1].split("</table>", 1)[0]
    return [row.split('"', 1)[0] for row in table.split('class="outcome-')[1:]]


def test_import_summary_counts_what_the_table_lists(admin_client, import_url):
    services.ingest_paste(text=WITH_RELATED)  # stored once: a second import skips it and its 2 related
    pastes = "\n===\n".join([WITH_RELATED, "", "Only English here\nAnd a second line", PASTE, OTHER])

    html = admin_client.post(import_url, {"text": pastes, "source": ""}, follow=True).content.decode()

    rows = report_rows(html)
    assert sorted(rows) == ["created", "created", "rejected", "rejected", "skipped"]
    summary = f"أُنشئ {rows.count('created')}، تُخطّي {rows.count('skipped')} (موجود مسبقاً)، رُفض {rows.count('rejected')}"
    assert summary in html  # the «اقرأ أيضاً» articles skipped with the first paste are not counted as pastes


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Only English here\nAnd a second line", "لا حروف عربية في النص"),
        ("عنوان وحيد", "عنوان بلا نص"),
        ("\u200b\n", "لصقة فارغة"),
        ("خبر-" * 200 + "\n" + PASTE, "العنوان: 800 حرفاً، فوق الحد المسموح 500"),
    ],
    ids=["no-arabic", "title-only", "empty", "long-title"],
)
def test_import_report_gives_reasons_in_arabic(admin_client, import_url, text, reason):
    html = admin_client.post(import_url, {"text": text, "source": ""}).content.decode()

    assert reason in report_table(html)


def report_table(html: str) -> str:
    return html.split('id="import-report"', 1)[1].split("</table>", 1)[0]


def test_uploaded_binary_file_is_refused_in_arabic(admin_client, import_url):
    files = [SimpleUploadedFile("bad.txt", b"\x00\x01\x02binary")]

    html = admin_client.post(import_url, {"text": "", "files": files, "source": ""}).content.decode()

    assert "ملف ثنائي أو بترميز غير مقروء" in report_table(html)
    assert "undecodable" not in html


def test_related_inline_and_its_columns_have_arabic_headers(admin_client):
    services.ingest_paste(text=WITH_RELATED)
    article = Article.objects.get(title__startswith="مهرجان")

    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    inline = html.split('id="related_links-group"', 1)[1].split('id="mentions-group"', 1)[0]
    heading = re.search(r"<h2[^>]*>(.*?)</h2>", inline, re.S).group(1)
    columns = [re.sub(r"<[^>]+>", "", th).strip() for th in re.findall(r"<th[^>]*>(.*?)</th>", inline, re.S)]
    assert "اقرأ أيضاً" in heading
    assert [c for c in columns if c] == ["المقال المرتبط", "الترتيب", "احذفه؟"]


def test_article_list_shows_one_line_titles_with_the_full_title_on_hover(admin_client):
    title = "خبر طويل " * 30
    services.ingest_paste(text=title + "\n" + PASTE.split("\n", 1)[1])

    html = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert f'title="{title.strip()}"' in html
    assert 'class="one-line"' in html


def test_mentions_are_listed_without_their_offsets(admin_client):
    services.ingest_paste(text=PASTE)
    article = Article.objects.get()
    Mention.objects.create(article=article, entity=make_entity("درنة", ["درنة"]), surface="درنة", field="title", start=421, end=425)

    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    inline = html.split('id="mentions-group"', 1)[1]
    assert "درنة" in inline
    assert "البداية" not in inline and "النهاية" not in inline
    assert "421" not in inline and "425" not in inline


def test_mentions_show_how_sure_the_tagger_was(admin_client):
    services.ingest_paste(text=PASTE)
    article = Article.objects.get()
    Mention.objects.create(article=article, entity=make_entity("درنة", ["درنة"]), surface="درنة", field="title",
                           start=421, end=425, confidence=0.4321)
    Mention.objects.create(article=article, entity=make_entity("وزارة الصحة", ["وزارة الصحة"]),
                           surface="وزارة الصحة", field="body", start=431, end=442, confidence=None)

    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    inline = html.split('id="mentions-group"', 1)[1]
    assert "درجة الثقة" in inline
    assert "43٪" in inline and "4321" not in inline
    assert "وجدتها قاعدة" in inline


def test_admin_lists_dates_in_arabic_form(admin_client):
    import datetime

    services.ingest_paste(text=PASTE)
    stamp = datetime.datetime(2026, 12, 1, 23, 0, tzinfo=datetime.timezone.utc)
    Article.objects.update(created_at=stamp, published_on=datetime.date(2018, 3, 15))

    html = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "15 مارس 2018" in html
    assert "2 ديسمبر 2026، 1 ص" in html  # 23:00 UTC is 01:00 in Tripoli
