"""Shared fixtures: temporary projects, the ``kaztur`` command run in them, and the
expensive state the suite shares, each built once per test run however many pytest-xdist
workers ask for it (``shared.once``):

* ``real_run``: one cold ``kaztur data`` + ``kaztur run --force`` of the real notebooks
  (kept for ``make test-slow``: tests/shared.py);
* ``real_site``: the site built from a copy of that run's reports/;
* ``shipped_ledger``: the claims ledger of the shipped data (``ledger.build()``);
* ``lab_server`` / ``handouts_server``: one JupyterLab (started as ``kaztur lab`` starts it)
  serving a copy of notebooks/ and freshly written English handouts side by side, started
  when a test first needs it and stopped after the last test in a row that needs it.

``make test`` runs ``pytest -n 2 --dist loadgroup``. A state that lives in one worker
process (the JupyterLab server, a module-scoped fixture) is given to one worker: the tests
that share one are one group (tests/scheduling.py). Every other test, the readers of the
real run among them, goes to whichever worker is free. A killed
``make test`` leaves nothing behind: a worker whose main pytest is gone stops (execnet
interrupts it, then exits it), and the JupyterLab server it started ends with it
(``analysis.run.lab.running_server``), its kernels with the server
(tests/test_suite_infrastructure.py checks it by PID).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import scheduling
import shared
from shared import once

pytest_plugins = ["run_fixtures"]

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SANITIZE = REPO / "notebooks" / "nbval_sanitize.cfg"

# The fixture notebooks are inputs of the pipeline tests, not notebooks to check with nbval.
collect_ignore_glob = ["fixtures/*"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(shared.REUSE_OPTION, action="store_true", default=False,
                     help="take the real run and the warm fixture projects as an earlier "
                          "session of this checkout kept them from the same inputs (make "
                          "test keeps them; make test-slow passes this); see tests/shared.py")


def pytest_configure(config: pytest.Config) -> None:
    shared.configure(config)
    # Kernels started by nbval inherit this environment: the same hash seed and quiet
    # debugger as the pipeline's kernels, so stored outputs compare like for like.
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        # the xdist controller: a folder for the groups its workers collect (they inherit
        # the environment)
        folder = tempfile.mkdtemp(prefix="kaztur-test-groups-")
        os.environ[scheduling.GROUPS_ENV] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


# --- scheduling under pytest-xdist (tests/scheduling.py) ------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark nbval's cells ``nbval`` (``pytest --nbval -m nbval`` selects them), put the
    tests that share a worker-bound state in one xdist group and in a row; a worker tells
    the controller which test is in which group."""
    scheduling.mark_and_order(items)
    scheduling.write_groups(items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getvalue("dist") != "loadgroup":
        return None
    return scheduling.make_scheduler(config, log)


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
    """One cold ``kaztur data`` + ``kaztur run --force`` of the real notebooks per test run
    (all workers), shared; tests read it and never change it (copy what you change)."""
    require_real_notebooks()
    return once(tmp_path_factory, "real-run", cold_real_run, keep=True)


@pytest.fixture(scope="session")
def shipped_ledger(tmp_path_factory: pytest.TempPathFactory):
    """The claims ledger of the shipped data, ``ledger.build()`` once per test run (all
    workers). Shared: a test or module that changes the frame works on a ``.copy()``."""
    from analysis.checks import ledger

    return once(tmp_path_factory, "shipped-ledger", lambda _folder: ledger.build())


# --- the suite's JupyterLab -----------------------------------------------------------


@dataclass
class ServedFolder:
    """One folder of the suite's JupyterLab, seen as a server on that folder alone (as
    ``kaztur lab`` or ``kaztur lab --handouts`` serves it): contents paths and notebook
    URLs are relative to the folder; the rest is the server's."""

    server: object  # analysis.run.lab.LabServer
    folder: str     # relative to the server's root, "/"-separated

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def token(self) -> str:
        return self.server.token

    @property
    def process(self) -> subprocess.Popen:
        return self.server.process

    def api(self, path: str, **kwargs: object) -> object:
        path = path.lstrip("/")
        if path == "api/contents" or path.startswith("api/contents/"):
            path = f"api/contents/{self.folder}" + path[len("api/contents"):]
        return self.server.api(path, **kwargs)

    def page_config(self) -> dict:
        return self.server.page_config()

    def lab_url(self, notebook: str, workspace: str | None = None) -> str:
        return self.server.lab_url(f"{self.folder}/{notebook}", workspace)


class SuiteLab:
    """The JupyterLab of the lab and browser tests: one server (per worker; those tests
    are one xdist group, so one per run), started as ``kaztur lab`` starts it, headless,
    serving a temporary copy of notebooks/ (no checkpoints land in the repo) and English
    handouts written afresh, as ``kaztur lab --handouts --lang en`` would. Started by the
    first test that needs it, stopped after the last test in a row that needs it."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.server = None
        self.stack = contextlib.ExitStack()

    def folder(self, name: str) -> ServedFolder:
        if self.server is None:
            self.server = self._start()
        return ServedFolder(self.server, name)

    def _start(self):
        from analysis import config
        from analysis.run import handouts, lab

        work = self.factory.mktemp("lab")
        served = work / "served"
        shutil.copytree(config.NOTEBOOKS_DIR, served / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        handouts.ensure(served / "handouts" / "en", "en")
        return self.stack.enter_context(lab.running_server(served, work, timeout=60))

    def stop(self) -> None:
        server, self.server = self.server, None
        self.stack.close()
        if server is not None:
            assert server.process.poll() is not None, "JupyterLab still running after stop"


_SUITE_LAB = pytest.StashKey[SuiteLab]()


@pytest.fixture(scope="session")
def suite_lab(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config):
    running = SuiteLab(tmp_path_factory)
    pytestconfig.stash[_SUITE_LAB] = running
    yield running
    running.stop()


@pytest.fixture
def lab_server(suite_lab: SuiteLab) -> ServedFolder:
    """JupyterLab on a temporary copy of notebooks/, as ``kaztur lab`` serves it."""
    return suite_lab.folder("notebooks")


@pytest.fixture
def handouts_server(suite_lab: SuiteLab) -> ServedFolder:
    """JupyterLab on freshly written English handouts, as ``kaztur lab --handouts --lang
    en`` serves reports/handouts/en/ (here a temporary folder)."""
    return suite_lab.folder("handouts/en")


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Stop the suite's JupyterLab after the last test in a row that uses it."""
    running = item.config.stash.get(_SUITE_LAB, None)
    if running is None or running.server is None:
        return
    if nextitem is None or not scheduling.LAB & set(getattr(nextitem, "fixturenames", ())):
        running.stop()


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
    was; once per test run."""

    def build(folder: Path) -> BuiltSite:
        reports = folder / "reports"
        shutil.copytree(real_run.root / "reports", reports)
        proc = subprocess.run([sys.executable, "-m", "analysis.run.site", "--reports",
                               str(reports)], capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return BuiltSite(reports, proc.stdout)

    return once(tmp_path_factory, "real-site", build)
