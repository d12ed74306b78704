"""Tests for the paste parser (articles.parsing); pure Python, no database."""

import datetime
import json
import random
import time
from pathlib import Path

import pytest

from articles.text.parser import (
    ParsedArticle,
    PasteError,
    clean_paste,
    decode_bytes,
    parse_date,
    parse_paste,
    split_pastes,
)

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
SEED = SAMPLES / "seed-article.txt"
PASTES = sorted((SAMPLES / "pastes").glob("*.txt"))

BODY = "توصل الحاضرون إلى اتفاق على تعزيز التنسيق المشترك والتعاون بين الجهات الأمنية المختلفة في البلاد."
BODY_2 = "وأضاف المتحدث أن الاجتماع تناول عدداً من الملفات الأمنية الحساسة في الجنوب الشرقي من البلاد."


def paste(*lines: str) -> str:
    return "\n".join(lines)


# --- the shared samples -----------------------------------------------------------------------


def test_shared_samples_are_found_so_sample_tests_run():
    assert SEED.is_file()
    assert len(PASTES) >= 8


@pytest.mark.parametrize("path", PASTES, ids=lambda p: p.stem)
def test_sample_paste_parses_to_its_expected_fields(path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    article = parse_paste(path.read_text(encoding="utf-8"))
    date = article.published_on.isoformat() if article.published_on else None
    assert {
        "title": article.title,
        "date": date,
        "source": article.source,
        "byline": article.byline,
        "body_first": article.body[:40],
        "body_last": article.body[-40:],
        "related_titles": [related.title for related in article.related],
    } == expected


def test_reference_paste_parses_to_every_field():
    article = parse_paste(SEED.read_text(encoding="utf-8"))
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


def test_as_dict_is_json_ready_and_nests_related_articles():
    data = parse_paste(SEED.read_text(encoding="utf-8")).as_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data) == {
        "title", "published_on", "source", "source_name", "source_line", "byline", "desk", "body", "related",
    }
    assert data["published_on"] == "2024-08-19"
    assert data["body"].count("\n\n") == 2
    assert data["related"][0]["related"] == []
    assert data["related"][0]["published_on"] is None


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # English forms
        ("تاريخ النشر: 19th, August 2024 GMT", (2024, 8, 19)),
        ("Aug 19, 2024", (2024, 8, 19)),
        ("Monday 19 August 2024", (2024, 8, 19)),
        ("19 Aug 2024", (2024, 8, 19)),
        ("19-Aug-2024", (2024, 8, 19)),
        ("19/أغسطس/2024", (2024, 8, 19)),
        ("نشر بتاريخ: Feb 26, 2018", (2018, 2, 26)),
        ("Published on Sept. 3, 2019 10:15 AM", (2019, 9, 3)),
        # Egyptian / Gulf month names and their spelling variants
        ("السبت، 31 مارس 2018 08:45 م", (2018, 3, 31)),
        ("15 إبريل 2018", (2018, 4, 15)),
        ("15 ابريل 2018", (2018, 4, 15)),
        ("15 يونيه 2018", (2018, 6, 15)),
        ("15 يوليه 2018", (2018, 7, 15)),
        ("15 اغسطس 2018", (2018, 8, 15)),
        ("1 اكتوبر 2018", (2018, 10, 1)),
        ("الأربعاء 12 ديسمبر 2018", (2018, 12, 12)),
        # Levantine
        ("الأحد 5 كانون الثاني 2020", (2020, 1, 5)),
        ("1 شباط 2020", (2020, 2, 1)),
        ("1 آذار 2020", (2020, 3, 1)),
        ("1 نيسان 2020", (2020, 4, 1)),
        ("1 أيار 2019", (2019, 5, 1)),
        ("1 حزيران 2019", (2019, 6, 1)),
        ("12 آب 2019", (2019, 8, 12)),
        ("1 أيلول 2019", (2019, 9, 1)),
        ("17 تشرين الأول 2018", (2018, 10, 17)),
        ("3 تشرين ثاني 2019", (2019, 11, 3)),
        ("25 كانون الأول 2019", (2019, 12, 25)),
        ("الثلاثاء 17 تموز (يوليو) 2018", (2018, 7, 17)),
        ("17 يوليو/تموز 2018", (2018, 7, 17)),
        # Algerian / Tunisian
        ("5 جانفي 2020", (2020, 1, 5)),
        ("5 فيفري 2020", (2020, 2, 5)),
        ("7 أفريل 2020", (2020, 4, 7)),
        ("2 جوان 2020", (2020, 6, 2)),
        ("الخميس 14 جويلية 2022", (2022, 7, 14)),
        ("3 أوت 2021", (2021, 8, 3)),
        # Moroccan
        ("6 ماي 2019", (2019, 5, 6)),
        ("11 يوليوز 2019", (2019, 7, 11)),
        ("9 غشت 2019", (2019, 8, 9)),
        ("4 شتنبر 2019", (2019, 9, 4)),
        ("8 نونبر 2019", (2019, 11, 8)),
        ("10 دجنبر 2019", (2019, 12, 10)),
        ("نشر في 18 يونيو 2018 على الساعة 12:24", (2018, 6, 18)),
        # numeric forms and digit systems
        ("التاريخ: ٢٨/٠٢/٢٠١٨", (2018, 2, 28)),
        ("۱۵ ابریل ۲۰۱۸", (2018, 4, 15)),
        ("05-03-2018", (2018, 3, 5)),
        ("05.03.2018", (2018, 3, 5)),
        ("2018/03/05", (2018, 3, 5)),
        ("آخر تحديث: 2018-05-25 20:56", (2018, 5, 25)),
        ("2018-05-25T20:56:00+03:00", (2018, 5, 25)),
        ("الاثنين ١٩ / ٠٨ / ٢٠٢٤", (2024, 8, 19)),
        ("08/19/2024", (2024, 8, 19)),
        ("Thursday, 19 August 2024 10:30 AM GMT+3", (2024, 8, 19)),
        ("الخميس 19 أغسطس 2024 - 10:30 صباحاً بتوقيت مكة المكرمة", (2024, 8, 19)),
        ("updated: 20/08/2024, published: 19/08/2024", (2024, 8, 19)),
        ("بتاريخ 3 مارس 2019", (2019, 3, 3)),
        ("تم التحديث: 4 مارس 2019 10:00 ص", (2019, 3, 4)),
        # a Hijri date beside the Gregorian one is skipped
        ("الأحد 17 ذو القعدة 1439 هـ - 29 يوليو 2018 م", (2018, 7, 29)),
        # publication wins over update, whichever comes first
        ("تاريخ النشر: 2018-05-20 | آخر تحديث: 2018-05-21", (2018, 5, 20)),
        ("آخر تحديث: 2018-05-21 - تاريخ النشر: 2018-05-20", (2018, 5, 20)),
        # invalid or missing dates
        ("31/02/2018", None),
        ("30 فبراير 2020", None),
        ("1439/11/17 هـ", None),
        ("منذ 3 ساعات", None),
        ("تاريخ النشر:", None),
        ("الوطن| متابعات", None),
    ],
)
def test_parse_date_reads_header_date_forms(line, expected):
    assert parse_date(line) == (datetime.date(*expected) if expected else None)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("تاريخ النشر: 19 أغسطس 2024", (2024, 8, 19)),
        ("آخر تحديث: 21 أغسطس 2024", (2024, 8, 21)),
        ("نشر في: 2024-08-19", (2024, 8, 19)),
        ("التاريخ 19/08/2024", (2024, 8, 19)),
        ("19/08/2024", (2024, 8, 19)),
        ("31/02/2024", None),
    ],
)
def test_date_header_line_sets_publication_date(header, expected):
    article = parse_paste(paste("عنوان المقال", header, BODY))
    assert article.published_on == (datetime.date(*expected) if expected else None)
    assert article.paragraphs == (BODY,)


