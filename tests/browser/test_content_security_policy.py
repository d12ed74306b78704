"""Pages under the Content-Security-Policy the server sends: Chromium refuses nothing on them, and
what used to be inline (the filters' folding, the timeline's bar lengths) still works from static files."""

import pytest

from tests.browser.conftest import WIDTHS
from tests.browser.test_pages import PAGES, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Kept by the page from its first script on: every resource, inline script or style attribute
# the policy made Chromium refuse.
RECORD_REFUSALS = """window.refused = [];
document.addEventListener("securitypolicyviolation",
  e => window.refused.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""


@pytest.fixture(scope="module")
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_REFUSALS)
    yield context.new_page()
    context.close()


def visit(watched, url: str, width: int):
    watched.set_viewport_size({"width": width, "height": 900})
    response = watched.goto(url)
    assert response.ok, (url, response.status)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # Refusals are reported as events after the fact: let the page settle first.
    watched.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [*PAGES, "admin login"])
def test_the_policy_refuses_nothing_a_page_needs(site, watched, name, width):
    visit(watched, site("/admin/login/" if name == "admin login" else path_of(site, name)), width)

    assert watched.evaluate("window.refused") == []


@pytest.mark.parametrize(("width", "folded"), [(390, True), (1280, False)])
def test_the_filters_fold_on_phones_from_a_static_script(site, watched, width, folded):
    visit(watched, site(path_of(site, "search")), width)

    assert watched.locator(".facets-panel").evaluate("panel => panel.open") is not folded


def test_the_timeline_bars_take_their_months_share_without_style_attributes(site, watched):
    visit(watched, site(path_of(site, "entity")), 1280)

    rows = watched.locator(".timeline li").evaluate_all(
        """rows => rows.map(row => [row.querySelector(".bar").getBoundingClientRect().width,
                                    row.parentElement.getBoundingClientRect().width,
                                    Number(row.querySelector(".count").textContent)])"""
    )
    widest = max(width for width, _, _ in rows)
    peak = max(count for _, _, count in rows)

    assert watched.locator(".timeline [style]").count() == 0
    # The busiest month's bar fills its column; the others are their share, in steps of 5%.
    assert 0 < widest < rows[0][1]
    assert all(abs(width / widest - count / peak) <= 0.05 for width, _, count in rows), rows
