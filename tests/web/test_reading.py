"""Reading comfort: the Hijri date, the search help page, the self-hosted font, the skip link,
entity kinds in words and the print stylesheet."""

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from articles import services
from articles.models import Article

pytestmark = pytest.mark.django_db
CSS = Path(finders.find("css/archive.css"))
FONTS = ["fonts/noto-naskh-arabic-arabic-400-normal.woff2", "fonts/noto-naskh-arabic-arabic-700-normal.woff2"]


@pytest.fixture
def seed(reference_text):
    services.ingest_paste(text=reference_text)
    return Article.objects.get(title__startswith="الوزير")


@pytest.mark.parametrize(
    "language, value, shown",
    [
        ("ar", date(2018, 3, 30), "13 رجب 1439 هـ"),
        ("en", date(2018, 3, 30), "13 Rajab 1439 AH"),
        ("ar", date(1900, 1, 1), ""),
        ("ar", None, ""),
        ("ar", "", ""),
    ],
)
def test_hijri_filter_names_the_month_in_the_active_language(language, value, shown):
    with translation.override(language):
        assert Template("{% load hijri %}{{ value|hijri }}").render(Context({"value": value})) == shown


def test_article_page_shows_the_hijri_date_beside_the_gregorian(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()

    assert re.search(r'<time datetime="2023-03-12">[^<]*</time></a> <span class="hijri">\(20 شعبان 1444 هـ\)</span>', html)


def test_undated_article_has_no_hijri_date(client, make_article):
    article = make_article("مقال بلا تاريخ", "نص المقال.", published_on=None)

    assert 'class="hijri"' not in client.get(article.get_absolute_url()).content.decode()


class FirstFocusable(HTMLParser):
    """The first link, button or field in the body, and every id in the page."""

    def __init__(self):
        super().__init__()
        self.first, self.ids = None, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if self.first is None and (tag in ("button", "input", "select", "textarea") or (tag == "a" and "href" in attrs)):
            self.first = (tag, attrs)


@pytest.mark.parametrize("name", ["articles:home", "articles:search", "articles:search_help", "articles:entities"])
def test_skip_link_is_the_first_focusable_element_and_reaches_the_content(client, name):
    parser = FirstFocusable()
    parser.feed(client.get(reverse(name)).content.decode())

    tag, attrs = parser.first
    assert tag == "a" and attrs["class"] == "skip-link" and attrs["href"] == "#content"
    assert "content" in parser.ids


def test_skip_link_text_is_arabic(client):
    assert '<a class="skip-link" href="#content">انتقل إلى المحتوى</a>' in client.get("/").content.decode()


def test_help_page_explains_each_syntax_with_example_searches(client):
    response = client.get(reverse("articles:search_help"))
    html = response.content.decode()

    assert response.status_code == 200
    for heading in ["كلمات", "عبارة", "استبعاد", "أحد البديلين", "بادئة", "بحث واسع وبحث حرفي", "طرق الكتابة الأخرى",
                    "عوامل التصفية"]:
        assert f"<dt>{heading}</dt>" in html
    links = re.findall(r'<a href="/search/\?q=([^"]+)"><code', html)
    assert "%22%D9%85%D8%B9%D8%B1%D8%B6%20%D8%A7%D9%84%D9%83%D8%AA%D8%A7%D8%A8%22" in links  # "معرض الكتاب"
    assert any(link.endswith("&amp;mode=exact") for link in links)
    assert any("OR" in link for link in links) and any(link.endswith("%2A") for link in links)
    assert "10000" in html  # the export limit


def test_help_examples_run_as_searches(client, search_index):
    for href in re.findall(r'<a href="(/search/\?q=[^"]+)"><code', client.get(reverse("articles:search_help")).content.decode()):
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href


@pytest.mark.parametrize("name", ["articles:home", "articles:search"])
def test_the_one_search_box_of_each_page_links_the_help_page(client, name):
    html = client.get(reverse(name)).content.decode()

    # The search page hides the header's box: its own box is the only one, with its own link.
    assert html.count(f'<a class="search-help" href="{reverse("articles:search_help")}">طريقة البحث</a>') == 1


@pytest.mark.parametrize("path", FONTS)
def test_font_files_are_woff2_in_static(path):
    found = finders.find(path)

    assert found, path
    assert Path(found).read_bytes()[:4] == b"wOF2"


def test_font_is_declared_with_swap_and_its_licence_ships_with_it():
    css = CSS.read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)

    assert len(faces) == 2
    for face, weight, path in zip(faces, ("400", "700"), FONTS):
        assert 'font-family: "Noto Naskh Arabic"' in face and "font-display: swap" in face
        assert f"font-weight: {weight}" in face
        url = re.search(r'url\("([^"]+)"\)', face).group(1)
        assert (CSS.parent / url).resolve() == Path(finders.find(path)).resolve()
    assert "http" not in "".join(faces)  # no CDN
    assert "SIL Open Font License" in Path(finders.find("fonts/OFL.txt")).read_text(encoding="utf-8")


def test_pages_preload_the_regular_font(client):
    html = client.get("/").content.decode()

    assert f'<link rel="preload" href="/static/{FONTS[0]}" as="font" type="font/woff2" crossorigin>' in html


def test_print_stylesheet_hides_everything_but_the_article():
    css = CSS.read_text(encoding="utf-8")
    start = css.index("@media print")
    hidden = css[start:].split("display: none")[0]

    for selector in [".site-header", ".site-footer", ".facets", ".related", ".entities", ".skip-link"]:
        assert selector in hidden
    assert "color: #000" in css[start:] and "background: #fff" in css[start:]


def test_mentions_name_their_kind_in_text(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()

    person = re.search(r'<a class="mention mention-PERS"[^>]*>[^<]*<span class="visually-hidden kind-label"> \((.+?)\)</span></a>', html)
    place = re.search(r'<a class="mention mention-LOC"[^>]*title="طرابلس · مكان">طرابلس<span class="visually-hidden kind-label"> \(مكان\)</span></a>', html)
    assert person and person.group(1) == "شخص"
    assert place
    assert '<span class="chip-label">مؤسسة</span>' in html


def test_entity_facets_and_co_occurring_entities_name_their_kind(client, seed, search_index):
    from articles.models import Entity
    from articles.search import indexing

    indexing.index_articles(list(Article.objects.values_list("pk", flat=True)))
    facets = client.get(reverse("articles:search"), {"q": "المياه"}).content.decode()
    person = Entity.objects.get(name="خالد الشريف")
    entity_page = client.get(person.get_absolute_url()).content.decode()

    # «طرابلس» is named once in one article: a low-confidence find, kept out of the facets.
    assert re.search(r'class="chip-LOC"[^>]*><bdi>[^<]+</bdi></a> <span class="count">\d+</span> <span class="kind">مكان</span>', facets)
    assert re.search(r'class="chip-LOC"[^>]*><bdi>طرابلس</bdi></a> <span class="count">\d+</span> <span class="kind">مكان</span>', entity_page)
