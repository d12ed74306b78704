import gzip
import io
import json
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from articles import services
from articles.models import Article, RelatedArticle, Source
from articles.text.outlets import outlet_display_name

pytestmark = pytest.mark.django_db

ARTICLE = """مهرجان الربيع يفتتح أبوابه في مدينة سبها
تاريخ النشر: 3rd, March 2024 GMT
الأفق| متابعات
افتتح مهرجان الربيع دورته الخامسة في مدينة سبها بمشاركة فرق شعبية من مدن الجنوب.
وقال مدير المهرجان إن الدورة تضم معارض للحرف اليدوية وأمسيات شعرية طوال أسبوع كامل.
المصدر: صحيفة الأفق
"""

OTHER = """افتتاح طريق ساحلي جديد يربط بين مدينتين
كتب سالم العبيدي
افتتحت البلدية طريقاً ساحلياً جديداً يختصر زمن الرحلة بين المدينتين إلى النصف.
وأكد المهندس المسؤول أن الطريق مجهز بإنارة تعمل بالطاقة الشمسية.
"""


@dataclass(frozen=True)
class Reference:
    """A paste in the reference layout and what its parse must give."""

    text: str
    title_prefix: str
    published_on: date
    source: str
    short_source: str
    related_prefix: str


@pytest.fixture(params=["invented", pytest.param("real", marks=pytest.mark.corpus)])
def reference(request, reference_text):
    """The invented reference paste, and (as a corpus test) the real one in ../shared."""
    if request.param == "invented":
        return Reference(reference_text, "الوزير «الشريف»", date(2023, 3, 12), "صحيفة الأفق الليبية", "الأفق",
                         "وزير الموارد المائية يتفقد")
    text = (request.getfixturevalue("shared") / "samples" / "seed-article.txt").read_text(encoding="utf-8")
    return Reference(text, "اللواء", date(2024, 8, 19), "صحيفة الوطن الليبية", "الوطن", "ويز الداخلية يبحث")


def run_ingest(*args, stdin: bytes | None = None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_reference_paste_becomes_article_with_linked_related_article(reference):
    report = services.ingest_paste(text=reference.text)

    assert (report.created, report.skipped, report.rejected) == (2, 0, 0)
    main = Article.objects.get(title__startswith=reference.title_prefix)
    assert main.published_on == reference.published_on
    assert main.source.name == reference.source
    assert main.desk == "متابعات"
    assert main.source_line == f"المصدر: {reference.source}"
    assert main.raw_paste == reference.text
    assert len(main.paragraphs()) == 3
    (related,) = main.related_articles()
    assert related.title.startswith(reference.related_prefix)
    assert list(related.citing_articles()) == [main]


def test_reingesting_same_paste_creates_nothing(reference):
    services.ingest_paste(text=reference.text)

    report = services.ingest_paste(text=reference.text)

    assert (report.created, report.skipped) == (0, 2)
    assert report.outcomes[0].status == "skipped"
    assert Article.objects.count() == 2
    assert RelatedArticle.objects.count() == 1


def test_same_article_with_other_spacing_and_diacritics_is_one_record():
    services.ingest_paste(text=ARTICLE)
    vocalised = ARTICLE.replace("افتتح مهرجان", "اِفْتَتَحَ   مهرجان")

    report = services.ingest_paste(text=vocalised)

    assert report.created == 0
    assert Article.objects.count() == 1


def test_short_and_full_outlet_names_are_one_source(reference):
    services.ingest_paste(text=reference.text)
    byline_only = (
        f"اجتماع لبحث أوضاع الطرق في الجنوب\n{reference.short_source}| متابعات\n"
        "بحث اجتماع موسع أوضاع الطرق في مدن الجنوب وسبل صيانتها قبل الشتاء.\n"
    )

    services.ingest_paste(text=byline_only)

    assert Source.objects.count() == 1
    source = Source.objects.get()
    assert source.name == reference.source
    assert reference.short_source in source.short_names()
    assert source.articles.count() == 3


def test_unknown_date_stays_unknown():
    services.ingest_paste(text=OTHER)

    assert Article.objects.get().published_on is None


def test_source_option_overrides_the_outlet_in_the_paste():
    services.ingest_paste(text=ARTICLE, source="وكالة الأنباء الليبية")

    assert Article.objects.get().source.name == "وكالة الأنباء الليبية"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("   \n\n  ", "empty"),
        ("Just an English line\nand another one", "Arabic"),
        ("عنوان بلا نص", "body"),
    ],
)
def test_bad_paste_is_rejected_with_its_reason_and_nothing_written(text, reason):
    report = services.ingest_paste(text=text, label="x.txt#2")

    assert report.rejected == 1
    outcome = report.outcomes[0]
    assert outcome.label == "x.txt#2"
    assert reason.lower() in outcome.reason.lower()
    assert Article.objects.count() == 0