def test_publication_date_preferred_over_update_date_on_separate_lines():
    article = parse_paste(paste("عنوان", "آخر تحديث: 21 أغسطس 2024", "تاريخ النشر: 19 أغسطس 2024", BODY))
    assert article.published_on == datetime.date(2024, 8, 19)


@pytest.mark.parametrize(
    "body_line",
    [
        "عقد الاجتماع في 19 أغسطس 2024",
        "19/08/2024",
        "تاريخ النشر: 19 أغسطس 2024",
    ],
)
def test_date_in_body_is_never_the_publication_date(body_line):
    article = parse_paste(paste("عنوان المقال", BODY, body_line, BODY_2))
    assert article.published_on is None
    assert article.paragraphs == (BODY, body_line, BODY_2)


def test_date_line_above_the_title_is_not_the_title():
    article = parse_paste(paste("السبت، 31 مارس 2018", "عنوان المقال", BODY))
    assert article.title == "عنوان المقال"
    assert article.published_on == datetime.date(2018, 3, 31)
    assert article.paragraphs == (BODY,)


# --- source, byline and desk lines ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "source", "byline", "desk", "date"),
    [
        (["الوطن| متابعات"], "الوطن", None, "متابعات", None),
        (["BBC | وكالات"], "BBC", None, "وكالات", None),
        (["الوطن | محمد علي"], "الوطن", "محمد علي", None, None),
        (["الوطن | 19 أغسطس 2024 | كتب: محمد علي"], "الوطن", "محمد علي", None, (2024, 8, 19)),
        (["skynews - 17 تشرين الأول 2018"], "skynews", None, None, (2018, 10, 17)),
        (["كتب محمد السيد"], None, "محمد السيد", None, None),
        (["كتب: محمد السيد"], None, "محمد السيد", None, None),
        (["بقلم: دبي - العربية.نت"], None, "دبي - العربية.نت", None, None),
        (["بقلم سارة أحمد"], None, "سارة أحمد", None, None),
        (["بقلم / سارة أحمد"], None, "سارة أحمد", None, None),
        (["تحرير: أحمد حسن"], None, "أحمد حسن", None, None),
        (["إعداد: ليلى يوسف"], None, "ليلى يوسف", None, None),
        (["كتب: المحرر"], None, None, "المحرر", None),
        (["متابعات"], None, None, "متابعات", None),
        (["كتب محمد السيد - 31 مارس 2018"], None, "محمد السيد", None, (2018, 3, 31)),
        (["السبت، 31 مارس 2018 08:45 م", "كتب محمد السيد"], None, "محمد السيد", None, (2018, 3, 31)),
        (["المصدر: وكالات"], "وكالات", None, None, None),
        (
            [
                "نشر في: الأحد 18 أغسطس 2024 - 10:30 صباحاً بتوقيت مكة المكرمة | "
                "آخر تحديث: الاثنين 19 أغسطس 2024 - 11:00 مساءً بتوقيت مكة المكرمة"
            ],
            None,
            None,
            None,
            (2024, 8, 18),
        ),
        (["كتب: محمد السيد | الوطن"], "الوطن", "محمد السيد", None, None),
        (["متابعات | الوطن"], "الوطن", None, "متابعات", None),
        # share/print buttons on the outlet line are neither outlet nor byline
        (["الوطن | متابعات | شارك | طباعة"], "الوطن", None, "متابعات", None),
        (["الوطن | شارك"], "الوطن", None, None, None),
        (["تويتر | الوطن | محمد علي | واتساب"], "الوطن", "محمد علي", None, None),
    ],
)
def test_header_lines_give_source_byline_desk_and_date(headers, source, byline, desk, date):
    article = parse_paste(paste("عنوان المقال", *headers, BODY, BODY_2))
    assert (article.source, article.byline, article.desk) == (source, byline, desk)
    assert article.published_on == (datetime.date(*date) if date else None)
    assert article.paragraphs == (BODY, BODY_2)


