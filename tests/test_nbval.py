"""nbval must compare something, and what it compares must catch a changed number.

nbval passes a notebook without stored outputs vacuously, so one test requires every
committed notebook to carry the outputs of a complete run.

The stored outputs are compared with the outputs of the shared real run (fixture
``real_run``: every notebook executed once, cold, in both languages): for each committed
notebook, its Kazakh run (the committed notebooks' default language) goes through nbval's
own items and comparison (``IPyNbFile``/``IPyNbCell.compare_outputs``, the sanitisers of
notebooks/nbval_sanitize.cfg, nbval's cell markers), exactly as ``pytest --nbval`` compares
a kernel's outputs, without executing the 12 notebooks a second time. The route through
``pytest --nbval`` itself is kept by the tamper test; for every notebook, ``make test-slow``
executes it in a fresh ordinary kernel (papermill's command line) and compares it through
the same items (``test_papermill.test_every_notebook_through_papermills_command_line``).

The tamper test proves that the check bites: on a copy of the project whose raw Кесте 7
export value for 2021 is changed (and its checksum regenerated, so the data loads),
``pytest --nbval`` on 01_trade fails, while it passes on an untouched copy; the comparison
with a run fails the same way on the tampered copy's executed notebook.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, SANITIZE, copy_real_project, kaztur, require_real_notebooks
from nbval.plugin import IPyNbCell, IPyNbFile, coalesce_streams, get_sanitize_patterns

from analysis.run.pipeline import discover


def committed_notebooks() -> list[Path]:
    """Notebooks git tracks under notebooks/, plus any the pipeline would run."""
    try:
        listed = subprocess.run(["git", "ls-files", "notebooks"], cwd=REPO, capture_output=True,
                                text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        listed = []
    paths = {REPO / p for p in listed if p.endswith(".ipynb")}
    paths |= {nb.path for nb in discover(REPO / "notebooks")}
    return sorted(p for p in paths if p.is_file())


def stored_output_problems(nb: dict) -> list[str]:
    """Why a notebook's stored outputs are not those of a complete, in-order run."""
    problems = []
    code = [(i, c) for i, c in enumerate(nb.get("cells", [])) if c.get("cell_type") == "code"]
    if not any(c.get("outputs") for _, c in code):
        problems.append("no code cell has stored outputs")
    for i, cell in code:
        source = "".join(cell.get("source", ""))
        if source.strip() and cell.get("execution_count") is None:
            problems.append(f"cell {i} was never executed (no execution_count)")
    counts = [c["execution_count"] for _, c in code if c.get("execution_count") is not None]
    if counts != sorted(set(counts)):
        problems.append(f"execution counts {counts} are not those of one run from the top")
    errors = [i for i, c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        problems.append(f"cells {errors} store an error")
    return problems


@pytest.mark.parametrize("path", committed_notebooks(),
                         ids=lambda p: p.relative_to(REPO / "notebooks").as_posix())
def test_committed_notebook_has_stored_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert stored_output_problems(nb) == [], (
        f"{path.name}: run `make refresh-notebooks` and commit the outputs")


def test_the_stored_output_check_bites():
    def cell(source, count, outputs):
        return {"cell_type": "code", "source": source, "execution_count": count,
                "outputs": outputs, "metadata": {}}

    out = [{"output_type": "stream", "name": "stdout", "text": "1\n"}]
    good = {"cells": [{"cell_type": "markdown", "source": "# t"}, cell("x = 1", 1, []),
                      cell("print(x)", 2, out)]}
    assert stored_output_problems(good) == []
    cleared = {"cells": [cell("x = 1", None, []), cell("print(x)", None, [])]}
    assert "no code cell has stored outputs" in stored_output_problems(cleared)
    half = {"cells": [cell("x = 1", 1, []), cell("print(x)", None, out)]}
    assert any("never executed" in p for p in stored_output_problems(half))
    shuffled = {"cells": [cell("x = 1", 3, []), cell("print(x)", 2, out)]}
    assert any("not those of one run" in p for p in stored_output_problems(shuffled))
    fixture = REPO / "tests" / "fixtures" / "notebooks" / "01_trade.ipynb"
    assert stored_output_problems(json.loads(fixture.read_text(encoding="utf-8")))


# ------------------------------------------------ stored outputs against the shared run


def executed_notebooks(reports: Path, lang: str = "kk") -> dict[str, Path]:
    """``{"notebooks/<rel>.ipynb": executed notebook}`` of one language of a run."""
    found = {}
    for path in sorted((reports / lang).glob("**/*.ipynb")):
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("kaztur", {})
        if meta.get("lang") == lang and meta.get("notebook"):
            found[meta["notebook"]] = path
    return found


def nbval_items(session: pytest.Session, path: Path) -> list[IPyNbCell]:
    """nbval's items for the notebook at ``path``, as ``pytest --nbval`` collects them
    (cell markers and tags read by nbval), with notebooks/nbval_sanitize.cfg loaded."""
    notebook = IPyNbFile.from_parent(session, path=path)
    notebook.sanitize_patterns.update(
        get_sanitize_patterns(SANITIZE.read_text(encoding="utf-8")))
    return list(notebook.collect())


def _outputs(cell: nbformat.NotebookNode) -> list:
    return coalesce_streams(copy.deepcopy(cell.get("outputs", [])))


def nbval_differences(session: pytest.Session, committed: Path, executed: Path) -> list[str]:
    """What ``pytest --nbval committed`` would report if its kernel produced the outputs
    stored in ``executed`` (a run of the same notebook): IPyNbCell.runtest's checks after
    execution, with nbval's own comparison. [] when nbval would pass every cell."""
    items = nbval_items(session, committed)
    option = session.config.option
    verbose, option.verbose = option.verbose, 0  # nbval's diff text, as at pytest's default
    try:
        return _differences(items, executed, committed)
    finally:
        option.verbose = verbose


def _differences(items: list, executed: Path, committed: Path) -> list[str]:
    ran = [c for c in nbformat.read(executed, as_version=4).cells if c.cell_type == "code"
           and "injected-parameters" not in c.metadata.get("tags", [])]
    if [c.source for c in ran] != [item.cell.source for item in items]:
        return [f"{executed} is not a run of {committed}: the code cells differ"]
    problems = []
    for item, cell in zip(items, ran, strict=True):
        if item.options["skip"]:
            continue
        outputs = _outputs(cell)
        errors = [o for o in outputs if o.get("output_type") == "error"]
        if errors and not item.options["check_exception"]:
            problems.append(f"Cell {item.cell_num}: cell execution caused an exception "
                            f"({errors[0].get('ename')}: {errors[0].get('evalue')})")
            continue
        unrun = item.cell.execution_count is None
        if unrun and item.cell.outputs:
            problems.append(f"Cell {item.cell_num}: unrun reference cell has outputs")
        elif (item.options["check"] and not unrun
              and not item.compare_outputs(outputs, _outputs(item.cell))):
            problems.append(f"Cell {item.cell_num}: cell outputs differ\n"
                            + "\n".join(item.comparison_traceback))
    return problems


@pytest.mark.parametrize("path", committed_notebooks(),
                         ids=lambda p: p.relative_to(REPO / "notebooks").as_posix())
def test_stored_outputs_are_those_of_the_shared_run(real_run, request, path):
    executed = executed_notebooks(real_run.root / "reports")
    rel = path.relative_to(REPO).as_posix()
    assert rel in executed, f"the run executed no {rel} in Kazakh"
    problems = nbval_differences(request.session, path, executed[rel])
    assert not problems, (f"{rel}: the stored outputs are not those of a run (as nbval "
                          "compares them); if the change is deliberate, `kaztur "
                          "refresh-notebooks` and review the diff:\n\n"
                          + "\n\n".join(problems))


def _tamper_stored_output(nb: dict, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in the first code cell whose stored text shows ``old``;
    that cell's index among the code cells."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for index, cell in enumerate(code):
        for out in cell.get("outputs", []):
            for key, value in out.get("data", {}).items():
                text = "".join(value) if isinstance(value, list) else value
                if key.startswith("text/") and old in text:
                    out["data"][key] = text.replace(old, new)
                    return index
    raise AssertionError(f"no stored text output shows {old!r}")


def test_the_comparison_with_the_run_catches_a_changed_stored_number(real_run, request,
                                                                     tmp_path):
    committed = REPO / "notebooks" / "01_trade.ipynb"
    executed = executed_notebooks(real_run.root / "reports")["notebooks/01_trade.ipynb"]
    nb = json.loads(committed.read_text(encoding="utf-8"))
    cell = _tamper_stored_output(nb, "1 400", "1 500")  # Кесте 7, exports 2021
    tampered = tmp_path / "01_trade.ipynb"
    tampered.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    problems = nbval_differences(request.session, tampered, executed)
    assert len(problems) == 1 and problems[0].startswith(f"Cell {cell}: cell outputs differ")
    assert "1 500" in problems[0] and "1 400" in problems[0]
    # control: the untouched file passes the same comparison
    assert nbval_differences(request.session, committed, executed) == []


# --------------------------------------------------------------------------- tamper


def tamper_k7_exports_2021(root: Path, printed: str = "1 500", value: str = "1500") -> None:
    """Change the printed Кесте 7 export value for 2021 (1 400 in the dissertation)."""
    path = root / "data" / "raw" / "k7_trade_2018_2023.csv"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    col = {name: header.index(name) for name in
           ("column_key", "year", "printed", "number_printed", "value")}
    hits = [r for r in rows[1:] if r and r[col["column_key"]] == "exports"
            and r[col["year"]] == "2021"]
    assert len(hits) == 1, "expected one exports cell for 2021 in Кесте 7"
    row = hits[0]
    assert (row[col["number_printed"]], row[col["value"]]) == ("1 400", "1400"), row
    row[col["printed"]] = row[col["number_printed"]] = printed
    row[col["value"]] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def nbval(root: Path, notebook: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, KAZTUR_ROOT=str(root), PYTHONHASHSEED="0")
    env.pop("KAZTUR_OUTPUT_DIR", None)
    env.pop("KAZTUR_SOURCE_DIR", None)  # see tampered_and_clean
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(notebook), "--nbval-sanitize-with",
         str(SANITIZE), "--nbval-kernel-name", "kaztur", "-p", "no:cacheprovider",
         "-o", "addopts=", "-o", "testpaths=", "--rootdir", str(root), "-q", "-rN",
         "-p", "no:randomly"],  # nbval's cells run in order, in one kernel
        cwd=root, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def tampered_and_clean(tmp_path_factory):
    require_real_notebooks()
    if not (REPO / "notebooks" / "01_trade.ipynb").is_file():
        pytest.skip("notebooks/01_trade.ipynb is not there yet")
    base = tmp_path_factory.mktemp("nbval-tamper")
    clean = copy_real_project(base / "clean")
    tampered = copy_real_project(base / "tampered")
    tamper_k7_exports_2021(tampered)
    # The tampered copy models a deliberate change of a transcribed value; the source text
    # would (rightly) refuse it, so both copies run without it, as a clone without
    # ../shared/ does (the copies have no ../shared/; KAZTUR_SOURCE_DIR must not point back).
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("KAZTUR_SOURCE_DIR", raising=False)
        for root in (clean, tampered):
            assert kaztur(root, "manifest").returncode == 0
            built = kaztur(root, "data")  # verifies every input first, as `kaztur verify` does
            assert built.returncode == 0, built.stderr
    return clean, tampered


def test_tamper_helper_changes_exactly_one_value(tmp_path):
    root = tmp_path / "p"
    (root / "data" / "raw").mkdir(parents=True)
    target = root / "data" / "raw" / "k7_trade_2018_2023.csv"
    original = (REPO / "data" / "raw" / "k7_trade_2018_2023.csv").read_text(encoding="utf-8")
    target.write_text(original, encoding="utf-8")
    tamper_k7_exports_2021(root, printed="1 400", value="1400")
    assert target.read_text(encoding="utf-8") == original  # the rewrite alone changes nothing
    tamper_k7_exports_2021(root)
    changed = target.read_text(encoding="utf-8")
    diff = [(a, b) for a, b in zip(original.splitlines(), changed.splitlines(), strict=True)
            if a != b]
    assert len(diff) == 1 and "1 500" in diff[0][1] and ",1500," in diff[0][1]


def test_nbval_passes_on_an_untouched_copy(tampered_and_clean):
    clean, _ = tampered_and_clean
    result = nbval(clean, clean / "notebooks" / "01_trade.ipynb")
    assert result.returncode == 0, result.stdout[-4000:]
    assert " passed" in result.stdout


def test_nbval_fails_when_a_raw_value_changes(tampered_and_clean):
    _, tampered = tampered_and_clean
    result = nbval(tampered, tampered / "notebooks" / "01_trade.ipynb")
    assert result.returncode == 1, result.stdout[-4000:]
    assert "failed" in result.stdout
    # the report shows the changed number (a mismatch, not a crash)
    assert "1500" in result.stdout or "1 500" in result.stdout, result.stdout[-4000:]


def test_refresh_makes_a_deliberate_change_the_new_expectation(tampered_and_clean, tmp_path):
    """After a deliberate data change, `kaztur refresh-notebooks` is the one visible step
    that updates the stored outputs; nbval then passes again and the diff shows the value.
    (On a copy: the other tamper tests need the tampered copy's notebook as it was.)"""
    tampered = shutil.copytree(tampered_and_clean[1], tmp_path / "tampered")
    notebook = tampered / "notebooks" / "01_trade.ipynb"
    before = notebook.read_text(encoding="utf-8")
    refreshed = kaztur(tampered, "refresh-notebooks", "01_trade")
    assert refreshed.returncode == 0, refreshed.stderr
    after = notebook.read_text(encoding="utf-8")
    assert after != before and "1 500" in after
    result = nbval(tampered, notebook)
    assert result.returncode == 0, result.stdout[-4000:]
