"""Two cold runs give byte-identical processed data, tables and figures, and the same
notebook outputs once volatile text is sanitised with nbval's own sanitize file."""

from __future__ import annotations

import configparser
import hashlib
import json
import re
from pathlib import Path

from conftest import SANITIZE, cold_real_run


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


def test_two_cold_runs_are_identical(real_run, tmp_path_factory):
    # the second run starts from the first one's snapshot of notebooks/ and data/raw/
    other = cold_real_run(tmp_path_factory.mktemp("real-run-b"), source=real_run.root)
    a, b = real_run.root, other.root

    processed = _files(a / "data" / "processed", ("*",))
    assert processed, "kaztur data wrote nothing"
    assert processed == _files(b / "data" / "processed", ("*",))

    outputs = ("*/tables/*", "*/figures/*", "seminar/*/tables/*", "seminar/*/figures/*")
    tables_a = _files(a / "reports", outputs)
    assert any(name.endswith(".csv") for name in tables_a), "no result tables were written"
    tables_b = _files(b / "reports", outputs)
    differing = sorted(k for k in set(tables_a) | set(tables_b)
                       if tables_a.get(k) != tables_b.get(k))
    assert differing == []

    notebooks_a = sorted((a / "reports").glob("**/*.ipynb"))
    assert notebooks_a
    for path in notebooks_a:
        rel = path.relative_to(a / "reports")
        assert sanitized_outputs(path) == sanitized_outputs(b / "reports" / rel), rel

    # same content, same hashes (the processed data among the inputs included)
    hashes_a = [(nb["stem"], nb["sha256"]["notebook"], nb["sha256"]["inputs"], nb["parameters"])
                for nb in real_run.manifest["notebooks"]]
    hashes_b = [(nb["stem"], nb["sha256"]["notebook"], nb["sha256"]["inputs"], nb["parameters"])
                for nb in other.manifest["notebooks"]]
    assert hashes_a == hashes_b
