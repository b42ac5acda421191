"""Fault injection for the ``kaztur`` commands (issue 20, item 5): what can go wrong, replayed.

Every case runs one command in a throw-away copy of the project, after damaging an input
or the environment, and checks three things: the exit status, the message (the words a
user must see: the file, the expectation), and that nothing was lost (the project tree is
hashed before and after; the cache is left out, and the timing fields of the manifests,
which a run that completed rewrites). A hang is a failure too: a command that has not
ended within its ceiling is killed and reported as ``hang``.

The cases:

* **issue 20**: an empty ``data/external/energy_institute.csv``; Ctrl-C and SIGTERM while
  more notebooks wait than workers run (the exit hang); a raw file cut at a row boundary
  then ``kaztur manifest`` (completeness); ``1 580 `` with a trailing space; a malformed
  ``wdi.csv`` for ``kaztur run``; a truncated ``kz_tr_official.csv`` and a negative GDP for
  ``kaztur check``; ``--jobs 0`` and ``--jobs -3``; ``kaztur check --out`` to a read-only
  folder; ``kaztur run --force`` into a read-only reports/; ``kaztur verify`` without the
  source text (a note, exit 0) and with ``--require-source`` (exit 1);
* **every input file kind** (raw CSV, raw datapackage, external CSV, external
  datapackage) x {missing, empty, truncated, bad cell, wrong encoding}, through ``kaztur
  verify``, and a sample through ``data``, ``check`` and ``run`` (``data/processed/`` is
  an output, rebuilt whole; its stamp makes a stale folder unread, and ``kaztur run``
  rebuilds it);
* **every command** (``verify``, ``data``, ``check``, ``run``, ``site``) x {read-only
  output, full disk, SIGINT, SIGTERM, SIGKILL at seeded points, two at once}. A full disk
  is a small tmpfs holding the copy (``mount -t tmpfs``, as root), else a file-size limit
  (``RLIMIT_FSIZE``: writes fail with EFBIG); the table says which ran. Signals land at a
  seeded progress line (``run -v``: the k-th cell; ``data -v``, ``check -v``: a step) or,
  for commands that report no progress, after a seeded delay; after SIGKILL the same
  command must then run to its end and clean up. The ``site`` cases belong to the
  crash-only site (issue 20, item 3) and are marked so.

    python benchmarks/faults.py [--quick] [--only TEXT ...] [--repeat N] [--json FILE]
                                [--keep] [--list] [--loaded-machine]

``--quick`` runs the cheap cases (refusals that need no run; a test of the default suite
runs it); ``--only`` keeps the cases whose name holds one of the texts; ``--repeat N``
replays them N times with new seeds; ``--loaded-machine`` runs every command as on a
heavily loaded machine, deterministically (``tests/fixtures/loaded_machine``: where the
pool before issue 20 hung every time it was stopped with work queued). The real project
is run once (``kaztur data``, ``check``, ``run``) for the cases that need a previous run;
everything happens in a temporary folder, removed at the end (``--keep`` keeps it). Prints
a table (case, expected, got, verdict, seconds) and exits 1 when a case fails.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
FIXTURE_NOTEBOOKS = REPO / "tests" / "fixtures" / "notebooks"
K7 = "data/raw/k7_trade_2018_2023.csv"
WDI = "data/external/wdi.csv"
RAW_DP = "data/raw/datapackage.json"
EXT_DP = "data/external/datapackage.json"
CEILING = 60  # seconds a stopped or refused command may take to end before it "hangs"
RUN_CEILING = 1800  # a whole run of the real project on a loaded machine
TIMING_KEYS = frozenset({"start", "end", "duration"})
QUEUE_STEMS = ("00_overview", "03_energy", "05_checks", "seminar/seminar_01_growth",
               "seminar/seminar_02_shares", "seminar/seminar_04_contradiction")
SIG_EXIT = {"SIGINT": 130, "SIGTERM": 143, "SIGKILL": -9}
LEFTOVERS = (".reports-staging-", ".reports-old-", ".processed-staging-", ".processed-old-")


# --------------------------------------------------------------------------- a case


@dataclass
class Stop:
    """A signal at a seeded point: after the first stderr line holding ``line`` (None: after
    ``delay`` seconds)."""

    sig: str
    line: str | None = None
    delay: float = 0.0


@dataclass
class Case:
    name: str
    command: tuple[str, ...]
    exits: tuple[int, ...]
    says: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()  # words that must NOT be in the output
    project: str = "inputs"  # "inputs" (no run yet), "built" (after a run), "queue"
    damage: Callable[[Path], None] | None = None
    stop: Stop | None = None
    env: dict[str, str] = field(default_factory=dict)
    ceiling: float = CEILING
    read_only: str | None = None  # a folder of the project made read-only
    full_disk: bool = False
    twice: bool = False  # the command twice at once
    then: tuple[str, ...] | None = None  # after SIGKILL: this must succeed and clean up
    quick: bool = False
    owner: str = ""  # "H-site": waits for the crash-only site (issue 20, item 3)

    @property
    def expected(self) -> str:
        status = "/".join(str(e) for e in self.exits)
        words = " … ".join(self.says)
        return status + (f' "{words[:56]}{"…" if len(words) > 56 else ""}"' if words else "")


@dataclass
class Outcome:
    case: Case
    got: str
    verdict: str
    seconds: float
    why: str = ""


# --------------------------------------------------------------------------- the tree


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def tree(root: Path) -> dict[str, str]:
    """sha256 of every file of the project but the cache (manifests without timings)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith(".kaztur-cache/"):
            continue
        data = path.read_bytes()
        if path.name == "manifest.json":
            with contextlib.suppress(ValueError):
                data = json.dumps(_strip(json.loads(data)), sort_keys=True).encode()
        out[rel] = hashlib.sha256(data).hexdigest()
    return out


