"""Settings come from the environment with safe defaults: a deploy that forgets it is not in debug mode."""

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTTPS_SETTINGS = [
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER",
]
SHOW = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'debug': settings.DEBUG, 'key': settings.SECRET_KEY,"
    f" **{{name: getattr(settings, name) for name in {HTTPS_SETTINGS!r}}}}}))"
)
YEAR = 31_536_000


def environment_for(data_dir: Path, **env) -> dict:
    """The test run's environment without its archive, database and Django variables, with ``env``
    instead: an archive of its own under ``data_dir`` (the suite may run on PostgreSQL)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ARCHIVE_", "DATABASE_URL"))}
    environment.update(DJANGO_SETTINGS_MODULE="archive.settings", ARCHIVE_DATA_DIR=str(data_dir), **env)
    return environment


def settings_in(data_dir: Path, **env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=environment_for(data_dir, **env), capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def readme_production_environment() -> dict:
    """The ``export NAME=value`` lines of the README's production environment."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^export (\w+)=(\S+)$", readme, flags=re.MULTILINE))


def check_deploy(data_dir: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment_for(data_dir, **env), capture_output=True, text=True,
    )


def test_debug_is_off_unless_asked_for(tmp_path):
    assert settings_in(tmp_path)["debug"] is False
    assert settings_in(tmp_path, DJANGO_DEBUG="1")["debug"] is True


def test_without_a_configured_key_each_archive_makes_and_keeps_its_own(tmp_path):
    first = settings_in(tmp_path / "one")["key"]

    assert len(first) >= 50
    assert settings_in(tmp_path / "one")["key"] == first
    assert settings_in(tmp_path / "two")["key"] != first
    assert stat.S_IMODE((tmp_path / "one" / "secret_key").stat().st_mode) == 0o600


def test_processes_started_together_in_a_new_archive_share_one_complete_key(tmp_path):
    data_dir = tmp_path / "new"
    starts = [
        subprocess.Popen([sys.executable, "-c", SHOW], cwd=ROOT, env=environment_for(data_dir),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    results = [process.communicate() + (process.returncode,) for process in starts]

    assert [(code, err) for _out, err, code in results if code] == []
    assert len({json.loads(out)["key"] for out, _err, _code in results}) == 1
    assert not list(data_dir.glob(".secret_key.*"))


def test_a_configured_key_wins(tmp_path):
    assert settings_in(tmp_path, DJANGO_SECRET_KEY="from-the-environment")["key"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_every_locale_path_exists(settings):
    assert settings.LOCALE_PATHS and all(Path(path).is_dir() for path in settings.LOCALE_PATHS)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # Plain HTTP unless asked: the test suite, `make run` and a first `make serve` speak it.
        ({}, {"SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0, "SESSION_COOKIE_SECURE": True}),
        ({"DJANGO_HTTPS": "1"}, {"SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": YEAR,
                                 "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": False}),
        ({"DJANGO_HTTPS": "1", "DJANGO_HSTS_SECONDS": "600", "DJANGO_HSTS_PRELOAD": "yes"},
         {"SECURE_HSTS_SECONDS": 600, "SECURE_HSTS_PRELOAD": True}),
        ({"DJANGO_HTTPS": "1", "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "0"}, {"SECURE_HSTS_INCLUDE_SUBDOMAINS": False}),
        ({"DJANGO_HTTPS": "1", "DJANGO_DEBUG": "1"}, {"SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0,
                                                      "SESSION_COOKIE_SECURE": False}),
        ({"DJANGO_SECURE_COOKIES": "0"}, {"SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False}),
        ({}, {"SECURE_PROXY_SSL_HEADER": None}),
        ({"DJANGO_BEHIND_PROXY": "1"}, {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}),
    ],
)
def test_https_settings_come_from_the_environment(tmp_path, env, expected):
    found = settings_in(tmp_path, **env)

    assert {name: found[name] for name in expected} == expected


def test_a_malformed_number_names_its_variable(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=environment_for(tmp_path, DJANGO_HSTS_SECONDS="a year"),
        capture_output=True, text=True,
    )

    assert result.returncode != 0
    assert "DJANGO_HSTS_SECONDS must be a whole number, not 'a year'" in result.stderr


def test_check_deploy_is_clean_with_the_readmes_production_environment(tmp_path):
    environment = readme_production_environment()
    assert {"DJANGO_HTTPS", "DJANGO_BEHIND_PROXY", "DJANGO_ALLOWED_HOSTS"} <= environment.keys()
    environment.pop("ARCHIVE_DATA_DIR")

    result = check_deploy(tmp_path, **environment)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("left_out", "named"),
    [
        ("DJANGO_HTTPS", {"security.W004", "security.W008"}),
        ("DJANGO_HSTS_PRELOAD", {"security.W021"}),
    ],
)
def test_check_deploy_names_what_a_production_environment_left_out(tmp_path, left_out, named):
    environment = readme_production_environment()
    environment.pop("ARCHIVE_DATA_DIR")
    environment.pop(left_out)

    result = check_deploy(tmp_path, **environment)

    assert result.returncode != 0
    assert set(re.findall(r"security\.W\d+", result.stderr)) == named


def test_the_log_file_lives_in_the_data_directory(tmp_path):
    settings_in(tmp_path)

    assert (tmp_path / "logs").is_dir()


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
