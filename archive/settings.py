"""Settings for the Arabic news archive.

Every deployment-specific value comes from the environment, with defaults that are safe for a
developer's machine: SQLite and a Whoosh index, both under one data directory.
"""

import os
import tempfile
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


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
        # Written whole under another name, then linked into place: processes started together
        # (workers, a test's children) never read a key file that exists but is not written yet.
        fd, draft = tempfile.mkstemp(dir=data_dir, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(get_random_secret_key())
            os.link(draft, path)
        except FileExistsError:  # another process made it first
            pass
        finally:
            os.unlink(draft)
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
    # Static files straight from DATA_DIR/static (collectstatic), before any other work on the request.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
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
# WhiteNoise serves STATIC_ROOT with gzip copies made at collectstatic. File names stay unhashed
# (no manifest): the templates and tests name /static/... directly, and a server whose
# collectstatic has not run still renders pages; browsers revalidate with ETag after a minute.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
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

# ARCHIVE_SEARCH_ENGINE: whoosh (one machine, PATH), postgres (PostgreSQL full-text search at
# ARCHIVE_SEARCH_URL, else DATABASE_URL) or opensearch (ARCHIVE_OPENSEARCH_URL); a dotted engine path also works.
SEARCH_ENGINES = {
    "whoosh": "articles.search.whoosh.backend.ArabicWhooshEngine",
    "postgres": "articles.search.postgres.backend.PostgresSearchEngine",
    "opensearch": "articles.search.opensearch.backend.OpenSearchEngine",
}
_search_engine = os.environ.get("ARCHIVE_SEARCH_ENGINE", "whoosh")
_search_url = {
    "postgres": os.environ.get("ARCHIVE_SEARCH_URL") or os.environ.get("DATABASE_URL", ""),
    "opensearch": os.environ.get("ARCHIVE_OPENSEARCH_URL", ""),
}.get(_search_engine, os.environ.get("ARCHIVE_SEARCH_URL", ""))
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": SEARCH_ENGINES.get(_search_engine, _search_engine),
        "PATH": os.environ.get("ARCHIVE_SEARCH_PATH", str(DATA_DIR / "whoosh_index")),
        "URL": _search_url,
        "INDEX_NAME": os.environ.get("ARCHIVE_SEARCH_INDEX", "archive"),
    },
}
# The model-type filter makes Whoosh scan every document on every query; we index one model only.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
# Haystack's signals would make a second index owner; articles.search.indexing is the only one.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# Logs: INFO and above to stderr (gunicorn's or the command's), warnings and errors with their
# tracebacks also to DATA_DIR/logs/archive.log, rotated at 5 MB with 5 old files kept. With DEBUG
# off Django sends a 500's traceback nowhere else (ADMINS is empty), so this file is its record.
LOG_DIR = DATA_DIR / "logs"
LOG_DIR.mkdir(parents=True, exist_ok=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{levelname} {name}: {message}", "style": "{"},
        "stamped": {"format": "{asctime} {levelname} {name} [pid {process}]: {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "level": "INFO", "formatter": "plain"},
        "file": {
            "class": "archive.log_handlers.SharedRotatingFileHandler",
            "level": "WARNING",
            "formatter": "stamped",
            "filename": str(LOG_DIR / "archive.log"),
            "maxBytes": 5_000_000,
            "backupCount": 5,
            "encoding": "utf-8",
            "delay": True,
        },
    },
    # Everything reaches the root's handlers; these two only set how much they say.
    "root": {"handlers": ["console", "file"], "level": "WARNING"},
    "loggers": {
        "django": {"level": "INFO"},
        "articles": {"level": os.environ.get("ARCHIVE_LOG_LEVEL", "INFO")},
    },
}

# HTTPS: what `manage.py check --deploy` asks for, each from the environment (README, "Production
# serving"). DJANGO_HTTPS=1 turns on the redirect to HTTPS and HSTS; it is off by default because
# the test suite, `make run` and a first `make serve` on one's own machine speak plain HTTP, and
# a reverse proxy that ends TLS usually redirects before the request reaches us. HSTS goes out on
# HTTPS responses only.
ARCHIVE_HTTPS = not DEBUG and env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = ARCHIVE_HTTPS
# Read (and a malformed value refused) even while HTTPS is off, so turning it on cannot fail.
_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_SECONDS = _HSTS_SECONDS if ARCHIVE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a promise to browser makers that is slow to take back: only when asked for.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Session and CSRF cookies are secure whenever DEBUG is off (browsers keep them on http://localhost too).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a reverse proxy that ends TLS, the request reaching us is plain HTTP: the proxy's
# X-Forwarded-Proto says what the reader used. Trusted only when the proxy sets it on every request.
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts, styles, fonts, images and API calls from our own
# origin only. Templates hold no inline script or style, so the policy needs no 'unsafe-inline'.
# (With DEBUG on, django-csp leaves Django's inline-styled 404 and 500 debug pages alone.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}
