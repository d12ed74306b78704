"""Bytes and raw pastes to text lines: encodings, HTML, noise, ``===`` files (articles.text.decoding)."""

import datetime
import random

import pytest

from articles.text.parser import PasteError, clean_paste, decode_bytes, parse_paste, split_pastes
from tests.text.pastes import BODY, BODY_2, FIXTURES, paste


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
    text = (FIXTURES / "08-pipe-outlet.txt").read_text(encoding="utf-8")
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
def test_pathological_markup_gives_an_article_or_a_paste_error(markup):
    # How fast: bench/, not here. Here: no recursion or parser error escapes.
    text = markup + paste("", "عنوان المقال", BODY)
    try:
        article = parse_paste(text, max_bytes=10_000_000)
    except PasteError:
        return
    assert article.paragraphs[-1] == BODY


def test_long_html_page_is_reduced_to_its_text():
    # 20,000 paragraphs and 20,000 link lists (2.4 MB): a tree-editing reduction took minutes here.
    html = "<html><body><h1>عنوان المقال</h1>" + f"<p>{BODY}</p><nav><a href='/x'>رابط</a></nav>" * 20_000
    article = parse_paste(html, max_bytes=10_000_000)
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
    text = (FIXTURES / "10-related.txt").read_text(encoding="utf-8")
    assert decode_bytes(encode(text)) == text


def test_cp1256_paste_parses_like_the_utf8_one():
    text = (FIXTURES / "10-related.txt").read_text(encoding="utf-8")
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
