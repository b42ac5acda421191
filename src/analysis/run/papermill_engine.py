"""The ``kaztur`` papermill engine: papermill executes every notebook, on kaztur's kernels.

Why an engine: the notebooks are executed by papermill (the design the package was asked
for), so ``papermill.execute_notebook`` injects the parameters, and papermill's execution
manager records each cell's status and, when a cell fails, writes the error banner papermill
users know. What ``kaztur run`` adds plugs in here, as papermill's engines are meant to
(registered under papermill's entry point ``papermill.engine`` as ``kaztur``):

* **The kernel.** ``kaztur run`` hands the engine a kernel manager (``km=``) that forks the
  kernel from its worker's warm template (:mod:`analysis.run.zygote`), over IPC sockets in a
  private folder. From papermill's own command line (``papermill --engine kaztur
  notebooks/01_trade.ipynb out.ipynb -p lang en``) no manager is given and the engine starts
  an ordinary kernel from the kernel spec with the same settings: the same outputs, a slower
  start.
* **No timings.** nbclient's per-cell timings are off, and papermill's times (start, end
  and duration of the notebook and of each cell) are removed before the notebook is
  written (:func:`make_stable`), and the cells papermill adds get fixed ids instead of random
  ones: two runs give the same bytes. ``kaztur run`` also records
  the notebook's paths relative to the project (:func:`record_paths`), never a temporary
  folder.
* **Loaded lazily.** papermill loads its engines' entry points while it is being imported,
  so this module imports nothing of papermill at its top: ``KazturEngine`` is made on first
  access (:func:`__getattr__`), from papermill's nbclient engine, whichever of the two
  modules was imported first.
* **Merged streams.** Consecutive stream outputs of a cell are merged
  (:func:`coalesce_streams`): how text arrives in chunks depends on timing, the text does not.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from analysis import config

# Kernels log only errors, and keep no command history: parallel kernels writing one
# history database race for its lock, and the warning lands in a cell's output
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
#: papermill's clock readings, in the notebook's and each cell's ``metadata.papermill``
TIMINGS = ("start_time", "end_time", "duration")
#: the tag of the two cells of papermill's error banner (papermill.execute.ERROR_MARKER_TAG)
ERROR_TAG = "papermill-error-cell-tag"


def kernel_env(out_dir: str | None, root: str | None, ledger: str = "") -> dict[str, str]:
    """The environment a notebook's kernel runs in (``out_dir``: where the notebook's
    session writes its tables and figures; ``root``: the project; ``ledger``: the run's
    ``ledger.json`` for a notebook that shows the ledger, always set, empty for none, so a
    value meant for one notebook never reaches the next)."""
    env = {
        # the inline backend renders with Agg (headless) and still shows figures in the
        # executed notebook and its HTML; plain Agg would drop them from the notebook
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
        config.RUN_LEDGER_ENV: ledger,
    }
    if out_dir is not None:
        env["KAZTUR_OUTPUT_DIR"] = out_dir
    if root is not None:
        env["KAZTUR_ROOT"] = root
    return env


def make_stable(nb: Any) -> Any:
    """``nb`` without what differs between two runs of the same notebook: papermill's clock
    readings (the notebook's and every cell's), nbclient's timings, and the random ids of
    the cells papermill adds (the injected parameters, the error banner and its anchor),
    which get fixed ones."""
    for meta in [nb.metadata.get("papermill", {})] + [
            c.get("metadata", {}).get("papermill", {}) for c in nb.cells]:
        for key in TIMINGS:
            meta.pop(key, None)
    banner = 0
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        tags = meta.get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
        elif ERROR_TAG in tags:
            cell["id"] = ("papermill-error-message", "papermill-error-anchor")[min(banner, 1)]
            banner += 1
    return nb


def ipc_config(connection_file: Path) -> Any:
    """nbclient's configuration for a kernel over IPC sockets, its connection file at
    ``connection_file`` (a private folder: no TCP ports, so kernels started at the same
    moment under load cannot race for a port)."""
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.connection_file = str(connection_file)
    return config


def drop_records(nb: Any) -> Any:
    """``nb`` without anything papermill added to it: its records in the notebook's and the
    cells' metadata, and the empty tag lists it gives every cell (for the committed
    notebooks, whose diff should show only what changed in the outputs)."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        meta.pop("papermill", None)
        meta.pop("execution", None)
        if meta.get("tags") == []:
            del meta["tags"]
    return nb


def record_paths(nb: Any, input_path: str, output_path: str) -> None:
    """The notebook's paths as the project names them (papermill records the ones it was
    given: a worker's temporary copy)."""
    meta = nb.metadata.setdefault("papermill", {})
    meta["input_path"] = input_path
    meta["output_path"] = output_path


def coalesce_streams(nb: Any) -> None:
    """Merge consecutive stream outputs of a cell, so two runs store the same outputs."""
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


def __getattr__(name: str) -> Any:
    """``KazturEngine``, made on first access (see the module's docstring)."""
    if name == "KazturEngine":
        return _engine_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _engine_class() -> type:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger

    class KazturEngine(NBClientEngine):
        """papermill's nbclient engine with kaztur's kernels and settings, and no timings."""

        @classmethod
        def execute_notebook(cls, nb: Any, kernel_name: str, **kwargs: Any) -> Any:
            """papermill's managed execution, then the notebook without its clock readings
            (papermill writes what this returns; on a failed cell it adds its banner first)."""
            executed = super().execute_notebook(nb, kernel_name, **kwargs)
            coalesce_streams(executed)
            return make_stable(executed)

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str,
                                     start_timeout: int = 60, execution_timeout: Any = None,
                                     kernel_stderr: Any = None, keep: dict | None = None,
                                     **kwargs: Any) -> Any:
            """Execute ``nb_man``'s notebook cell by cell (papermill's client). ``km``: a kernel
            manager to use (and shut down at the end); ``kernel_stderr``: an open file for the
            kernel's stderr; ``keep``: a dict that receives the notebook being executed, so the
            caller can write it when execution raises. Other keywords (papermill's
            ``log_output``, ``stdout_file``, ``stderr_file``; nbclient's settings and hooks)
            go to papermill's nbclient client."""
            if keep is not None:
                keep["nb"] = nb_man.nb
            for name in ("input_path", "timeout", "startup_timeout"):
                kwargs.pop(name, None)
            km = kwargs.pop("km", None)
            if km is None:  # papermill's command line: an ordinary kernel, kaztur's settings
                for name, value in kernel_env(None, None).items():
                    os.environ.setdefault(name, value)
            settings: dict[str, Any] = {"record_timing": False, "extra_arguments": KERNEL_ARGUMENTS,
                                        "shutdown_kernel": "immediate", **kwargs}
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log=logger, **settings)
            if km is not None:
                client.owns_km = True  # shut the kernel down when the notebook ends
            launch = {} if kernel_stderr is None else {"stderr": kernel_stderr}
            return client.execute(**launch)

    KazturEngine.__qualname__ = "KazturEngine"
    return KazturEngine
