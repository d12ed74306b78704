import os
import shutil
import tempfile
from pathlib import Path

import pytest

pytest_plugins = ["tests.search_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# camel-tools downloads its catalogue on first import of camel_tools.ner/data/morphology unless
# $CAMELTOOLS_DATA/catalogue.json exists: give the whole run a private folder holding one.
_camel_dir = Path(tempfile.mkdtemp(prefix="camel-data-"))
shutil.copy(SHARED / "data" / "camel" / "catalogue-1.5.json", _camel_dir / "catalogue.json")
os.environ["CAMELTOOLS_DATA"] = str(_camel_dir)
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# What the issue requires the reference paste (samples/seed-article.txt) to yield.
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


@pytest.fixture
def shared():
    """The read-only folder of real samples and data sets beside the checkout."""
    return SHARED
