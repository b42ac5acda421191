"""The guards of a crash-only run: the lock, interrupts, kills, the cache check, one root,
verify before write, whole-folder swaps, the ledger kept current, the worker pool.

Each test names the guard it bites on; the mutations tried are listed in the run report.
Processes are checked by PID (psutil), never by name; no test asserts a duration (a
``timeout`` on a process is a hang detector: a run that does not end fails the test).
Projects come from :mod:`run_fixtures` (built once per test run, copied per test); a test
stops a run at a point the run reports (a cell started, a step of ``-v``), never after a
sleep.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest
from conftest import REPO, kaztur, make_fixture_project
from run_fixtures import (
    SKIP_LEDGER,
    alive,
    cold_copy,
    descendants,
    read_until,
    run_env,
    start,
    warm_copy,
)
from test_nbval import tamper_k7_exports_2021
from test_pipeline import _sources, _tree

from analysis.data import processed as store
from analysis.run import staging

HANG = 60  # seconds: a stopped or refused run that has not ended by then hangs


# --------------------------------------------------------------------------- the lock


HOLD_AND_DIE = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from analysis.run.staging import project_lock
    with project_lock(Path(sys.argv[1]), "run", print):
        child = os.fork()
        if child == 0:          # a worker forked while the lock is held
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            time.sleep(60)
            os._exit(0)
        print(child, flush=True)
        os.kill(os.getpid(), 9)  # the owner is killed; its worker lives on
""")


