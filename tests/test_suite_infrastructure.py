"""The test suite's own machinery (tests/shared.py, tests/conftest.py) does what ``make
test`` relies on:

* ``shared.once`` builds a fixture once for all pytest-xdist workers of a run (a file lock
  in their shared folder) and tells the second worker of a failed build at once; a state it
  keeps for ``make test-slow`` is taken by a later session only when asked and only for
  the same inputs;
* the collection hook gives the tests that share a worker-bound state (the real run, the
  JupyterLab server, a module fixture, a notebook's nbval cells) one xdist group each, and
  puts each group's tests in a row;
* a pytest killed from outside (SIGKILL, as when CI or a user stops ``make test``) leaves
  no JupyterLab server, kernel or xdist worker behind: checked by PID, with and without
  xdist.

Each case runs in its own small Python or pytest process; none runs the real pipeline.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
import shared

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

# --------------------------------------------------------------------------- once

_WORKER = """
import json, os, sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from shared import once

class Factory:
    def getbasetemp(self):
        return Path(sys.argv[1])

def build(folder):
    with open(sys.argv[2], "a") as log:
        log.write(f"{{os.getpid()}}\\n")
    time.sleep(float(sys.argv[3]))
    if sys.argv[4] == "fail":
        raise ValueError("the build broke")
    (folder / "made.txt").write_text("made")
    return {{"builder": os.getpid(), "folder": str(folder)}}

print(json.dumps(once(Factory(), "thing", build)))
"""


def _workers(tmp_path: Path, outcome: str, sleep: float, together: bool) -> list:
    """Two processes asking ``once`` for the same thing, as two xdist workers would."""
    script = tmp_path / "worker.py"
    script.write_text(_WORKER.format(tests=str(TESTS)), encoding="utf-8")
    log = tmp_path / "builds.log"
    procs, done = [], []
    for worker in ("gw0", "gw1"):
        base = tmp_path / "run" / f"popen-{worker}"
        base.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PYTEST_XDIST_WORKER=worker)
        proc = subprocess.Popen([sys.executable, str(script), str(base), str(log), str(sleep),
                                 outcome], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        if together:
            procs.append(proc)
        else:
            done.append(proc.communicate(timeout=120) + (proc.returncode,))
    done += [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    return done


def test_once_builds_once_for_all_workers(tmp_path):
    results = _workers(tmp_path, "ok", sleep=1.0, together=True)
    assert [code for _, _, code in results] == [0, 0], results
    values = [json.loads(out) for out, _, _ in results]
    assert values[0] == values[1]  # the same value, built by one of them
    assert len((tmp_path / "builds.log").read_text().split()) == 1
    folder = Path(values[0]["folder"])
    assert folder.parent == tmp_path / "run" and (folder / "made.txt").is_file()


def test_a_failed_build_is_reported_to_the_other_worker_without_a_second_build(tmp_path):
    (first_out, first_err, first), (_, second_err, second) = _workers(
        tmp_path, "fail", sleep=0, together=False)
    assert first != 0 and "ValueError: the build broke" in first_err
    assert second != 0 and "thing failed when another test built it" in second_err
    assert "ValueError: the build broke" in second_err
    assert len((tmp_path / "builds.log").read_text().split()) == 1


def test_without_xdist_nothing_is_shared_with_an_earlier_run(monkeypatch, tmp_path_factory):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert shared.shared_folder(tmp_path_factory) == tmp_path_factory.getbasetemp()
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert shared.shared_folder(tmp_path_factory) == tmp_path_factory.getbasetemp().parent


# --------------------------------------------------------------------------- kept states


class _Session:
    """Two sessions' base folders (``once`` asks its factory for nothing else)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True)

    def getbasetemp(self) -> Path:
        return self.folder