@pytest.mark.parametrize(
    "first_body_line",
    [
        BODY,
        "كتب الرئيس الأمريكي على تويتر أنه لن يتراجع عن قراره بفرض الرسوم الجمركية على الواردات الصينية مهما كلف الأمر.",
        "القاهرة - رويترز",
        "الفريق | النقاط | الأهداف",
    ],
)
def test_first_body_line_is_never_eaten_as_a_header(first_body_line):
    article = parse_paste(paste("عنوان المقال", first_body_line, BODY_2))
    assert article.paragraphs == (first_body_line, BODY_2)
    assert (article.byline, article.source, article.published_on) == (None, None, None)


@pytest.mark.parametrize(
    ("source_line", "source_name"),
    [
        ("المصدر: صحيفة الوطن الليبية", "صحيفة الوطن الليبية"),
        ("(المصدر: وكالات)", "وكالات"),
        ("المصدر : رويترز", "رويترز"),
        ("مصدر الخبر: سكاي نيوز عربية", "سكاي نيوز عربية"),
    ],
)
def test_source_line_at_end_of_body_is_removed_and_recorded(source_line, source_name):
    article = parse_paste(paste("عنوان", BODY, BODY_2, source_line))
    assert article.paragraphs == (BODY, BODY_2)
    assert (article.source, article.source_name, article.source_line) == (source_name, source_name, source_line)


