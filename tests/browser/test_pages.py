"""Every kind of reader page at a phone's and a desktop's width: nothing wider than the screen, no
serious accessibility fault, and a screenshot of each kept for a person to look at."""

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import CHERRY_WORD, WIDTHS

# django_db: the test database is created; the archive the pages show is the module's (conftest.site).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = ["home", "article", "search", "entity", "month", "day"]
SERIOUS = {"serious", "critical"}

# The elements that stick out of the viewport, for the failure message: the width alone says nothing.
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
  .filter(el => { const r = el.getBoundingClientRect(); return r.width && (r.left < -1 || r.right > innerWidth + 1); })
  .slice(0, 8)
  .map(el => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().width)}px`)"""


def path_of(site, name: str) -> str:
    day = site.day
    return {
        "home": "/",
        "article": site.article,
        "search": f"/search/?q={quote(CHERRY_WORD)}",
        "entity": site.entity,
        "month": f"/archive/{day:%Y}/{day:%m}/",
        "day": f"/archive/{day:%Y}/{day:%m}/{day:%d}/",
    }[name]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def show(page, site, name: str, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(site(path_of(site, name)))
    assert response.ok, (name, response.status)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_is_no_wider_than_the_viewport(site, page, artifacts, name, width):
    show(page, site, name, width)
    page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)

    scroll_width = page.evaluate("document.documentElement.scrollWidth")

    assert scroll_width == width, page.evaluate(OVERFLOWING)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_or_critical_accessibility_violation(site, page, axe, name, width):
    show(page, site, name, width)

    violations = axe.run(page).response["violations"]

    serious = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:5])
        for violation in violations
        if violation["impact"] in SERIOUS
    ]
    assert serious == []


# Every month label given the longest an interface language writes («September 2088»), then for
# each row where the label's text ends and its bar begins, in the line's direction.
LABELS_AND_BARS = """() => [...document.querySelectorAll(".timeline li")].map(row => {
  const text = document.createRange();
  row.querySelector(".month").textContent = "September 2088";
  text.selectNodeContents(row.querySelector(".month"));
  const label = text.getBoundingClientRect();  // the text's own extent, past its box if it overflows
  const bar = row.querySelector(".bar").getBoundingClientRect();
  return getComputedStyle(row).direction === "rtl" ? [bar.right, label.left] : [label.right, bar.left];
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", ["en-US", "ar"])
def test_the_timeline_month_labels_never_run_into_their_bars(site, browser, locale, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    try:
        page = context.new_page()
        assert page.goto(site(path_of(site, "entity"))).ok

        rows = page.evaluate(LABELS_AND_BARS)

        assert rows
        assert all(label_end <= bar_start for label_end, bar_start in rows), rows
        assert page.evaluate("document.documentElement.scrollWidth") == width
    finally:
        context.close()
