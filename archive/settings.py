"""Settings for the Arabic news archive.

Every deployment-specific value comes from the environment, with defaults that are safe for a
developer's machine: SQLite and a Whoosh index, both under one data directory.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# All state (database, search index, uploads) lives here, so one directory is the whole archive.
DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR", BASE_DIR / "var")).resolve()


def secret_key(data_dir: Path) -> str:
    """``DJANGO_SECRET_KEY``, else a key made once for this archive and kept in its data directory.

    Never a key published in the source: a deploy that forgets its environment still signs
    sessions with a secret of its own.
    """
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if key:
        return key
    path = data_dir / "secret_key"
    if not path.is_file():
        from django.core.management.utils import get_random_secret_key

        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(get_random_secret_key())
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it or set DJANGO_SECRET_KEY.")
    return key


SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "haystack",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.middleware.ApiErrorMiddleware",
]

ROOT_URLCONF = "archive.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "archive.wsgi.application"

# DATABASE_URL (e.g. postgres://user:password@host:5432/archive) chooses the database; without it,
# SQLite under the data directory.
if os.environ.get("DATABASE_URL"):
    import dj_database_url

    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "archive.sqlite3",
            # Concurrent ingests and page views: wait for the write lock instead of failing.
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ar"
# Arabic is the default: a browser that asks for neither language gets the right-to-left Arabic
# archive; Accept-Language or the header's switcher (a cookie) gives English, left to right.
# Message ids are English; locale/ar holds the Arabic (see locale/README.md).
LANGUAGES = [("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our Arabic date formats («1 ديسمبر 2026، 11 م») over Django's.
FORMAT_MODULE_PATH = ["archive.formats"]
TIME_ZONE = os.environ.get("ARCHIVE_TIME_ZONE", "Africa/Tripoli")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "media/"

# A paste larger than this is rejected rather than stored (bytes of UTF-8).
ARCHIVE_MAX_PASTE_BYTES = int(os.environ.get("ARCHIVE_MAX_PASTE_BYTES", 1_000_000))
ARCHIVE_PAGE_SIZE = 20
# The most results a search export (/api/search/export) gives: the first ones in its order.
ARCHIVE_EXPORT_LIMIT = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * ARCHIVE_MAX_PASTE_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = ARCHIVE_MAX_PASTE_BYTES

# Named-entity extraction: "builtin" needs no download; "camel" uses camel-tools' BERT model when
# its data is installed and falls back to "builtin" otherwise.
ARCHIVE_NER_EXTRACTOR = os.environ.get("ARCHIVE_NER_EXTRACTOR", "builtin")
ARCHIVE_CAMEL_NER_MODEL = os.environ.get("ARCHIVE_CAMEL_NER_MODEL", "")

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": os.environ.get("ARCHIVE_SEARCH_ENGINE", "articles.search.whoosh.backend.ArabicWhooshEngine"),
        "PATH": os.environ.get("ARCHIVE_SEARCH_PATH", str(DATA_DIR / "whoosh_index")),
        "URL": os.environ.get("ARCHIVE_SEARCH_URL", ""),
        "INDEX_NAME": os.environ.get("ARCHIVE_SEARCH_INDEX", "archive"),
    },
}
# The model-type filter makes Whoosh scan every document on every query; we index one model only.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
# Haystack's signals would make a second index owner; articles.search.indexing is the only one.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"articles": {"handlers": ["console"], "level": os.environ.get("ARCHIVE_LOG_LEVEL", "INFO")}},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
