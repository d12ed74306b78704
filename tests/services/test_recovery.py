"""A JSONL import killed with SIGKILL loses nothing: a rerun or ``check_index --repair`` leaves
database and index equal and every article findable.

Each test runs the real commands in child processes against an archive of its own (a SQLite
file, or a PostgreSQL database of its own when the suite runs on PostgreSQL).
"""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORDS = 600
KILL_AFTER = 150  # stored articles; the index commits only at the end of this file
TIMEOUT = 300

FIND_ALL = """
from articles.models import Article
from articles.search.service import parse_search_params, search_articles
lost = []
for pk, code in Article.objects.values_list("pk", "byline"):
    page = search_articles(parse_search_params({"q": code, "mode": "exact"}))
    if [hit.id for hit in page.results] != [pk]:
        lost.append(code)
print("LOST", len(lost), lost[:5])
"""


@pytest.fixture
def archive(child_archive):
    """An empty, migrated archive (database and index); calling it runs manage.py against it."""
    child_archive("migrate", "--noinput", "-v", "0")
    return child_archive


@pytest.fixture
def records(tmp_path) -> Path:
    """Invented records, each carrying a code word found in no other article."""
    path = tmp_path / "news.jsonl"
    towns = ["سبها", "درنة", "غريان", "زليتن", "الخمس", "توكرة"]
    with path.open("w", encoding="utf-8") as out:
        for n in range(RECORDS):
            town = towns[n % len(towns)]
            record = {
                "title": f"تقرير رقم {n} عن أحوال الطقس في {town}",
                "body": f"سجلت محطة الأرصاد في {town} أمطاراً متوسطة صباح اليوم، وقال الراصد إن الرمز رمز{n:05d} يخص هذا التقرير.",
                "date": f"20{10 + n % 9}-0{1 + n % 9}-1{n % 9}",
                "source": "الأرصاد",
                "author": f"رمز{n:05d}",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def import_and_kill(archive, records: Path) -> int:
    """Start the import, SIGKILL it once some batches are committed; returns the articles stored."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", "--jsonl", str(records), "--batch-size", "50", "--no-progress"],
        cwd=ROOT, env=archive.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + TIMEOUT
    while archive.count("articles_article") < KILL_AFTER:
        assert process.poll() is None, "the import ended before it could be killed mid-way"
        assert time.monotonic() < deadline, "the import stored nothing in time"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    stored = archive.count("articles_article")
    assert KILL_AFTER <= stored < RECORDS
    return stored


def test_check_index_repair_finishes_an_import_killed_mid_way(archive, records):
    stored = import_and_kill(archive, records)

    drift = archive("check_index", check=False)
    assert drift.returncode != 0
    assert f"articles {stored:,}, documents 0: missing {stored:,}" in drift.stdout

    repaired = archive("check_index", "--repair")
    assert "missing 0, stale 0, orphaned 0, pending 0" in repaired.stdout
    assert archive("check_index").returncode == 0
    assert "LOST 0" in archive("shell", "-c", FIND_ALL).stdout


def test_rerunning_a_killed_import_stores_and_indexes_everything(archive, records):
    stored = import_and_kill(archive, records)

    rerun = archive("ingest", "--jsonl", str(records), "--no-progress")

    assert f"created {RECORDS - stored}, skipped {stored}, rejected 0" in rerun.stdout
    assert archive.count("articles_article") == RECORDS
    check = archive("check_index")
    assert f"articles {RECORDS:,}, documents {RECORDS:,}: missing 0, stale 0, orphaned 0, pending 0" in check.stdout
    assert "LOST 0" in archive("shell", "-c", FIND_ALL).stdout


def test_two_imports_naming_the_same_new_outlets_and_people_at_once_both_land(archive, tmp_path):
    files = []
    for name in "ab":
        path = tmp_path / f"{name}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for n in range(200):
                record = {
                    "title": f"خبر {name} رقم {n}",
                    "body": f"قال وزير الداخلية خالد الشريف في طرابلس إن الوضع في سبها مستقر، والرمز رمز{name}{n:04d}.",
                    "source": f"صحيفة رقم {n % 40}",
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        files.append(path)
    command = [sys.executable, "manage.py", "ingest", "--batch-size", "10", "--no-progress", "--jsonl"]
    processes = [
        subprocess.Popen([*command, str(path)], cwd=ROOT, env=archive.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for path in files
    ]
    outputs = [process.communicate(timeout=TIMEOUT) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], outputs
    assert all("created 200, skipped 0, rejected 0" in out for out, _err in outputs)
    assert archive.count("articles_article") == 400
    assert "missing 0, stale 0, orphaned 0, pending 0" in archive("check_index").stdout
    people = archive("shell", "-c", "from articles.models import Entity; print('PEOPLE', Entity.objects.filter(name='خالد الشريف').count())")
    assert "PEOPLE 1" in people.stdout