def test_pipe_line_outlet_takes_priority_over_source_line_for_short_name():
    article = parse_paste(paste("عنوان", "BBC| متابعات", BODY, "المصدر: صحيفة BBC"))
    assert (article.source, article.source_name, article.desk) == ("BBC", "صحيفة BBC", "متابعات")


def test_source_line_in_the_middle_of_the_body_stays_in_the_body():
    article = parse_paste(paste("عنوان", BODY, "المصدر: رويترز", BODY_2))
    assert article.paragraphs == (BODY, "المصدر: رويترز", BODY_2)
    assert article.source_name is None


# --- related articles ----------------------------------------------------------------------------


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
    assert (first.title, first.published_on, first.source, first.paragraphs) == (
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


CLUTTER_LINES = [
    "شارك",
    "مشاركة",
    "شارك الخبر",
    "طباعة",
    "تعليقات",
    "تعليقات (3)",
    "٣ تعليقات",
    "0 تعليق",
    "1.2k مشاركة",
    "حجم الخط",
    "A A",
    "A+ A-",
    "A- A A+",
    "تكبير الخط | تصغير الخط",
    "تويتر فيسبوك واتساب",
    "تويتر | فيسبوك | واتساب | تيليجرام",
    "Facebook Twitter WhatsApp",
    "شارك عبر: تويتر - فيس بوك - واتس اب",
    "تابعونا على فيسبوك وتويتر",
    "طباعة | إرسال لصديق | نسخ الرابط",
    "اشترك في النشرة",
    "اشترك في النشرة البريدية",
    "عدد القراءات: 1,532",
    "الرئيسية > أخبار > محليات",
    "الرئيسية » أخبار",
    "الرئيسية / أخبار / محليات",
    "الصفحة الرئيسية › اقتصاد › أسواق",
    "Home > News",
    "أخبار > محليات > طرابلس",
]


@pytest.mark.parametrize("clutter", CLUTTER_LINES)
def test_page_clutter_between_title_and_headers_is_dropped_and_headers_still_read(clutter):
    article = parse_paste(paste("عنوان المقال", clutter, "تاريخ النشر: 19 أغسطس 2024", "الوطن| متابعات", BODY))
    assert (article.title, article.published_on, article.source, article.desk) == (
        "عنوان المقال",
        datetime.date(2024, 8, 19),
        "الوطن",
        "متابعات",
    )
    assert article.paragraphs == (BODY,)


@pytest.mark.parametrize("clutter", CLUTTER_LINES)
def test_page_clutter_as_a_lone_body_line_is_dropped(clutter):
    article = parse_paste(paste("عنوان المقال", BODY, clutter, BODY_2, clutter))
    assert article.paragraphs == (BODY, BODY_2)


@pytest.mark.parametrize("clutter", ["الرئيسية > أخبار > محليات", "شارك", "A A"])
def test_page_clutter_above_the_title_is_not_the_title(clutter):
    article = parse_paste(paste(clutter, "عنوان المقال", BODY))
    assert (article.title, article.paragraphs) == ("عنوان المقال", (BODY,))


def test_page_clutter_inside_a_related_article_is_dropped():
    article = parse_paste(paste("عنوان", BODY, "اقرأ أيضاً", "عنوان مرتبط", "شارك", BODY_2, "طباعة"))
    assert [(r.title, r.paragraphs) for r in article.related] == [("عنوان مرتبط", (BODY_2,))]


@pytest.mark.parametrize(
    "line",
    [
        "شارك الآلاف في المظاهرة التي جابت شوارع العاصمة.",
        "وكتب الوزير على تويتر أن الاجتماع كان مثمرا.",
        "طباعة الكتب المدرسية تتأخر",
        "تعليقات الوزير أثارت جدلا",
        "الرئيسية",
        "على",
        "القاهرة > الإسكندرية",
        "«أ» ثم «ب» ثم «ج»",
        "19/08/2024 / 20/08/2024",
    ],
)
def test_lines_that_only_mention_clutter_words_stay_in_the_body(line):
    article = parse_paste(paste("عنوان المقال", BODY, line, BODY_2))
    assert article.paragraphs == (BODY, line, BODY_2)


def test_paste_of_nothing_but_clutter_is_empty():
    with pytest.raises(PasteError, match="empty paste"):
        parse_paste(paste("شارك", "طباعة", "تعليقات (3)"))


# --- noise ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("سطر\r\nثان\rثالث", "سطر\nثان\nثالث"),
        ("\ufeffعنوان", "عنوان"),
        ("كل\u200bمة\u200f و\u200eكلمة\u202b", "كلمة وكلمة"),
        ("كلمة\u00a0و\u202fكلمة\tثالثة", "كلمة و كلمة ثالثة"),
        ("سطر   \nثان  ", "سطر\nثان"),
        ("أ\n\n\n\nب\n \n\nج", "أ\n\nب\n\nج"),
        ("\n\nنص\n\n", "نص"),
        ("<p>فقرة\nواحدة</p><p>ثانية&nbsp;هنا</p>", "فقرة واحدة\n\nثانية هنا"),
        ("<div>أ<br>ب</div><ul><li>ج</li><li>د</li></ul>", "أ\nب\n\nج\n\nد"),
        ("<h1>عنوان</h1><script>var x = 1;</script><style>p {}</style><p>نص</p><!-- تعليق -->", "عنوان\n\nنص"),
        ("نص &quot;مقتبس&quot;", 'نص "مقتبس"'),
        ("ﻻ ﷲ", "لا الله"),
    ],
)
def test_clean_paste_removes_noise(raw, expected):
    assert clean_paste(raw) == expected