def test_paste_over_the_size_limit_is_rejected(settings):
    settings.ARCHIVE_MAX_PASTE_BYTES = 1000
    long_paste = ARTICLE + ("فقرة إضافية طويلة جداً عن المهرجان.\n" * 100)

    report = services.ingest_paste(text=long_paste)

    assert report.rejected == 1
    assert "limit" in report.outcomes[0].reason
    assert Article.objects.count() == 0


def test_command_ingests_files_directories_and_several_pastes_per_file(tmp_path, reference_text):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "two.txt").write_text(ARTICLE + "\n===\n" + OTHER, encoding="utf-8")
    (tmp_path / "seed.txt").write_text(reference_text, encoding="utf-8")
    (tmp_path / "notes.md").write_text("ليس ملف مقال", encoding="utf-8")

    out, err, error = run_ingest(str(tmp_path))

    assert error is None, err
    assert Article.objects.count() == 4
    assert "created 4, skipped 0, rejected 0" in out


def test_rejected_paste_names_file_and_paste_number_and_good_ones_still_land(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text(ARTICLE + "\n===\nعنوان بلا نص\n===\n" + OTHER, encoding="utf-8")

    out, err, error = run_ingest(str(path))

    assert error is not None  # non-zero exit
    assert f"{path}#2: rejected" in err
    assert Article.objects.count() == 2


def test_binary_file_is_rejected_by_name(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)

    _, err, error = run_ingest(str(path))

    assert error is not None
    assert str(path) in err and "binary" in err.lower()
    assert Article.objects.count() == 0


def test_windows_1256_file_is_decoded(tmp_path):
    path = tmp_path / "cp1256.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode("cp1256"))

    _, err, error = run_ingest(str(path))

    assert error is None, err
    assert Article.objects.get().title == "مهرجان الربيع يفتتح أبوابه في مدينة سبها"


def test_standard_input_is_read_with_dash(monkeypatch):
    _, err, error = run_ingest("-", stdin=OTHER.encode(), monkeypatch=monkeypatch)

    assert error is None, err
    assert Article.objects.get().byline == "سالم العبيدي"


def test_missing_path_is_an_error_naming_it(tmp_path):
    with pytest.raises(CommandError, match="nope.txt"):
        call_command("ingest", str(tmp_path / "nope.txt"), stdout=io.StringIO(), stderr=io.StringIO())


def test_dry_run_with_json_format_prints_the_parse_and_writes_nothing(tmp_path, reference):
    path = tmp_path / "seed.txt"
    path.write_text(reference.text, encoding="utf-8")

    out, err, error = run_ingest("--dry-run", "--format", "json", str(path))

    assert error is None, err
    (line,) = out.splitlines()
    record = json.loads(line)
    assert record["file"] == str(path)
    assert record["published_on"] == reference.published_on.isoformat()
    assert record["source"] == reference.short_source
    assert record["source_line"] == f"المصدر: {reference.source}"
    assert record["related"][0]["title"].startswith(reference.related_prefix)
    assert {"title", "byline", "body"} <= record.keys()
    assert "would create 2" in err
    assert Article.objects.count() == 0


def invented_news(count: int) -> list[str]:
    """JSONL lines of invented news records in the ANT corpus' fields, one record repeated."""
    towns = ["سبها", "درنة", "غريان", "زليتن", "نالوت"]
    lines = []
    for n in range(count - 1):
        town = towns[n % len(towns)]
        record = {
            "id": f"invented-{n}", "corpus": "invented", "source": ["الأفق", "المرصد"][n % 2],
            "category": "محليات", "url": f"https://example.org/news/{n}", "date_raw": "", "date": f"2016-0{1 + n % 9}-1{n % 9}",
            "title": f"بلدية {town} تطلق مشروعاً رقم {n} لصيانة الطرق",
            "author": "سالم العبيدي" if n % 3 else "",
            "body": f"أطلقت بلدية {town} مشروعاً جديداً لصيانة الطرق الداخلية.\nوقال عميد البلدية إن المشروع رقم {n} يستمر ستة أشهر.",
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return [*lines, lines[0]]


@pytest.fixture(params=["invented", pytest.param("real", marks=pytest.mark.corpus)])
def news_sample(request, tmp_path):
    """60 news records, gzipped, plus one broken line: invented ones, and (as a corpus test) the
    first 60 of the real ANT corpus file."""
    if request.param == "invented":
        lines = invented_news(60)
    else:
        lines = []
        real = request.getfixturevalue("shared") / "data" / "news" / "articles.ant_v1.1.jsonl.gz"
        with gzip.open(real, "rt", encoding="utf-8") as source:
            for line in source:
                lines.append(line)
                if len(lines) == 60:
                    break
    path = tmp_path / "sample.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(lines[:30])
        out.write("{not json\n")
        out.writelines(lines[30:])
    return path, [json.loads(line) for line in lines]


def test_jsonl_import_stores_records_and_reports_bad_lines(news_sample):
    path, records = news_sample

    out, err, error = run_ingest("--jsonl", str(path), "--no-progress", "--no-entities")

    assert error is not None
    assert f"{path}:31: rejected: invalid JSON" in err
    unique = {(r["title"].strip(), r["body"].strip()) for r in records}
    assert Article.objects.count() == len(unique)
    first = records[0]
    stored = Article.objects.get(title=first["title"].strip())
    assert stored.url == first["url"]
    assert stored.published_on == date.fromisoformat(first["date"])
    assert stored.source.name == (outlet_display_name(first["source"]) or first["source"])
    assert Source.objects.by_name(first["source"]).get() == stored.source


def test_jsonl_reimport_skips_everything(news_sample):
    path, records = news_sample
    services.import_jsonl(path=path, entities=False)
    count = Article.objects.count()

    report = services.import_jsonl(path=path, entities=False)

    assert report.created == 0
    assert report.skipped == len(records)
    assert Article.objects.count() == count


def test_load_demo_is_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    first = Article.objects.count()

    out = io.StringIO()
    call_command("load_demo", stdout=out)

    assert first >= 15
    assert Source.objects.count() >= 3
    assert RelatedArticle.objects.exists()
    assert Article.objects.count() == first
    assert "created 0" in out.getvalue()


def test_jsonl_import_makes_records_searchable(news_sample, search_index):
    from articles.search.service import parse_search_params, search_articles

    path, records = news_sample
    services.import_jsonl(path=path, entities=False)

    title = records[0]["title"].strip()
    page = search_articles(parse_search_params({"q": f'"{title}"'}))
    assert title in [hit.title for hit in page.results]


def test_jsonl_dry_run_counts_what_a_real_import_would_create(news_sample):
    path, _ = news_sample

    dry = services.import_jsonl(path=path, dry_run=True, batch_size=7)
    real = services.import_jsonl(path=path, entities=False, index=False, batch_size=7)

    assert Article.objects.count() == real.created
    assert (dry.created, dry.skipped, dry.rejected) == (real.created, real.skipped, real.rejected)
