"""The worker side of ``kaztur run``: one notebook in one fresh kernel, and the ledger.

Why it is built this way:

* **papermill executes.** ``papermill.execute_notebook`` with the ``kaztur`` engine
  (:mod:`analysis.run.papermill_engine`): papermill injects the values the parent validated
  in a cell tagged ``injected-parameters`` after the ``parameters`` cell, records each cell's
  status and writes its error banner into a notebook that failed; the engine supplies the
  kernel (forked from the run's template) and drops the timings, so two runs give the
  same bytes.
* **One fresh kernel per notebook**, over IPC sockets in a private folder (no TCP ports,
  so kernels started at the same moment under load cannot race for a port); its stderr goes
  to a file whose last lines are shown if the kernel dies while starting.
* **Workers die with their parent.** A worker asks the kernel (Linux) to SIGKILL it when the
  ``kaztur run`` process dies, leaves the terminal's process group (Ctrl-C reaches only the
  parent, which stops everything itself), and each kernel exits by itself when its worker
  is gone (ipykernel watches its parent).
* **Progress** goes to the parent over the worker's pipe (cell i of n; see
  :mod:`analysis.run.workers`), never straight to the terminal, so the parent owns the
  display.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.data.io import atomic_write_text
from analysis.run import papermill_engine, zygote
from analysis.run.papermill_engine import kernel_env

_PR_SET_PDEATHSIG = 1
# where post() sends progress events: the worker's pipe to the parent (set_event_sink)
_SINK: Callable[[tuple[Any, ...]], None] | None = None
# this worker's connection to the run's kernel template (analysis.run.zygote), made for its
# first notebook
_TEMPLATE: zygote.Template | None = None


@dataclass
class Task:
    """One notebook in one language, as a worker receives it."""

    job: str
    stem: str
    rel: str
    lang: str
    source: str
    out_dir: str
    parameters: dict[str, Any]
    root: str
    runtime_dir: str
    kernel: str = "kaztur"
    extra: dict[str, Any] = field(default_factory=dict)
    ledger: str = ""  # the run's ledger.json, for a notebook that shows the ledger
    template: str = ""  # the address of the run's kernel template; "": a kernel from its spec


# --------------------------------------------------------------------------- worker setup


def worker_init(parent_pid: int) -> None:
    """Run once in every pool worker: die with the parent, leave Ctrl-C to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is not ours
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # out of the terminal's process group
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    else:  # no parent-death signal: watch the parent instead
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)


def set_event_sink(sink: Callable[[tuple[Any, ...]], None] | None) -> None:
    """Where :func:`post` sends events (the worker's pipe; None drops them)."""
    global _SINK
    _SINK = sink


def post(*event: Any) -> None:
    """An event for the parent's display (dropped when run outside a pool)."""
    if _SINK is not None:
        _SINK(event)


def worker_exit() -> None:
    """A worker's last act: close its connection to the run's kernel template (which the
    run's parent ends, :class:`analysis.run.zygote.Server`)."""
    global _TEMPLATE
    if _TEMPLATE is not None:
        _TEMPLATE.close()
        _TEMPLATE = None


# --------------------------------------------------------------------------- notebook


def injected_at(nb: Any) -> int:
    """Where papermill puts the ``injected-parameters`` cell: after the ``parameters`` cell
    (papermill's own rule; discovery makes sure there is exactly one)."""
    tagged = [i for i, c in enumerate(nb.cells)
              if "parameters" in c.get("metadata", {}).get("tags", [])]
    return tagged[0] + 1 if tagged else 0


def _source_index(index: int | None, injected: int) -> int | None:
    """Index of an executed cell in the notebook file (the injected cell shifts by one)."""
    if index is None or index < injected:
        return index
    return index - 1


def _first_lines(source: str, n: int = 3) -> str:
    lines = source.splitlines()
    text = "\n".join(lines[:n])
    return text + ("\n..." if len(lines) > n else "")


def _tail(path: Path, n: int = 8) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-n:])


def _template(task: Task) -> zygote.Template:
    global _TEMPLATE
    if _TEMPLATE is None or not _TEMPLATE.alive():
        _TEMPLATE = zygote.Template(task.template, Path(task.runtime_dir) / zygote.LOG_NAME)
    return _TEMPLATE


def forked_kernel(template: zygote.Template, connection_file: Path, env: dict[str, str],
                  kernel_name: str) -> dict[str, Any]:
    """nbclient's options for a kernel forked from ``template``: its manager (the kernel's
    stderr beside ``connection_file``) and IPC sockets beside ``connection_file``. The one
    wiring of a forked kernel, for the engine and for whoever executes a notebook with a
    template of their own (the seminar handout tests)."""
    return {"config": papermill_engine.ipc_config(connection_file),
            "km": zygote.ForkedKernelManager(template, connection_file, env,
                                             connection_file.with_suffix(".stderr"),
                                             kernel_name)}


def _engine_options(task: Task, connection_file: Path, hooks: dict[str, Any]) -> dict[str, Any]:
    """What the ``kaztur`` engine gets besides papermill's own arguments: a kernel forked
    from the run's warmed template (or, without one: ``KAZTUR_FRESH_KERNELS``, one started
    from the kernel spec), IPC sockets in the run's private folder either way, the
    notebook's folder as the kernel's working directory, and the progress hooks."""
    options: dict[str, Any] = {
        "config": papermill_engine.ipc_config(connection_file),
        "resources": {"metadata": {"path": str(Path(task.source).parent)}}, **hooks}
    if task.template:
        options.update(forked_kernel(_template(task), connection_file,
                                     kernel_env(task.out_dir, task.root, task.ledger),
                                     task.kernel))
    return options


