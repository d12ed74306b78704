"""English beside Arabic: the language a reader gets, the switcher, Arabic plurals, the catalogue
itself, and names isolated from the text around them."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from articles.search import indexing

PO = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")


def page(client, url="/", **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_a_browser_asking_for_nothing_gets_the_arabic_archive_right_to_left(client):
    html = page(client)

    assert '<html lang="ar" dir="rtl">' in html
    assert "أحدث المقالات" in html and "Latest articles" not in html


@pytest.mark.django_db
def test_accept_language_en_gets_the_english_archive_left_to_right(client):
    html = page(client, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert '<html lang="en" dir="ltr">' in html
    assert "Latest articles" in html and "أحدث المقالات" not in html


@pytest.mark.django_db
def test_a_language_neither_arabic_nor_english_falls_back_to_arabic(client):
    assert '<html lang="ar" dir="rtl">' in page(client, HTTP_ACCEPT_LANGUAGE="fr")


@pytest.mark.django_db
def test_the_header_offers_the_other_language_through_set_language(client):
    arabic = page(client)
    english = page(client, HTTP_ACCEPT_LANGUAGE="en")

    assert f'action="{reverse("set_language")}"' in arabic
    assert 'name="language" value="en" lang="en" dir="ltr"' in arabic and 'value="ar"' not in arabic
    assert re.search(r'name="language" value="ar" lang="ar" dir="rtl"[^>]*>العربيّة</button>', english)


@pytest.mark.django_db
def test_the_switched_language_sticks_over_the_browsers_own(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/sources/"})
    assert response.status_code == 302 and response["Location"] == "/sources/"

    assert '<html lang="en" dir="ltr">' in page(client, "/sources/", HTTP_ACCEPT_LANGUAGE="ar")

    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert '<html lang="ar" dir="rtl">' in page(client, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
def test_search_parameter_errors_come_in_the_readers_language(client):
    url = reverse("articles:api_search")

    english = client.get(url, {"from": "2018-13"}, HTTP_ACCEPT_LANGUAGE="en").json()
    arabic = client.get(url, {"from": "2018-13"}).json()

    assert english == {"error": "from: invalid date “2018-13”", "status": 400, "param": "from"}
    assert arabic == {"error": "from: تاريخ غير صالح «2018-13»", "status": 400, "param": "from"}


ARTICLE_COUNT = Template(
    "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} article{% plural %}"
    "{{ counter }} articles{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    "n, arabic, english",
    [
        (0, "لا مقالات", "0 articles"),
        (1, "مقال واحد", "1 article"),
        (2, "مقالان", "2 articles"),
        (5, "5 مقالات", "5 articles"),
        (10, "10 مقالات", "10 articles"),
        (11, "11 مقالاً", "11 articles"),
        (99, "99 مقالاً", "99 articles"),
        (100, "100 مقال", "100 articles"),
        (102, "102 مقال", "102 articles"),
        (103, "103 مقالات", "103 articles"),
        (111, "111 مقالاً", "111 articles"),
    ],
)
def test_article_counts_take_the_arabic_plural_form_of_their_number(n, arabic, english):
    with translation.override("ar"):
        assert ARTICLE_COUNT.render(Context({"n": n})) == arabic
    with translation.override("en"):
        assert ARTICLE_COUNT.render(Context({"n": n})) == english


@pytest.mark.django_db
def test_a_pages_count_line_uses_the_plural_form(client, make_article):
    source = None
    for n in range(2):
        source = make_article(f"خبر رقم {n}", f"نص الخبر رقم {n}.", source="صحيفة الأفق").source

    html = page(client, reverse("articles:source", args=[source.pk]))

    assert "مقالان" in html


def catalogue():
    return polib.pofile(str(PO))


def test_the_catalogue_declares_arabics_six_plural_forms():
    header = catalogue().metadata["Plural-Forms"]

    assert header.startswith("nplurals=6;")
    assert header == (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 && n%100<=99 ? 4 : 5;"
    )


def test_every_message_in_the_catalogue_is_translated_and_none_is_fuzzy():
    po = catalogue()

    assert not po.metadata_is_fuzzy
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(6)), entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_translations_keep_the_placeholders_of_their_message():
    for entry in catalogue():
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            # The Arabic 0, 1 and 2 forms spell the number out («مقالان»), so may drop %(counter)s.
            for form, text in entry.msgstr_plural.items():
                assert set(PLACEHOLDER.findall(text)) | {"counter"} >= wanted, (entry.msgid, form)
                assert set(PLACEHOLDER.findall(text)) <= wanted | {"counter"}, (entry.msgid, form)
        else:
            assert set(PLACEHOLDER.findall(entry.msgstr)) == wanted, entry.msgid


def test_templates_hold_english_message_ids_not_arabic_text():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ARABIC_LETTER.search(line)
    ]

    assert offenders == []


@pytest.mark.usefixtures("search_index")
def test_a_latin_outlet_name_in_the_facets_is_isolated_from_its_count(client, make_article):
    articles = [
        make_article("فيضانات في بنغازي", "غمرت الفيضانات شوارع بنغازي.", source="alarabia"),
        make_article("أمطار على بنغازي", "هطلت أمطار غزيرة على بنغازي.", source="BBC"),
    ]
    indexing.index_articles([article.pk for article in articles])

    facets = page(client, reverse("articles:search"), data={"q": "بنغازي"}).split('class="side-column facets"')[1]

    assert re.search(r"<bdi>alarabia</bdi></a> <span class=\"count\">1</span>", facets)
    assert re.search(r"<bdi>BBC</bdi></a> <span class=\"count\">1</span>", facets)


@pytest.mark.usefixtures("search_index")
def test_an_iso_date_in_a_filter_chip_is_isolated(client, make_article):
    article = make_article("فيضانات في بنغازي", "غمرت الفيضانات شوارع بنغازي.", source="alarabia")
    indexing.index_articles([article.pk])

    html = page(client, reverse("articles:search"), data={"q": "بنغازي", "from": "2018-03-01"})

    assert "من: <bdi>2018-03-01</bdi>" in html


@pytest.mark.django_db
def test_a_file_name_in_the_import_report_is_isolated(admin_client):
    upload = SimpleUploadedFile("01-egypt.txt", "افتتاح مكتبة في درنة\nافتتحت بلدية درنة مكتبة عامة.\n".encode())

    html = admin_client.post(reverse("admin:articles_article_import"), {"text": "", "source": "", "files": [upload]}).content.decode()

    assert "<td><bdi>01-egypt.txt</bdi></td>" in html


@pytest.mark.django_db
def test_api_errors_outside_any_view_come_in_the_readers_language(client):
    english = client.get("/api/nothing-here", HTTP_ACCEPT_LANGUAGE="en").json()
    arabic = client.post(reverse("articles:api_search")).json()

    assert english == {"error": "There is nothing at this address: /api/nothing-here", "status": 404}
    assert arabic["error"] == "الطريقة POST غير مسموح بها هنا؛ المسموح: GET"


@pytest.mark.django_db
def test_the_help_page_reads_in_english_with_its_arabic_examples(client):
    html = page(client, reverse("articles:search_help"), HTTP_ACCEPT_LANGUAGE="en")

    assert "<h1>How to search the archive</h1>" in html and "<dt>Either word</dt>" in html
    assert "“<bdi>الاسكندرية</bdi>” finds “<bdi>الإسكندرية</bdi>”" in html
    assert "<code dir=\"rtl\">بيروت OR طرابلس</code>" in html
