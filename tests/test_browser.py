"""JupyterLab in a real browser: a notebook opens cleanly and shows its title and a figure;
the teacher's seminar copy opens with its solutions folded; a student's handout opens with
the project kernel and runs.

JupyterLab is started exactly as `kaztur lab` starts it (analysis.run.lab.running_server: the
repo's jupyter_config/, the project kernel), headless, on a free localhost port with a
token, serving a temporary copy of notebooks/ (so no checkpoints land in the repo). Debian's
Chromium (/usr/bin/chromium, installed by .ci/run) is driven by Playwright's Python package
with a fresh profile; Playwright's own browser downloads are never used.

Outside CI the test is skipped when Chromium is absent; in CI (CI=true) that is a failure.
Screenshots go to reports/screenshots/.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import helpers
import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, TIMEOUT_MS

from analysis import config
from analysis.present.i18n import t
from analysis.run import lab

#: Notebooks opened: the trade analysis when it exists (the package's showcase), and the
#: first seminar notebook (always there; it is the one students open first).
PREFERRED = ["01_trade.ipynb", "seminar/seminar_01_growth.ipynb"]
OPENED = [nb for nb in PREFERRED if (config.NOTEBOOKS_DIR / nb).is_file()]


def notebook_title(path: Path) -> str:
    """The first Markdown heading of the notebook (what the rendered page must show)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    raise AssertionError(f"{path} has no Markdown heading")


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    helpers.require_browser("browser test")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000}, timeout=TIMEOUT_MS,
        )
        try:
            yield context
        finally:
            context.close()


def _visible(page, selector: str) -> list[str]:
    """Texts of the visible elements matching ``selector``."""
    found = page.locator(selector)
    return [found.nth(i).inner_text() for i in range(found.count()) if found.nth(i).is_visible()]


def _open(page, server, notebook: str, source: Path):
    """Open ``notebook`` in a fresh workspace; check its title and that the project kernel
    starts (no "Select Kernel" dialog) and goes idle. Returns the notebook panel."""
    page.goto(server.lab_url(notebook, f"test-{Path(notebook).stem}"),
              wait_until="domcontentloaded")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    panel.wait_for(state="visible")
    heading = panel.locator(".jp-RenderedMarkdown :is(h1, h2)").first
    heading.wait_for(state="visible")
    assert heading.inner_text().replace("¶", "").strip() == notebook_title(source)
    kernel_name = panel.locator(".jp-KernelName").first
    kernel_name.wait_for(state="visible")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-KernelName')]"
        ".some(e => e.textContent.includes('kaztur-analysis'))", timeout=TIMEOUT_MS)
    assert lab.KERNEL_DISPLAY_NAME in kernel_name.inner_text()
    _wait_idle(page)
    return panel


def _wait_idle(page) -> None:
    page.wait_for_function(
        "() => { const s = document.querySelector("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');"
        " return s && s.getAttribute('data-status') === 'idle'; }", timeout=TIMEOUT_MS)


def _no_popups(page) -> None:
    """Give late pop-ups (news prompt, update notice) time to appear, then look for them."""
    time.sleep(3)
    assert _visible(page, ".jp-Dialog") == [], "a dialog is open"
    toasts = _visible(page, ".Toastify__toast")
    assert toasts == [], f"notification toast(s) shown: {toasts}"


def _offline(requests: list[str], server) -> None:
    """The page fetched nothing but the local server (and inline data)."""
    foreign = [u for u in requests
               if not u.startswith(server.url) and not u.startswith(("data:", "blob:"))]
    assert foreign == [], f"requests left localhost: {foreign[:5]}"


def _new_page(browser_context) -> tuple[object, list[str]]:
    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return page, requests


def _screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(shot))
    return shot


def _figure_shown(page, panel) -> None:
    """At least one figure: an <img> in an output area, decoded, with a non-zero size."""
    figure = panel.locator(".jp-OutputArea-output img").first
    figure.wait_for(state="attached")
    figure.evaluate("el => el.scrollIntoView({block: 'center'})")
    figure.wait_for(state="visible")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=figure.element_handle(), timeout=TIMEOUT_MS)
    width, height = figure.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert width > 100 and height > 100, (width, height)


@pytest.mark.parametrize("notebook", [nb for nb in OPENED if not nb.startswith("seminar/")])
def test_notebook_opens_with_title_figure_and_no_dialogs(lab_server, browser_context, notebook):
    page, requests = _new_page(browser_context)
    stem = Path(notebook).stem
    try:
        panel = _open(page, lab_server, notebook, config.NOTEBOOKS_DIR / notebook)
        _figure_shown(page, panel)
        _no_popups(page)
        # opening must not modify the notebook (a dirty tab asks "Save changes?" on close)
        assert _visible(page, ".lm-TabBar-tab.jp-mod-dirty") == [], "notebook dirty on open"
        _screenshot(page, f"{stem}-figure")
        panel.locator(".jp-WindowedPanel-outer").first.evaluate("el => el.scrollTo(0, 0)")
        assert _screenshot(page, stem).stat().st_size > 10_000
        _offline(requests, lab_server)
    except Exception:
        _screenshot(page, f"{stem}-failure")
        raise
    finally:
        page.close()


