"""Issue 26, item 2, in a real browser: after Run ▸ Run All Cells in the teacher's copy, no
solution value is on screen until the teacher clicks "Click to show the answer", and it is
after the click.

JupyterLab clears a cell's ``outputs_hidden`` when the cell runs, so folding alone would put
the answers on the projector; each solution shows its outputs inside one collapsed
<details> (analysis.present.tables.seminar.shown_on_click) and each discussion answer is a
collapsed <details> Markdown cell. The values looked for are the answer key's (the teaching
layer), written as the notebook writes them, and the solution's table and figure.

JupyterLab is the shared ``lab_server`` (started as `kaztur lab` starts it, on a temporary
copy of notebooks/); Debian's Chromium is driven by Playwright (see test_browser.py). The
notebook run here is restored on the server afterwards, unsaved.
"""

from __future__ import annotations

import json
import re

import helpers
import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, TIMEOUT_MS

from analysis import config
from analysis.present import numbers, parameters
from analysis.present.i18n import t
from analysis.present.tables import seminar as seminar_tables
from analysis.teaching import grading

NOTEBOOK = "seminar/seminar_01_growth.ipynb"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
IDLE = (f"() => {{ const s = document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator');"
        " return s && s.getAttribute('data-status') === 'idle'; }")


@pytest.fixture
def page(lab_server, tmp_path_factory):
    helpers.require_browser("browser test")
    from playwright.sync_api import sync_playwright

    original = lab_server.api(f"api/contents/{NOTEBOOK}")
    profile = tmp_path_factory.mktemp("chromium-answers")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000}, timeout=TIMEOUT_MS)
        try:
            tab = context.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            yield tab
        finally:
            context.close()
            # whatever JupyterLab saved of the run, the next test gets the teacher's copy
            lab_server.api(f"api/contents/{NOTEBOOK}", method="PUT",
                           body={"type": "notebook", "format": "json",
                                 "content": original["content"]})


def _answer_values() -> list[str]:
    """Numbers the solutions state, as the Kazakh notebook writes them: the answer key's
    expected values of its check cells (two decimals, as the solution table and sentence
    show them), e.g. the CAGR and the recomputed 2020 growth."""
    source = json.loads((config.NOTEBOOKS_DIR / NOTEBOOK).read_text(encoding="utf-8"))
    keys = {key for cell in source["cells"] if "check" in cell["metadata"].get("tags", [])
            for key in re.findall(r'check\("(\w+)"', "".join(cell["source"]))}
    defaults = parameters.defaults("seminar_01_growth")
    values = [grading.expected(k, defaults).value for k in sorted(keys)]
    return [numbers.number(abs(v), "kk", 2) for v in values
            if not isinstance(v, bool | frozenset)]


def _shot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_run_all_in_the_teachers_copy_shows_no_answer_until_clicked(lab_server, page):
    values = _answer_values()
    assert values, "no numeric answer to look for"
    lang = parameters.defaults("seminar_01_growth")["lang"]
    summary = t("sem.reveal.summary", lang)
    page.goto(lab_server.lab_url(NOTEBOOK, "answers-run-all"), wait_until="domcontentloaded")
    panel = page.locator(PANEL)
    panel.wait_for(state="visible")
    page.wait_for_function("() => [...document.querySelectorAll('.jp-KernelName')]"
                           ".some(e => e.textContent.includes('kaztur-analysis'))")
    page.wait_for_function(IDLE)
    try:
        page.evaluate(
            f"() => {{ window.__ran = false; const s = document.querySelector("
            f"'{PANEL} .jp-Notebook-ExecutionIndicator'); new MutationObserver(() => {{"
            " if (s.getAttribute('data-status') === 'busy') window.__ran = true; })"
            ".observe(s, {attributes: true}); }")
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_function("() => window.__ran")
        page.wait_for_function(IDLE, timeout=3 * TIMEOUT_MS)
        code_solutions = 2  # seminar 1: the growth table and figure, the CAGR sentence
        collapsed = panel.locator(f".jp-OutputArea-output details.{seminar_tables.ANSWER_CLASS}")
        collapsed.nth(code_solutions - 1).wait_for(state="attached")
        # Run All cleared the fold of the outputs (JupyterLab does): what shows is the summary
        assert panel.locator(".jp-OutputPlaceholder").count() == 0
        assert collapsed.count() == code_solutions
        every = panel.locator(f"details.{seminar_tables.ANSWER_CLASS}")
        assert every.count() == code_solutions + 1  # and the discussion's answer
        assert all(not every.nth(i).evaluate("d => d.open") for i in range(every.count()))
        text = panel.inner_text()
        assert [v for v in values if v in text] == [], "an answer is on screen after Run All"
        assert "S1.2" not in text and "12,03" not in text  # the solution table, its caption
        assert text.count(summary) >= code_solutions
        images = panel.locator(".jp-OutputArea-output img")
        assert [i for i in range(images.count()) if images.nth(i).is_visible()] == []
        errors = panel.locator("[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0
        _shot(page, "seminar_01_growth-teacher-run-all")

        # a click on the summary opens that solution, and only that one
        collapsed.nth(code_solutions - 1).locator("summary").click()
        text = panel.inner_text()
        assert [v for v in values if v in text], "the CAGR answer is not shown after the click"
        assert "S1.2" not in text
        collapsed.nth(0).locator("summary").scroll_into_view_if_needed()
        collapsed.nth(0).locator("summary").click()
        figure = collapsed.nth(0).locator("img")
        figure.wait_for(state="visible")
        page.wait_for_function("img => img.complete && img.naturalWidth > 100",
                               arg=figure.element_handle())
        assert "S1.2" in panel.inner_text()
        _shot(page, "seminar_01_growth-teacher-clicked")
    except Exception:
        _shot(page, "seminar_01_growth-teacher-run-all-failure")
        raise
