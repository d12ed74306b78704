"""Header lines under a title: outlet, byline, desk and «المصدر» lines (articles.text.headers)."""

import datetime

import pytest

from articles.text.headers import credited_name
from articles.text.parser import parse_paste
from tests.text.pastes import BODY, BODY_2, paste


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
        (["المصدر: وكالات"], None, None, "وكالات", None),
        (["المصدر: وكالة الأنباء"], None, None, "وكالة الأنباء", None),
        (["وكالات ومتابعات"], None, None, "وكالات ومتابعات", None),
        (["المصدر: وكالة الأنباء السعودية"], "وكالة الأنباء السعودية", None, None, None),
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
        ("المصدر : رويترز", "رويترز"),
        ("مصدر الخبر: سكاي نيوز عربية", "سكاي نيوز عربية"),
    ],
)
def test_source_line_at_end_of_body_is_removed_and_recorded(source_line, source_name):
    article = parse_paste(paste("عنوان", BODY, BODY_2, source_line))
    assert article.paragraphs == (BODY, BODY_2)
    assert (article.source, article.source_name, article.source_line) == (source_name, source_name, source_line)


@pytest.mark.parametrize("source_line", ["(المصدر: وكالات)", "المصدر: متابعات", "Source: agencies"])
def test_a_source_line_crediting_a_desk_gives_the_desk_not_an_outlet(source_line):
    article = parse_paste(paste("عنوان", BODY, BODY_2, source_line))
    assert article.paragraphs == (BODY, BODY_2)
    assert (article.source, article.source_name, article.source_line) == (None, None, source_line)
    assert article.desk == source_line.split(":")[1].strip(" ()")


def test_pipe_line_outlet_takes_priority_over_source_line_for_short_name():
    article = parse_paste(paste("عنوان", "BBC| متابعات", BODY, "المصدر: صحيفة BBC"))
    assert (article.source, article.source_name, article.desk) == ("BBC", "صحيفة BBC", "متابعات")


def test_source_line_in_the_middle_of_the_body_stays_in_the_body():
    article = parse_paste(paste("عنوان", BODY, "المصدر: رويترز", BODY_2))
    assert article.paragraphs == (BODY, "المصدر: رويترز", BODY_2)
    assert article.source_name is None


@pytest.mark.parametrize(
    ("line", "byline", "date"),
    [
        ("بقلم: الجزيرة - واس:", "الجزيرة - واس", None),
        ("كتب غزوان الحسن- سبق- الرياض:", "غزوان الحسن- سبق- الرياض", None),
        ("كتب بيروت - د ب أ:", "بيروت - د ب أ", None),
        ("كتب: محمد السيد:", "محمد السيد", None),
        ("كتب محمد السيد - 31 مارس 2018:", "محمد السيد", (2018, 3, 31)),
        ("الوطن | كتب: محمد علي:", "محمد علي", None),
        ("كتب: علي عبد الله:", "علي عبد الله", None),
    ],
)
def test_byline_line_ending_with_a_colon_is_the_byline(line, byline, date):
    article = parse_paste(paste("عنوان المقال", line, BODY, BODY_2))
    assert article.byline == byline
    assert article.published_on == (datetime.date(*date) if date else None)
    assert article.paragraphs == (BODY, BODY_2)


@pytest.mark.parametrize(
    "line",
    [
        "كتب الوزير على حسابه في تويتر:",
        "كتب رئيس الوزراء عبر صفحته:",
        "كتب الكاتب أنه:",
        "كتب:",
        "كتب ::",
    ],
)
def test_colon_that_opens_a_quote_or_ends_an_empty_byline_leaves_the_line_in_the_body(line):
    article = parse_paste(paste("عنوان المقال", line, BODY))
    assert article.byline is None
    assert article.paragraphs == (line, BODY)


@pytest.mark.parametrize(
    ("given", "credited"),
    [
        ("00a72cbb-c99e-4308-8730-79dc24507368", ""),
        ("00A72CBBC99E4308873079DC24507368", ""),
        ("12345", ""),
        ("  محمد   علي ", "محمد علي"),
        ("دبي - قناة العربية", "دبي - قناة العربية"),
        ("Reuters 24", "Reuters 24"),
    ],
)
def test_a_credit_that_is_an_id_or_a_number_is_no_name(given, credited):
    assert credited_name(given) == credited
