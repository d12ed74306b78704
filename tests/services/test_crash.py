"""A restore (``import_archive``) killed with SIGKILL, while it stores rows or while it indexes,
is finished by running it again: database and index agree and no row is doubled.

The commands run in child processes against an archive of their own: a SQLite file, or a
PostgreSQL database of its own when the suite runs on PostgreSQL.
"""

import gzip
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 1200
TIMEOUT = 300
STAMP = "2024-05-06T07:08:09+00:00"


@pytest.fixture
def manage(child_archive):
    """The child archive, migrated; calling it runs manage.py, failures raise with their output."""
    child_archive("migrate", "--noinput", "-v", "0")
    return child_archive


@pytest.fixture
def backup(tmp_path) -> Path:
    """A backup of invented articles from three outlets, each with a code word of its own."""
    path = tmp_path / "backup.jsonl.gz"
    outlets = ["الأفق", "الوسط", "المرصد"]
    with gzip.open(path, "wt", encoding="utf-8") as out:

        def write(record):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

        write({"type": "format", "format": "arabic-news-archive", "version": 1, "users": False})
        for n, name in enumerate(outlets, start=1):
            write({"type": "source", "id": n, "name": name, "created_at": STAMP})
        for n in range(1, ARTICLES + 1):
            write({
                "type": "article", "id": n, "title": f"تقرير رقم {n} عن أسعار الخضر",
                "body": f"ارتفعت أسعار الطماطم في السوق المركزي هذا الأسبوع، والرمز رمز{n:05d} يخص هذا التقرير.",
                "published_on": f"20{10 + n % 9}-0{1 + n % 9}-1{n % 9}", "source_id": 1 + n % 3,
                "byline": f"رمز{n:05d}", "desk": "", "source_line": "", "url": "", "raw_paste": "",
                "copy_of_id": None, "created_at": STAMP, "updated_at": STAMP, "bands": [],
            })
        write({"type": "end", "counts": {"source": len(outlets), "article": ARTICLES}})
    return path


def kill_when(manage, backup: Path, line: str) -> None:
    """Start the restore and SIGKILL it as soon as it prints ``line``."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_archive", str(backup), "--no-users", "-v", "2"],
        cwd=ROOT, env=manage.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    deadline = time.monotonic() + TIMEOUT
    for printed in process.stdout:
        assert time.monotonic() < deadline, f"the restore printed no «{line}» in time"
        if printed.startswith(line):
            process.send_signal(signal.SIGKILL)
            break
    else:
        pytest.fail(f"the restore ended without printing «{line}»")
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stdout.close()


FIND_ALL = """
from articles.models import Article
from articles.search.service import parse_search_params, search_articles
lost = [code for pk, code in Article.objects.values_list("pk", "byline")
        if [hit.id for hit in search_articles(parse_search_params({"q": code, "mode": "exact"})).results] != [pk]]
doubled = Article.objects.count() - len(set(Article.objects.values_list("content_hash", flat=True)))
print("LOST", len(lost), "DOUBLED", doubled)
"""


@pytest.mark.parametrize(
    "killed_at, committed",
    [("stored 500 article rows", 0), ("indexing", ARTICLES)],
    ids=["while-storing", "while-indexing"],
)
def test_a_restore_killed_mid_way_is_finished_by_running_it_again(manage, backup, killed_at, committed):
    kill_when(manage, backup, killed_at)
    assert manage.count("articles_article") == committed

    rerun = manage("import_archive", str(backup), "--no-users")

    expected = "already restored" if committed else "Restored"
    assert expected in rerun.stdout
    assert manage.count("articles_article") == ARTICLES
    assert manage.count("articles_source") == 3
    check = manage("check_index", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"articles {ARTICLES:,}, documents {ARTICLES:,}: missing 0, stale 0, orphaned 0, pending 0" in check.stdout
    assert "LOST 0 DOUBLED 0" in manage("shell", "-c", FIND_ALL).stdout