def test_noisy_paste_parses_like_the_clean_one():
    text = SEED.read_text(encoding="utf-8")
    noisy = "\ufeff" + text.replace("\n", " \u200f\r\n").replace(" ", "\u00a0", 5).replace("الوطن", "الوطن\u200b", 1)
    assert parse_paste(noisy) == parse_paste(text)


def test_html_paste_parses_into_paragraphs():
    html = (
        "<html><head><title>موقع</title></head><body><h1>عنوان المقال</h1>"
        "<div class='date'>تاريخ النشر: 19 أغسطس 2024</div>"
        f"<p>{BODY}</p>\n<p>{BODY_2}</p><script>track()</script></body></html>"
    )
    article = parse_paste(html)
    assert (article.title, article.published_on, article.paragraphs) == (
        "عنوان المقال",
        datetime.date(2024, 8, 19),
        (BODY, BODY_2),
    )


PATHOLOGICAL_MARKUP = {
    "300k-lt": "<" * 300_000,
    "150k-unclosed-p": "<p" * 150_000,
    "100k-unclosed-p-space": "<p " * 100_000,
    "100k-p": "<p>" * 100_000,
    "20k-nested-div": "<div>" * 20_000,
    "100k-comment-openers": "<!--" * 100_000,
    "50k-script-openers": "<script>" * 50_000,
    "50k-unclosed-attributes": "<a href='" * 50_000,
    "300k-ampersands": "&" * 300_000,
    "100k-br": "<br/>" * 100_000,
}


