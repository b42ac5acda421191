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

**Kept for ``make test-slow``** (``once(..., keep=True)``: the cold real run and the warm
fixture projects). ``make test`` builds such a state cold, as always, but in a folder of
this checkout that outlives the session (:func:`kept_store`, under the system's temporary
folder), named by a digest of everything the state is built from (:func:`inputs_key`: the
library, the notebooks, the data, the fixture notebooks and builders, the locked
requirements, the installed distributions, the interpreter and the settings of
:data:`INPUT_SETTINGS`). ``make test-slow`` passes ``--reuse-kept-state``: a state kept
under the same digest is taken as it is (its second cold real run is then compared with
``make test``'s first one); any change of an input gives another digest, so the state is
built afresh. Only the newest digest of each state is kept. Without the option a session
never reads a kept state: the default run always makes its own cold real run.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
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


REPO = Path(__file__).resolve().parents[1]
#: the option of ``make test-slow`` (registered in conftest.py)
REUSE_OPTION = "--reuse-kept-state"
#: what a kept state is built from (besides the installed distributions, the interpreter and
#: the settings below): folders and files of the checkout
INPUT_FOLDERS = ("src", "notebooks", "data/raw", "data/external", "tests/fixtures")
INPUT_FILES = ("pyproject.toml", "requirements.lock", "tests/conftest.py",
               "tests/run_fixtures.py", "tests/shared.py")
#: settings that change what a build makes (each builder sets the project's own paths)
INPUT_SETTINGS = ("KAZTUR_SOURCE_DIR", "KAZTUR_EXTERNAL_SNAPSHOTS", "KAZTUR_FRESH_KERNELS",
                  "KAZTUR_SKIP_LEDGER", "KAZTUR_BINDER_REPO", "PYTHONHASHSEED")
#: folders named by these settings are inputs too (the source text, the snapshots)
INPUT_DIR_SETTINGS = ("KAZTUR_SOURCE_DIR", "KAZTUR_EXTERNAL_SNAPSHOTS")
_reuse = {"on": False}


def configure(config: pytest.Config) -> None:
    """Read ``--reuse-kept-state`` (every xdist worker configures itself the same way)."""
    _reuse["on"] = bool(config.getoption(REUSE_OPTION, default=False))


def kept_store() -> Path:
    """This checkout's folder of kept states (one per user and checkout)."""
    checkout = hashlib.sha256(str(REPO).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"kaztur-tests-{os.getuid()}" / checkout


def _input_files(repo: Path) -> Iterator[Path]:
    for name in INPUT_FOLDERS:
        for path in sorted((repo / name).rglob("*")):
            parts = set(path.relative_to(repo).parts)
            if path.is_file() and not parts & {"__pycache__", ".ipynb_checkpoints"}:
                yield path
    for name in INPUT_FILES:
        if (repo / name).is_file():
            yield repo / name


@functools.cache
def inputs_key() -> str:
    """:func:`inputs_digest` of this checkout, once per process."""
    return inputs_digest(REPO)


def inputs_digest(repo: Path) -> str:
    """A digest of everything a kept state is built from (see the module's docstring); the
    folders named by :data:`INPUT_DIR_SETTINGS` by their files' names, sizes and times."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        digest.update(repr(parts).encode("utf-8"))

    for path in _input_files(repo):
        add(path.relative_to(repo).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
    add(sys.version, sys.executable, sorted(
        (d.metadata["Name"] or "", d.version) for d in importlib.metadata.distributions()))
    add([(name, os.environ.get(name)) for name in INPUT_SETTINGS])
    for name in INPUT_DIR_SETTINGS:
        folder = Path(os.environ.get(name) or "")
        if os.environ.get(name) and folder.is_dir():
            add(sorted((p.relative_to(folder).as_posix(), p.stat().st_size,
                        p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()))
    return digest.hexdigest()[:20]


def _build_in(folder: Path, build: Callable[[Path], T], failure_file: Path) -> T:
    if folder.exists():  # left by a build that was stopped (a timeout): start afresh
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    try:
        return build(folder)
    except Exception:  # recorded for the other worker, then raised here as usual
        failure_file.write_text(traceback.format_exc(limit=-8), encoding="utf-8")
        raise


def _write_value(value_file: Path, value: object) -> None:
    partial = value_file.with_suffix(".partial")
    partial.write_bytes(pickle.dumps(value))
    partial.replace(value_file)


def _kept(name: str, build: Callable[[Path], T], failure_file: Path) -> T:
    """The kept state ``name`` of these inputs when reuse is on and it is there; otherwise
    built afresh in the store (replacing whatever was kept under ``name``)."""
    store = kept_store()
    store.mkdir(parents=True, exist_ok=True)
    entry = store / name / inputs_key()
    value_file = entry / "value.pickle"
    with FileLock(str(store / f"{name}.lock")):
        if _reuse["on"] and value_file.is_file():
            return pickle.loads(value_file.read_bytes())
        if (store / name).exists():  # other inputs' state, or a build that was stopped
            shutil.rmtree(store / name)
        value = _build_in(entry / "state", build, failure_file)
        _write_value(value_file, value)
        return value


def once(tmp_path_factory: pytest.TempPathFactory, name: str,
         build: Callable[[Path], T], *, keep: bool = False) -> T:
    """``build(folder)`` run once per test run across workers; its (pickled) value.
    ``keep``: built in this checkout's store and kept for ``make test-slow`` (see the
    module's docstring)."""
    root = shared_folder(tmp_path_factory)
    value_file = root / f"{name}.pickle"
    failure_file = root / f"{name}.failed"
    with FileLock(str(root / f"{name}.lock")):
        if value_file.is_file():
            return pickle.loads(value_file.read_bytes())
        if failure_file.is_file():
            pytest.fail(f"{name} failed when another test built it:\n"
                        f"{failure_file.read_text(encoding='utf-8')}", pytrace=False)
        if keep:
            value = _kept(name, build, failure_file)
        else:
            value = _build_in(root / name, build, failure_file)
        _write_value(value_file, value)
        return value
