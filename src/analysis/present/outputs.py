"""Saving a notebook's figures and result tables where the pipeline collects them.

Inside ``kaztur run`` the environment variable ``KAZTUR_OUTPUT_DIR`` names the notebook's
output folder; figures go to ``figures/<name>.png`` and ``.svg``, tables to
``tables/<name>.csv``, each with a caption in ``<name>.json``. Opened interactively, the
functions only display: nothing is written outside ``reports/``.
Outputs are byte-stable: no creation dates in SVG or PNG metadata, fixed SVG ids.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from analysis.data.io import atomic_write_bytes, atomic_write_text, table_to_csv_text

matplotlib.rcParams["svg.hashsalt"] = "kaztur-analysis"


def output_dir() -> Path | None:
    """The run's output folder for this notebook, or None outside ``kaztur run``."""
    value = os.environ.get("KAZTUR_OUTPUT_DIR")
    return Path(value) if value else None


def _caption_file(folder: Path, name: str, caption: str, kind: str, files: list[str]) -> None:
    meta = {"name": name, "kind": kind, "caption": caption, "files": files}
    atomic_write_text(folder / f"{name}.json",
                      json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def save_figure(fig: Figure, name: str, caption: str) -> list[Path]:
    """Save ``fig`` as PNG and SVG under the run's output folder (if any)."""
    out = output_dir()
    if out is None:
        return []
    folder = out / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=ext, dpi=110, bbox_inches="tight", metadata=meta)
        written.append(atomic_write_bytes(folder / f"{name}.{ext}", buffer.getvalue()))
    _caption_file(folder, name, caption, "figure", [p.name for p in written])
    return written


def save_table(frame: pd.DataFrame, name: str, caption: str) -> list[Path]:
    """Save ``frame`` as CSV under the run's output folder (if any)."""
    out = output_dir()
    if out is None:
        return []
    folder = out / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = atomic_write_text(folder / f"{name}.csv", table_to_csv_text(frame))
    _caption_file(folder, name, caption, "table", [path.name])
    return [path]