def leftovers(root: Path) -> list[str]:
    found = [p.name for d in (root, root / "data") if d.is_dir() for p in d.iterdir()
             if p.name.startswith(LEFTOVERS)]
    return found + [p.name for p in root.rglob(".*.tmp")
                    if ".kaztur-cache" not in p.parts]


def lost(before: dict[str, str], after: dict[str, str],
         outputs: tuple[str, ...] | None) -> str:
    """What was lost between two trees (empty: nothing): a file gone, or changed; when the
    command completed (``outputs`` are then the folders and files it writes), a change
    inside its outputs is its result, not a loss."""
    def owned(k: str) -> bool:
        return outputs is not None and any(k == o or k.startswith(o.rstrip("/") + "/")
                                           for o in outputs)

    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
                     and not (k in after and owned(k)))
    return ", ".join(changed[:3]) + (f" (+{len(changed) - 3})" if len(changed) > 3 else "")


# --------------------------------------------------------------------------- commands


#: environment for every command (``--loaded-machine`` adds the tests' sitecustomize)
COMMON_ENV: dict[str, str] = {}
LOADED_MACHINE = REPO / "tests" / "fixtures" / "loaded_machine"


def kaztur_env(root: Path, extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ, KAZTUR_ROOT=str(root), KAZTUR_CACHE_DIR=str(root / ".kaztur-cache"),
               **COMMON_ENV, **extra)
    env.pop("KAZTUR_OUTPUT_DIR", None)
    return env


def start(root: Path, args: tuple[str, ...], env: dict[str, str],
          limit_bytes: int | None = None) -> subprocess.Popen:
    def limit() -> None:
        if limit_bytes is not None:  # the full-disk fallback: writes fail with EFBIG
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.Popen([sys.executable, "-m", "analysis.run.cli", *args], cwd=root,
                            env=kaztur_env(root, env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=limit,
                            start_new_session=True)


def kaztur(root: Path, *args: str, env: dict[str, str] | None = None,
           timeout: float = RUN_CEILING) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.run.cli", *args], cwd=root,
                          env=kaztur_env(root, env or {}), capture_output=True, text=True,
                          timeout=timeout)


