"""JupyterLab in a real browser: a notebook opens cleanly and shows its title and a figure.

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
import os
import sys
import time
from pathlib import Path

import pytest

from analysis import config
from analysis.run import lab

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 60_000
SCREENSHOTS = config.REPORTS_DIR / "screenshots"

#: Notebooks opened: the trade analysis when it exists (the package's showcase), and the
#: first seminar notebook (always there; it is the one students open first).
PREFERRED = ["01_trade.ipynb", "seminar/seminar_01_growth.ipynb"]
OPENED = [nb for nb in PREFERRED if (config.NOTEBOOKS_DIR / nb).is_file()]


def _require_browser() -> None:
    reason = None
    if not CHROMIUM.is_file():
        reason = (f"Chromium not found at {CHROMIUM}; install Debian's package "
                  "(apt-get install chromium) as .ci/run does")
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright Python package is not installed (make env installs it)"
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(f"{reason} (skipped outside CI only)")


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
    _require_browser()
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


@pytest.mark.parametrize("notebook", OPENED)
def test_notebook_opens_with_title_figure_and_no_dialogs(lab_server, browser_context, notebook):
    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        workspace = f"test-{Path(notebook).stem}"
        page.goto(lab_server.lab_url(notebook, workspace), wait_until="domcontentloaded")
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        panel.wait_for(state="visible")

        # the title: the notebook's first Markdown heading, rendered as a heading
        title = notebook_title(config.NOTEBOOKS_DIR / notebook)
        heading = panel.locator(".jp-RenderedMarkdown :is(h1, h2)").first
        heading.wait_for(state="visible")
        assert heading.inner_text().replace("¶", "").strip() == title

        # the kernel named in the notebook starts: no "Select Kernel" dialog on first open
        kernel_name = panel.locator(".jp-KernelName").first
        kernel_name.wait_for(state="visible")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-KernelName')]"
            ".some(e => e.textContent.includes('kaztur-analysis'))", timeout=TIMEOUT_MS)
        assert lab.KERNEL_DISPLAY_NAME in kernel_name.inner_text()
        page.wait_for_function(
            "() => { const s = document.querySelector("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');"
            " return s && s.getAttribute('data-status') === 'idle'; }", timeout=TIMEOUT_MS)

        # at least one figure: an <img> in an output area, decoded, with a non-zero size
        figure = panel.locator(".jp-OutputArea-output img").first
        figure.scroll_into_view_if_needed()
        figure.wait_for(state="visible")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=figure.element_handle(), timeout=TIMEOUT_MS)
        width, height = figure.evaluate("img => [img.naturalWidth, img.naturalHeight]")
        assert width > 100 and height > 100, (width, height)

        # give late pop-ups (news prompt, update notice) time to appear, then look for them
        time.sleep(3)
        assert _visible(page, ".jp-Dialog") == [], "a dialog is open"
        # opening must not modify the notebook (a dirty tab asks "Save changes?" on close)
        assert _visible(page, ".lm-TabBar-tab.jp-mod-dirty") == [], "notebook dirty on open"
        toasts = _visible(page, ".Toastify__toast")
        assert toasts == [], f"notification toast(s) shown: {toasts}"

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        stem = Path(notebook).stem
        page.screenshot(path=str(SCREENSHOTS / f"{stem}-figure.png"))
        panel.locator(".jp-WindowedPanel-outer").first.evaluate("el => el.scrollTo(0, 0)")
        heading.wait_for(state="visible")
        shot = SCREENSHOTS / f"{stem}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000

        # offline: the page fetched nothing but the local server (and inline data)
        foreign = [u for u in requests
                   if not u.startswith(lab_server.url) and not u.startswith(("data:", "blob:"))]
        assert foreign == [], f"requests left localhost: {foreign[:5]}"
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(notebook).stem}-failure.png"))
        raise
    finally:
        page.close()


def test_skip_or_fail_rule_follows_ci(monkeypatch):
    """Absent Chromium: skip with a reason outside CI, fail in CI."""
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.setattr(module, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="Chromium not found"):
        _require_browser()
    monkeypatch.setattr(module, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI"):
        _require_browser()
