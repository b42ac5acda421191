"""The replication site in a real browser, from file:// as a reader opens it.

Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by Playwright's Python
package, headless, 1 400 px wide. The site is the ``real_site`` fixture (built from the
shared real run). Checked: the front page renders with its figures; a Kazakh search finds
a page; the ledger filters narrow the rows to the count computed here from ledger.csv; the
language switch leads to the same page in the other language; no console errors; every
request stays on file://; no page is wider than the window (the ledger's long line lists);
the pipeline's notebook pages typeset their formulas with the local MathJax. Screenshots go
to reports/screenshots/site-*.png. Outside CI the tests skip when Chromium is absent; in CI
that is a failure.
"""

from __future__ import annotations

import helpers
import pandas as pd
import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, TIMEOUT_MS

WIDTH = 1400


@pytest.fixture(scope="module")
def browser():
    helpers.require_browser("site browser test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Visit:
    """A page with its console errors and requests recorded."""

    def __init__(self, browser, url: str, shot: str | None = None):
        self.page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        self.page.set_default_timeout(TIMEOUT_MS)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.shot = shot
        self.page.goto(url, wait_until="load")

    def close(self) -> None:
        """Screenshot, then the checks every page must pass."""
        try:
            if self.shot:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                self.page.screenshot(path=str(SCREENSHOTS / f"site-{self.shot}.png"))
            assert self.errors == [], self.errors[:5]
            foreign = [u for u in self.requests if not u.startswith(("file://", "data:"))]
            assert foreign == [], foreign[:5]
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= WIDTH, f"page is {width} px wide at a {WIDTH} px window"
        finally:
            self.page.close()


def url(real_site, lang: str, doc: str, query: str = "") -> str:
    return real_site.page(lang, doc).as_uri() + query


def test_front_page_renders_with_figures(browser, real_site):
    visit = Visit(browser, url(real_site, "kk", "index"), "front-kk")
    page = visit.page
    assert page.locator("h1").first.inner_text().startswith("Қазақстан")
    images = page.locator("article img")
    assert images.count() >= 2
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=img.element_handle())
    assert page.locator('a[href^="ledger.html#L-"]').count() >= 5
    visit.close()


def test_kazakh_search_finds_the_survey_notebook(browser, real_site):
    visit = Visit(browser, url(real_site, "kk", "search", "?q=сауалнама"), "search-kk")
    page = visit.page
    page.wait_for_selector("#search-results li", timeout=TIMEOUT_MS)
    links = page.locator("#search-results li a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    assert any("04_survey" in href for href in links), links
    visit.close()


def _expected(ledger: pd.DataFrame, status: str, exhibit: str, lo: int, hi: int) -> int:
    def in_range(lines: str) -> bool:
        return any(lo <= int(n) <= hi for n in lines.replace(";", " ").split())

    rows = ledger[(ledger["status"] == status)
                  & ledger["exhibit"].map(lambda v: exhibit in [x.strip() for x in
                                                                v.split(";")])
                  & ledger["source_lines"].map(in_range)]
    return len(rows)


def _shown(page) -> int:
    return page.locator(".kaztur-ledger tbody tr:not([hidden])").count()


def test_ledger_filters_narrow_the_rows(browser, real_site):
    ledger = pd.read_csv(real_site.reports / "en" / "ledger.csv", dtype=str, keep_default_na=False)
    visit = Visit(browser, url(real_site, "en", "ledger"), "ledger-en")
    page = visit.page
    assert _shown(page) == len(ledger)
    for box in page.locator(".kaztur-ledger input[name=status]").all():
        if box.get_attribute("value") != "contradicted":
            box.uncheck()
    contradicted = int((ledger["status"] == "contradicted").sum())
    assert _shown(page) == contradicted
    page.select_option(".kaztur-ledger select[name=exhibit]", "Кесте 7")
    page.fill(".kaztur-ledger input[name=from]", "1000")
    page.fill(".kaztur-ledger input[name=to]", "1100")
    expected = _expected(ledger, "contradicted", "Кесте 7", 1000, 1100)
    assert 0 < _shown(page) == expected < contradicted
    assert page.locator(".kl-count").inner_text() == f"{expected} of {len(ledger)} rows shown"
    page.fill(".kaztur-ledger input[name=q]", "zzzz-no-such-text")
    assert _shown(page) == 0
    page.click(".kaztur-ledger .kl-reset")
    assert _shown(page) == len(ledger)
    page.click(".kaztur-ledger th[data-key=lines] button")  # sort by the first source line
    first = page.locator(".kaztur-ledger tbody tr").first.get_attribute("data-lines")
    low = min(int(v.split(";")[0]) for v in ledger["source_lines"] if v)
    assert int(first.split()[0]) == low
    visit.close()


def test_ledger_page_of_the_reports_fits_the_window(browser, real_site):
    visit = Visit(browser, (real_site.reports / "en" / "ledger.html").as_uri()
                  + "?status=contradicted", "reports-ledger")
    ledger = pd.read_csv(real_site.reports / "en" / "ledger.csv", dtype=str, keep_default_na=False)
    n = int((ledger["status"] == "contradicted").sum())
    assert visit.page.locator(".kl-count").inner_text() == f"{n} of {len(ledger)} rows shown"
    assert _shown(visit.page) == n
    diagnosis = visit.page.locator("th[data-key=diagnosis]").bounding_box()
    assert diagnosis["width"] > 250 and diagnosis["x"] + diagnosis["width"] <= WIDTH
    visit.close()


@pytest.mark.parametrize(("start", "doc"), [("kk", "exhibits/k7"),
                                            ("en", "notebooks/seminar/seminar_01_growth")])
def test_language_switch_leads_to_the_same_page(browser, real_site, start, doc):
    other = "en" if start == "kk" else "kk"
    visit = Visit(browser, url(real_site, start, doc), f"switch-{start}")
    page = visit.page
    assert page.locator("html").get_attribute("lang") == start
    page.locator("a.kaztur-lang-switch").first.click()
    page.wait_for_load_state("load")
    assert page.url == url(real_site, other, doc)
    assert page.locator("html").get_attribute("lang") == other
    visit.close()


def test_notebook_pages_typeset_formulas_offline(browser, real_site):
    page_file = (real_site.reports / "kk" / "seminar" / "seminar_01_growth"
                 / "seminar_01_growth.html")
    visit = Visit(browser, page_file.as_uri(), "notebook-mathjax")
    visit.page.wait_for_selector("mjx-container svg", timeout=TIMEOUT_MS)
    assert visit.page.locator("details.kaztur-solution:not([open])").count() >= 1
    visit.close()
    site = Visit(browser, url(real_site, "en", "notebooks/seminar/seminar_01_growth"),
                 "site-mathjax")
    site.page.wait_for_selector("mjx-container svg", timeout=TIMEOUT_MS)
    site.close()
