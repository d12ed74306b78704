"""Page clutter copied along with an article (articles.text.clutter, through the parser)."""

import datetime

import pytest

from articles.text.parser import PasteError, parse_paste
from tests.text.pastes import BODY, BODY_2, paste

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
