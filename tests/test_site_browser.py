"""The replication site in a real browser, from file:// as a reader opens it.

Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by Playwright's Python
package, headless, 1 400 px wide. The site is the ``real_site`` fixture (built from the
shared real run). Checked: the language choice (reports/index.html) is styled like the site
and leads to it; the front page renders with its figures; the search page (in Kazakh on the
Kazakh site) finds line numbers, numbers in both notations and Kazakh words; the ledger's
filters narrow the rows to the count computed here from ledger.csv, and its search box finds
numbers in both notations; tables take the article's width and never break inside a word;
the language switch leads to the same page; formulas are typeset offline; no console
errors; every request stays on file://; no page is wider than the window. Screenshots go to
reports/screenshots/site-*.png. Outside CI the tests skip when Chromium is absent; in CI
that is a failure.
"""

from __future__ import annotations

import helpers
import pandas as pd
import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, TIMEOUT_MS

WIDTH = 1400
# Sphinx's search page is done when its pulse has stopped and the results are listed
SEARCH_FINISHED = ("() => typeof Search !== 'undefined' && Search._pulse_status === -1"
                   " && document.querySelectorAll('#search-results li').length > 0")


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


def test_the_language_choice_is_styled_like_the_site_and_leads_to_it(browser, real_site):
    visit = Visit(browser, (real_site.reports / "index.html").as_uri(), "choice")
    page = visit.page
    style = "el => [getComputedStyle(el).fontFamily, getComputedStyle(el).color]"
    choice = page.locator("body").evaluate(style)
    box = page.locator("a.kaztur-lang-choice").first.evaluate(
        "el => getComputedStyle(el).borderTopStyle")
    assert box == "solid"  # the site's stylesheet is loaded
    page.locator('a.kaztur-lang-choice[lang="en"]').click()
    page.wait_for_load_state("load")
    assert page.url == url(real_site, "en", "index")
    assert page.locator("body").evaluate(style) == choice  # the same font and colour
    visit.close()


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
    assert page.locator('a[href^="findings.html#"]').count() >= 5  # the top findings
    assert page.locator('a[href^="ledger.html#L-"]').count() >= 1  # results link their rows
    visit.close()


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("kk", "1332", "ledger.html"),             # a line number
    ("kk", "92,83", "notebooks/03_energy.html"),  # a number in Kazakh notation ...
    ("kk", "92.83", "notebooks/03_energy.html"),  # ... and in English notation
    ("kk", "саммит", "notebooks/00_overview.html"),  # a Kazakh word
    ("kk", "сауалнама", "notebooks/04_survey.html"),
    ("en", "1332", "ledger.html"),
    ("en", "92,83", "notebooks/03_energy.html"),
    ("en", "92.83", "notebooks/03_energy.html"),
])
def test_search_finds_numbers_lines_and_kazakh_words(browser, real_site, lang, query,
                                                      expected):
    visit = Visit(browser, url(real_site, lang, "search", f"?q={query}"),
                  f"search-{lang}-{query}")
    page = visit.page
    # Sphinx lists the results one by one (5 ms apart) and stops its pulse when the last is in
    page.wait_for_function(SEARCH_FINISHED, timeout=TIMEOUT_MS)
    links = page.locator("#search-results li a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    assert any(expected in href for href in links), links
    if lang == "kk":  # the search page's chrome is Kazakh
        assert page.locator("h1").first.inner_text() == "Іздеу"
        page.wait_for_selector("#search-results p.search-summary")
        assert page.locator("#search-results p.search-summary").inner_text().startswith(
            "Іздеу аяқталды")
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
    ledger = pd.read_csv(real_site.reports / "en" / "ledger.csv", dtype=str,
                         keep_default_na=False)
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


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_ledger_search_finds_numbers_in_both_notations(browser, real_site, lang):
    ledger = pd.read_csv(real_site.reports / lang / "ledger.csv", dtype=str,
                         keep_default_na=False)
    with_1332 = int(ledger["source_lines"].map(lambda v: "1332" in v.split(";")).sum())
    visit = Visit(browser, url(real_site, lang, "ledger"), f"ledger-search-{lang}")
    page = visit.page
    found = {}
    for query in ("92,83", "92.83", "1332"):
        page.fill(".kaztur-ledger input[name=q]", query)
        found[query] = _shown(page)
    assert found["92,83"] == found["92.83"] > 0, found
    assert found["1332"] >= with_1332 > 0, found
    visit.close()


#: Finds the words of table cells that the browser broke across two lines (a word here: a
#: run of letters and digits; a line may break at a hyphen, a slash or a question mark).
MID_WORD = """(selector) => {
  const bad = [];
  const cells = [...document.querySelectorAll(selector)].slice(0, 4000);
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /[\\p{L}\\p{N}]{2,}/gu;
      let m;
      while ((m = re.exec(node.textContent)) !== null) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                             .map(r => Math.round(r.top)));
        if (tops.size > 1) bad.push(m[0]);
        if (bad.length > 10) return bad;
      }
    }
  }
  return bad;
}"""
#: How wide a table is against the article it stands in.
TABLE_WIDTHS = """(selector) => [...document.querySelectorAll(selector)].map(t => {
  const box = t.closest('.kaztur-table-box, .kl-scroll, .cell_output, article');
  return [t.getBoundingClientRect().width, box.clientWidth];
})"""


@pytest.mark.parametrize(("lang", "doc"), [("kk", "ledger"), ("en", "ledger"),
                                           ("kk", "exhibits/k7"), ("kk", "exhibits/k3"),
                                           ("kk", "notebooks/04_survey"),
                                           ("en", "notebooks/01_trade")])
def test_tables_take_the_page_width_and_never_break_inside_a_word(browser, real_site, lang,
                                                                   doc):
    visit = Visit(browser, url(real_site, lang, doc), f"tables-{lang}-{doc.replace('/', '-')}")
    page = visit.page
    cells = "table.kaztur-table th, table.kaztur-table td, .kaztur-ledger th, .kaztur-ledger td"
    assert page.locator(cells).count() > 0
    assert page.evaluate(MID_WORD, cells) == []
    for width, box in page.evaluate(TABLE_WIDTHS, "table.kaztur-table, .kaztur-ledger table"):
        assert width >= 0.95 * box, (width, box)
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


@pytest.mark.parametrize(("lang", "doc"), [("en", "notebooks/01_trade"),
                                           ("kk", "notebooks/seminar/seminar_01_growth")])
def test_notebook_pages_typeset_formulas_offline(browser, real_site, lang, doc):
    site = Visit(browser, url(real_site, lang, doc), f"mathjax-{lang}")
    site.page.wait_for_selector("mjx-container svg", timeout=TIMEOUT_MS)
    if "seminar" in doc:
        assert site.page.locator("details.kaztur-solution:not([open]), details.hide").count()
    site.close()
