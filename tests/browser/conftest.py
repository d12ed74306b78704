"""A real browser against a live archive: Debian's Chromium driven by Playwright.

Each module gets one live server over one archive (the demo articles and a set of invented
cherry-harvest reports with known counts); every test opens a fresh browser context in the one
browser of the run. pytest-django's ``live_server`` fixture is session-scoped and makes every
test that uses it transactional, so the tables would be flushed, and the archive loaded again,
after each test; the module's server is pytest-django's own ``LiveServer``, started over data
committed once for the module and flushed when it ends.
"""

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", ROOT / "var" / "browser-artifacts"))
WIDTHS = (390, 1280)
ARTIFACTS_USED = pytest.StashKey[bool]()

# The cherry-harvest reports: CHERRY_COUNT matches of «الزيتون», more than one page of results,
# split between two outlets and two years so that each facet narrows them by a known number.
CHERRY_WORD = "الكرز"
CHERRY_COUNT = 26
CHERRY_ARABIC_SOURCE = "صحيفة الوادي"  # no display name: its facet reads as stored
CHERRY_SOURCES = {"skynews": 16, CHERRY_ARABIC_SOURCE: 10}
CHERRY_YEARS = {2019: 12, 2021: 14}
# Broad search finds the plural «المزارعين» from the singular; exact mode only the singular.
FARMER_BROAD, FARMER_EXACT = "المزارع", 6


def cherry_reports() -> list[dict]:
    """The invented reports: title, body, outlet and date of each."""
    sources = [name for name, n in CHERRY_SOURCES.items() for _ in range(n)]
    years = [year for year, n in CHERRY_YEARS.items() for _ in range(n)]
    reports = []
    for n in range(CHERRY_COUNT):
        farmer = "المزارع" if n < FARMER_EXACT else "المزارعين"
        reports.append({
            "title": f"موسم قطف {CHERRY_WORD} في القرية رقم {n + 1}",
            "body": f"بدأ {farmer} في القرية رقم {n + 1} قطف {CHERRY_WORD} مع أول أيام الخريف.\n\n"
                    f"وقال رئيس الجمعية إن محصول هذا العام يفوق محصول العام الماضي بنسبة {n + 5} في المئة.",
            "source": sources[n],
            "published_on": date(years[n], 1 + n % 12, 1 + n % 27),
        })
    return reports


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run: the system's, never one Playwright downloads."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM "
                    "to its path; the browser tests are part of the suite and never skip.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the main thread, so Django takes the module's
    # fixtures, which load and flush the archive there, for async code; they are not.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts(request) -> Path:
    """Where screenshots are kept for a person to look at ($BROWSER_ARTIFACTS or var/browser-artifacts/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    request.config.stash[ARTIFACTS_USED] = True
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter, config):
    """Say where this run's screenshots are, passed or failed."""
    if config.stash.get(ARTIFACTS_USED, False):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")


@dataclass(frozen=True)
class Site:
    """The live archive of a module: its address, and the pages and records the tests visit."""

    url: str
    article: str  # the path of an article with a date and named entities
    entity: str  # the path of one of its entities
    source: str  # the path of an outlet of cherry reports
    day: date  # the article's date

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="module")
def site(browser, django_db_setup, django_db_blocker, tmp_path_factory):
    """A live server over the demo articles and the cherry reports, all indexed in a private index."""
    from django.core.management import call_command
    from haystack import connections
    from pytest_django.live_server_helper import LiveServer

    from articles import services
    from articles.management.commands.load_demo import DEMO_DIR
    from articles.models import Article, Source
    from articles.search import indexing

    info = connections.connections_info["default"]
    previous_index = info["PATH"]
    info["PATH"] = str(tmp_path_factory.mktemp("browser-index") / "whoosh_index")
    connections.reload("default")
    with django_db_blocker.unblock():
        # One index commit for everything, not one per paste: the setup is most of the module's time.
        with indexing.deferred():
            report = services.ingest_path(path=DEMO_DIR)
            assert not report.rejected, report
            cherries = []
            for record in cherry_reports():
                source, _ = Source.objects.get_or_create(name=record.pop("source"))
                cherries.append(Article.objects.create(source=source, **record).pk)
            indexing.queue_articles(cherries)
        article = Article.objects.filter(mentions__isnull=False, published_on__isnull=False).first()
        server = LiveServer("localhost")
        site = Site(
            url=server.url,
            article=article.get_absolute_url(),
            entity=article.mentions.first().entity.get_absolute_url(),
            source=Source.objects.get(name=CHERRY_ARABIC_SOURCE).get_absolute_url(),
            day=article.published_on,
        )
        try:
            yield site
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            info["PATH"] = previous_index
            connections.reload("default")


@pytest.fixture(scope="module")
def tab(browser):
    """The module's one page: a new page costs more than a test's work, so tests share it.

    Its browser asks for Arabic, as the archive's readers' do (Chromium's default is English)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(tab):
    """The module's page as a new reader finds it: no cookies (so no language chosen), desktop width."""
    tab.context.clear_cookies()
    tab.set_viewport_size({"width": 1280, "height": 900})
    return tab
