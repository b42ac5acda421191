"""``kaztur refresh-notebooks``: re-execute the committed notebooks in place.

Default parameters, no injected cell, no timings: the diff shows only what changed in the
outputs, so updating nbval's expectations is one visible, reviewable command. A notebook
file is replaced only after its run succeeded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from analysis.data.io import atomic_write_text
from analysis.run import execute, progress
from analysis.run.discovery import PipelineError, discover, select


def refresh_one(path: str, runtime_dir: str) -> dict[str, Any]:
    """Re-execute one committed notebook in place with its default parameters."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from traitlets.config import Config

    nb_path = Path(path)
    os.environ.update(execute.kernel_env(None, None))
    os.environ.pop("KAZTUR_OUTPUT_DIR", None)
    nb = nbformat.read(nb_path, as_version=4)
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.connection_file = str(Path(runtime_dir) / f"r{os.getpid()}.json")
    client = NotebookClient(nb, kernel_name="kaztur", config=config, record_timing=False,
                            timeout=1800, startup_timeout=300,
                            extra_arguments=execute.KERNEL_ARGUMENTS,
                            shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(nb_path.parent)}})
    execute.post("start", nb_path.stem, 0)
    start = time.time()
    try:
        client.execute()
    except CellExecutionError as exc:
        return {"path": path, "status": "failed", "ename": getattr(exc, "ename", "Error"),
                "evalue": getattr(exc, "evalue", str(exc))}
    except Exception as exc:  # a kernel that died or timed out: reported, file untouched
        return {"path": path, "status": "failed", "ename": type(exc).__name__,
                "evalue": str(exc)}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    atomic_write_text(nb_path, nbformat.writes(nb) + "\n")
    execute.post("end", nb_path.stem, "ok", time.time() - start)
    return {"path": path, "status": "ok"}


def refresh_main(args: argparse.Namespace) -> int:
    """``kaztur refresh-notebooks [stems]``: update the stored outputs nbval compares."""
    from analysis import config
    from analysis.run.pipeline import jobs_count
    from analysis.run.workers import Lost, WorkerPool

    t0 = time.time()
    try:
        selected = select(discover(config.ROOT / "notebooks"), args.notebooks)
    except PipelineError as exc:
        print(f"kaztur refresh-notebooks: {exc}", file=sys.stderr)
        return 1
    show = progress.Lines(sys.stderr, progress.NORMAL, t0, "refresh-notebooks")
    show.plan({nb.stem: nb.stem for nb in selected}, {})
    failed = []
    with tempfile.TemporaryDirectory(prefix="kaztur-refresh-") as runtime, \
            WorkerPool(min(jobs_count(getattr(args, "jobs", None)), max(1, len(selected)))
                       ) as pool:
        tasks = [(str(nb.path), refresh_one, (str(nb.path), runtime)) for nb in selected]
        for key, result in pool.run(tasks, show.event):
            if isinstance(result, Lost):
                result = {"path": key, "status": "failed", "ename": "WorkerKilled",
                          "evalue": f"its worker process was {result.cause()}"}
            if result["status"] != "ok":
                failed.append(result)
    for f in failed:
        print(f"kaztur refresh-notebooks: {f['path']} failed ({f['ename']}: {f['evalue']}); "
              "left unchanged", file=sys.stderr)
    if not failed:
        print(f"kaztur refresh-notebooks: {len(selected)} notebook(s) updated; review the "
              "diff (git diff notebooks/) before committing.", file=sys.stderr)
    return 1 if failed else 0
