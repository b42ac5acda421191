"""The results the energy notebook states and publishes (:mod:`analysis.present.results`:
numbers as data, written in each language by the pages that show them)."""

from __future__ import annotations

import pandas as pd

from analysis.analyses import energy
from analysis.methods.growth import as_float
from analysis.present import results
from analysis.present.results import Result


def k3_result(shares: pd.DataFrame) -> Result:
    """Кесте 3's companies, the sum of their shares and the gap to 100, in per cent
    (``energy.say.k3_sum``)."""
    s = energy.share_sum(shares)
    return Result("energy.k3_share_sum", {"n": results.count(s["n"]),
                                          "total": results.number(s["sum_pct"], 2),
                                          "gap": results.number(s["gap_pct"], 2)},
                  text="energy.say.k3_sum")


def route_result(rt: pd.DataFrame) -> Result:
    """Кесте 4's numeric route shares (their sum in per cent) and how many routes have no
    number (``energy.say.routes``)."""
    rs = energy.route_sum(rt)
    return Result("energy.k4_route_shares", {
        "total": results.number(as_float(rs["numeric_sum_pct"])),
        "n": results.count(as_float(rs["n_numeric"])),
        "m": results.count(as_float(rs["n_unquantified"]))}, text="energy.say.routes")
