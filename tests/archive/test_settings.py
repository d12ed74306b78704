"""Settings come from the environment with safe defaults: a deploy that forgets it is not in debug mode."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'debug': settings.DEBUG, 'key': settings.SECRET_KEY}))"
)


def settings_in(data_dir: Path, **env) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ARCHIVE_"))}
    environment.update(DJANGO_SETTINGS_MODULE="archive.settings", ARCHIVE_DATA_DIR=str(data_dir), **env)
    result = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=environment, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_debug_is_off_unless_asked_for(tmp_path):
    assert settings_in(tmp_path)["debug"] is False
    assert settings_in(tmp_path, DJANGO_DEBUG="1")["debug"] is True


def test_without_a_configured_key_each_archive_makes_and_keeps_its_own(tmp_path):
    first = settings_in(tmp_path / "one")["key"]

    assert len(first) >= 50
    assert settings_in(tmp_path / "one")["key"] == first
    assert settings_in(tmp_path / "two")["key"] != first
    assert stat.S_IMODE((tmp_path / "one" / "secret_key").stat().st_mode) == 0o600


def test_a_configured_key_wins(tmp_path):
    assert settings_in(tmp_path, DJANGO_SECRET_KEY="from-the-environment")["key"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_every_locale_path_exists(settings):
    assert settings.LOCALE_PATHS and all(Path(path).is_dir() for path in settings.LOCALE_PATHS)


DATABASE = (
    "import json, django; from django.conf import settings; django.setup(); d = settings.DATABASES['default'];"
    "print(json.dumps({k: str(d.get(k, '')) for k in ('ENGINE', 'NAME', 'USER', 'PASSWORD', 'HOST', 'PORT')}"
    " | {'options': sorted(d.get('OPTIONS', {}))}))"
)


def database_in(data_dir: Path, **env) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ARCHIVE_", "DATABASE_URL"))}
    environment.update(DJANGO_SETTINGS_MODULE="archive.settings", ARCHIVE_DATA_DIR=str(data_dir), **env)
    result = subprocess.run([sys.executable, "-c", DATABASE], cwd=ROOT, env=environment, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_without_a_database_url_the_database_is_sqlite_in_the_data_directory(tmp_path):
    database = database_in(tmp_path)

    assert (database["ENGINE"], database["NAME"]) == ("django.db.backends.sqlite3", str(tmp_path / "archive.sqlite3"))
    assert database["options"] == ["init_command", "timeout", "transaction_mode"]


def test_a_database_url_chooses_postgresql(tmp_path):
    database = database_in(tmp_path, DATABASE_URL="postgres://archive:s3cret@db.example:5433/news")

    assert database == {
        "ENGINE": "django.db.backends.postgresql", "NAME": "news", "USER": "archive", "PASSWORD": "s3cret",
        "HOST": "db.example", "PORT": "5433", "options": [],
    }
