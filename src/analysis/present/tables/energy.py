"""The numbers the energy notebook's sentences and captions quote, written in the
notebook's language with :mod:`analysis.present.numbers`."""

from __future__ import annotations

import pandas as pd

from analysis.analyses import energy
from analysis.methods.growth import as_float
from analysis.present import numbers


def k3_facts(shares: pd.DataFrame, lang: str) -> dict[str, object]:
    """Кесте 3's companies, the sum of their shares and the gap to 100."""
    s = energy.share_sum(shares)
    return {"n": s["n"], "total": numbers.number(s["sum_pct"], lang, 2),
            "gap": numbers.number(s["gap_pct"], lang, 2)}


def route_facts(rt: pd.DataFrame, lang: str) -> dict[str, object]:
    """Кесте 4's numeric route shares and how many routes have no number."""
    rs = energy.route_sum(rt)
    return {"total": numbers.number(as_float(rs["numeric_sum_pct"]), lang),
            "n": rs["n_numeric"], "m": rs["n_unquantified"]}
