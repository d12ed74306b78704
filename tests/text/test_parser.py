"""Reading one paste into an article (articles.text.parser): invented pastes in every layout,
related articles, validation; the shared samples as corpus tests."""

import datetime
import json
from pathlib import Path

import pytest

from articles.text.parser import ParsedArticle, PasteError, decode_bytes, parse_paste, split_pastes
from tests.text.pastes import BODY, BODY_2, FIXTURES, paste

# --- invented pastes and the demo articles ------------------------------------------------------


def outcomes(path: Path) -> list[dict]:
    """What ingesting a file does with each of its pastes: decode, split, parse (or the reason not)."""
    results = []
    for chunk in split_pastes(decode_bytes(path.read_bytes(), name=path.name)):
        try:
            results.append(parse_paste(chunk).as_dict())
        except PasteError as error:
            results.append({"error": str(error)})
    return results


FIXTURE_FILES = sorted(FIXTURES.glob("*.txt"))


def test_invented_pastes_cover_every_layout():
    assert len(FIXTURE_FILES) >= 17


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.stem)
def test_invented_paste_file_parses_to_its_expected_articles(path):
    assert outcomes(path) == json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


DEMO_FILES = sorted((Path(__file__).resolve().parents[2] / "articles" / "demo").glob("*.txt"))


def test_demo_articles_are_found():
    assert len(DEMO_FILES) == 20


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda path: path.stem)
def test_demo_article_parses_with_title_date_credit_and_body(path):
    article = parse_paste(path.read_text(encoding="utf-8"))
    assert article.title and article.published_on and (article.source or article.desk)
    assert all(len(paragraph.split()) > 3 for paragraph in article.paragraphs)


# --- the shared samples (corpus) ----------------------------------------------------------------


def test_every_shared_sample_paste_parses_to_its_expected_fields(shared):
    paths = sorted((shared / "samples" / "pastes").glob("*.txt"))
    assert len(paths) >= 8
    for path in paths:
        assert sample_fields(path) == json.loads(path.with_suffix(".json").read_text(encoding="utf-8")), path.name


def sample_fields(path):
    """The fields the shared samples' .json files give for their paste."""
    article = parse_paste(path.read_text(encoding="utf-8"))
    date = article.published_on.isoformat() if article.published_on else None
    return {
        "title": article.title,
        "date": date,
        # The samples name whom a paste credits; «وكالات» is credited too, but as the desk.
        "source": article.source or article.desk,
        "byline": article.byline,
        "body_first": article.body[:40],
        "body_last": article.body[-40:],
        "related_titles": [related.title for related in article.related],
    }


def test_reference_paste_parses_to_every_field(shared):
    article = parse_paste((shared / "samples" / "seed-article.txt").read_text(encoding="utf-8"))
    assert article.title.startswith("اللواء “أبوزريبة” يبحث")
    assert article.published_on == datetime.date(2024, 8, 19)
    assert (article.source, article.source_name, article.desk, article.byline) == (
        "الوطن",
        "صحيفة الوطن الليبية",
        "متابعات",
        None,
    )
    assert article.source_line == "المصدر: صحيفة الوطن الليبية"
    assert len(article.paragraphs) == 3
    assert article.paragraphs[0].startswith("عُقد اليوم الأحد")
    assert [related.title for related in article.related] == [
        "ويز الداخلية يبحث مع نظيره البوركينى تعزيز التعاون الأمني بين البلدين"
    ]
    related = article.related[0]
    # The file holds four paragraph lines under the related title.
    assert len(related.paragraphs) == 4
    assert related.paragraphs[0].startswith("إستقبل اللواء محمود توفيق")
    assert related.related == ()


def test_as_dict_of_the_reference_paste_is_json_ready_and_nests_related_articles(shared):
    data = parse_paste((shared / "samples" / "seed-article.txt").read_text(encoding="utf-8")).as_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data) == {
        "title", "published_on", "source", "source_name", "source_line", "byline", "desk", "body", "related",
    }
    assert data["published_on"] == "2024-08-19"
    assert data["body"].count("\n\n") == 2
    assert data["related"][0]["related"] == []
    assert data["related"][0]["published_on"] is None


# --- related articles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "marker",
    [
        "إقرأ أيضاً:",
        "اقرأ أيضا",
        "اقرا ايضا",
        "اقرأ أيضًا",
        "اقرأ ايضاً",
        "أقرأ أيضا",
        "اقرأ أيضا :",
        "- اقرأ أيضاً -",
        "• اقرأ أيضا:",
        "[اقرأ أيضا]",
        "اقرأ أيضـــاً",
    ],
)
def test_related_marker_spellings_start_a_related_article(marker):
    article = parse_paste(paste("عنوان", BODY, marker, "عنوان مرتبط", BODY_2))
    assert article.paragraphs == (BODY,)
    assert [(r.title, r.paragraphs) for r in article.related] == [("عنوان مرتبط", (BODY_2,))]


@pytest.mark.parametrize(
    "marker_line",
    ["اقرأ أيضا: عنوان مرتبط", "إقرأ أيضاً - عنوان مرتبط", "اقرأ أيضاً عنوان مرتبط"],
)
def test_related_title_on_the_marker_line(marker_line):
    article = parse_paste(paste("عنوان", BODY, marker_line, BODY_2))
    assert [(r.title, r.paragraphs) for r in article.related] == [("عنوان مرتبط", (BODY_2,))]


