"""``kaztur refresh-notebooks``: re-execute the committed notebooks in place.

papermill executes them (``kaztur`` engine) with their default parameters; the committed
file keeps no injected cell, no timings and none of papermill's records: the diff shows only
what changed in the outputs, so updating nbval's expectations is one visible, reviewable
command. A notebook file is replaced only after its run succeeded.
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
from analysis.run import execute, papermill_engine, progress
from analysis.run.discovery import PipelineError, discover, select


def refresh_one(path: str, runtime_dir: str) -> dict[str, Any]:
    """Re-execute one committed notebook in place with its default parameters, through
    papermill (``kaztur`` engine, an ordinary kernel); papermill's records are not kept."""
    import nbformat
    import papermill

    nb_path = Path(path)
    os.environ.update(papermill_engine.kernel_env(None, None))
    os.environ.pop("KAZTUR_OUTPUT_DIR", None)
    config = papermill_engine.ipc_config(Path(runtime_dir) / f"r{os.getpid()}.json")
    execute.post("start", nb_path.stem, 0)
    start = time.time()
    try:
        nb = papermill.execute_notebook(
            str(nb_path), None, engine_name="kaztur", kernel_name="kaztur",
            progress_bar=False, request_save_on_cell_execute=False, start_timeout=300,
            execution_timeout=1800, config=config,
            resources={"metadata": {"path": str(nb_path.parent)}})
    except Exception as exc:  # a failed cell, a kernel that died: reported, file untouched
        return {"path": path, "status": "failed",
                "ename": getattr(exc, "ename", type(exc).__name__),
                "evalue": getattr(exc, "evalue", str(exc))}
    papermill_engine.drop_records(nb)
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
