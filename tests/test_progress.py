"""The run's display: concise lines off a terminal, a live display on one; --quiet and
--verbose. Captured from the display classes and from runs of the warm fixture project."""

from __future__ import annotations

import io
import shutil

from conftest import kaztur
from run_fixtures import SKIP_LEDGER

from analysis.run import progress

EVENTS = [("start", "kk/01_trade", 3), ("cell", "kk/01_trade", 1, 3),
          ("cell", "kk/01_trade", 2, 3), ("end", "kk/01_trade", "ok", 1.5),
          ("start", "kk/02_investment", 2), ("end", "kk/02_investment", "failed", 0.5)]


def _feed(show: progress.Lines) -> None:
    show.plan({"kk/01_trade": "kk/01_trade", "kk/02_investment": "kk/02_investment"}, {})
    show.note("executing 2 notebook(s)")
    for event in EVENTS:
        show.event(event)
    show.close()


def test_lines_normal_quiet_verbose():
    shown = {}
    for mode in (progress.NORMAL, progress.QUIET, progress.VERBOSE):
        stream = io.StringIO()
        _feed(progress.display(stream, mode))
        shown[mode] = stream.getvalue()
    normal = shown[progress.NORMAL].splitlines()
    assert len(normal) == 3
    assert normal[1].endswith("kk/01_trade: done in 1.5s (1/2)")
    assert normal[2].endswith("kk/02_investment: FAILED in 0.5s (2/2)")
    assert shown[progress.QUIET] == ""
    verbose = shown[progress.VERBOSE]
    assert "kk/01_trade: cell 2/3" in verbose and "kk/01_trade: started (3 code cells)" in verbose


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_live_display_on_a_terminal():
    stream = Terminal()
    show = progress.display(stream, progress.NORMAL)
    assert isinstance(show, progress.Live)
    _feed(show)
    text = stream.getvalue()
    assert "kaztur run" in text and "━" in text  # rich's bar
    assert "FAILED" in text  # problems are printed above the bars
    assert "cell 2/3" not in text  # per-cell lines only with --verbose


def test_quiet_and_verbose_runs(warm_project, monkeypatch):
    # executed (--force), so that there are lines for -q to hold back; without the ledger
    monkeypatch.setenv(SKIP_LEDGER, "1")
    quiet = kaztur(warm_project, "run", "--lang", "kk", "-q", "--force")
    monkeypatch.delenv(SKIP_LEDGER)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr.strip().splitlines() == [quiet.stderr.strip().splitlines()[-1]]
    assert quiet.stderr.startswith("kaztur run: done")
    # executed (the notebooks' cache entries removed), with the real ledger: the one the
    # standard project's first run built, reused from the cache (its contradictions are
    # what -v lists, built now or before)
    for stem in ("00_overview", "01_trade"):
        shutil.rmtree(warm_project / ".kaztur-cache" / "runs" / stem)
    verbose = kaztur(warm_project, "run", "--lang", "kk", "-v")
    assert verbose.returncode == 0, verbose.stderr
    assert "kk/01_trade: cell 1/" in verbose.stderr
    assert "✗" in verbose.stderr  # every contradiction of the ledger