def _error_of(exc: BaseException, nb: Any, state: dict[str, Any], injected: int,
              stderr_file: Path) -> dict[str, Any]:
    """What went wrong, located at the cell of the notebook file."""
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):  # a cell raised (papermill's banner is in)
        return {"kind": "cell", "cell_index": _source_index(exc.cell_index, injected),
                "source": _first_lines(exc.source), "ename": exc.ename,
                "evalue": exc.evalue}
    running = state.get("cell")
    cell_index = _source_index(running, injected)
    source = ""
    if running is not None and running < len(nb.cells):
        source = _first_lines(nb.cells[running].source)
    if isinstance(exc, DeadKernelError) or "Kernel died" in str(exc):
        started = state.get("started", False)
        where = "while running this cell" if running is not None else "while starting"
        detail = _tail(stderr_file)
        return {"kind": "kernel", "cell_index": cell_index if started else None,
                "source": source if started else "", "ename": "DeadKernelError",
                "evalue": f"the kernel died {where} (killed by a signal, out of memory, "
                          "or a crash in compiled code)"
                          + (f"; its last words:\n{detail}" if detail else "")}
    return {"kind": "other", "cell_index": cell_index, "source": source,
            "ename": type(exc).__name__, "evalue": str(exc).strip(),
            "traceback": traceback.format_exc(limit=3)}


def execute_task(task: Task) -> dict[str, Any]:
    """Run one notebook in a fresh kernel through papermill and write it; the run's record."""
    import nbformat
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel

    os.environ.update(kernel_env(task.out_dir, task.root, task.ledger))
    out_dir = Path(task.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / f"{task.stem}.ipynb"
    start = time.time()
    result: dict[str, Any] = {"job": task.job, "stem": task.stem, "lang": task.lang,
                              "start": start, "notebook": str(output),
                              "reads_run_ledger": bool(task.ledger)}
    source = nbformat.read(task.source, as_version=4)
    injected = injected_at(source)
    # the code cells of the notebook papermill executes: the file's, and the injected one
    code_cells = sorted([i + (i >= injected) for i, c in enumerate(source.cells)
                         if c.cell_type == "code"] + [injected])
    state: dict[str, Any] = {"cell": None, "started": False}

    def on_start(**_: Any) -> None:
        state["started"] = True

    def on_cell(cell: Any, cell_index: int, **_: Any) -> None:
        state["cell"] = cell_index
        if cell_index in code_cells:  # i of n, and the cell's index in the notebook file
            post("cell", task.job, code_cells.index(cell_index) + 1, len(code_cells),
                 _source_index(cell_index, injected))

    post("start", task.job, len(code_cells))
    stem_file = Path(task.runtime_dir) / f"k{os.getpid()}-{task.job.replace('/', '_')}"
    stderr_file = stem_file.with_suffix(".stderr")
    keep: dict[str, Any] = {"nb": source}
    try:
        with open(stderr_file, "w", encoding="utf-8") as err:
            papermill.execute_notebook(
                task.source, None, parameters=task.parameters, engine_name="kaztur",
                kernel_name=task.kernel, progress_bar=False, request_save_on_cell_execute=False,
                # a machine under load can take a while to boot a kernel; a kernel that dies
                # is reported at once, whatever this says
                start_timeout=300, execution_timeout=1800, kernel_stderr=err, keep=keep,
                **_engine_options(task, stem_file.with_suffix(".json"),
                                  {"on_notebook_start": on_start, "on_cell_start": on_cell}))
        state["cell"] = None
    except NoSuchKernel:
        result.update(status="failed", error={
            "kind": "environment", "cell_index": None, "source": "", "ename": "NoSuchKernel",
            "evalue": f"no Jupyter kernel named {task.kernel!r} is installed"})
    except Exception as exc:  # recorded and reported by the parent, never hidden
        result.update(status="failed", error=_error_of(exc, keep["nb"], state, injected,
                                                       stderr_file))
    else:
        result["status"] = "ok"
    result["end"] = time.time()
    result["duration"] = round(result["end"] - start, 3)
    nb = keep["nb"]
    if result["status"] != "ok":  # the engine has not finished it, or papermill added its
        papermill_engine.coalesce_streams(nb)  # banner after it did
        papermill_engine.make_stable(nb)
    papermill_engine.record_paths(nb, f"notebooks/{task.rel}.ipynb",
                                  f"reports/{task.lang}/{task.stem}/{task.stem}.ipynb")
    nb.metadata["kaztur"] = {"notebook": f"notebooks/{task.rel}.ipynb", "lang": task.lang,
                             "parameters": task.parameters}
    atomic_write_text(output, nbformat.writes(nb) + "\n")
    if result["status"] == "ok":
        result["cells"] = len(code_cells)
    post("end", task.job, result["status"], result["duration"])
    return result


# --------------------------------------------------------------------------- ledger


def ledger_task(folders: dict[str, str], verbose: bool = False) -> dict[str, Any]:
    """Build the claims ledger once and write it into each language's folder."""
    # deliberate lazy import: the checks (pandas, pandera) load only in the worker that
    # builds the ledger, never in the parent of a no-op run
    from analysis.run import ledger_files

    start = time.time()
    post("start", "ledger", 1)
    summary = ledger_files.build_and_write({lang: Path(p) for lang, p in folders.items()})
    duration = round(time.time() - start, 3)
    post("end", "ledger", "ok", duration)
    return {"job": "ledger", "status": "ok", "start": start, "end": time.time(),
            "duration": duration, **summary}
