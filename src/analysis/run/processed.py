"""Build ``data/processed/`` from ``data/raw/`` (``kaztur data``).

The raw data is verified first (checksums, descriptor, schemas); every dataset is then
computed and validated before anything is written, into a staging folder that replaces
``data/processed/`` as a whole (:mod:`analysis.run.staging`). A killed or failed build
leaves the previous processed files, all of them, as they were.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data import datasets
from analysis.data.io import write_table
from analysis.errors import rel
from analysis.run import preflight, staging

KEEP = ("README.md", ".gitkeep")  # documentation of the folder, kept across builds


def build_all() -> dict[str, pd.DataFrame]:
    """Every dataset, in name order. Raises DataError before any write on bad input."""
    return {name: datasets.load(name) for name in datasets.names()}


def write_all(out_dir: Path | None = None) -> list[Path]:
    """Verify, build every dataset, write them into a staging folder and swap it in."""
    out_dir = out_dir or config.PROCESSED_DIR
    preflight.require_verified(config.RAW_DIR)
    frames = build_all()
    staging.clean_leftovers(out_dir)
    stage = staging.staging_dir(out_dir)
    try:
        for name in KEEP:
            if (out_dir / name).is_file():
                staging.link_or_copy(str(out_dir / name), str(stage / name))
        written: list[Path] = []
        for name, frame in frames.items():
            written += write_table(frame, stage / name)
        staging.swap_in(stage, out_dir)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return [out_dir / p.name for p in written]


def main() -> int:
    """``kaztur data``, under the project lock (a run reading processed data waits)."""
    with staging.project_lock(config.ROOT, "data", _note):
        written = write_all(config.PROCESSED_DIR)
    print(f"kaztur data: wrote {len(written)} files to {rel(config.PROCESSED_DIR)}/")
    return 0


def _note(message: str) -> None:
    print(f"kaztur data: {message}", file=sys.stderr)