def test_several_related_articles_keep_order_and_their_own_header_fields():
    article = parse_paste(
        paste(
            "عنوان رئيسي",
            "نشر في 3 مارس 2019",
            BODY,
            "اقرأ أيضا: عنوان أول",
            "آخر تحديث: 5 مارس 2019",
            "تاريخ النشر: 4 مارس 2019",
            "فقرة مرتبطة تذكر 9 مارس 2019.",
            "المصدر: وكالات",
            "اقرأ أيضاً",
            "عنوان ثان",
            "الوطن| كتب محمد",
            BODY_2,
        )
    )
    assert article.published_on == datetime.date(2019, 3, 3)
    assert article.paragraphs == (BODY,)
    first, second = article.related
    assert (first.title, first.published_on, first.desk, first.paragraphs) == (
        "عنوان أول",
        datetime.date(2019, 3, 4),
        "وكالات",
        ("فقرة مرتبطة تذكر 9 مارس 2019.",),
    )
    assert (second.title, second.source, second.byline, second.paragraphs) == ("عنوان ثان", "الوطن", "محمد", (BODY_2,))
    assert article.source is None


def test_subheading_inside_a_body_is_not_a_related_title():
    article = parse_paste(paste("عنوان", BODY, '"المحادثات مستحيلة"', BODY_2))
    assert article.related == ()
    assert article.paragraphs == (BODY, '"المحادثات مستحيلة"', BODY_2)


def test_long_line_starting_with_the_marker_words_is_body():
    long_line = "اقرأ أيضا " + BODY * 3
    article = parse_paste(paste("عنوان", BODY, long_line))
    assert article.related == ()
    assert article.paragraphs == (BODY, long_line)


def test_bare_marker_at_the_end_adds_no_related_article():
    article = parse_paste(paste("عنوان", BODY, "اقرأ أيضاً:"))
    assert article.related == ()
    assert article.paragraphs == (BODY,)


@pytest.mark.parametrize(
    ("after_marker", "expected_related"),
    [
        # a bare list of links: no related article, nothing added to the main body
        (["عنوان أول", "عنوان ثان", "عنوان ثالث"], []),
        (["هل تنجح المفاوضات؟", "عنوان ثان", "عاجل: عنوان ثالث!"], []),
        (["عنوان أول"], []),
        # a title on the marker line and nothing under it
        (["اقرأ أيضا: عنوان مرتبط"], []),
        # a list of links, then a marker with a real related article
        (["عنوان أول", "عنوان ثان", "اقرأ أيضاً", "عنوان مرتبط", BODY_2], [("عنوان مرتبط", (BODY_2,))]),
        # a real related article, then a list of links under a second marker
        (["عنوان مرتبط", BODY_2, "اقرأ أيضاً:", "عنوان أول", "عنوان ثان"], [("عنوان مرتبط", (BODY_2,))]),
        # a short related body still counts when it ends a sentence
        (["عنوان مرتبط", "فقرة قصيرة."], [("عنوان مرتبط", ("فقرة قصيرة.",))]),
        (["عنوان مرتبط", 'وقال إن "الاتفاق نهائي."'], [("عنوان مرتبط", ('وقال إن "الاتفاق نهائي."',))]),
        # ... or when it is paragraph-long without a full stop
        (["عنوان مرتبط", " ".join(["كلمة"] * 21)], [("عنوان مرتبط", (" ".join(["كلمة"] * 21),))]),
    ],
    ids=[
        "three-titles", "question-and-exclamation-titles", "one-title", "title-on-marker-line",
        "links-then-article", "article-then-links", "short-sentence-body", "quoted-sentence-body",
        "long-body-without-stop",
    ],
)
def test_related_titles_without_a_body_are_dropped_and_stay_out_of_the_main_body(after_marker, expected_related):
    article = parse_paste(paste("عنوان", BODY, "اقرأ أيضاً:", *after_marker))
    assert article.paragraphs == (BODY,)
    assert [(r.title, r.paragraphs) for r in article.related] == expected_related
    assert all(r.paragraphs for r in article.related)


def test_related_article_with_header_lines_but_no_paragraph_is_dropped():
    article = parse_paste(paste("عنوان", BODY, "اقرأ أيضاً", "عنوان مرتبط", "19 أغسطس 2024", "الوطن| متابعات"))
    assert article.related == ()
    assert article.paragraphs == (BODY,)


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty paste"),
        (" \n\u200b\n\t", "empty paste"),
        ("Hello world\nA second line of English", "no Arabic letters"),
        ("عنوان فقط", "title without a body"),
        ("عنوان\nتاريخ النشر: 19 أغسطس 2024\nكتب محمد", "title without a body"),
        ("عنوان\nاقرأ أيضا: عنوان مرتبط\n" + BODY, "title without a body"),
        ("ع" * 600_000, r"paste is 1.2 MB, over the 1 MB limit"),
    ],
    ids=["empty", "invisible-only", "no-arabic", "title-only", "headers-only", "related-only", "too-big"],
)
def test_parse_paste_rejects_bad_input_with_a_reason(text, message):
    with pytest.raises(PasteError, match=message):
        parse_paste(text)


def test_size_limit_counts_utf8_bytes():
    text = paste("عنوان", BODY)
    size = len(text.encode("utf-8"))
    assert parse_paste(text, max_bytes=size).paragraphs == (BODY,)
    with pytest.raises(PasteError, match="over the"):
        parse_paste(text, max_bytes=size - 1)


def test_parsed_article_is_immutable():
    article = parse_paste(paste("عنوان", BODY))
    assert isinstance(article, ParsedArticle)
    with pytest.raises(AttributeError):
        article.title = "آخر"
