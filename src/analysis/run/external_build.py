"""``kaztur external build|refresh``: write ``data/external/`` (official statistics).

    kaztur external build             derive data/external/ from the snapshots in
                                      ../shared/external/
    kaztur external refresh [wdi|trade ...]
                                      fetch anew from the publishers' APIs: the WDI
                                      indicators (World Bank), the trade series (UN Comtrade
                                      preview, WITS); both by default. The BNS series has no
                                      documented API and stays as built from its snapshot.

Both replace files only after everything they would write has been checked; on a bad
snapshot, an unreachable API or a partial answer they exit 1 and say why, and the committed
``data/external/`` stays as it was. ``kaztur verify`` checks the result.
"""

from __future__ import annotations

import argparse
import sys

from analysis.data import official as ext
from analysis.data import snapshots, trade_refresh, worldbank
from analysis.errors import rel

#: What ``kaztur external refresh`` can fetch anew, in the order it does so.
REFRESHABLE = ("wdi", "trade")


def build(args: argparse.Namespace) -> int:
    try:
        written = snapshots.write()
    except FileNotFoundError as exc:
        print(f"kaztur external build: {exc}", file=sys.stderr)
        return 1
    print(f"kaztur external build: wrote {len(written)} files to "
          f"{rel(ext.external_dir())}/ from {snapshots.snapshot_dir()}")
    return 0


def _refresh_wdi() -> str:
    vintage, written = worldbank.refresh()
    return f"WDI vintage {vintage}; wrote " + ", ".join(p.name for p in written)


def _refresh_trade() -> str:
    series, written = trade_refresh.refresh()
    return (f"trade series {', '.join(series)} (the BNS series has no documented API: kept "
            "from its snapshot); wrote " + ", ".join(p.name for p in written))


def refresh(args: argparse.Namespace) -> int:
    """Each source on its own: one that fails leaves its files as they were and the others
    are still refreshed; the exit status is 1 if any failed."""
    runs = {"wdi": (_refresh_wdi, worldbank.RefreshError),
            "trade": (_refresh_trade, trade_refresh.RefreshError)}
    sources = list(getattr(args, "sources", None) or REFRESHABLE)
    unknown = [s for s in sources if s not in runs]
    if unknown:
        print(f"kaztur external refresh: unknown source {', '.join(unknown)}; expected "
              f"{' or '.join(REFRESHABLE)}", file=sys.stderr)
        return 2
    status = 0
    for source in sources:
        run, error = runs[source]
        try:
            print(f"kaztur external refresh: {run()}")
        except error as exc:
            print(f"kaztur external refresh: {exc}", file=sys.stderr)
            status = 1
    return status