@pytest.mark.parametrize("markup", PATHOLOGICAL_MARKUP.values(), ids=PATHOLOGICAL_MARKUP.keys())
def test_pathological_markup_is_handled_in_under_a_third_of_a_second(markup):
    text = markup + paste("", "عنوان المقال", BODY)
    start = time.perf_counter()
    try:
        parse_paste(text, max_bytes=10_000_000)
    except PasteError:
        pass
    assert time.perf_counter() - start < 0.3


def test_long_html_page_is_reduced_to_its_text_in_linear_time():
    # 20,000 paragraphs and 20,000 link lists (2.4 MB): the old tree-editing reduction took minutes.
    html = "<html><body><h1>عنوان المقال</h1>" + f"<p>{BODY}</p><nav><a href='/x'>رابط</a></nav>" * 20_000
    start = time.perf_counter()
    article = parse_paste(html, max_bytes=10_000_000)
    assert time.perf_counter() - start < 3
    assert article.title == "عنوان المقال"
    assert article.paragraphs[:3] == (BODY, "رابط", BODY)
    assert len(article.paragraphs) == 40_000


@pytest.mark.parametrize(
    "raw",
    [
        "<p>فقرة\nواحدة</p><p>ثانية&nbsp;هنا</p>",
        "<div>أ<br>ب</div><ul><li>ج</li><li>د</li></ul>",
        "<h1>عنوان</h1><script>var x = 1;</script><style>p {}</style><p>نص</p><!-- تعليق -->",
        "<nav>قائمة</nav><main><p>نص &amp; نص</p><button>زر</button></main>",
    ],
)
def test_markup_with_thousands_of_angle_brackets_cleans_like_ordinary_markup(raw):
    # Over the parser guard the markup is stripped without the HTML parser: same text.
    padding = "<i></i>" * 2_000
    assert clean_paste(padding + raw) == clean_paste(raw)


# --- decoding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.encode("utf-16"),
        lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
        lambda text: text.encode("cp1256"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1256"],
)
def test_decode_bytes_reads_supported_encodings(encode):
    text = SEED.read_text(encoding="utf-8")
    assert decode_bytes(encode(text)) == text


def test_cp1256_paste_parses_like_the_utf8_one():
    text = SEED.read_text(encoding="utf-8")
    assert parse_paste(decode_bytes(text.encode("cp1256"))) == parse_paste(text)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "عنوان".encode("utf-8") + b"\x00\x01\x02",
        # random bytes, NUL-free so the control-character check has to catch them
        bytes(byte or 1 for byte in random.Random(1).randbytes(4096)),
        "Un café à Paris, très agréable".encode("latin-1"),
        b"\x01\x02\x03\x04\x05\x06" * 100,
    ],
    ids=["png", "nul-bytes", "random", "latin-1", "control-chars"],
)
def test_decode_bytes_rejects_binary_and_undecodable_data(data):
    with pytest.raises(PasteError, match="binary or undecodable file.*upload.txt"):
        decode_bytes(data, name="upload.txt")


# --- splitting and validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "chunks"),
    [
        ("أ\n===\nب", ["أ\n", "ب"]),
        ("أ\r\n  ===  \r\nب", ["أ\r\n", "ب"]),
        ("===\nأ", ["", "أ"]),
        ("أ\n\u200f===\u200e\nب", ["أ\n", "ب"]),
        ("أ\n===\n\n===\nب\n===", ["أ\n", "\n", "ب\n", ""]),
        ("أ\n====\nب\nنص === نص", ["أ\n====\nب\nنص === نص"]),
        ("", [""]),
    ],
)
def test_split_pastes_keeps_every_position(text, chunks):
    assert split_pastes(text) == chunks


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
