"""Loanword and name variants in broad search: the lexicon, query expansion, the page and the API."""

import json
import os

import pytest
from django.core.management import CommandError, call_command

from articles.search import indexing as search
from articles.search import variants
from articles.search.service import parse_search_params, search_articles
from articles.search.variants import current_lexicon, expand_word, parse_lexicon, write_lexicon

LEXICON = parse_lexicon("# test classes\nالأمريكي\tالأميركي\nترامب\tترمب\nغوغل\tجوجل\nسوريا\tسورية\n")


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("الأمريكي", ["الأميركي"]),
        ("الاميركي", ["الأمريكي"]),
        ("والأمريكي", ["والأميركي"]),  # attached و + the article
        ("للأمريكي", ["للأميركي"]),  # ل with the elided article
        ("أمريكي", ["أميركي"]),  # a class of words with the article serves the word without it
        ("الأمريكيين", ["الأميركيين"]),  # an ending
        ("لترامب", ["لترمب"]),
        ("وغوغل", ["وجوجل"]),
        ("سورية", ["سوريا"]),
        ("ترمب", ["ترامب"]),
        ("كتاب", []),
        ("ترا", []),
    ],
)
def test_a_query_word_expands_to_the_other_spellings_of_its_class(word, forms):
    assert expand_word(word, LEXICON) == forms


def test_a_lexicon_file_ignores_comments_short_words_and_repeats():
    lexicon = parse_lexicon("# header\nترامب\tترمب\tترامب  # repeated\nمن\tمنن\nترمب\tترامبو\n")

    assert lexicon.classes == (("ترامب", "ترمب"),)


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_the_archive_lexicon_replaces_the_shipped_one_and_is_reread_when_it_changes(data_dir):
    write_lexicon(data_dir / "variants.tsv", [["ترامب", "ترمب"]])
    assert expand_word("ترامب", current_lexicon()) == ["ترمب"]

    write_lexicon(data_dir / "variants.tsv", [["بوتين", "بوتن"], ["غوغل", "جوجل"]])
    os.utime(data_dir / "variants.tsv", ns=(1, 1))  # a different mtime even within one clock tick

    assert expand_word("ترامب", current_lexicon()) == []
    assert expand_word("بوتين", current_lexicon()) == ["بوتن"]


def test_without_any_lexicon_nothing_is_expanded(data_dir, monkeypatch):
    monkeypatch.setattr(variants, "SHIPPED_LEXICON", data_dir / "missing.tsv")

    assert len(current_lexicon()) == 0


def test_the_shipped_lexicon_holds_the_spellings_of_the_issue():
    shipped = parse_lexicon(variants.SHIPPED_LEXICON.read_text(encoding="utf-8"))

    for typed, other in [("الأمريكي", "الأميركي"), ("ترامب", "ترمب"), ("بوتين", "بوتن"), ("الإنجليزي", "الإنكليزي")]:
        assert other in expand_word(typed, shipped)


@pytest.fixture
def american(search_index, make_article, data_dir):
    write_lexicon(data_dir / "variants.tsv", LEXICON.classes)
    articles = [
        make_article("الرئيس الأميركي يزور برلين", "وصل الرئيس الأميركي إلى برلين في زيارة رسمية."),
        make_article("أخبار الطقس", "أمطار غزيرة على الساحل"),
    ]
    search.index_articles([a.pk for a in articles])
    return articles


def find(q, **params):
    return search_articles(parse_search_params({"q": q, **params}))


def test_broad_search_finds_the_other_spelling_and_says_so(american):
    page = find("الرئيس الأمريكي")

    assert [hit.title for hit in page.results] == ["الرئيس الأميركي يزور برلين"]
    assert page.variant_forms == ("الأميركي",)
    assert "<mark>الأميركي</mark>" in page.results[0].title_html
    assert "<mark>الأميركي</mark>" in page.results[0].snippet_html


@pytest.mark.parametrize("params", [{"mode": "exact"}, {"variants": "0"}])
def test_exact_mode_and_variants_off_search_the_words_as_typed(american, params):
    page = find("الرئيس الأمريكي", **params)

    assert (page.count, page.variant_forms) == (0, ())


def test_words_inside_or_groups_expand_and_phrases_do_not(american):
    assert find("الأمريكي OR الفرنسي").count == 1
    assert find('"الرئيس الأمريكي"').count == 0


def test_only_forms_the_index_holds_are_reported(american):
    page = find("ترامب")

    assert (page.count, page.variant_forms) == (0, ())


def test_the_api_reports_the_forms_searched(american, client):
    answer = client.get("/api/search", {"q": "والأمريكي"})

    data = json.loads(answer.content)
    assert data["count"] == 1
    assert (data["variants"], data["variant_forms"]) == (True, ["والأميركي"])


def test_the_results_page_names_the_forms_and_links_to_searching_without_them(american, client):
    page = client.get("/search/", {"q": "الرئيس الأمريكي"}).content.decode()

    assert "بحثنا أيضاً عن:" in page
    assert "<bdi>الأميركي</bdi>" in page
    assert "variants=0" in page

    without = client.get("/search/", {"q": "الرئيس الأمريكي", "variants": "0"}).content.decode()
    assert "بحثنا عن الكلمات كما كُتبت فقط" in without
    assert 'href="?q=' in without and "variants=0" not in without.split("ابحث أيضاً")[0].rsplit("<a", 1)[-1]


@pytest.mark.parametrize("value", ["2", "yes", "-1"])
def test_a_bad_variants_parameter_is_a_400(client, db, value):
    assert client.get("/search/", {"q": "ترامب", "variants": value}).status_code == 400
    answer = client.get("/api/search", {"q": "ترامب", "variants": value})
    assert (answer.status_code, json.loads(answer.content)["param"]) == (400, "variants")


def test_build_variants_mines_the_archive_and_writes_the_data_lexicon(search_index, make_article, data_dir):
    for n in range(6):
        make_article(f"خبر {n}", f"قال الرئيس الأمريكي دونالد ترامب في خطاب {n} إن بلاده ستواصل الدعم", source="أ")
        make_article(f"نبأ {n}", f"قال الرئيس الأميركي دونالد ترمب في خطاب {n} إن بلاده ستواصل الدعم", source="ب")
    for n in range(20):
        make_article(f"صحة {n}", f"أعلنت وزارة الصحة تسجيل {n} إصابات جديدة في المدينة", source="أب"[n % 2])

    call_command("build_variants", "--dry-run", "--min-df", "5", verbosity=0)
    assert not (data_dir / "variants.tsv").exists()

    call_command("build_variants", "--min-df", "5", verbosity=0)
    assert expand_word("ترامب", current_lexicon()) == ["ترمب"]


def test_build_variants_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("build_variants", "--jsonl", str(tmp_path / "none.jsonl"))


def test_a_class_of_words_with_a_particle_also_serves_the_bare_words():
    lexicon = parse_lexicon("وبوتين\tوبوتن\nالقرم\tالقريم\nبوتين\tبوتينن\n")

    assert expand_word("القريم", lexicon) == ["القرم"]
    assert expand_word("وبوتين", lexicon) == ["وبوتن"]
    assert expand_word("بوتين", lexicon) == ["بوتينن"]  # the file's own class of the bare word wins
