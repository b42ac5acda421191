"""Build an expensive test fixture once per test run, however many workers ask for it.

``make test`` runs pytest with two pytest-xdist workers, and a ``scope="session"`` fixture
is a session of ONE worker: without help, each worker would run its own cold pipeline run,
build its own ledger, and so on. :func:`once` makes the first worker that asks build the
thing in the folder that all workers of this run share, under a file lock, and hands every
later caller (this worker or another) what the first one built:

    @pytest.fixture(scope="session")
    def shipped_ledger(tmp_path_factory):
        return once(tmp_path_factory, "shipped-ledger", lambda folder: ledger.build())

``build(folder)`` receives an empty folder of its own (for files it writes) and returns a
picklable value, which is saved beside it. A build that fails is recorded too, so the other
worker reports the same failure at once instead of paying for it a second time.

Without xdist the folder is this run's base temporary folder, so nothing is shared with
an earlier run (pytest keeps the last few base folders).
"""

from __future__ import annotations

import os
import pickle
import shutil
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from filelock import FileLock

T = TypeVar("T")


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every worker of this test run sees: under xdist, the parent of
    the worker's own base folder (``pytest-N/`` above ``pytest-N/popen-gw0/``)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory: pytest.TempPathFactory, name: str,
         build: Callable[[Path], T]) -> T:
    """``build(folder)`` run once per test run across workers; its (pickled) value."""
    root = shared_folder(tmp_path_factory)
    value_file = root / f"{name}.pickle"
    failure_file = root / f"{name}.failed"
    with FileLock(str(root / f"{name}.lock")):
        if value_file.is_file():
            return pickle.loads(value_file.read_bytes())
        if failure_file.is_file():
            pytest.fail(f"{name} failed when another test built it:\n"
                        f"{failure_file.read_text(encoding='utf-8')}", pytrace=False)
        folder = root / name
        if folder.exists():  # left by a build that was stopped (a timeout): start afresh
            shutil.rmtree(folder)
        folder.mkdir()
        try:
            value = build(folder)
        except Exception:  # recorded for the other worker, then raised here as usual
            failure_file.write_text(traceback.format_exc(limit=-8), encoding="utf-8")
            raise
        partial = value_file.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(value))
        partial.replace(value_file)
        return value
