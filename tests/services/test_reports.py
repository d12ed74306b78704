"""Why an input was refused: a stable code for programs, English for the command line, and the
editors' language (Arabic) for the admin."""

import pytest

from articles import services
from tests.text.pastes import BODY, BODY_2

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, code, reason, message",
    [
        ("", "empty", "empty paste", "لصقة فارغة"),
        ("Hello world\nA second line", "no_arabic", "no Arabic letters", "لا حروف عربية في النص"),
        ("عنوان فقط", "title_only", "title without a body", "عنوان بلا نص"),
        (
            "ع" * 600_000,
            "too_large",
            "paste is 1.2 MB, over the 1 MB limit",
            "حجم اللصقة 1.2 ميغابايت، أكبر من الحد المسموح 1 ميغابايت",
        ),
        (
            "خبر-" * 2500 + "\n" + BODY,
            "too_long",
            "article: title: 10,000 characters, over the limit of 500",
            "العنوان: 10,000 حرفاً، فوق الحد المسموح 500",
        ),
        (
            f"حديقة جديدة في المدينة\n{BODY}\nاقرأ أيضاً\n{'عنوان-' * 100}\n{BODY}",
            "too_long",
            "related article 1: title: 600 characters, over the limit of 500",
            "المقال ذو الصلة 1: العنوان: 600 حرفاً، فوق الحد المسموح 500",
        ),
    ],
    ids=["empty", "no-arabic", "title-only", "too-large", "long-title", "long-related-title"],
)
def test_a_rejected_paste_has_a_code_an_english_reason_and_an_arabic_message(text, code, reason, message):
    (outcome,) = services.ingest_paste(text=text).outcomes

    assert (outcome.status, outcome.code, outcome.reason, outcome.message) == ("rejected", code, reason, message)


def test_a_binary_file_is_refused_with_its_code():
    (outcome,) = services.ingest_bytes(data=b"\x00\x01binary", name="x.bin").outcomes

    assert (outcome.code, outcome.message) == ("binary", "ملف ثنائي أو بترميز غير مقروء")
    assert "binary or undecodable file (x.bin)" == outcome.reason


def test_outcome_counts_count_pastes_and_the_related_articles_they_brought():
    paste = f"حديقة جديدة في المدينة\n{BODY}\nاقرأ أيضاً\nمكتبة جديدة في الحي\n{BODY.replace('ا', 'أ', 1)}"
    report = services.ingest_bytes(data=f"{paste}\n===\n{paste}\n===\nEnglish only".encode(), name="f.txt")

    assert (report.created, report.skipped, report.rejected) == (2, 2, 1)
    assert report.outcome_counts() == {"created": 1, "skipped": 1, "rejected": 1, "related_created": 1}


def test_a_paste_with_more_related_articles_than_the_limit_is_refused_whole():
    from articles.models import Article
    from articles.services.pastes import MAX_RELATED

    related = "".join(f"اقرأ أيضاً\nخبر مرتبط رقم {n}\n{BODY_2} {BODY} رقم {n}\n" for n in range(MAX_RELATED + 1))
    (outcome,) = services.ingest_paste(text=f"حديقة جديدة في المدينة\n{BODY}\n{related}").outcomes

    assert (outcome.status, outcome.code) == ("rejected", "too_many_related")
    assert outcome.reason == f"51 related («اقرأ أيضاً») articles, over the limit of {MAX_RELATED} per paste; split it into several pastes"
    assert outcome.message == f"في اللصقة 51 مقالاً ذا صلة، فوق الحد المسموح {MAX_RELATED}؛ قسّمها إلى عدة لصقات"
    assert not Article.objects.exists()


def test_a_paste_with_as_many_related_articles_as_the_limit_is_stored():
    from articles.services.pastes import MAX_RELATED

    related = "".join(f"اقرأ أيضاً\nخبر مرتبط رقم {n}\n{BODY_2} {BODY} رقم {n}\n" for n in range(MAX_RELATED))
    report = services.ingest_paste(text=f"حديقة جديدة في المدينة\n{BODY}\n{related}")

    assert (report.created, report.rejected) == (1 + MAX_RELATED, 0)
