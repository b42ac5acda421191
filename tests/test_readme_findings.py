"""The README's findings block is the package's own output, and lint fails when it drifts."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.findings import build as findings_build
from analysis.findings.headline import headline
from analysis.run import readme_findings, readme_regions

ROOT = Path(__file__).resolve().parents[1]


def _block(shipped_ledger) -> str:
    found = findings_build.build(shipped_ledger.copy())
    return readme_findings.render(headline(shipped_ledger, found), found)


def test_the_readme_carries_the_block_the_shipped_data_give(shipped_ledger):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_regions.region(text, "findings") == _block(shipped_ledger), (
        "README.md's findings block is stale: "
        "python -m analysis.run.readme_findings --write-readme")


def test_the_block_is_in_both_languages_kazakh_first(shipped_ledger):
    body = _block(shipped_ledger)
    kk, en = body.index("Басты мәселелер"), body.index("Main findings")
    assert kk < en
    assert "жеке мәселе" in body[kk:en] and "distinct findings" in body[en:]
    # the Kazakh half writes numbers the Kazakh way (no decimal point between digits)
    assert not re.search(r"\d\.\d", body[kk:en])


def test_check_fails_on_a_stale_readme_and_passes_on_a_current_one(tmp_path, shipped_ledger):
    body = _block(shipped_ledger)
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n<!-- findings:start -->\n" + body + "<!-- findings:end -->\n",
                      encoding="utf-8")
    assert readme_regions.sync(readme, body, "findings", "cmd", check=True) == 0
    stale = readme.read_text(encoding="utf-8")
    stale = stale.replace("<!-- findings:end -->", "* a typed line\n<!-- findings:end -->")
    readme.write_text(stale, encoding="utf-8")
    assert readme_regions.sync(readme, body, "findings", "cmd", check=True) == 1
    assert readme_regions.sync(readme, body, "findings", "cmd", check=False) == 0
    assert readme_regions.sync(readme, body, "findings", "cmd", check=True) == 0


def test_a_readme_without_the_markers_is_refused(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    assert readme_regions.sync(readme, "x\n", "findings", "cmd", check=True) == 1
    assert "lacks the markers" in capsys.readouterr().err