def _kept_once(monkeypatch, tmp_path: Path, session: str, key: str, reuse: bool,
               builds: list[str]) -> dict:
    """``once(..., keep=True)`` in a new session (its own base folder) with the store in
    ``tmp_path``, inputs digest ``key`` and ``--reuse-kept-state`` on or off."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.setattr(shared, "kept_store", lambda: tmp_path / "store")
    monkeypatch.setattr(shared, "inputs_key", lambda: key)
    monkeypatch.setitem(shared._reuse, "on", reuse)

    def build(folder: Path) -> dict:
        builds.append(session)
        (folder / "made.txt").write_text(session)
        return {"folder": str(folder), "by": session}

    return shared.once(_Session(tmp_path / session), "state", build, keep=True)


def test_a_kept_state_is_taken_only_when_asked_and_only_for_the_same_inputs(monkeypatch,
                                                                             tmp_path):
    """Guard (make test-slow takes make test's cold real run): a session without
    ``--reuse-kept-state`` always builds (the default run keeps its own cold run); with it,
    a state kept from the same inputs is taken as it is, one from other inputs never."""
    builds: list[str] = []
    first = _kept_once(monkeypatch, tmp_path, "make-test", "k1", reuse=False, builds=builds)
    assert Path(first["folder"]).is_relative_to(tmp_path / "store")
    assert _kept_once(monkeypatch, tmp_path, "make-test-again", "k1", reuse=False,
                      builds=builds)["by"] == "make-test-again"
    taken = _kept_once(monkeypatch, tmp_path, "test-slow", "k1", reuse=True, builds=builds)
    assert taken["by"] == "make-test-again" and builds == ["make-test", "make-test-again"]
    assert (Path(taken["folder"]) / "made.txt").read_text() == "make-test-again"
    changed = _kept_once(monkeypatch, tmp_path, "test-slow-2", "k2", reuse=True, builds=builds)
    assert changed["by"] == "test-slow-2"
    # only the newest inputs' state is kept
    assert [p.name for p in (tmp_path / "store" / "state").iterdir()] == ["k2"]


def test_the_inputs_digest_follows_every_input_and_nothing_else(tmp_path):
    repo = tmp_path / "repo"
    for rel in ("src/analysis/a.py", "notebooks/n.ipynb", "data/raw/t.csv",
                "data/external/e.csv", "tests/fixtures/notebooks/f.ipynb", "requirements.lock",
                "src/analysis/__pycache__/a.cpython-311.pyc", "reports/kk/out.csv",
                "tests/test_other.py"):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(rel)
    before = shared.inputs_digest(repo)
    for rel in ("src/analysis/__pycache__/a.cpython-311.pyc", "reports/kk/out.csv",
                "tests/test_other.py"):  # not inputs of a kept state
        (repo / rel).write_text("changed")
        assert shared.inputs_digest(repo) == before, rel
    for rel in ("src/analysis/a.py", "notebooks/n.ipynb", "data/raw/t.csv",
                "data/external/e.csv", "tests/fixtures/notebooks/f.ipynb",
                "requirements.lock"):
        original = (repo / rel).read_text()
        (repo / rel).write_text(original + " ")
        assert shared.inputs_digest(repo) != before, rel
        (repo / rel).write_text(original)
    assert shared.inputs_digest(repo) == before


# --------------------------------------------------------------------------- groups

_SCRATCH_TESTS = '''
import pytest

@pytest.fixture(scope="module")
def built_once():
    return 1

@pytest.fixture(scope="module")
def shared_with_the_run():
    return 2

def test_reads_the_run(real_run): pass
def test_in_lab(lab_server): pass
def test_alone(tmp_path): pass
def test_reads_the_site(real_site, shared_with_the_run): pass
def test_in_the_handouts(handouts_server): pass
def test_with_the_runs_module_fixture(shared_with_the_run): pass
def test_with_a_module_fixture(built_once): pass

@pytest.mark.waits
def test_waits_for_a_signal(tmp_path): pass

@pytest.mark.waits
def test_waits_for_a_death(): pass
'''

_SCRATCH_MODULE = '''
import pytest

@pytest.fixture(scope="module")
def built_once():
    return 1

def test_with_the_module_fixture(built_once): pass
def test_without_it(): pass
'''

_REPORT_GROUPS = '''
import json, os

def pytest_collection_finish(session):
    found = {item.name: {"groups": [m.args[0] for m in item.iter_markers("xdist_group")],
                         "nbval": item.get_closest_marker("nbval") is not None}
             for item in session.items}
    with open(os.environ["GROUPS_FILE"], "w") as out:
        json.dump({"items": found, "order": [item.name for item in session.items]}, out)
'''


def _scratch_pytest(folder: Path, *args: str, env: dict | None = None,
                    **popen: object) -> subprocess.Popen:
    """pytest in ``folder`` with the suite's conftest as a plugin (its fixtures and hooks)
    and nothing of the repository's configuration."""
    env = dict(os.environ if env is None else env)
    env.setdefault("KAZTUR_ROOT", str(TESTS.parent))  # the project, not the scratch folder
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(folder), env.get("PYTHONPATH", "")])
    return subprocess.Popen([sys.executable, "-m", "pytest", "-p", "conftest",
                             "-p", "no:cacheprovider", "-p", "no:randomly", "-q", *args],
                            cwd=folder, env=env, **popen)