def test_lock_is_not_inherited_and_is_freed_with_its_owner(tmp_path):
    """Guard: the lock (lockf, not flock). A worker that outlives a killed run must not keep
    the project locked; the next run says the previous one was stopped."""
    proc = subprocess.run([sys.executable, "-c", HOLD_AND_DIE, str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr
    child = int(proc.stdout.split()[-1])
    try:
        assert psutil.pid_exists(child)
        check = subprocess.run(
            [sys.executable, "-c",
             "import sys; from pathlib import Path; from analysis.run.staging import "
             "project_lock\nwith project_lock(Path(sys.argv[1]), 'run', print) as stale:\n"
             "    print('STALE' if stale else 'CLEAN')", str(tmp_path)],
            capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        assert "STALE" in check.stdout and "stopped before it finished" in check.stdout
        assert "waiting" not in check.stdout
    finally:
        os.kill(child, signal.SIGKILL)


@pytest.mark.waits
def test_a_busy_lock_is_waited_for_never_shared(tmp_path):
    """Guard: one run at a time. A second command waits (saying who holds the lock) and
    gets it only once the first has ended."""
    finished = tmp_path / "holder-finished"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from analysis.run.staging import "
         "project_lock\nwith project_lock(Path(sys.argv[1]), 'data', print):\n"
         "    print('HELD', flush=True); time.sleep(3); Path(sys.argv[2]).write_text('x')",
         str(tmp_path), str(finished)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "HELD"
    notes: list[str] = []
    with staging.project_lock(tmp_path, "run", notes.append) as stale:
        assert finished.exists(), "the lock was shared with a live holder"
        assert not stale
    holder.wait(timeout=30)
    assert len(notes) == 1 and f"PID {holder.pid}" in notes[0] and "waiting" in notes[0]


# --------------------------------------------------------------------------- interrupts


@pytest.mark.waits
@pytest.mark.parametrize("sig, seed", [
    (signal.SIGINT, 1), (signal.SIGTERM, 3),
    pytest.param(signal.SIGINT, 2, marks=pytest.mark.slow)])
def test_interrupt_stops_everything_at_once(warm_queue, tmp_path, monkeypatch,
                                           loaded_machine, sig, seed):
    """Guard: signal handling and the pool's one owner of worker lifetimes. One line, exit
    130/143, no traceback, no process of the run left, no staging folder, reports/ as it
    was; at a seeded cell of a slow notebook while more notebooks wait (twelve, in both
    languages) than the two workers can take, on a machine as loaded as the audit's
    (``loaded_machine``). There the old pool (ProcessPoolExecutor, its workers reaped
    behind its back) never exited, 10 times in 10: the ``timeout`` is that hang's
    detector."""
    monkeypatch.setenv(SKIP_LEDGER, "1")
    root = warm_copy(warm_queue, tmp_path / "p")
    before = _tree(root / "reports")
    cell = random.Random(seed).randint(2, 5)
    proc = start(root, "run", "--force", "-v", "-j", "2", env=loaded_machine)
    read_until(proc, lambda line, _: f"kk/03_energy: cell {cell}/" in line)
    procs = descendants(proc.pid)
    assert procs, "no worker or kernel to stop"
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"kaztur run did not end within {HANG} s of {sig.name}: it hangs")
    assert proc.returncode == 128 + sig, err
    assert "Traceback" not in err
    assert err.count("interrupted") == 1 and "reports/ was left as it was" in err
    assert alive(procs, timeout=10) == []
    assert not list(root.glob(".reports-*"))
    assert _tree(root / "reports") == before


@pytest.mark.waits
@pytest.mark.parametrize("seed", [4, pytest.param(5, marks=pytest.mark.slow)])
def test_after_sigkill_nothing_survives_and_the_next_run_finishes(warm_slow, tmp_path,
                                                                  monkeypatch, seed):
    """Guard: workers and the run's kernel template die with their parent (parent-death
    signal) and kernels with the template; the lock is the OS's, so the next run neither
    hangs nor waits."""
    monkeypatch.setenv(SKIP_LEDGER, "1")
    root = warm_copy(warm_slow, tmp_path / "p")
    before = _tree(root / "reports")
    cell = random.Random(seed).randint(2, 5)
    proc = start(root, "run", "--force", "-v", "--lang", "kk", "-j", "2")
    read_until(proc, lambda line, _: f"kk/03_energy: cell {cell}/" in line)
    procs = descendants(proc.pid)
    proc.kill()
    proc.communicate(timeout=30)
    assert alive(procs) == [], "processes of the killed run are still running"
    assert _tree(root / "reports") == before
    again = kaztur(root, "run", "--lang", "kk", timeout=300)
    assert again.returncode == 0, again.stderr
    assert "stopped before it finished" in again.stderr
    assert not list(root.glob(".reports-*"))


#: the steps ``kaztur data -v`` and ``kaztur check -v`` report, in order
STEPS = {"data": ("inputs verified", "datasets built", "files written"),
         "check": ("inputs verified", "ledger built")}


@pytest.mark.parametrize("command, seed", [("data", 6), ("check", 8),
                                           pytest.param("data", 7, marks=pytest.mark.slow)])
def test_interrupting_data_and_check_leaves_outputs_whole(warm_standard, tmp_path, command,
                                                          seed):
    """Guard: the same handling for ``kaztur data`` and ``kaztur check``, at a seeded step
    (from ``-v``): exit 130 with one line (or, if it finished first, 0), never a traceback
    or a mix."""
    root = warm_copy(warm_standard, tmp_path / "p")  # after data (and check, in the run)
    outputs = root / ("data/processed" if command == "data" else "reports")
    before = _tree(outputs)
    step = random.Random(seed).choice(STEPS[command])
    proc = start(root, command, "-v")
    read_until(proc, lambda line, _: step in line)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    assert proc.returncode in (0, 130), err
    if proc.returncode == 130:
        assert err.strip().splitlines()[-1].startswith(f"kaztur {command}: interrupted")
    assert _tree(outputs) == before  # same inputs: same bytes, whichever way it ended
    assert not [p for p in outputs.parent.iterdir() if p.name.startswith(f".{outputs.name}-")]
    assert not list(outputs.rglob(".*.tmp"))


@pytest.mark.parametrize("seed", [9, pytest.param(10, marks=pytest.mark.slow),
                                  pytest.param(11, marks=pytest.mark.slow)])
def test_sigkill_during_data_leaves_old_or_new_never_a_mix(warm_standard, tmp_path, seed):
    """Guard: data/processed/ is staged and swapped whole; the next build cleans up."""
    root = warm_copy(warm_standard, tmp_path / "p")  # data/processed/ built
    old = _tree(root / "data" / "processed")
    tamper_k7_exports_2021(root)
    assert kaztur(root, "manifest").returncode == 0
    step = random.Random(seed).choice(STEPS["data"])
    proc = start(root, "data", "-v")
    read_until(proc, lambda line, _: step in line)
    proc.kill()
    proc.communicate(timeout=60)
    now = _tree(root / "data" / "processed")
    assert now == old or now != old and kaztur(root, "data").returncode == 0 and \
        _tree(root / "data" / "processed") == now
    assert kaztur(root, "data").returncode == 0
    new = _tree(root / "data" / "processed")
    assert new != old
    assert not [p for p in (root / "data").iterdir() if p.name.startswith(".processed-")]


def test_an_empty_external_file_is_refused_before_any_worker(warm_queue, tmp_path,
                                                            loaded_machine):
    """Guard: the one pre-check covers data/external/. An empty energy_institute.csv used
    to start the workers, fail the ledger in one of them and, with notebooks still queued,
    leave ``kaztur run`` hanging at exit (3 of 10 runs in the audit, every run on the
    ``loaded_machine``); now nothing starts. The ``timeout`` is the hang detector."""
    root = cold_copy(warm_queue, tmp_path / "p")
    before = _tree(root)
    (root / "data" / "external" / "energy_institute.csv").write_bytes(b"")
    proc = start(root, "run", "--force", "-j", "2", env=loaded_machine)
    try:
        out, err = proc.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"kaztur run did not end within {HANG} s: it hangs")
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "executing" not in err
    assert "data/external/energy_institute.csv: expected a CSV file with a header row, " \
           "got 'empty file'" in err
    assert err.count("energy_institute.csv: expected a CSV file") == 1  # listed once
    (root / "data" / "external" / "energy_institute.csv").write_bytes(
        (warm_queue / "data" / "external" / "energy_institute.csv").read_bytes())
    after = _tree(root)
    assert {k: v for k, v in after.items() if not k.startswith(".kaztur-cache/")} == \
        {k: v for k, v in before.items() if not k.startswith(".kaztur-cache/")}
    assert not (root / "reports").exists()


# --------------------------------------------------------------------------- the cache


def _kk_entry(runs: Path, stem: str) -> Path:
    """The cache entry of ``stem`` in Kazakh (the warm cache holds both languages)."""
    (entry,) = [meta.parent for meta in runs.glob(f"{stem}/*/run.json")
                if json.loads(meta.read_text(encoding="utf-8"))["lang"] == "kk"]
    return entry


def test_a_damaged_cache_entry_is_re_executed(warm_project):
    """Guard: cache entries are verified (sha256 of each file) before reuse."""
    root = warm_project
    assert kaztur(root, "run", "--lang", "kk").returncode == 0
    runs = root / ".kaztur-cache" / "runs"
    (notebook,) = _kk_entry(runs, "01_trade").glob("01_trade.ipynb")
    notebook.write_text(notebook.read_text()[:100])  # truncated
    (png,) = _kk_entry(runs, "00_overview").glob("figures/fixture_line.png")
    png.unlink()
    result = kaztur(root, "run", "--lang", "kk")
    assert result.returncode == 0, result.stderr
    assert "kk/01_trade: cached result damaged (01_trade.ipynb does not match" in result.stderr
    assert "kk/00_overview: cached result damaged (figures/fixture_line.png is missing)" \
        in result.stderr
    assert _sources(root) == {"00_overview": "executed", "01_trade": "executed"}
    json.loads((root / "reports" / "kk" / "01_trade" / "01_trade.ipynb").read_text())
    assert (root / "reports" / "kk" / "00_overview" / "figures" / "fixture_line.png").is_file()


def test_failed_records_are_cleaned(warm_project):
    root = warm_project
    failed = root / ".kaztur-cache" / "failed" / "kk" / "gone_notebook"
    failed.mkdir(parents=True)
    (failed / "gone_notebook.ipynb").write_text("{}")
    assert kaztur(root, "run", "--lang", "kk").returncode == 0
    assert not failed.exists()


# --------------------------------------------------------------------------- one root


def test_the_root_is_where_the_user_is_never_the_installed_checkout(tmp_path):
    """Guard: config.find_root. A copy without its descriptor is still the project: the
    missing descriptor is an error there, and the checkout is not touched."""
    root = make_fixture_project(tmp_path / "copy")
    (root / "data" / "raw" / "datapackage.json").unlink()
    env = {k: v for k, v in os.environ.items() if k not in ("KAZTUR_ROOT", "KAZTUR_OUTPUT_DIR")}
    checkout_processed = _tree(REPO / "data" / "processed")
    for cwd in (root, root / "notebooks"):
        for command in ("verify", "data"):
            proc = subprocess.run([sys.executable, "-m", "analysis.run.cli", command], cwd=cwd,
                                  env=env, capture_output=True, text=True, timeout=300)
            assert proc.returncode == 1, proc.stdout
            assert "data/raw/datapackage.json" in proc.stderr
            assert "match their checksums" not in proc.stdout
    assert _tree(REPO / "data" / "processed") == checkout_processed
    nowhere = tmp_path / "elsewhere"
    nowhere.mkdir()
    proc = subprocess.run([sys.executable, "-m", "analysis.run.cli", "verify"], cwd=nowhere,
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "no project at" in proc.stderr


# --------------------------------------------------------------------------- verify first


def _negative_export(root: Path) -> None:
    path = root / "data" / "raw" / "k7_trade_2018_2023.csv"
    text = path.read_text(encoding="utf-8")
    assert ",1 400,1400," in text
    path.write_text(text.replace(",1 400,1400,", ",-1 400,-1400,", 1), encoding="utf-8")


@pytest.mark.parametrize("command", ["data", "run", "check"])
def test_bad_raw_data_is_refused_before_any_write(warm_project, command):
    """Guard: preflight.require_verified in kaztur data, run and check; one message per
    problem (a checksum and a rule here), nothing written, no kernel started."""
    root = warm_project  # after kaztur data and kaztur run
    before = {"processed": _tree(root / "data" / "processed"), "reports": _tree(root / "reports")}
    _negative_export(root)
    result = kaztur(root, command)
    assert result.returncode == 1
    assert "bad input data" in result.stderr
    assert "executing" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "k7_trade_2018_2023.csv" in line]
    assert any("checksum" in line for line in lines)
    rule = [line for line in lines if "a non-negative value" in line]
    assert len(rule) == 1, result.stderr  # once, not once per column
    assert {"processed": _tree(root / "data" / "processed"),
            "reports": _tree(root / "reports")} == before


def test_verify_warns_about_a_file_outside_the_data_package(fixture_project):
    result = kaztur(fixture_project, "verify")
    assert result.returncode == 0, result.stderr
    assert "warning: data/raw/sample.csv is not part of the data package" in result.stderr
    assert "line-by-line check" in result.stdout or "checked line by line" in result.stdout


# --------------------------------------------------------------------------- the ledger


def test_a_run_rebuilds_the_ledger_when_its_inputs_change(warm_project):
    """Guard: the ledger's cache key follows the inputs, and the ledger is swapped in with
    the rest of reports/ (no stale ledger linked from a new index). The real ledger, built
    by the run and by ``kaztur check``."""
    root = warm_project
    assert kaztur(root, "run", "--lang", "kk").returncode == 0
    ledger = root / "reports" / "kk" / "ledger.csv"
    before = ledger.read_text(encoding="utf-8")
    tamper_k7_exports_2021(root)
    assert kaztur(root, "manifest").returncode == 0
    processed = root / "data" / "processed"
    assert "was built from other raw files" in (
        store.problem(processed, root / "data" / "raw") or "")
    result = kaztur(root, "run", "--lang", "kk")
    assert result.returncode == 0, result.stderr
    # data/processed/ (what the kernels read) was rebuilt from the changed raw file first
    assert "data/processed/ was built from other raw files" in result.stderr
    assert store.problem(processed, root / "data" / "raw") is None
    with open(processed / "trade.csv", encoding="utf-8", newline="") as handle:
        by_year = {row["year"]: row for row in csv.DictReader(handle)}
    assert by_year["2021"]["exports_musd_printed"] == "1 500"
    after = {lang: (root / "reports" / lang / "ledger.csv").read_text(encoding="utf-8")
             for lang in ("kk", "en")}
    assert after["kk"] != before
    # the ledger is built for both languages, each in its own words: each is the ledger
    # that one `kaztur check` builds afresh now and writes in both languages (into
    # reports/, where the run's files were removed first), not a stale one kept from before
    for lang in ("kk", "en"):
        (root / "reports" / lang / "ledger.csv").unlink()
    fresh = kaztur(root, "check")
    assert fresh.returncode == 0, fresh.stderr
    for lang in ("kk", "en"):
        assert (root / "reports" / lang / "ledger.csv").read_text(encoding="utf-8") == \
            after[lang], lang


# --------------------------------------------------------------------------- isolation


def test_kernels_forked_from_the_template_share_nothing(tmp_path, no_ledger):
    """Guard: each notebook gets a fresh kernel process forked from the warmed template, so
    what one notebook changes (builtins, environment, a library option, matplotlib's
    settings, sys.modules) is not seen by the next one run by the same worker; and the
    template's warm-up (imports, data, labels, one figure drawn in the notebooks' style)
    leaves matplotlib's settings as a fresh process has them."""
    root = make_fixture_project(tmp_path / "p", {"00_overview.ipynb": "leak_a.ipynb",
                                                  "03_energy.ipynb": "leak_b.ipynb"})
    result = kaztur(root, "run", "--lang", "kk", "-j", "1")
    assert result.returncode == 0, result.stderr
    reader = (root / "reports" / "kk" / "03_energy" / "03_energy.ipynb").read_text()
    assert "traces of another notebook: none" in reader
    assert "preloaded: True" in reader  # the imports were paid once, in the template
    assert "labels read before this notebook: True" in reader  # and the first reads


def test_one_template_forks_the_kernels_of_every_worker(tmp_path, no_ledger):
    """Guard: a run warms one kernel template, whichever worker runs a notebook: with two
    jobs and two notebooks (one per worker), both kernels were forked by the same
    ``analysis.run.zygote`` process (a template per worker cost every run another 4 s of
    CPU); and it is gone when the run ends."""
    root = make_fixture_project(tmp_path / "p", {"00_overview.ipynb": "parent.ipynb",
                                                  "03_energy.ipynb": "parent.ipynb"})
    result = kaztur(root, "run", "--lang", "kk", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert "with 2 job(s)" in result.stderr
    parents = set()
    for stem in ("00_overview", "03_energy"):
        text = (root / "reports" / "kk" / stem / f"{stem}.ipynb").read_text(encoding="utf-8")
        found = re.search(r"forked by (\d+) (\w+)", text)
        assert found and found[2] == "zygote", text
        parents.add(int(found[1]))
    assert len(parents) == 1, parents
    with contextlib.suppress(psutil.NoSuchProcess):  # gone, or its PID taken by another
        assert "analysis.run.zygote" not in " ".join(psutil.Process(parents.pop()).cmdline())


def test_a_ctrl_c_as_the_command_exits_changes_nothing(tmp_path):
    """Guard: once a command has finished, a Ctrl-C that lands while Python shuts down is
    ignored. Restoring Python's handler there let CPython's teardown die of the signal
    (exit -2, no message) in 29 of 40 late interrupts of ``kaztur data``; here the signal is
    sent from an exit hook, after the command returned."""
    late_signal = ("import atexit, os, signal, sys; from analysis.run import cli; "
                   "atexit.register(lambda: os.kill(os.getpid(), signal.SIGINT)); "
                   "sys.argv[1:] = ['manifest']; raise SystemExit(cli.console())")
    env = run_env(tmp_path)  # not a project: the command fails fast with its own message
    proc = subprocess.run([sys.executable, "-c", late_signal], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr
    assert proc.stderr.startswith("kaztur manifest: ")
