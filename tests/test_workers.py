"""The worker pool of ``kaztur run`` (analysis.run.workers), in process: a killed worker is
seen and replaced, a task's exception reaches the parent whole, and every worker is reaped
by the pool itself (its one owner) however the block is left. The pool inside real runs
(interrupted, a worker killed by its notebook, a hang on a loaded machine) is tested in
test_run_guards and test_environment_errors."""

from __future__ import annotations

import os
import pickle
import signal

import psutil
import pytest
from run_fixtures import alive

from analysis.errors import DataError, Problem
from analysis.run import execute, workers


def _double(x: int) -> int:
    execute.post("cell", f"t{x}", 1, 1)
    return 2 * x


def _raise_data_error() -> None:
    raise DataError([Problem("data/external/wdi.csv", 7, "value", "a number", "x"),
                     Problem("data/external/wdi.csv", 9, "iso3", "a country code", "XX")])


def _write(path: str, text: str) -> str:
    import time

    time.sleep(0.3)  # long enough for an idle worker to take the next task meanwhile
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return text


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _kill_own_worker() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_pool_reports_a_killed_worker_and_goes_on():
    """Guard: a worker that dies is seen by its sentinel: its task comes back as Lost
    (killed by SIGKILL), a fresh worker takes the queue on, every worker is gone after."""
    events: list[tuple] = []
    with workers.WorkerPool(2) as pool:
        tasks = [(f"t{i}", _double, (i,)) for i in range(4)]
        tasks.insert(1, ("dies", _kill_own_worker, ()))
        got = dict(pool.run(tasks, events.append))
        procs = [psutil.Process(w.process.pid) for w in pool.workers]
    assert {k: v for k, v in got.items() if k != "dies"} == {f"t{i}": 2 * i for i in range(4)}
    assert isinstance(got["dies"], workers.Lost) and got["dies"].cause() == "killed by SIGKILL"
    assert sorted(e[1] for e in events) == [f"t{i}" for i in range(4)]
    assert alive(procs, timeout=0) == []  # joined (reaped) by the pool as it closed


def test_an_error_raised_in_a_worker_reaches_the_parent_whole():
    """Guard: errors cross the process boundary intact (DataError pickles its problems,
    not its message: the old pool printed '2 problems:' and then one character per line)."""
    error = DataError([Problem("data/raw/k7.csv", 3, "value", "a number", "x")])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and str(copy) == str(error)
    procs: list[psutil.Process] = []
    with pytest.raises(DataError) as raised, workers.WorkerPool(2) as pool:
        procs += [psutil.Process(w.process.pid) for w in pool.workers]
        list(pool.run([("bad", _raise_data_error, ()), ("t1", _double, (1,))], print))
    assert [str(p) for p in raised.value.problems] == [
        "data/external/wdi.csv, line 7, column 'value': expected a number, got 'x'",
        "data/external/wdi.csv, line 9, column 'iso3': expected a country code, got 'XX'"]
    assert alive(procs, timeout=0) == []  # killed and reaped as the error left the block


def test_a_task_waits_for_the_task_it_needs(tmp_path):
    """Guard (the ledger built once per run): a task held back by ``after`` starts only when
    the task it waits for has finished (the notebooks that show the ledger read the file
    the ledger task writes), while the other worker takes the tasks behind it."""
    path = str(tmp_path / "ledger.json")
    tasks = [("ledger", _write, (path, "built")), ("shows", _read, (path,)),
             ("other", _double, (3,))]
    with workers.WorkerPool(2) as pool:
        order = list(pool.run(tasks, lambda _: None, {"shows": "ledger"}))
    assert dict(order) == {"ledger": "built", "shows": "built", "other": 6}
    assert [k for k, _ in order].index("ledger") < [k for k, _ in order].index("shows")


def test_a_task_waiting_for_a_task_not_in_the_run_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="shows .waits for ledger."), \
            workers.WorkerPool(1) as pool:
        list(pool.run([("shows", _double, (1,))], lambda _: None, {"shows": "ledger"}))


def test_an_idle_worker_found_dead_is_replaced_and_the_run_goes_on():
    """Guard: a worker that died while idle (before any task reached it) is replaced and
    its task handed to the new one; with one worker nothing is busy for a moment, which is
    neither a wait for a task that is not coming nor a wait on nothing (that blocked for
    ever)."""
    with workers.WorkerPool(1) as pool:
        dead = pool.workers[0].process
        os.kill(dead.pid, signal.SIGKILL)
        dead.join(5)
        assert dict(pool.run([("t1", _double, (1,))], lambda _: None)) == {"t1": 2}
        assert pool.workers[0].process is not dead


def _loop_id() -> int:
    from jupyter_core.utils import ensure_event_loop

    return id(ensure_event_loop())


def test_a_worker_never_runs_on_its_parents_event_loop():
    """Guard: nbclient (jupyter_core's ``run_sync``) keeps its asyncio loop in a context
    variable. A parent that had executed a notebook in-process handed that loop (its epoll
    and self-pipe shared with the parent) to the forked workers, and a worker's notebook spun
    for ever on it (a test run hung this way). Each worker makes a loop of its own."""
    parents = _loop_id()  # as nbclient leaves it after executing a notebook here
    with workers.WorkerPool(2) as pool:
        got = dict(pool.run([(f"t{i}", _loop_id, ()) for i in range(2)], lambda _: None))
    assert parents not in got.values()
