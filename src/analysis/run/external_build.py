"""``kaztur external build|refresh``: write ``data/external/`` (official statistics).

    kaztur external build     derive data/external/ from the snapshots in ../shared/external/
    kaztur external refresh   fetch the same WDI indicators anew from the World Bank API

Both replace files only after everything they would write has been checked; on a bad
snapshot, an unreachable API or a partial answer they exit 1 and say why, and the committed
``data/external/`` stays as it was. ``kaztur verify`` checks the result.
"""

from __future__ import annotations

import argparse
import sys

from analysis.data import official as ext
from analysis.data import snapshots, worldbank
from analysis.errors import rel


def build(args: argparse.Namespace) -> int:
    try:
        written = snapshots.write()
    except FileNotFoundError as exc:
        print(f"kaztur external build: {exc}", file=sys.stderr)
        return 1
    print(f"kaztur external build: wrote {len(written)} files to "
          f"{rel(ext.external_dir())}/ from {snapshots.snapshot_dir()}")
    return 0


def refresh(args: argparse.Namespace) -> int:
    try:
        vintage, written = worldbank.refresh()
    except worldbank.RefreshError as exc:
        print(f"kaztur external refresh: {exc}", file=sys.stderr)
        return 1
    print(f"kaztur external refresh: WDI vintage {vintage}; wrote "
          + ", ".join(p.name for p in written))
    return 0

