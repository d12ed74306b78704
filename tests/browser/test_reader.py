"""What a reader does in the browser: search, narrow, page through, follow and take away results."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, urljoin

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    CHERRY_ARABIC_SOURCE,
    CHERRY_COUNT,
    CHERRY_SOURCES,
    CHERRY_WORD,
    CHERRY_YEARS,
    FARMER_BROAD,
    FARMER_EXACT,
)

# django_db: the test database is created, and each test's own writes (none) are rolled back;
# the archive it reads is the module's (conftest.site).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGE_SIZE = 20
ATOM = "{http://www.w3.org/2005/Atom}"


def search_url(site, q: str) -> str:
    return site(f"/search/?q={quote(q)}")


def test_a_search_typed_in_the_box_lists_highlighted_results(site, page):
    page.goto(site("/"))
    box = page.locator('form[role="search"] input[name="q"]').first
    box.fill(CHERRY_WORD)
    box.press("Enter")

    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.locator(".hit")).to_have_count(PAGE_SIZE)
    expect(page.locator('.pagination a[rel="next"]')).to_have_count(1)
    expect(page.locator(".hit mark").first).to_have_text(CHERRY_WORD)


def test_an_outlet_facet_narrows_the_results_and_its_chip_removes_the_filter(site, page):
    page.goto(search_url(site, CHERRY_WORD))

    page.locator(".facets a", has_text=CHERRY_ARABIC_SOURCE).click()

    page.wait_for_url(re.compile(r"[?&]source=\d+"))
    expect(page.locator(".hit")).to_have_count(CHERRY_SOURCES[CHERRY_ARABIC_SOURCE])
    chip = page.locator(".active-filters li", has_text=CHERRY_ARABIC_SOURCE)
    chip.get_by_role("link").click()
    page.wait_for_url(lambda url: "source=" not in url)
    expect(page.locator(".hit")).to_have_count(PAGE_SIZE)


def test_a_year_facet_keeps_that_years_results(site, page):
    year, expected = 2021, CHERRY_YEARS[2021]
    page.goto(search_url(site, CHERRY_WORD))

    page.locator(".facets a", has_text=str(year)).click()

    page.wait_for_url(re.compile(rf"from={year}"))
    expect(page.locator(".hit")).to_have_count(expected)
    expect(page.locator(".hit time").first).to_have_attribute("datetime", re.compile(rf"^{year}-"))


def test_the_exact_toggle_keeps_only_the_words_as_typed_and_stays_on(site, page):
    page.goto(search_url(site, FARMER_BROAD))
    expect(page.locator(".hit")).to_have_count(PAGE_SIZE)  # the plural too, by its stem

    toggle = page.locator('input[name="mode"][value="exact"]')
    toggle.check()
    with page.expect_navigation():
        toggle.evaluate("el => el.form.requestSubmit()")

    assert "mode=exact" in page.url
    expect(page.locator(".hit")).to_have_count(FARMER_EXACT)
    expect(page.locator('input[name="mode"][value="exact"]')).to_be_checked()


def test_pagination_walks_to_the_last_page_and_back(site, page):
    page.goto(search_url(site, CHERRY_WORD))

    page.locator('.pagination a[rel="next"]').click()

    page.wait_for_url(re.compile(r"[?&]page=2"))
    expect(page.locator(".hit")).to_have_count(CHERRY_COUNT - PAGE_SIZE)
    expect(page.locator('.pagination a[rel="next"]')).to_have_count(0)
    page.locator('.pagination a[rel="prev"]').click()
    expect(page.locator(".hit")).to_have_count(PAGE_SIZE)


def switch_language(page, code: str) -> None:
    """Choose ``code`` in the header's switcher, a form posting ``language`` to set_language,
    whether it offers the languages as buttons or as a select."""
    button = page.locator(f'form button[name="language"][value="{code}"]')
    select = page.locator('form select[name="language"]')
    expect(button.or_(select)).to_have_count(1)
    control = button if button.count() else select
    assert control.evaluate("el => el.form.method") == "post"
    with page.expect_navigation():
        if control is button:
            button.click()
        else:
            select.evaluate("(el, code) => { el.value = code; el.form.requestSubmit(); }", code)


def test_the_language_switch_turns_the_interface_english_left_to_right_and_sticks(site, page):
    page.goto(site("/"))
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")

    switch_language(page, "en")

    expect(html).to_have_attribute("lang", re.compile(r"^en"))
    expect(html).to_have_attribute("dir", "ltr")
    page.goto(search_url(site, CHERRY_WORD))
    expect(html).to_have_attribute("dir", "ltr")
    switch_language(page, "ar")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")


def feed_titles(page, url: str) -> list[str]:
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    assert feed.tag == f"{ATOM}feed"
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


@pytest.mark.parametrize("name", ["home", "search", "entity", "source"])
def test_pages_announce_atom_feeds_that_a_reader_can_fetch(site, page, name):
    path = {"home": "/", "search": f"/search/?q={quote(CHERRY_WORD)}", "entity": site.entity, "source": site.source}
    page.goto(site(path[name]))

    links = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    hrefs = [urljoin(page.url, href) for href in links.evaluate_all("els => els.map(el => el.getAttribute('href'))")]

    assert hrefs, "no Atom feed announced"
    feeds = {href: feed_titles(page, href) for href in hrefs}
    assert all(feeds.values()), feeds
    if name == "search":
        search_feed = next(href for href in hrefs if "/search/" in href)
        assert all(CHERRY_WORD in title for title in feeds[search_feed])


def export_links(page) -> dict[str, str]:
    """The results page's export links by format (``csv``, ``jsonl``), absolute."""
    hrefs = page.locator('a[href*="export"]').evaluate_all("els => els.map(el => el.getAttribute('href'))")
    links = {}
    for href in hrefs:
        found = re.search(r"format=(csv|jsonl)", href)
        if found:
            links[found.group(1)] = urljoin(page.url, href)
    return links


def test_the_results_page_exports_every_match_as_csv_and_json_lines(site, page):
    page.goto(search_url(site, CHERRY_WORD))

    links = export_links(page)

    assert set(links) == {"csv", "jsonl"}, links
    response = page.request.get(links["csv"])
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.body().decode("utf-8-sig"))))
    assert len(rows) == CHERRY_COUNT
    assert all(CHERRY_WORD in row["title"] for row in rows)
    response = page.request.get(links["jsonl"])
    assert response.ok
    records = [json.loads(line) for line in response.text().splitlines() if line.strip()]
    assert len(records) == CHERRY_COUNT
    assert all(CHERRY_WORD in record["title"] for record in records)
