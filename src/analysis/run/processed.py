"""Build ``data/processed/`` from ``data/raw/`` (``kaztur data``).

Every dataset is computed and validated before anything is written, so bad raw input never
leaves a mix of old and new processed files; each file is then written atomically.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config, datasets
from analysis.data.io import write_table


def build_all() -> dict[str, pd.DataFrame]:
    """Every dataset, in name order. Raises DataError before any write on bad input."""
    return {name: datasets.load(name) for name in datasets.names()}


def write_all(out_dir: Path | None = None) -> list[Path]:
    out_dir = out_dir or config.PROCESSED_DIR
    frames = build_all()
    written: list[Path] = []
    for name, frame in frames.items():
        written += write_table(frame, out_dir / name)
    return written
