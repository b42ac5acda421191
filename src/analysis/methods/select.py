"""Selecting what an analysis reads: a span of years of a yearly table, and the numbers
the running text states for some quantities.

Why a module of its own: every topic analysis (trade, investment, energy) needs these two
selections, and the analyses do not import one another; the helpers they share sit here,
one layer below them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.data import units


def years(frame: pd.DataFrame, start_year: int | None = None,
           end_year: int | None = None) -> pd.DataFrame:
    """Rows with ``start_year <= year <= end_year`` (either bound may be None)."""
    keep = pd.Series(True, index=frame.index)
    if start_year is not None:
        keep &= frame["year"] >= start_year
    if end_year is not None:
        keep &= frame["year"] <= end_year
    return frame[keep].sort_values("year", kind="stable").reset_index(drop=True)


def is_annual(year: object, period: object) -> bool:
    """A claim refers to one whole calendar year when its period is empty or a bare year;
    ``2023 Q1`` (a quarter) or ``2005–2022-06`` (a span) is not."""
    if period is None or period is pd.NA or str(period).strip() in ("", "nan"):
        return True
    return bool(re.fullmatch(r"\d{4}", str(period).strip()))


def text_figures(claims: pd.DataFrame | None, keys: Sequence[str],
                 to_unit: str = "USD million") -> pd.DataFrame:
    """Claims whose ``quantity_key`` is in ``keys``, with ``value`` converted to ``to_unit``
    (``value_conv``; NaN when the units do not share a base). Sorted by key, then line."""
    cols = ["claim_id", "quantity_key", "year", "period", "qualifier", "number_printed",
            "value", "unit", "value_conv", "source_line", "quote_kk", "label_en", "annual"]
    if claims is None or claims.empty:
        return pd.DataFrame(columns=cols)
    sub = claims[claims["quantity_key"].isin(list(keys))].copy()
    conv = []
    for value, unit in zip(sub["value"], sub["unit"], strict=True):
        try:
            conv.append(float(units.convert(float(value), str(unit), to_unit)))
        except (ValueError, KeyError):
            conv.append(np.nan)
    sub["value_conv"] = conv
    sub["annual"] = [is_annual(y, p) for y, p in zip(sub["year"], sub["period"], strict=True)]
    order = {k: i for i, k in enumerate(keys)}
    sub["_o"] = sub["quantity_key"].map(order)
    sub = sub.sort_values(["_o", "source_line", "claim_id"], kind="stable")
    return sub[cols].reset_index(drop=True)
