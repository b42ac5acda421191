"""Shared state of the run tests: fixture projects built once per test run, copied per test.

A pytest plugin (``pytest_plugins = ["run_fixtures"]`` in conftest.py). The run tests
(``test_run_guards``, ``test_pipeline``, ``test_environment_errors``, ``test_progress``)
used to make some 35 cold ``kaztur run`` s of a two-notebook project, each paying for the
interpreter, verifying every input, a kernel template per worker and the full claims
ledger of the real data. Here:

* **Warm projects, built once** (per test run, across pytest-xdist workers: ``shared.once``,
  a file lock in the shared base temporary folder): the standard fixture project after
  ``kaztur data``, ``kaztur check`` and a full ``kaztur run`` (both languages, with the
  ledger), so its cache
  holds every notebook, the ledger and the record that the inputs passed verification; and
  the interrupt projects (:data:`SLOW`, :data:`QUEUE`) after a first run.
* **Copied per test** (project and cache, hard links never: a test may change any file):
  :func:`warm_copy` for a test that needs a prior run; :func:`cold_copy` for a test whose
  run must execute everything itself, as a first run does (the cache keeps only the record
  that the inputs passed verification); :func:`cached_copy` without reports/ but with the
  whole cache.
* **No real ledger where no test looks at it**: the ``no_ledger`` fixture sets
  ``KAZTUR_SKIP_LEDGER`` (a run option for tests and benchmarks, see
  :func:`analysis.run.pipeline.ledger_skipped`); the tests that check the ledger do not use it.
* **Interrupts keyed on progress** (:func:`read_until`): a test stops a run when the run
  says it reached a point ("cell i", a step of ``kaztur data -v``), never after a sleep, so
  it stays meaningful when two workers share two cores.
* The extra seeds of the interrupt tests and other expensive repetitions are marked
  ``slow`` (``make test-slow``); the default run keeps one seed per signal.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from conftest import kaztur, make_fixture_project
from shared import once

SKIP_LEDGER = "KAZTUR_SKIP_LEDGER"
#: a fast notebook and a slow one (six cells of 0.75 s: a signal sent when a cell starts
#: lands inside it) under the slow one's stem
SLOW = {"00_overview.ipynb": "00_overview.ipynb", "03_energy.ipynb": "slow.ipynb"}
#: six slow notebooks: more tasks than two workers can take, so work is queued when a run
#: is stopped (the case that left ``kaztur run`` hanging at exit, issue 20)
QUEUE = {f"{stem}.ipynb": "slow.ipynb" for stem in (
    "00_overview", "03_energy", "05_checks", "seminar/seminar_01_growth",
    "seminar/seminar_02_shares", "seminar/seminar_04_contradiction")}


def pytest_configure(config: pytest.Config) -> None:
    # registered here too, so that these files run before and after the suite's own
    # configuration names the marker
    config.addinivalue_line("markers", "slow: an expensive repetition (extra seeds of the "
                                       "interrupt tests), run by `make test-slow`")


def run_env(root: Path, **extra: str) -> dict[str, str]:
    """The environment ``kaztur`` gets in ``root`` (as conftest's ``kaztur`` sets it)."""
    env = dict(os.environ, KAZTUR_ROOT=str(root), KAZTUR_CACHE_DIR=str(root / ".kaztur-cache"),
               **extra)
    env.pop("KAZTUR_OUTPUT_DIR", None)
    return env


def start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``kaztur ARGS`` in ``root``, running (stderr read line by line by :func:`read_until`);
    ``env``: more environment variables."""
    return subprocess.Popen([sys.executable, "-m", "analysis.run.cli", *args], cwd=root,
                            env=run_env(root, **(env or {})), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def read_until(proc: subprocess.Popen, predicate: Callable[[str, list[str]], bool]
               ) -> list[str]:
    """stderr lines of ``proc`` up to the first for which ``predicate(line, lines)``."""
    lines: list[str] = []
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append(line)
        if predicate(line, lines):
            return lines
    raise AssertionError("the command ended before the point to stop it:\n" + "".join(lines))


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def alive(procs: list[psutil.Process], timeout: float = 30) -> list[int]:
    """PIDs of ``procs`` still running after waiting up to ``timeout`` for them to end
    (generous: a kernel notices its parent is gone within a second or two)."""
    _, left = psutil.wait_procs(procs, timeout=timeout)
    return [p.pid for p in left if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


# --------------------------------------------------------------------------- a loaded machine

#: a sitecustomize module that makes any thread but the main one wait a second before it
#: asks whether a child process is alive (see its docstring)
LOADED_MACHINE = Path(__file__).resolve().parent / "fixtures" / "loaded_machine"


@pytest.fixture
def loaded_machine() -> dict[str, str]:
    """The environment of a command run as on a heavily loaded machine, deterministically
    (``tests/fixtures/loaded_machine/sitecustomize.py``): there the old pool of ``kaztur
    run`` hung at exit every time it was stopped with work queued (10 in 10; on an idle
    machine almost never, on the audit's 3 in 10), while a pool whose one owner of worker
    lifetimes is the main thread does not notice the difference."""
    path = os.pathsep.join(p for p in (str(LOADED_MACHINE), os.environ.get("PYTHONPATH", ""))
                           if p)
    return {"PYTHONPATH": path}


# --------------------------------------------------------------------------- warm builds


def _ok(root: Path, *args: str, **env: str) -> str:
    """``kaztur ARGS`` in ``root`` with ``env`` set, which must succeed; its stderr."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = kaztur(root, *args)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.returncode == 0, f"kaztur {' '.join(args)}:\n{result.stderr}"
    return result.stderr


#: beside the standard warm project: what its first ``kaztur run`` printed
FIRST_RUN_LOG = "first-run.stderr"


def _standard(folder: Path) -> str:
    root = make_fixture_project(folder / "project")
    _ok(root, "data")
    _ok(root, "check")
    # both languages, with the ledger, two jobs (test_pipeline reads this first run)
    (folder / FIRST_RUN_LOG).write_text(_ok(root, "run", "--jobs", "2"), encoding="utf-8")
    return str(root)


def _slow(folder: Path) -> str:
    root = make_fixture_project(folder / "project", SLOW)
    _ok(root, "run", "--lang", "kk", **{SKIP_LEDGER: "1"})
    return str(root)


def _queue(folder: Path) -> str:
    root = make_fixture_project(folder / "project", QUEUE)
    # a first report to keep (one notebook is enough: the test compares reports/ before
    # and after the stopped run)
    _ok(root, "run", "00_overview", "--lang", "kk", **{SKIP_LEDGER: "1"})
    return str(root)


@pytest.fixture(scope="session")
def warm_standard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The standard fixture project after ``kaztur data``, ``check`` and ``run --jobs 2``
    (read only: tests work on copies), the run's stderr beside it (:data:`FIRST_RUN_LOG`)."""
    return Path(once(tmp_path_factory, "run-warm-standard", _standard, keep=True))


@pytest.fixture(scope="session")
def warm_slow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:data:`SLOW` after ``kaztur run --lang kk`` without the ledger (read only)."""
    return Path(once(tmp_path_factory, "run-warm-slow", _slow, keep=True))


@pytest.fixture(scope="session")
def warm_queue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:data:`QUEUE` after ``kaztur run 00_overview --lang kk`` (read only)."""
    return Path(once(tmp_path_factory, "run-warm-queue", _queue, keep=True))


# --------------------------------------------------------------------------- copies


def _copy(source: Path, dest: Path, keep: Callable[[Path], bool]) -> Path:
    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if not keep(Path(folder) / n)]

    shutil.copytree(source, dest, symlinks=True, ignore=ignore)
    return dest


def warm_copy(source: Path, dest: Path) -> Path:
    """The whole project: inputs, data/processed, reports/ and the cache."""
    return _copy(source, dest, lambda _: True)


def cached_copy(source: Path, dest: Path) -> Path:
    """The project and its cache, without reports/: a run reuses every cached result."""
    return _copy(source, dest, lambda p: p != source / "reports")


def cold_copy(source: Path, dest: Path) -> Path:
    """The project without reports/, and of its cache only the record that its inputs
    passed verification: a run executes every notebook and builds the ledger, as a first
    run does, but does not verify the same inputs again."""
    return _copy(source, dest, lambda p: p != source / "reports"
                 and p != source / ".kaztur-cache" / "runs")


@pytest.fixture
def warm_project(warm_standard: Path, tmp_path: Path) -> Path:
    return warm_copy(warm_standard, tmp_path / "project")


@pytest.fixture
def cached_project(warm_standard: Path, tmp_path: Path) -> Path:
    return cached_copy(warm_standard, tmp_path / "project")


@pytest.fixture
def cold_project(warm_standard: Path, tmp_path: Path) -> Path:
    return cold_copy(warm_standard, tmp_path / "project")


@pytest.fixture
def no_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of this test neither build nor reuse the claims ledger (KAZTUR_SKIP_LEDGER)."""
    monkeypatch.setenv(SKIP_LEDGER, "1")


# --------------------------------------------------------------------------- read-only


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` unwritable for the command under test, then as it was. Permission bits
    do not stop root, so as root the folder is made immutable (``chattr +i``: no entry
    added, removed or renamed, the folder itself not renamed) or, failing that, a
    read-only bind mount of itself; the test is skipped where neither is allowed."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)
        return
    undo = _immutable(folder) or _read_only_mount(folder)
    if undo is None:
        pytest.skip("cannot make a folder read-only for root here (no chattr +i, no mount)")
    try:
        yield
    finally:
        undo()


def _immutable(folder: Path) -> Callable[[], None] | None:
    if shutil.which("chattr") is None:
        return None
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if done.returncode != 0:
        return None
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


def _read_only_mount(folder: Path) -> Callable[[], None] | None:
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if bind.returncode != 0:
        return None
    ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True)
    if ro.returncode != 0:
        subprocess.run(["umount", str(folder)], check=True)
        return None
    return lambda: subprocess.run(["umount", str(folder)], check=True)
