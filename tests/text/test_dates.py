"""Publication dates on header lines (articles.text.dates, through the parser)."""

import datetime

import pytest

from articles.text.dates import find_dates, preferred_date
from articles.text.normalize import normalize
from articles.text.parser import parse_paste
from tests.text.pastes import BODY, BODY_2, paste


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
def test_header_date_forms_are_read(line, expected):
    found = preferred_date(find_dates(normalize(line)).dates)
    assert found == (datetime.date(*expected) if expected else None)


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
