"""Shared fixtures: temporary projects, the ``kaztur`` command run in them, and one cold
pipeline run of the real notebooks reused by every test that needs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["run_fixtures"]

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SANITIZE = REPO / "notebooks" / "nbval_sanitize.cfg"

# The fixture notebooks are inputs of the pipeline tests, not notebooks to check with nbval.
collect_ignore_glob = ["fixtures/*"]


def pytest_configure(config: pytest.Config) -> None:
    # Kernels started by nbval inherit this environment: the same hash seed and quiet
    # debugger as the pipeline's kernels, so stored outputs compare like for like.
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def kaztur(root: Path, *args: str, cache: Path | None = None, timeout: float = 900) -> Result:
    """Run ``kaztur ARGS`` on the project at ``root`` (a copy: nothing in the checkout)."""
    env = dict(os.environ)
    env["KAZTUR_ROOT"] = str(root)
    env["KAZTUR_CACHE_DIR"] = str(cache or root / ".kaztur-cache")
    env.pop("KAZTUR_OUTPUT_DIR", None)
    proc = subprocess.run([sys.executable, "-m", "analysis.run.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def make_fixture_project(path: Path, notebooks: dict[str, str] | None = None) -> Path:
    """A small project: the real data packages of data/raw and data/external (every command
    verifies them before it writes),
    one extra file ``sample.csv`` that is not part of it (the fixture notebooks print it),
    and fixture notebooks (``{target name: fixture file}``) under notebooks/."""
    notebooks = notebooks or {"00_overview.ipynb": "00_overview.ipynb",
                              "01_trade.ipynb": "01_trade.ipynb"}
    shutil.copytree(REPO / "data" / "raw", path / "data" / "raw")
    shutil.copytree(REPO / "data" / "external", path / "data" / "external")
    (path / "data" / "processed").mkdir(parents=True)
    (path / "data" / "raw" / "sample.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (path / "notebooks").mkdir()
    for target, source in notebooks.items():
        dest = path / "notebooks" / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / "notebooks" / source, dest)
    return path


@pytest.fixture
def fixture_project(tmp_path: Path) -> Path:
    return make_fixture_project(tmp_path / "project")


def real_notebooks() -> list[Path]:
    from analysis.run.pipeline import discover

    return [nb.path for nb in discover(REPO / "notebooks")]


def copy_real_project(dest: Path, source: Path = REPO) -> Path:
    """The checkout's data/raw and notebooks in a temporary folder."""
    from analysis.run.pipeline import copy_project

    return copy_project(dest, source)


def require_real_notebooks() -> None:
    if not real_notebooks():
        pytest.skip("the analysis notebooks are not in notebooks/ yet")
    if not (REPO / "data" / "raw" / "datapackage.json").is_file():
        pytest.skip("data/raw/datapackage.json is not there yet")


@dataclass
class RealRun:
    root: Path
    cache: Path
    data: Result
    run: Result

    @property
    def manifest(self) -> dict:
        return self.language_manifest("kk")

    def language_manifest(self, lang: str) -> dict:
        path = self.root / "reports" / lang / "manifest.json"
        return json.loads(path.read_text(encoding="utf-8"))


def cold_real_run(base: Path, source: Path = REPO) -> RealRun:
    root = copy_real_project(base / "project", source)
    cache = base / "cache"
    data = kaztur(root, "data")
    assert data.returncode == 0, data.stderr
    run = kaztur(root, "run", "--force", cache=cache)
    assert run.returncode == 0, run.stderr
    return RealRun(root, cache, data, run)


@pytest.fixture(scope="session")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> RealRun:
    """One cold ``kaztur data`` + ``kaztur run --force`` of the real notebooks, shared."""
    require_real_notebooks()
    return cold_real_run(tmp_path_factory.mktemp("real-run-a"))


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory):
    """JupyterLab started exactly as `kaztur lab` starts it, headless, serving a temporary
    copy of notebooks/ (so no checkpoints land in the repo); shared by the lab and browser
    tests and shut down at the end."""
    from analysis import config
    from analysis.run import lab

    work = tmp_path_factory.mktemp("lab")
    notebooks = work / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    with lab.running_server(notebooks, work, timeout=60) as running:
        yield running
    assert running.process.poll() is not None, "JupyterLab still running after teardown"


@pytest.fixture(scope="session")
def handouts_server(tmp_path_factory: pytest.TempPathFactory):
    """JupyterLab serving freshly written English handouts, as `kaztur lab --handouts
    --lang en` serves reports/handouts/en/ (here a temporary folder)."""
    from analysis.run import handouts, lab

    work = tmp_path_factory.mktemp("lab-handouts")
    folder = handouts.ensure(work / "handouts" / "en", "en").folder
    with lab.running_server(folder, work, timeout=60) as running:
        yield running
    assert running.process.poll() is not None, "JupyterLab still running after teardown"


@dataclass
class BuiltSite:
    reports: Path
    output: str  # what `python -m analysis.run.site` printed

    def page(self, lang: str, doc: str) -> Path:
        return self.reports / "site" / lang / f"{doc}.html"


@pytest.fixture(scope="session")
def real_site(real_run: RealRun, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site built (`python -m analysis.run.site`) from a copy of the shared real run's
    reports/ (with the ledger the run wrote in each language), so the real run stays as it
    was."""
    reports = tmp_path_factory.mktemp("site") / "reports"
    shutil.copytree(real_run.root / "reports", reports)
    proc = subprocess.run([sys.executable, "-m", "analysis.run.site", "--reports",
                           str(reports)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuiltSite(reports, proc.stdout)
