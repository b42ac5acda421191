"""``kaztur check``: build the claims ledger, print its summary, write ledger.csv and .html."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.checks import ledger
from analysis.checks.core import CONTRADICTED
from analysis.checks.ledger import counts, summary_text
from analysis.data.io import atomic_write_text, table_to_csv_text
from analysis.present.ledger_page import to_html


def reports_dir(out: str | os.PathLike[str] | None = None) -> Path:
    """``--out``, else ``$KAZTUR_REPORTS_DIR``, else ``config.REPORTS_DIR``."""
    if out:
        return Path(out)
    env = os.environ.get("KAZTUR_REPORTS_DIR")
    return Path(env) if env else config.REPORTS_DIR


def write(table: pd.DataFrame, folder: Path) -> list[Path]:
    """Write ``ledger.csv`` and ``ledger.html`` atomically; return their paths."""
    return [atomic_write_text(folder / "ledger.csv", table_to_csv_text(table)),
            atomic_write_text(folder / "ledger.html", to_html(table))]


def main(args: argparse.Namespace) -> int:
    """``kaztur check [--strict] [--out DIR]``: build, print the summary, write outputs."""
    built = ledger.build()
    folder = reports_dir(getattr(args, "out", None))
    paths = write(built, folder)
    print(summary_text(built))
    print("wrote " + ", ".join(str(p) for p in paths))
    if getattr(args, "strict", False) and counts(built)[CONTRADICTED]:
        return 1
    return 0
