"""papermill executes the notebooks, and papermill's own command line gives what ``kaztur run``
gives.

* ``kaztur run``'s executed notebooks are papermill's: its records (the parameters, each
  cell's status) are in them, its clock readings are not (the ``kaztur`` engine drops
  them, so two runs give the same bytes), and the paths are the project's, not a worker's
  temporary copy.
* papermill's command line on one notebook, in a copy of the project with
  ``KAZTUR_OUTPUT_DIR`` set (where ``kaztur run`` points each notebook): with papermill's
  default engine (an ordinary kernel) and with ``--engine kaztur`` (found through
  papermill's entry point), the outputs nbval compares are those stored in the committed
  notebook, which ``test_nbval`` holds to the shared real run's; and the tables, figures
  and results the notebook writes are the shared real run's, byte for byte. The slow set
  does the same for every other notebook with papermill's default engine.
* A failing cell: the partly executed notebook carries papermill's error banner, and the
  run's message still names the cell of the notebook file
  (``test_pipeline.test_failure_leaves_previous_reports_untouched``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_real_project, real_notebooks
from test_nbval import nbval_differences

from analysis.run.papermill_engine import ERROR_TAG, TIMINGS

PAPERMILL = Path(sys.executable).parent / "papermill"
ONE = "notebooks/03_energy.ipynb"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".ipynb"}


def _papermill(project: Path, rel: str, out: Path, *engine: str) -> Path:
    """``papermill [--engine E] notebooks/<nb> OUT -k kaztur -p lang kk`` in ``project``;
    the notebook's tables and figures go to ``out``."""
    env = dict(os.environ, KAZTUR_ROOT=str(project), KAZTUR_OUTPUT_DIR=str(out))
    executed = out / Path(rel).name
    out.mkdir(parents=True)
    proc = subprocess.run(
        [str(PAPERMILL), *engine, str(project / rel), str(executed), "-k", "kaztur",
         "-p", "lang", "kk", "--no-progress-bar", "--cwd", str((project / rel).parent)],
        env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return executed


def _same_as_the_run(request: pytest.FixtureRequest, real_run, rel: str,
                     executed: Path) -> None:
    problems = nbval_differences(request.session, REPO / rel, executed)
    assert not problems, "\n\n".join(problems)
    stem = Path(rel).stem
    ran = _files(next((real_run.root / "reports" / "kk").rglob(f"{stem}.ipynb")).parent)
    wrote = _files(executed.parent)
    assert sorted(wrote) == sorted(ran)
    changed = [name for name in ran if wrote[name] != ran[name]]
    assert not changed, f"{rel}: not the bytes of kaztur run's outputs: {changed}"


def test_the_banner_tag_is_papermills():
    from papermill.execute import ERROR_MARKER_TAG

    assert ERROR_TAG == ERROR_MARKER_TAG


def test_kaztur_run_executes_through_papermill(real_run):
    executed = real_run.root / "reports" / "kk" / "03_energy" / "03_energy.ipynb"
    nb = json.loads(executed.read_text(encoding="utf-8"))
    record = nb["metadata"]["papermill"]
    assert record["parameters"]["lang"] == "kk"
    assert record["input_path"] == ONE
    assert record["output_path"] == "reports/kk/03_energy/03_energy.ipynb"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["metadata"]["papermill"]["status"] for c in code] == ["completed"] * len(code)
    injected = [c for c in code if "injected-parameters" in c["metadata"]["tags"]]
    assert len(injected) == 1 and "".join(injected[0]["source"]).startswith("# Parameters")
    assert injected[0]["id"] == "injected-parameters"  # not papermill's random id
    for meta in [record] + [c["metadata"]["papermill"] for c in nb["cells"]]:
        assert not set(TIMINGS) & set(meta), meta
    assert all("execution" not in c["metadata"] for c in nb["cells"])


@pytest.mark.parametrize("engine", [(), ("--engine", "kaztur")],
                         ids=["default engine", "kaztur engine"])
def test_papermills_command_line_gives_the_runs_outputs(real_run, request, tmp_path, engine):
    project = copy_real_project(tmp_path / "project")
    executed = _papermill(project, ONE, tmp_path / "out", *engine)
    _same_as_the_run(request, real_run, ONE, executed)
    if engine:  # the kaztur engine leaves no clock readings, papermill's records stay
        nb = json.loads(executed.read_text(encoding="utf-8"))
        assert nb["metadata"]["papermill"]["parameters"] == {"lang": "kk"}
        assert not set(TIMINGS) & set(nb["metadata"]["papermill"])


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in real_notebooks() if p != REPO / ONE],
                         ids=lambda p: p.relative_to(REPO / "notebooks").as_posix())
def test_every_notebook_through_papermills_command_line(real_run, request, tmp_path, path):
    """The default engine's case above, for every other notebook (``ONE`` is checked by
    the default run, which CI runs too)."""
    project = copy_real_project(tmp_path / "project")
    rel = path.relative_to(REPO).as_posix()
    _same_as_the_run(request, real_run, rel, _papermill(project, rel, tmp_path / "out"))