SEMINAR = "seminar/seminar_01_growth.ipynb"


def test_teachers_copy_opens_with_solutions_collapsed(lab_server, browser_context):
    """The teacher's seminar notebook opens cleanly with every solution folded: one
    placeholder line per solution cell, no answer and no solution figure on screen. A click
    on the placeholder shows the code, a click on the output placeholder the table and
    figure."""
    page, requests = _new_page(browser_context)
    source = config.NOTEBOOKS_DIR / SEMINAR
    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    folded = [c for c in cells if c["metadata"].get("jupyter", {}).get("source_hidden")]
    assert folded, "no folded solution in the teacher's copy"
    try:
        panel = _open(page, lab_server, SEMINAR, source)
        _no_popups(page)
        inputs = panel.locator(".jp-InputPlaceholder")
        assert inputs.count() == len(folded)
        # with the code folded, JupyterLab hides the outputs entirely (no second placeholder)
        assert panel.locator(".jp-Cell-outputWrapper.lm-mod-hidden").count() == len(folded)
        text = panel.inner_text()
        assert "15,16%" not in text and "CAGR): " not in text  # the CAGR answer is folded
        assert "S1.2" not in text  # the solution table's caption
        assert panel.locator(".jp-OutputArea-output img").count() == 0
        first = inputs.first
        first.evaluate("el => el.scrollIntoView({block: 'center'})")
        first.wait_for(state="visible")
        _screenshot(page, "seminar_01_growth-teacher-solution")
        first.click()
        output = panel.locator(".jp-OutputPlaceholder").first
        output.wait_for(state="visible")
        output.click()
        # the output itself is a collapsed "click to show the answer" (test_browser_answers)
        panel.locator(".jp-OutputArea-output details > summary").first.click()
        _figure_shown(page, panel)
        assert "S1.2" in panel.inner_text()
        _offline(requests, lab_server)
    except Exception:
        _screenshot(page, "seminar_01_growth-teacher-failure")
        raise
    finally:
        page.close()


def test_handout_opens_with_the_project_kernel_and_runs(handouts_server, browser_context):
    """A student's copy (`kaztur lab --handouts --lang en`) opens with the project kernel and
    no pop-ups, holds no solution, and Run ▸ Run All Cells gives the check cells' feedback."""
    page, requests = _new_page(browser_context)
    name = Path(SEMINAR).name
    try:
        panel = _open(page, handouts_server, name, config.NOTEBOOKS_DIR / SEMINAR)
        _no_popups(page)
        assert "Шешімі · Solution" not in panel.inner_text()  # no solution heading
        assert panel.locator(".jp-InputPlaceholder").count() == 0
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        feedback = panel.locator(".jp-RenderedMarkdown", has_text=t("sem.feedback.empty", "en"))
        feedback.first.wait_for(state="attached")
        _wait_idle(page)
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
            ".jp-RenderedMarkdown').length > 0 && [...document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputArea-prompt')]"
            ".filter(p => /\\[\\d+\\]/.test(p.textContent)).length >= n",
            arg=_code_cells(name), timeout=TIMEOUT_MS)
        assert feedback.count() == 3  # three exercises, no answers yet
        errors = panel.locator("[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.first.inner_text()
        assert "Table S1.1" in panel.inner_text()  # the data table, in English
        _screenshot(page, "seminar_01_growth-handout")
        _offline(requests, handouts_server)
    except Exception:
        _screenshot(page, "seminar_01_growth-handout-failure")
        raise
    finally:
        page.close()


def _code_cells(name: str) -> int:
    """Code cells of the handout of notebooks/seminar/<name> (all run by Run All)."""
    from analysis.run import handouts

    notebook = handouts.student_version(
        json.loads((config.NOTEBOOKS_DIR / "seminar" / name).read_text(encoding="utf-8")))
    return sum(1 for c in notebook["cells"] if c["cell_type"] == "code")


def test_skip_or_fail_rule_follows_ci(monkeypatch):
    """Absent Chromium: skip with a reason outside CI, fail in CI."""
    monkeypatch.setattr(helpers, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.setattr(helpers, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="Chromium not found"):
        helpers.require_browser("browser test")
    monkeypatch.setattr(helpers, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI"):
        helpers.require_browser("browser test")
