"""``ingest --background`` and ``run_worker`` as the processes they are: the import returns before
anything is searchable, the worker makes it so; a worker killed with SIGKILL mid-run loses
nothing and the next run finishes; SIGTERM stops a busy worker cleanly after its step.

Each test runs the real commands in child processes against an archive of its own (a SQLite
file, or a PostgreSQL database of its own when the suite runs on PostgreSQL).
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORDS = 900  # three extraction steps of the worker (worker.EXTRACTION_STEP)
TIMEOUT = 300

# Every article findable by its code word and tagged with the one minister, who is one entity.
CHECK_ALL = """
from articles.models import Article, Entity, Mention
from articles.search.service import parse_search_params, search_articles
lost = [code for pk, code in Article.objects.values_list("pk", "byline")
        if [hit.id for hit in search_articles(parse_search_params({"q": code, "mode": "exact"})).results] != [pk]]
tagged = Mention.objects.filter(entity__name="خالد الشريف").values("article").distinct().count()
untagged = Article.objects.count() - tagged
print("LOST", len(lost), "UNTAGGED", untagged, "ENTITIES", Entity.objects.filter(name="خالد الشريف").count())
"""


@pytest.fixture
def archive(child_archive):
    """An empty, migrated archive (database and index); calling it runs manage.py against it."""
    child_archive("migrate", "--noinput", "-v", "0")
    return child_archive


@pytest.fixture
def records(tmp_path) -> Path:
    """Invented records naming a person and a place, each with a code word of its own."""
    path = tmp_path / "news.jsonl"
    towns = ["سبها", "درنة", "غريان", "زليتن", "الخمس", "توكرة"]
    with path.open("w", encoding="utf-8") as out:
        for n in range(RECORDS):
            town = towns[n % len(towns)]
            record = {
                "title": f"تقرير رقم {n} عن المستشفى في {town}",
                "body": f"زار وزير الصحة خالد الشريف مستشفى {town} صباح اليوم، وقال إن الرمز رمز{n:05d} يخص هذا التقرير.",
                "source": "الأفق",
                "author": f"رمز{n:05d}",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def start_worker(archive, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", *args], cwd=ROOT, env=archive.env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def read_until(process: subprocess.Popen, prefix: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    for line in process.stdout:
        assert time.monotonic() < deadline, f"the worker printed no «{prefix}» in time"
        if line.startswith(prefix):
            return
    pytest.fail(f"the worker ended without printing «{prefix}»: {process.stderr.read()}")


def test_a_background_import_returns_before_indexing_and_the_worker_makes_it_searchable(archive, records):
    imported = archive("ingest", "--background", "--jsonl", str(records), "--no-progress")

    assert f"created {RECORDS}" in imported.stdout and "left to the background worker" in imported.stdout
    check = archive("check_index", check=False)
    assert check.returncode != 0
    assert f"background worker: entities pending {RECORDS:,}, index pending 0" in check.stdout
    assert archive.count("articles_mention") == 0

    worked = archive("run_worker", "--once")

    assert f"worker stopped: {RECORDS:,} articles extracted, {RECORDS:,} indexed" in worked.stdout
    check = archive("check_index")
    assert "missing 0, stale 0, orphaned 0, pending 0" in check.stdout
    assert "LOST 0 UNTAGGED 0 ENTITIES 1" in archive("shell", "-c", CHECK_ALL).stdout


def test_a_foreground_import_returns_with_every_batch_tagged_and_searchable(archive, records):
    # Two batches, each large enough for the tagging pool: the first is tagged in the pool
    # while the second is stored.
    imported = archive("ingest", "--jsonl", str(records), "--no-progress")

    assert f"created {RECORDS}" in imported.stdout
    assert archive.count("articles_pendingextraction") == 0
    assert archive.count("articles_pendingindexupdate") == 0
    assert "missing 0, stale 0, orphaned 0, pending 0" in archive("check_index").stdout
    assert "LOST 0 UNTAGGED 0 ENTITIES 1" in archive("shell", "-c", CHECK_ALL).stdout


def test_a_worker_killed_mid_run_loses_nothing_and_the_next_run_finishes(archive, records):
    archive("ingest", "--background", "--jsonl", str(records), "--no-progress")
    process = start_worker(archive, "-v", "2")
    read_until(process, "step:")  # one extraction step committed; the next under way
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stdout.close()
    process.stderr.close()
    left = archive.count("articles_pendingextraction")
    assert 0 < left < RECORDS

    archive("run_worker", "--once", "-v", "0")

    assert archive.count("articles_pendingextraction") == 0
    assert archive.count("articles_pendingindexupdate") == 0
    assert archive("check_index").returncode == 0
    assert "LOST 0 UNTAGGED 0 ENTITIES 1" in archive("shell", "-c", CHECK_ALL).stdout


def test_sigterm_stops_a_busy_worker_after_its_step_and_the_rest_stays_recorded(archive, records):
    archive("ingest", "--background", "--jsonl", str(records), "--no-progress")
    process = start_worker(archive, "-v", "2")
    read_until(process, "step:")

    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=TIMEOUT)

    assert process.returncode == 0, err
    assert "worker stopped on SIGTERM" in out
    assert "Traceback" not in err
    repaired = archive("check_index", "--repair")
    assert "background worker: entities pending 0, index pending 0" in repaired.stdout.splitlines()[-2]


def test_an_idle_worker_looks_for_work_without_spinning_and_stops_on_sigterm(archive):
    process = start_worker(archive)
    read_until(process, "worker started")
    cpu_before = _cpu_seconds(process.pid)
    time.sleep(2)
    cpu_idle = _cpu_seconds(process.pid) - cpu_before

    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)

    assert process.returncode == 0, err
    assert "worker stopped on SIGTERM: 0 articles extracted, 0 indexed" in out
    assert cpu_idle < 0.5, f"an idle worker used {cpu_idle:.2f} s of CPU in 2 s"


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
