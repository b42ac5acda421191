"""The worker side of ``kaztur run``: one notebook in one fresh kernel, and the ledger.

Why it is built this way:

* **nbclient directly, parameters injected here.** The values validated by the parent are
  written into a cell tagged ``injected-parameters`` right after the ``parameters`` cell
  (as papermill does); nbclient runs with ``record_timing=False`` so the executed notebook
  holds no timestamps and two runs give the same bytes.
* **One fresh kernel per notebook**, over IPC sockets in a private folder (no TCP ports,
  so kernels started at the same moment under load cannot race for a port); its stderr goes
  to a file whose last lines are shown if the kernel dies while starting.
* **Workers die with their parent.** A worker asks the kernel (Linux) to SIGKILL it when the
  ``kaztur run`` process dies, leaves the terminal's process group (Ctrl-C reaches only the
  parent, which stops everything itself), and each kernel exits by itself when its worker
  is gone (ipykernel watches its parent).
* **Progress** goes to the parent over a queue (cell i of n), never straight to the
  terminal, so the parent owns the display.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.data.io import atomic_write_text
from analysis.run import zygote

_PR_SET_PDEATHSIG = 1
# Kernels log only errors, and keep no command history: parallel kernels writing one
# history database race for its lock, and the warning lands in a cell's output
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
# the parent's event queue, set in each worker by worker_init
_EVENTS: Any = None
# this worker's kernel template (analysis.run.zygote), started with its first notebook
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


# --------------------------------------------------------------------------- worker setup


def worker_init(events: Any, parent_pid: int) -> None:
    """Run once in every pool worker: die with the parent, leave Ctrl-C to the parent."""
    global _EVENTS
    _EVENTS = events
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


def post(*event: Any) -> None:
    """An event for the parent's display (dropped when run outside a pool)."""
    if _EVENTS is not None:
        _EVENTS.put(event)


def kernel_env(out_dir: str | None, root: str | None) -> dict[str, str]:
    env = {
        # the inline backend renders with Agg (headless) and still shows figures in the
        # executed notebook and its HTML; plain Agg would drop them from the notebook
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    if out_dir is not None:
        env["KAZTUR_OUTPUT_DIR"] = out_dir
    if root is not None:
        env["KAZTUR_ROOT"] = root
    return env


# --------------------------------------------------------------------------- notebook


def inject_parameters(nb: Any, parameters: dict[str, Any]) -> int:
    """Insert the ``injected-parameters`` cell after the ``parameters`` cell; its index."""
    import nbformat

    tagged = [i for i, c in enumerate(nb.cells)
              if "parameters" in c.get("metadata", {}).get("tags", [])]
    at = tagged[0] + 1 if tagged else 0
    lines = ["# Parameters"] + [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines) + "\n",
                                     metadata={"tags": ["injected-parameters"]})
    cell["id"] = "injected-parameters"
    nb.cells.insert(at, cell)
    return at


def coalesce_streams(nb: Any) -> None:
    """Merge consecutive stream outputs of a cell (how text arrives in chunks depends on
    timing; the text does not), so two runs store the same outputs."""
    for cell in nb.cells:
        merged: list[Any] = []
        for out in cell.get("outputs", []):
            if (out.get("output_type") == "stream" and merged
                    and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == out.get("name")):
                merged[-1]["text"] = merged[-1]["text"] + out["text"]
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged


def _source_index(index: int | None, injected_at: int) -> int | None:
    """Index of an executed cell in the notebook file (the injected cell shifts by one)."""
    if index is None or index < injected_at:
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
        _TEMPLATE = zygote.Template(kernel_env(None, task.root), str(Path(task.source).parent),
                                    Path(task.runtime_dir) / f"template-{os.getpid()}.log")
    return _TEMPLATE


def _client(nb: Any, task: Task, connection_file: Path, stderr_file: Path,
            hooks: dict[str, Any]) -> Any:
    """nbclient with a kernel forked from the warmed template, or (``KAZTUR_FRESH_KERNELS``)
    one started from the kernel spec; IPC sockets either way."""
    from nbclient import NotebookClient
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.connection_file = str(connection_file)
    km: Any = None
    if zygote.enabled():
        km = zygote.ForkedKernelManager(_template(task), connection_file,
                                        kernel_env(task.out_dir, task.root), stderr_file,
                                        task.kernel)
    client = NotebookClient(
        nb, km=km, kernel_name=task.kernel, config=config, record_timing=False,
        timeout=1800,
        # a machine under load can take a while to boot a kernel; a kernel that dies is
        # reported at once, whatever this says
        startup_timeout=300,
        extra_arguments=KERNEL_ARGUMENTS, shutdown_kernel="immediate",
        resources={"metadata": {"path": str(Path(task.source).parent)}}, **hooks)
    client.owns_km = True  # shut the kernel down when the notebook ends, whoever made it
    return client


def _error_of(exc: BaseException, nb: Any, state: dict[str, Any], injected_at: int,
              stderr_file: Path) -> dict[str, Any]:
    """What went wrong, located at the cell of the notebook file."""
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    running = state.get("cell")
    cell_index = _source_index(running, injected_at)
    source = ""
    if running is not None and running < len(nb.cells):
        source = _first_lines(nb.cells[running].source)
    if isinstance(exc, CellExecutionError):
        return {"kind": "cell", "cell_index": cell_index, "source": source,
                "ename": exc.ename, "evalue": exc.evalue}
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
    """Run one notebook in a fresh kernel and write it; the run's record."""
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel

    os.environ.update(kernel_env(task.out_dir, task.root))
    out_dir = Path(task.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / f"{task.stem}.ipynb"
    start = time.time()
    result: dict[str, Any] = {"job": task.job, "stem": task.stem, "lang": task.lang,
                              "start": start, "notebook": str(output)}
    nb = nbformat.read(task.source, as_version=4)
    injected_at = inject_parameters(nb, task.parameters)
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    state: dict[str, Any] = {"cell": None, "started": False}

    def on_start(**_: Any) -> None:
        state["started"] = True

    def on_cell(cell: Any, cell_index: int, **_: Any) -> None:
        state["cell"] = cell_index
        if cell_index in code_cells:
            post("cell", task.job, code_cells.index(cell_index) + 1, len(code_cells))

    post("start", task.job, len(code_cells))
    stem_file = Path(task.runtime_dir) / f"k{os.getpid()}-{task.job.replace('/', '_')}"
    stderr_file = stem_file.with_suffix(".stderr")
    client = _client(nb, task, stem_file.with_suffix(".json"), stderr_file,
                     {"on_notebook_start": on_start, "on_cell_start": on_cell})
    try:
        with open(stderr_file, "w", encoding="utf-8") as err:
            client.execute(stderr=err)
        state["cell"] = None
    except NoSuchKernel:
        result.update(status="failed", error={
            "kind": "environment", "cell_index": None, "source": "", "ename": "NoSuchKernel",
            "evalue": f"no Jupyter kernel named {task.kernel!r} is installed"})
    except Exception as exc:  # recorded and reported by the parent, never hidden
        result.update(status="failed", error=_error_of(exc, nb, state, injected_at,
                                                       stderr_file))
    else:
        result["status"] = "ok"
    result["end"] = time.time()
    result["duration"] = round(result["end"] - start, 3)
    nb.metadata["kaztur"] = {"notebook": f"notebooks/{task.rel}.ipynb", "lang": task.lang,
                             "parameters": task.parameters}
    coalesce_streams(nb)
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
