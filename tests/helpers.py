"""Small builders shared by several test modules (imported as ``helpers``)."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from analysis import config


def claims_frame(rows: list[dict], **defaults: object) -> pd.DataFrame:
    """A text-claims frame with the documented columns; ``rows`` override the defaults."""
    base = {"claim_id": "T900", "source_doc": "dissertation_kk.txt", "section": "2.3",
            "source_line": 1, "topic": "trade", "quantity_key": "", "entity": "",
            "quote_kk": "", "label_kk": "", "label_en": "", "number_printed": "", "value": 0.0,
            "unit": "USD", "year": pd.NA, "period": "", "qualifier": "exact", "note_en": "",
            **defaults}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["year"] = frame["year"].astype("Int64")
    frame["source_line"] = frame["source_line"].astype("Int64")
    return frame


def link_targets(html: str) -> list[str]:
    """Every ``href`` of an ``<a>`` element in ``html``."""

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.hrefs += [v for k, v in attrs if k == "href" and v]

    parser = Links()
    parser.feed(html)
    return parser.hrefs


def point_config_at(monkeypatch, root: Path) -> None:
    """Make the library read and write the project at ``root`` (for this test only)."""
    monkeypatch.setattr(config, "ROOT", root)
    monkeypatch.setattr(config, "RAW_DIR", root / "data" / "raw")
    monkeypatch.setattr(config, "PROCESSED_DIR", root / "data" / "processed")
    monkeypatch.setattr(config, "DATAPACKAGE", root / "data" / "raw" / "datapackage.json")


# --- the real-browser tests (JupyterLab and the site) --------------------------------

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 60_000
SCREENSHOTS = config.REPORTS_DIR / "screenshots"


def require_browser(what: str) -> None:
    """Debian's Chromium and Playwright, or: skip with the reason outside CI, fail in CI
    (where a skipped browser test would hide that the browser path is untested)."""
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
        pytest.fail(f"{what} cannot run in CI: {reason}")
    pytest.skip(f"{reason} (skipped outside CI only)")