def _kill_all(proc: subprocess.Popen) -> None:
    import psutil

    with contextlib.suppress(psutil.Error):
        for child in psutil.Process(proc.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                child.kill()
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.kill()


def finish(proc: subprocess.Popen, ceiling: float, lines: list[str]) -> tuple[str, str]:
    """(status, output) of ``proc``: its exit status, or "hang" after ``ceiling`` s."""
    try:
        out, err = proc.communicate(timeout=ceiling)
    except subprocess.TimeoutExpired:
        _kill_all(proc)
        out, err = proc.communicate()
        return "hang", "".join(lines) + (err or "") + (out or "")
    return str(proc.returncode), "".join(lines) + (err or "") + (out or "")


def _wait_for(proc: subprocess.Popen, stop: Stop, lines: list[str]) -> bool:
    """Read stderr until the stop's point; False when the command ended first."""
    if stop.line is None:
        time.sleep(stop.delay)
        return proc.poll() is None
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append(line)
        if stop.line in line:
            return True
    return False


def alive_below(pids: list[int], timeout: float = 15) -> list[int]:
    import psutil

    procs = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            procs.append(psutil.Process(pid))
    _, left = psutil.wait_procs(procs, timeout=timeout)
    return [p.pid for p in left if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def run_stopped(root: Path, case: Case) -> tuple[str, str, str]:
    """Start, stop at the seeded point, wait; (status, output, problem)."""
    import psutil

    assert case.stop is not None
    proc = start(root, case.command, case.env)
    lines: list[str] = []
    reached = _wait_for(proc, case.stop, lines)
    below = []
    with contextlib.suppress(psutil.Error):
        below = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
    if reached:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(getattr(signal, case.stop.sig))
    status, output = finish(proc, case.ceiling, lines)
    left = alive_below(below)
    problem = f"processes left: {left}" if left else ""
    if not reached:
        problem = "ended before the point to stop it"
    return status, output, problem


def run_twice(root: Path, case: Case) -> tuple[str, str, str]:
    first = start(root, case.command, case.env)
    second = start(root, case.command, case.env)
    one, out1 = finish(first, case.ceiling, [])
    two, out2 = finish(second, case.ceiling, [])
    status = one if one == two else f"{one}+{two}"
    return status, out1 + out2, ""


# --------------------------------------------------------------------------- environment


def _run_quiet(*cmd: str) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """``folder`` and everything below it read-only: a read-only bind mount (root), else
    permission bits; yields how."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0 and _run_quiet("mount", "--bind", str(folder), str(folder)):
        if _run_quiet("mount", "-o", "remount,bind,ro", str(folder)):
            try:
                yield "read-only bind mount"
            finally:
                _run_quiet("umount", str(folder))
            return
        _run_quiet("umount", str(folder))
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")] if p.is_dir()}
    for path in modes:
        path.chmod(0o555)
    try:
        yield "chmod a-w (permission bits)"
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def _size(folder: Path) -> int:
    """Room the files of ``folder`` take on a tmpfs: each rounded up to whole 4 KiB pages
    (a project holds thousands of small files; counting bytes alone left too little room
    for the copy once the cache held two entries per notebook)."""
    return sum(-(-p.stat().st_size // 4096) * 4096 for p in folder.rglob("*") if p.is_file())


@contextlib.contextmanager
def small_disk(root: Path, work: Path) -> Iterator[tuple[Path, int | None, str]]:
    """A copy of ``root`` on a tmpfs with almost no room left: (copy, None, "tmpfs"); where
    mounting is not allowed, a copy and a file-size limit for the command instead."""
    mount = work / "disk"
    mount.mkdir()
    size = _size(root) + (4 << 20)
    if os.geteuid() == 0 and _run_quiet("mount", "-t", "tmpfs", "-o", f"size={size}",
                                        "kaztur-faults", str(mount)):
        try:
            copy = mount / "project"
            shutil.copytree(root, copy, symlinks=True)
            free = shutil.disk_usage(mount).free
            (mount / "filler").write_bytes(b"\0" * max(0, free - (48 << 10)))
            yield copy, None, "tmpfs"
        finally:
            _run_quiet("umount", "-l", str(mount))
        return
    copy = work / "project-fsize"
    shutil.copytree(root, copy, symlinks=True)
    yield copy, 4096, "RLIMIT_FSIZE"


# --------------------------------------------------------------------------- projects


def _link_copy(source: Path, dest: Path) -> Path:
    """A copy that hard-links the files (commands replace files, never rewrite them; the
    damages below unlink before they write) but the lock, which is written in place."""
    def copy(src: str, dst: str) -> None:
        if Path(src).name == "lock":
            shutil.copy2(src, dst)
        else:
            os.link(src, dst)

    shutil.copytree(source, dest, symlinks=True, copy_function=copy)
    return dest


class Projects:
    """The base projects, each built once (when a case first needs it), then copied."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.bases: dict[str, Path] = {}

    def copy(self, kind: str, dest: Path) -> Path:
        if kind not in self.bases:
            self.bases[kind] = getattr(self, f"_{kind}")(self.work / f"base-{kind}")
        return _link_copy(self.bases[kind], dest)

    def _inputs(self, root: Path) -> Path:
        for sub in ("data/raw", "data/external", "notebooks"):
            shutil.copytree(REPO / sub, root / sub, symlinks=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        (root / "data" / "processed").mkdir()
        return root

    def _built(self, root: Path) -> Path:
        self._inputs(root)
        for args in (("data",), ("check",), ("run",)):
            done = kaztur(root, *args)
            if done.returncode != 0:
                raise SystemExit(f"faults: kaztur {' '.join(args)} failed on the real "
                                 f"project:\n{done.stderr}")
        return root

    def _queue(self, root: Path) -> Path:
        for sub in ("data/raw", "data/external"):
            shutil.copytree(REPO / sub, root / sub)
        (root / "data" / "processed").mkdir()
        for stem in QUEUE_STEMS:
            target = root / "notebooks" / f"{stem}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(FIXTURE_NOTEBOOKS / "slow.ipynb", target)
        done = kaztur(root, "run", "00_overview", "--lang", "kk",
                      env={"KAZTUR_SKIP_LEDGER": "1"})
        if done.returncode != 0:
            raise SystemExit(f"faults: the queue project's first run failed:\n{done.stderr}")
        return root


# --------------------------------------------------------------------------- damages


def replace(path: Path, data: bytes) -> None:
    """Write ``path`` as a new file (never through a hard link shared with the base)."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def missing(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


def empty(rel: str) -> Callable[[Path], None]:
    return lambda root: replace(root / rel, b"")


def truncated(rel: str, manifest: bool = False) -> Callable[[Path], None]:
    """Cut at a row boundary (a CSV keeps its header and half its rows; JSON half its
    bytes); ``manifest``: then ``kaztur manifest``, as a careless fix would."""
    def damage(root: Path) -> None:
        path = root / rel
        if path.suffix == ".csv":
            lines = _lines(path)
            replace(path, "".join(lines[: 1 + (len(lines) - 1) // 2]).encode())
        else:
            data = path.read_bytes()
            replace(path, data[: len(data) // 2])
        if manifest:
            done = kaztur(root, "manifest", timeout=300)
            assert done.returncode == 0, done.stderr

    return damage


def cell(rel: str, column: str, value: str, row: int = 1, manifest: bool = False
         ) -> Callable[[Path], None]:
    """Set one cell of a CSV (data row ``row``) to ``value``."""
    def damage(root: Path) -> None:
        import csv
        import io

        path = root / rel
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[row][rows[0].index(column)] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        replace(path, buffer.getvalue().encode())
        if manifest:
            done = kaztur(root, "manifest", timeout=300)
            assert done.returncode == 0, done.stderr

    return damage


def json_field(rel: str, edit: Callable[[dict], None]) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        path = root / rel
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        replace(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())

    return damage


def encoded(rel: str, codec: str) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        path = root / rel
        replace(path, path.read_text(encoding="utf-8").encode(codec, errors="replace"))

    return damage


def recorded(rel: str, inner: Callable[[Path], None]) -> Callable[[Path], None]:
    """``inner``, then the external file's new checksum recorded in its descriptor (as a
    hand edit would), so that only its content is left to refuse it."""
    def damage(root: Path) -> None:
        inner(root)
        path = root / rel

        def set_hash(desc: dict) -> None:
            entry = next(e for e in desc["resources"] if e["path"] == path.name)
            entry["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()

        json_field(EXT_DP, set_hash)(root)

    return damage


def negative_gdp(root: Path) -> None:
    lines = _lines(root / WDI)
    at = next(i for i, line in enumerate(lines) if line.startswith("NY.GDP.MKTP.CD,"))
    fields = lines[at].rstrip("\n").split(",")
    fields[3] = "-" + fields[3]
    lines[at] = ",".join(fields) + "\n"
    replace(root / WDI, "".join(lines).encode())


def padded_k7(root: Path) -> None:
    """'1 580' printed as '1 580 ' (a trailing space), the checksum recorded anew."""
    text = (root / K7).read_text(encoding="utf-8")
    assert ",1 580," in text
    replace(root / K7, text.replace(",1 580,", ",1 580 ,", 1).encode())
    done = kaztur(root, "manifest", timeout=300)
    assert done.returncode == 0, done.stderr


def no_source(case: Case) -> Case:
    return dataclasses.replace(case, env={**case.env, "KAZTUR_SOURCE_DIR": "/nonexistent"})


# --------------------------------------------------------------------------- the cases


def issue_cases() -> list[Case]:
    """The cases named in issue 20 (the fixed defects)."""
    queue_stop = "kk/03_energy: cell 3/"
    queued = ("run", "--force", "-v", "-j", "2")  # twelve notebook runs, two workers
    skip = {"KAZTUR_SKIP_LEDGER": "1"}
    return [
        Case("issue20: empty energy_institute.csv, run with work queued", ("run", "--force",
             "-j", "2"), (1,), ("energy_institute.csv: expected a CSV file "
             "with a header row, got 'empty file'",), ("executing",), "queue",
             empty("data/external/energy_institute.csv")),
        Case("issue20: empty energy_institute.csv, run", ("run",), (1,),
             ("energy_institute.csv: expected a CSV file with a header row, got 'empty "
              "file'",), ("executing",), damage=empty("data/external/energy_institute.csv"),
             quick=True),
        Case("issue20: run stopped by SIGINT with work queued", queued, (130,),
             ("interrupted (Ctrl-C)",), ("Traceback",), "queue", stop=Stop("SIGINT", queue_stop),
             env=skip),
        Case("issue20: run stopped by SIGTERM with work queued", queued, (143,),
             ("interrupted (SIGTERM)",), ("Traceback",), "queue",
             stop=Stop("SIGTERM", queue_stop), env=skip),
        Case("issue20: k7 truncated at a row boundary, manifest, verify", ("verify",), (1,),
             ("k7_trade_2018_2023.csv: expected 36 data rows", "the file ends early"),
             ("text_claims.csv",), damage=truncated(K7, manifest=True), quick=True),
        Case("issue20: k7 truncated at a row boundary, manifest, data", ("data",), (1,),
             ("the file ends early",), ("wrote",), damage=truncated(K7, manifest=True)),
        Case("issue20: k7 truncated at a row boundary, manifest, run", ("run",), (1,),
             ("the file ends early",), ("executing",), damage=truncated(K7, manifest=True)),
        Case("issue20: '1 580 ' with a trailing space, verify", ("verify",), (1,),
             ("column 'printed': expected no space at the start or end",),
             damage=padded_k7, quick=True),
        Case("issue20: '1 580 ' with a trailing space, data", ("data",), (1,),
             ("expected no space at the start or end",), damage=padded_k7),
        Case("issue20: malformed wdi.csv, run", ("run",), (1,),
             ("wdi.csv, line 2, column 'value': expected a number",), ("executing",
             "problems:\n  - 2"), damage=recorded(WDI, cell(WDI, "value", "12,3.4"))),
        Case("issue20: truncated kz_tr_official.csv, check", ("check",), (1,),
             ("kz_tr_official.csv: expected checksum",), ("wrote",),
             damage=truncated("data/external/kz_tr_official.csv")),
        Case("issue20: truncated kz_tr_official.csv (checksum recorded), check", ("check",),
             (1,), ("kz_tr_official.csv: expected 18 data rows",), ("wrote",),
             damage=recorded("data/external/kz_tr_official.csv",
                             truncated("data/external/kz_tr_official.csv"))),
        Case("issue20: negative GDP (checksum recorded), check", ("check",), (1,),
             ("expected a non-negative number",), ("wrote",),
             damage=recorded(WDI, negative_gdp)),
        Case("issue20: run --jobs 0", ("run", "--jobs", "0"), (2,),
             ("argument --jobs/-j: expected 1 or more, got 0",), quick=True),
        Case("issue20: run --jobs -3", ("run", "--jobs", "-3"), (2,),
             ("argument --jobs/-j: expected 1 or more, got -3",), quick=True),
        Case("issue20: check --out a read-only folder", ("check", "-v", "--out", "ro/ledger"),
             (1,), ("cannot write",), ("inputs verified",), read_only="ro", quick=True),
        Case("issue20: run --force into a read-only reports/", ("run", "--force"), (1,),
             ("cannot write", "Nothing was replaced: reports/ is as it was"), ("executing",),
             "built", read_only="reports"),
        no_source(Case("issue20: verify without the source text", ("verify",), (0,),
                       ("did NOT run",))),
        no_source(Case("issue20: verify --require-source without the source text",
                       ("verify", "--require-source"), (1,), ("--require-source",),
                       quick=True)),
    ]


KINDS = {"raw CSV": K7, "raw datapackage": RAW_DP, "external CSV": WDI,
         "external datapackage": EXT_DP}


def _bad_cell(kind: str, rel: str) -> Callable[[Path], None]:
    if kind == "raw CSV":
        return cell(rel, "value", "abc", row=3)
    if kind == "external CSV":
        return cell(rel, "iso3", "XYZ", row=3)

    def wrong_hash(desc: dict) -> None:
        desc["resources"][0]["hash"] = "sha256:" + "0" * 64

    return json_field(rel, wrong_hash)


#: what verify must say for each input kind and fault (beside the file's name)
SAYS = {
    ("raw CSV", "missing"): "got 'missing'", ("raw CSV", "empty"): "got 'empty file'",
    ("raw CSV", "truncated"): "expected checksum",
    ("raw CSV", "bad cell"): "column 'value': expected a plain number",
    ("raw CSV", "wrong encoding"): "expected UTF-8 text",
    ("raw datapackage", "missing"): "got 'no file'",
    ("raw datapackage", "empty"): "valid JSON",
    ("raw datapackage", "truncated"): "valid JSON",
    ("raw datapackage", "bad cell"): "expected checksum sha256:0000",
    ("raw datapackage", "wrong encoding"): "expected UTF-8 JSON",
    ("external CSV", "missing"): "got 'missing'", ("external CSV", "empty"): "got 'empty file'",
    ("external CSV", "truncated"): "expected checksum",
    ("external CSV", "bad cell"): "column 'iso3': expected a country code",
    ("external CSV", "wrong encoding"): "expected UTF-8 text",
    ("external datapackage", "missing"): "got 'missing'",
    ("external datapackage", "empty"): "valid JSON",
    ("external datapackage", "truncated"): "valid JSON",
    ("external datapackage", "bad cell"): "expected checksum sha256:0000",
    ("external datapackage", "wrong encoding"): "expected UTF-8 JSON",
}


def input_cases() -> list[Case]:
    """Every input file kind x every fault, through verify; a sample through the others."""
    cases = []
    for kind, rel in KINDS.items():
        name = Path(rel).name
        faults = {"missing": missing(rel), "empty": empty(rel), "truncated": truncated(rel),
                  "bad cell": _bad_cell(kind, rel), "wrong encoding": encoded(rel, "utf-16")}
        for fault, damage in faults.items():
            cases.append(Case(f"input: {kind} {fault} ({name}), verify", ("verify",), (1,),
                              (name, SAYS[kind, fault]), ("Traceback",), damage=damage))
    for command in ("data", "check", "run"):
        cases.append(Case(f"input: external CSV truncated (wdi.csv), {command}", (command,),
                          (1,), ("wdi.csv", "bad input data"), ("Traceback", "executing"),
                          damage=truncated(WDI)))
        cases.append(Case(f"input: raw datapackage wrong encoding, {command}", (command,),
                          (1,), ("datapackage.json", "UTF-8"), ("Traceback", "executing"),
                          damage=encoded(RAW_DP, "utf-16")))
    return cases


#: seconds after the start to stop a command that reports no progress: inside its run time
#: (verify ends in about 1.8 s on a quiet 2-core machine)
DELAYS = {"verify": (0.3, 1.2), "site": (0.5, 4.0)}


def _stops(command: str, seed: int) -> list[Stop]:
    """Seeded points to stop ``command`` at, one per signal."""
    rng = random.Random(seed)
    steps = {"data": ("inputs verified", "datasets built", "files written"),
             "check": ("inputs verified", "ledger built")}
    stops = []
    for sig in ("SIGINT", "SIGTERM", "SIGKILL"):
        if command == "run":
            stops.append(Stop(sig, f": cell {rng.randint(2, 6)}/"))
        elif command in steps:
            stops.append(Stop(sig, rng.choice(steps[command])))
        else:
            stops.append(Stop(sig, None, round(rng.uniform(*DELAYS[command]), 2)))
    return stops


COMMANDS = {"verify": ("verify",), "data": ("data", "-v"), "check": ("check", "-v"),
            "run": ("run", "--force", "-v", "-j", "2"), "site": ("site", "--force")}
#: what each command writes (made read-only), and what a full disk makes it say
WRITES = {"verify": None, "data": "data/processed", "check": "reports/kk", "run": "reports",
          "site": "reports/site"}
#: what each command writes when it completes: its folder, and for the site the reader's
#: files beside it (the language choice, REPLICATION.md, the examiner's PDFs)
OUTPUTS = {command: (folder,) for command, folder in WRITES.items() if folder}
OUTPUTS["run"] = ("reports", "data/processed")  # the latter when it was not current
OUTPUTS["site"] = ("reports/site", "reports/index.html", "reports/REPLICATION.md",
                   "reports/examiner_report_kk.pdf", "reports/examiner_report_en.pdf")


def command_cases(seed: int) -> list[Case]:
    """Every command x {read-only output, full disk, SIGINT, SIGTERM, SIGKILL, two at
    once}."""
    cases = []
    for command, args in COMMANDS.items():
        owner = "H-site" if command == "site" else ""
        writes = WRITES[command]
        ok_exit = (0,) if writes is None else (1,)
        says_ro = () if writes is None else ("cannot write",)
        cases.append(Case(f"{command}: read-only output ({writes or 'the project'})", args,
                          ok_exit, says_ro, ("Traceback",), "built",
                          read_only=writes or ".", owner=owner))
        says_full = () if writes is None else ("Nothing was replaced",)
        cases.append(Case(f"{command}: full disk", args, ok_exit, says_full, ("Traceback",),
                          "built", full_disk=True, owner=owner, ceiling=RUN_CEILING))
        for stop in _stops(command, seed):
            code = SIG_EXIT[stop.sig]
            exits = (code,) if stop.sig == "SIGKILL" else (code, 0)
            then = tuple(a for a in args if a != "--force") if stop.sig == "SIGKILL" else None
            cases.append(Case(f"{command}: {stop.sig} at {stop.line or f'{stop.delay} s'}",
                              args, exits, (), ("Traceback",), "built", stop=stop,
                              then=then, owner=owner))
        twice = args if command != "run" else ("run", "--force", "01_trade", "--lang", "kk")
        cases.append(Case(f"{command}: two at once", twice, (0,), (), ("Traceback",), "built",
                          twice=True, owner=owner, ceiling=RUN_CEILING))
    return cases


def all_cases(seed: int) -> list[Case]:
    return issue_cases() + input_cases() + command_cases(seed)


# --------------------------------------------------------------------------- judging


def judge(case: Case, status: str, output: str, problem: str) -> tuple[str, str]:
    """(verdict, why) of one case."""
    why = []
    if status not in {str(e) for e in case.exits}:
        why.append(f"exit {status}")
    why += [f"no {s!r}" for s in case.says if s and s not in output]
    why += [f"says {s!r}" for s in case.lacks if s in output]
    if problem:
        why.append(problem)
    verdict = "ok" if not why else "FAIL" + (f" ({case.owner})" if case.owner else "")
    return verdict, "; ".join(why)


def _follow_up(root: Path, case: Case) -> str:
    """After SIGKILL: the same command runs to its end and leaves nothing behind."""
    assert case.then is not None
    done = kaztur(root, *case.then, env=case.env)
    if done.returncode != 0:
        return f"the next {' '.join(case.then)} exited {done.returncode}"
    return f"leftovers after the next run: {leftovers(root)}" if leftovers(root) else ""


def _execute(root: Path, case: Case, limit: int | None) -> tuple[str, str, str]:
    if case.stop is not None:
        return run_stopped(root, case)
    if case.twice:
        return run_twice(root, case)
    proc = start(root, case.command, case.env, limit)
    status, output = finish(proc, case.ceiling, [])
    return status, output, ""


def _aftermath(root: Path, case: Case, status: str, before: dict[str, str]) -> str:
    """What went wrong after the command ended: leftovers, lost files, a failed follow-up."""
    problems = []
    if case.then is not None:
        problems.append(_follow_up(root, case))
    elif leftovers(root):
        problems.append(f"leftovers: {leftovers(root)}")
    completed = status == "0" or case.then is not None
    changed = lost(before, tree(root), OUTPUTS.get(case.command[0]) if completed else None)
    if changed:
        problems.append(f"lost or changed: {changed}")
    return "; ".join(p for p in problems if p)


def play(case: Case, projects: Projects, work: Path) -> Outcome:
    """Set up, damage, run, judge one case (in its own folder of ``work``)."""
    t0 = time.monotonic()
    root = projects.copy(case.project, work / "project")
    if case.damage is not None:
        case.damage(root)
    with contextlib.ExitStack() as stack:
        limit, how = None, ""
        if case.full_disk:
            root, limit, how = stack.enter_context(small_disk(root, work))
        before = tree(root)
        with contextlib.ExitStack() as locked:
            if case.read_only is not None:
                locked.enter_context(read_only(root / case.read_only))
            status, output, problem = _execute(root, case, limit)
        after = _aftermath(root, case, status, before)
    verdict, why = judge(case, status, output, "; ".join(p for p in (problem, after) if p))
    name = case.name + (f" [{how}]" if how else "")
    return Outcome(dataclasses.replace(case, name=name), status, verdict,
                   time.monotonic() - t0, why)


# --------------------------------------------------------------------------- main


def table(outcomes: list[Outcome]) -> str:
    rows = [("case", "expected", "got", "verdict", "s")]
    rows += [(o.case.name, o.case.expected, o.got, o.verdict + (f": {o.why}" if o.why else ""),
              f"{o.seconds:.1f}") for o in outcomes]
    width = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["| " + " | ".join(r[i].ljust(width[i]) for i in range(5)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in width) + "|")
    return "\n".join(lines)


def select(cases: list[Case], args: argparse.Namespace) -> list[Case]:
    if args.quick:
        cases = [c for c in cases if c.quick]
    if args.only:
        cases = [c for c in cases if any(text in c.name for text in args.only)]
    return cases


def replay(cases: list[Case], args: argparse.Namespace) -> list[Outcome]:
    """Play ``cases`` (``args.repeat`` times, new seeds each time) in a temporary folder."""
    work = Path(tempfile.mkdtemp(prefix="kaztur-faults-"))
    outcomes: list[Outcome] = []
    try:
        projects = Projects(work)
        for repetition in range(args.repeat):
            chosen = select(all_cases(args.seed + repetition), args) if repetition else cases
            for number, case in enumerate(chosen):
                folder = work / f"case-{repetition}-{number}"
                folder.mkdir()
                outcome = play(case, projects, folder)
                outcomes.append(outcome)
                print(f"{outcome.verdict:<4} {outcome.seconds:6.1f}s  {outcome.case.name}"
                      + (f"  ({outcome.why})" if outcome.why else ""), file=sys.stderr,
                      flush=True)
                if not args.keep:
                    shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    failed = [o for o in outcomes if o.verdict != "ok"]
    site = sum(bool(o.case.owner) for o in failed)
    return (f"{len(outcomes) - len(failed)} of {len(outcomes)} cases ok"
            + (f"; {len(failed)} failed" if failed else "")
            + (f" ({site} of them the crash-only site's, issue 20 item 3)" if site else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the cheap cases only")
    parser.add_argument("--only", nargs="+", metavar="TEXT", help="cases whose name holds TEXT")
    parser.add_argument("--repeat", type=int, default=1, help="replay each case N times")
    parser.add_argument("--seed", type=int, default=20, help="seed of the signal points")
    parser.add_argument("--json", type=Path, help="write the outcomes here too")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--loaded-machine", action="store_true",
                        help="run every command as on a heavily loaded machine (threads "
                             "other than the main one slow to see a child exit: "
                             "tests/fixtures/loaded_machine), deterministically")
    args = parser.parse_args(argv)
    if args.loaded_machine:
        COMMON_ENV["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(LOADED_MACHINE), os.environ.get("PYTHONPATH", "")) if p)
    cases = select(all_cases(args.seed), args)
    if args.list:
        for case in cases:
            print(f"{case.name}  [{case.expected}]" + (" (quick)" if case.quick else ""))
        return 0
    outcomes = replay(cases, args)
    print(table(outcomes))
    print("\n" + summary(outcomes))
    if args.json:
        args.json.write_text(json.dumps([{"case": o.case.name, "expected": o.case.expected,
                                          "got": o.got, "verdict": o.verdict, "why": o.why,
                                          "seconds": round(o.seconds, 1)} for o in outcomes],
                                        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if any(o.verdict != "ok" for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
