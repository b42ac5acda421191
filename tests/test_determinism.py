"""Two cold runs give byte-identical processed data and byte-identical reports: every file
under reports/ (executed notebooks, HTML pages, figures, tables, ledger, indexes) except the
manifests, which are identical too once their timing fields are removed.

The whole comparison needs a second cold run of every notebook and is in the slow set
(``make test-slow``). The default run compares a second cold run of one notebook (03_energy:
figures, tables, HTML in both languages) and of the ledger with the shared real run, file
by file.
"""

from __future__ import annotations

import configparser
import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import SANITIZE, cold_real_run, copy_real_project, kaztur

from analysis.run.report import strip_timings


def _files(folder: Path, patterns: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pattern in patterns:
        for path in sorted(folder.glob(pattern)):
            if path.is_file():
                out[path.relative_to(folder).as_posix()] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
    return out


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser()
    config.read(SANITIZE, encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def sanitized_outputs(path: Path) -> list:
    """Each code cell's outputs without metadata, counts and timings, text sanitised."""
    rules = _sanitizers()

    def clean(value):
        if isinstance(value, list):
            value = "".join(value) if all(isinstance(v, str) for v in value) else value
        if isinstance(value, str):
            for pattern, replace in rules:
                value = pattern.sub(replace, value)
        return value

    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        outs = []
        for out in cell.get("outputs", []):
            entry = {"type": out["output_type"]}
            if "text" in out:
                entry["text"] = clean(out["text"])
            if "data" in out:
                entry["data"] = {k: clean(v) for k, v in sorted(out["data"].items())}
            if "ename" in out:
                entry["error"] = [out["ename"], clean(out["evalue"])]
            outs.append(entry)
        cells.append(outs)
    return cells


@pytest.mark.slow
def test_two_cold_runs_are_identical(real_run, tmp_path_factory):
    # the second run starts from the first one's snapshot of notebooks/ and data/raw/
    other = cold_real_run(tmp_path_factory.mktemp("real-run-b"), source=real_run.root)
    a, b = real_run.root, other.root

    processed = _files(a / "data" / "processed", ("*",))
    assert processed, "kaztur data wrote nothing"
    assert processed == _files(b / "data" / "processed", ("*",))

    reports_a = _files(a / "reports", ("**/*",))
    reports_b = _files(b / "reports", ("**/*",))
    assert any(name.endswith(".csv") for name in reports_a), "no result tables were written"
    assert any(name.endswith("results.json") for name in reports_a)
    assert sorted(reports_a) == sorted(reports_b)
    manifests = [k for k in reports_a if k.endswith("manifest.json")]
    assert len(manifests) == 3  # reports/ and one per language
    differing = sorted(k for k in reports_a
                       if k not in manifests and reports_a[k] != reports_b[k])
    assert differing == [], "files that differ between two cold runs"
    for name in manifests:
        ma = json.loads((a / "reports" / name).read_text(encoding="utf-8"))
        mb = json.loads((b / "reports" / name).read_text(encoding="utf-8"))
        assert strip_timings(ma) == strip_timings(mb), name
        assert ma != strip_timings(ma), "timings are kept in the manifest"

    # nbval's view agrees (its sanitisers applied to both)
    for path in sorted((a / "reports").glob("**/*.ipynb")):
        rel = path.relative_to(a / "reports")
        assert sanitized_outputs(path) == sanitized_outputs(b / "reports" / rel), rel


#: the notebook run a second time in the default suite
ONE = "03_energy"


def test_a_second_cold_run_of_one_notebook_is_identical(real_run, tmp_path):
    """A second cold ``kaztur data`` and ``kaztur run 03_energy --force`` (fresh cache, the
    ledger built again) on a copy of the shared run's inputs: the processed data, every file
    of that notebook in both languages and the ledger are byte-identical to the shared
    run's; its manifest entries are identical once timings are removed."""
    root = copy_real_project(tmp_path / "project", real_run.root)
    assert kaztur(root, "data").returncode == 0
    run = kaztur(root, "run", ONE, "--force", cache=tmp_path / "cache")
    assert run.returncode == 0, run.stderr
    a, b = real_run.root, root

    processed = _files(a / "data" / "processed", ("*",))
    assert processed, "kaztur data wrote nothing"
    assert processed == _files(b / "data" / "processed", ("*",))

    for lang in ("kk", "en"):
        mine = _files(b / "reports" / lang, (f"{ONE}/**/*", "ledger.*", "findings.*"))
        assert any(name.endswith(".svg") for name in mine), "no figure was written"
        assert any(name.endswith(".csv") and "/tables/" in name for name in mine)
        assert {"ledger.csv", "ledger.json", f"{ONE}/{ONE}.ipynb"} <= set(mine), sorted(mine)
        shared = _files(a / "reports" / lang, (f"{ONE}/**/*", "ledger.*", "findings.*"))
        assert sorted(mine) == sorted(shared), lang
        differing = sorted(k for k in mine if mine[k] != shared[k])
        assert differing == [], f"files that differ between two cold runs ({lang})"
        entries = [[nb for nb in json.loads(
            (root_ / "reports" / lang / "manifest.json").read_text(encoding="utf-8")
        )["notebooks"] if nb["stem"] == ONE] for root_ in (a, b)]
        assert len(entries[0]) == 1 and strip_timings(entries[0]) == strip_timings(entries[1])
        executed = Path(lang, ONE, f"{ONE}.ipynb")
        assert sanitized_outputs(a / "reports" / executed) == sanitized_outputs(
            b / "reports" / executed)


def test_a_notebook_shows_the_png_its_report_saves(real_run):
    """A figure is rendered to PNG once: every PNG a notebook saves is, byte for byte, an
    image the executed notebook shows, whose text form is the figure's repr (as the inline
    backend's); the notebook shows no other figure image."""
    import base64

    for lang in ("kk", "en"):
        for stem in ("01_trade", "04_survey"):
            folder = real_run.root / "reports" / lang / stem
            saved = {p.read_bytes() for p in (folder / "figures").glob("*.png")}
            assert saved, f"{lang}/{stem} saved no figure"
            nb = json.loads((folder / f"{stem}.ipynb").read_text(encoding="utf-8"))
            shown = [o["data"] for c in nb["cells"] if c["cell_type"] == "code"
                     for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
            assert {base64.b64decode(d["image/png"]) for d in shown} == saved, (lang, stem)
            assert all("".join(d["text/plain"]).startswith("<Figure size ") for d in shown)
