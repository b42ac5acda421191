"""Saving what a notebook publishes where the pipeline collects it.

Inside ``kaztur run`` the environment variable ``KAZTUR_OUTPUT_DIR`` names the notebook's
output folder. Written there:

* ``figures/<name>.png`` and ``.svg``;
* ``tables/<name>.csv``: the table as a reader downloads it (headers and value labels in the
  notebook's language, numbers as numbers), and ``tables/<name>.data.csv``: the same rows
  language-neutral (column keys, value keys, raw numbers: what code reads);
* beside each figure and table ``<name>.json``: its caption, files, the execution count of
  the cell that made it (``cell``, so pages link the cell), a table's cells exactly as the
  notebook showed them (``shown``: headers and text in the notebook's notation, which the
  site prints as they are; ``printed`` marks the columns that quote the source as printed),
  and ``front`` for a figure the front page shows;
* ``results.json``: the notebook's published results (:mod:`analysis.present.results`).

Opened interactively, nothing is written: the functions only display, and nothing lands
outside ``reports/``. Outputs are byte-stable: no creation dates in SVG or PNG metadata,
fixed SVG ids, JSON with sorted keys.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from analysis.data.io import atomic_write_bytes, atomic_write_text, table_to_csv_text
from analysis.present.results import DATA_SUFFIX, RESULTS_FILE, Result, read_results

#: Fixed salt so that SVG element ids are identical from run to run (set here too, so that
#: a figure saved without the notebooks' style is byte-stable as well)
SVG_HASHSALT = "kaztur-analysis"
matplotlib.rcParams["svg.hashsalt"] = SVG_HASHSALT
#: the figures' resolution: laid out (the style's ``figure.dpi``) and saved (``savefig.dpi``)
#: at it; the notebooks' display shows the same PNG
FIGURE_DPI = 110

__all__ = ["DATA_SUFFIX", "FIGURE_DPI", "RESULTS_FILE", "SVG_HASHSALT", "figure_png",
           "output_dir", "read_results", "save_figure", "save_results", "save_table"]


def output_dir() -> Path | None:
    """The run's output folder for this notebook, or None outside ``kaztur run``."""
    value = os.environ.get("KAZTUR_OUTPUT_DIR")
    return Path(value) if value else None


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _sidecar(folder: Path, meta: Mapping[str, Any]) -> None:
    atomic_write_text(folder / f"{meta['name']}.json", _json_text(dict(meta)))


def _rendered(fig: Figure, ext: str, metadata: dict[str, None]) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=ext, dpi=FIGURE_DPI, bbox_inches="tight", metadata=metadata)
    return buffer.getvalue()


def figure_png(fig: Figure) -> bytes:
    """``fig`` as the report's PNG (no software name in it, so the bytes are stable).
    Rendered once per figure: the notebook shows these bytes and the run saves them
    (:func:`save_figure`), instead of the notebook's display drawing the figure again."""
    return _rendered(fig, "png", {"Software": None})


def save_figure(fig: Figure, name: str, caption: str, cell: int | None = None,
                front: bool = False, png: bytes | None = None) -> list[Path]:
    """Save ``fig`` as PNG and SVG under the run's output folder (if any); ``png``: its
    PNG when the caller has it already (:func:`figure_png`)."""
    out = output_dir()
    if out is None:
        return []
    folder = out / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    written = [atomic_write_bytes(folder / f"{name}.png", figure_png(fig) if png is None
                                  else png),
               atomic_write_bytes(folder / f"{name}.svg",
                                  _rendered(fig, "svg", {"Date": None, "Creator": None}))]
    _sidecar(folder, {"name": name, "kind": "figure", "caption": caption,
                      "files": [p.name for p in written], "cell": cell, "front": front})
    return written


def save_table(frame: pd.DataFrame, name: str, caption: str, *,
               data: pd.DataFrame | None = None, shown: pd.DataFrame | None = None,
               printed: Sequence[bool] = (), cell: int | None = None) -> list[Path]:
    """Save ``frame`` (the localised table) as CSV under the run's output folder (if any),
    ``data`` (the language-neutral rows) beside it, and ``shown`` (the cells as text) in
    its sidecar (with ``printed``: which columns quote the source as printed)."""
    out = output_dir()
    if out is None:
        return []
    folder = out / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    written = [atomic_write_text(folder / f"{name}.csv", table_to_csv_text(frame))]
    if data is not None:
        written.append(atomic_write_text(folder / f"{name}{DATA_SUFFIX}",
                                         table_to_csv_text(data)))
    meta: dict[str, Any] = {"name": name, "kind": "table", "caption": caption,
                            "files": [p.name for p in written], "cell": cell}
    if shown is not None:
        meta["shown"] = {"columns": [str(c) for c in shown.columns],
                         "rows": [[str(v) for v in row] for row in
                                  shown.itertuples(index=False)],
                         "printed": [bool(p) for p in printed]}
    _sidecar(folder, meta)
    return written


def save_results(results: Sequence[Result]) -> Path | None:
    """Add ``results`` to the notebook's ``results.json`` (a result published again under
    the same key replaces the earlier one, as a re-run cell does)."""
    out = output_dir()
    if out is None:
        return None
    out.mkdir(parents=True, exist_ok=True)
    merged = {r.key: r for r in read_results(out)}
    merged.update({r.key: r for r in results})
    return atomic_write_text(out / RESULTS_FILE, _json_text(
        {"results": [r.to_json() for r in merged.values()]}))
