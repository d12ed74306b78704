import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytest_plugins = ["tests.search_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def write_camel_catalogue(data_dir: Path) -> Path:
    """A minimal camel-tools data catalogue in ``data_dir``: what camel-tools reads at import time
    instead of downloading one, with the NER component pointing at ``data/ner/arabert``."""
    catalogue = {
        "version": "1.5",
        "packages": {},
        "components": {
            "NamedEntityRecognition": {"default": "arabert", "datasets": {"arabert": {"path": "ner/arabert"}}},
        },
    }
    path = Path(data_dir) / "catalogue.json"
    path.write_text(json.dumps(catalogue), encoding="utf-8")
    return path


# camel-tools downloads its catalogue on first import of camel_tools.ner/data/morphology unless
# $CAMELTOOLS_DATA/catalogue.json exists: give the whole run a private folder holding one.
_camel_dir = Path(tempfile.mkdtemp(prefix="camel-data-"))
write_camel_catalogue(_camel_dir)
os.environ["CAMELTOOLS_DATA"] = str(_camel_dir)
os.environ.setdefault("HF_HUB_OFFLINE", "1")

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The invented paste in tests/fixtures, in the reference paste's layout, and what it must yield.
REFERENCE_ENTITIES = [
    ("PERS", "خالد الشريف"),
    ("PERS", "سامي بن عمر"),
    ("PERS", "مراد الفيتوري"),
    ("ORG", "الهيئة العامة للمياه"),
    ("LOC", "طرابلس"),
    ("LOC", "ليبيا"),
    ("LOC", "تونس"),
    ("LOC", "بنغازي"),
    ("LOC", "سبها"),
]

# What the issue requires the real reference paste (../shared/samples/seed-article.txt) to yield.
SEED_ENTITIES = [
    ("PERS", "عصام أبوزريبة"),
    ("PERS", "فرج اقعيم"),
    ("PERS", "أسامة الدرسي"),
    ("PERS", "محمود توفيق"),
    ("PERS", "محمدو سانا"),
    ("ORG", "جهاز الأمن الداخلي"),
    ("ORG", "جهاز البحث الجنائي"),
    ("ORG", "جهاز مكافحة المخدرات"),
    ("ORG", "إدارة أمن المنافذ"),
    ("ORG", "الإدارة العامة للدوريات الصحراوية"),
    ("ORG", "وزارة الداخلية"),
    ("LOC", "بنغازي"),
    ("LOC", "ليبيا"),
    ("LOC", "السودان"),
    ("LOC", "بوركينا فاسو"),
    ("LOC", "مصر"),
    ("LOC", "القاهرة"),
]


@pytest.fixture(scope="session")
def reference_text() -> str:
    """The invented reference paste (tests/fixtures/reference-paste.txt)."""
    return (FIXTURES / "reference-paste.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory):
    """Keep every test's index and uploads out of the developer's ./var."""
    from django.conf import settings

    data_dir = tmp_path_factory.mktemp("archive-data")
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "uploads"
    settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(data_dir / "whoosh_index")
    from haystack import connections

    connections.reload("default")
    yield data_dir


def pytest_collection_modifyitems(config, items):
    """Tests that read ``../shared`` are marked ``corpus``: they run with ``make test-corpus``."""
    for item in items:
        if "shared" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("corpus"):
            item.add_marker(pytest.mark.corpus)


@pytest.fixture(scope="session")
def shared():
    """The read-only folder of real samples and data sets beside the checkout.

    A ``corpus`` test fails, never skips, when it is missing: a green run must mean it ran.
    """
    if not (SHARED / "README.md").is_file():
        pytest.fail(f"{SHARED} is missing: the corpus tests need the shared data beside the checkout")
    return SHARED


class ChildArchive:
    """An empty archive of its own (database and index) for manage.py run in child processes
    (calling it runs one).

    On SQLite a database file in the test's folder; when the suite runs on PostgreSQL
    (``DATABASE_URL``), a database created for the test on the same server and dropped after.
    """

    def __init__(self, folder: Path):
        self.env = {**os.environ, "ARCHIVE_DATA_DIR": str(folder / "data"), "DJANGO_SECRET_KEY": "child-archive-test"}
        self.env.pop("ARCHIVE_SEARCH_PATH", None)
        self.server_url = os.environ.get("DATABASE_URL", "")
        self.database = folder / "data" / "archive.sqlite3"
        if self.server_url:
            self.name = f"child_{os.getpid()}_{folder.name}".lower().replace("-", "_")[:60]
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.env["DATABASE_URL"] = self.server_url.rsplit("/", 1)[0] + "/" + self.name

    def __call__(self, *args, check=True, timeout=300) -> subprocess.CompletedProcess:
        """Run ``manage.py *args`` against this archive; with ``check`` a failure raises with its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            connection.execute(statement)

    def count(self, table: str) -> int:
        """Rows of ``table`` committed so far (0 before it exists), read beside the child."""
        if self.server_url:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
                try:
                    return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                except psycopg.errors.UndefinedTable:
                    return 0
        import sqlite3

        if not self.database.exists():
            return 0
        try:
            with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=1) as connection:
                return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        except sqlite3.OperationalError:
            return 0

    def drop(self) -> None:
        if self.server_url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def child_archive(tmp_path):
    archive = ChildArchive(tmp_path)
    yield archive
    archive.drop()