def test_tests_that_share_a_worker_bound_state_are_one_xdist_group(tmp_path):
    (tmp_path / "test_scratch.py").write_text(_SCRATCH_TESTS, encoding="utf-8")
    (tmp_path / "test_module.py").write_text(_SCRATCH_MODULE, encoding="utf-8")
    (tmp_path / "report_groups.py").write_text(_REPORT_GROUPS, encoding="utf-8")
    notebook = TESTS / "fixtures" / "notebooks" / "00_overview.ipynb"
    (tmp_path / "scratch.ipynb").write_bytes(notebook.read_bytes())
    env = dict(os.environ, GROUPS_FILE=str(tmp_path / "groups.json"))
    proc = _scratch_pytest(tmp_path, "-p", "report_groups", "--collect-only", "--nbval",
                           "test_scratch.py", "test_module.py", "scratch.ipynb", env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    report = json.loads((tmp_path / "groups.json").read_text(encoding="utf-8"))
    found = report["items"]
    # the real run is built once for all workers (shared.once) and read by any of them
    assert found["test_reads_the_run"]["groups"] == []
    assert found["test_in_lab"]["groups"] == found["test_in_the_handouts"]["groups"] == ["lab"]
    # a module fixture: its tests on one worker, whatever else they use
    assert found["test_with_the_module_fixture"]["groups"] == ["test_module.py::built_once"]
    assert found["test_with_a_module_fixture"]["groups"] == ["test_scratch.py::built_once"]
    assert found["test_reads_the_site"]["groups"] == \
        found["test_with_the_runs_module_fixture"]["groups"] == \
        ["test_scratch.py::shared_with_the_run"]
    assert found["test_alone"]["groups"] == found["test_without_it"]["groups"] == []
    # tests that mostly wait: one group, so two never wait side by side
    assert found["test_waits_for_a_signal"]["groups"] == \
        found["test_waits_for_a_death"]["groups"] == ["waits"]
    cells = {name: v for name, v in found.items() if name.startswith("Cell ")}
    assert cells and all(v == {"groups": ["nbval:scratch.ipynb"], "nbval": True}
                         for v in cells.values()), cells
    assert not any(v["nbval"] for name, v in found.items() if name not in cells)
    # each group in a row: the waiting tests first, then the group that reads the real run
    # (its build starts at once), the other groups largest first (the notebook's cells,
    # the lab, then the module fixtures in collection order), the single tests last
    order = [name for i, name in enumerate(report["order"])
             if not (name in cells and report["order"][i - 1] in cells)]
    assert order == ["test_waits_for_a_signal", "test_waits_for_a_death",
                     "test_reads_the_site", "test_with_the_runs_module_fixture",
                     "Cell 0", "test_in_lab", "test_in_the_handouts",
                     "test_with_a_module_fixture", "test_with_the_module_fixture",
                     "test_reads_the_run", "test_alone", "test_without_it"], report["order"]
    assert len(cells) > 2  # more tests than the lab's two: the cells go first


_SCRATCH_SPREAD = """
import os, time
import pytest

@pytest.fixture(scope="module")
def built_once():
    return 1

@pytest.fixture(scope="module")
def built_too():
    return 2

def _log(name):
    with open(os.environ["WORKERS_LOG"], "a") as log:
        log.write(f"{name} {os.environ['PYTEST_XDIST_WORKER']}\\n")
    time.sleep(0.3)

@pytest.mark.parametrize("i", range(6))
def test_grouped(built_once, i):
    _log(f"grouped{i}")

@pytest.mark.parametrize("i", range(4))
def test_grouped_too(built_too, i):
    _log(f"too{i}")

@pytest.mark.parametrize("i", range(12))
def test_free(i):
    _log(f"free{i}")

@pytest.mark.waits
@pytest.mark.parametrize("i", range(2))
def test_waiting(i):
    _log(f"waits{i}")
"""


@pytest.mark.waits
def test_under_xdist_a_group_stays_on_one_worker(tmp_path):
    """``-n 2 --dist loadgroup`` as ``make test`` runs it: the tests of one group (here a
    module fixture's, and the waiting tests) all run on one worker, while the others are
    spread over both; the workers take the tests in the suite's order (the waiting tests
    first), not re-sorted by pytest-xdist (which would send the larger groups first)."""
    (tmp_path / "test_spread.py").write_text(_SCRATCH_SPREAD, encoding="utf-8")
    log = tmp_path / "workers.log"
    env = dict(os.environ, WORKERS_LOG=str(log))
    proc = _scratch_pytest(tmp_path, "-n", "2", "--dist", "loadgroup", "test_spread.py",
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    ran = dict(lines)
    assert len(ran) == 24
    for group in ("grouped", "too", "waits"):
        assert len({w for name, w in ran.items() if name.startswith(group)}) == 1, ran
    assert len({w for name, w in ran.items() if name.startswith("free")}) == 2, ran
    # each worker's first test starts at once, 0.3 s before any other: one is the first
    # waiting test
    assert "waits0" in [name for name, _ in lines[:2]], lines


# ------------------------------------------------------ a killed pytest leaves nothing

_HOLD = '''
import json, os, time
from pathlib import Path

import psutil

def test_hold_a_server_and_a_kernel(lab_server):
    lab_server.api("api/kernels", method="POST", body={}, timeout=60)
    server = psutil.Process(lab_server.process.pid)
    deadline = time.monotonic() + 120
    while not server.children() and time.monotonic() < deadline:
        time.sleep(0.2)
    pids = {"pytest": os.getpid(), "server": server.pid,
            "kernels": [p.pid for p in server.children(recursive=True)]}
    Path(os.environ["PIDS_FILE"]).write_text(json.dumps(pids))
    time.sleep(600)
'''


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_for(path: Path, proc: subprocess.Popen, log: Path, limit: float = 240) -> dict:
    deadline = time.monotonic() + limit
    while not path.is_file():
        if proc.poll() is not None:
            pytest.fail(f"the scratch pytest ended ({proc.returncode}) before its server "
                        f"was up:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"no server after {limit:.0f} s:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    time.sleep(0.2)  # the file is written in one call; let it land
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.waits
@pytest.mark.parametrize("workers", [[], ["-n", "1"]], ids=["plain", "xdist"])
def test_a_killed_pytest_leaves_no_server_kernel_or_worker(tmp_path, workers):
    """SIGKILL of pytest (nothing of pytest runs after it) while a test holds the suite's
    JupyterLab with a kernel: within a generous wait (a hang detector, not a timing
    assertion) the server, its kernel and (with xdist) the worker are gone."""
    (tmp_path / "test_hold.py").write_text(textwrap.dedent(_HOLD), encoding="utf-8")
    pids_file, log = tmp_path / "pids.json", tmp_path / "pytest.log"
    env = dict(os.environ, PIDS_FILE=str(pids_file))
    with open(log, "wb") as sink:
        proc = _scratch_pytest(tmp_path, "-s", *workers, "test_hold.py", env=env,
                               stdout=sink, stderr=subprocess.STDOUT)
    try:
        pids = _wait_for(pids_file, proc, log)
        held = {"server": [pids["server"]], "kernel": pids["kernels"],
                "worker": [pids["pytest"]] if workers else []}
        assert pids["kernels"], "the scratch test started no kernel"
        assert (pids["pytest"] != proc.pid) == bool(workers)
        processes = [(what, psutil.Process(pid)) for what, found in held.items()
                     for pid in found]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    deadline = time.monotonic() + 60
    while any(_alive(p) for _, p in processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [(what, p.pid) for what, p in processes if _alive(p)]
    for _, p in processes:  # never leave them running, whatever the verdict
        if _alive(p):
            p.kill()
    assert left == [], f"alive after pytest was killed: {left}"


#: how a test module marks a test slow: the decorator, or ``marks=`` of a parameter (this
#: module only names the pattern, escaped, so it is not counted itself)
_MARKS_SLOW = re.compile(r"\bpytest\.mark\.slow\b")


def test_make_test_slow_names_every_module_that_marks_a_test_slow():
    """``make test-slow`` collects only the modules in the Makefile's ``SLOW_TESTS``: a slow
    test in a module not named there would never run, and a named module without one
    would be collected for nothing."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^SLOW_TESTS\s*:?=(.*)$", makefile, re.MULTILINE)
    assert found, "the Makefile defines no SLOW_TESTS"
    named = sorted(found.group(1).split())
    marking = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "tests").glob("test_*.py")
                     if _MARKS_SLOW.search(p.read_text(encoding="utf-8")))
    assert marking, "no test module marks a test slow"
    assert named == marking
    assert re.search(r"\ntest-slow:[^\n]*\n\t\$\(PYTEST\) -m slow [^\n]*\$\(SLOW_TESTS\)\n",
                     makefile)
