"""Кесте 8 as printed, for display."""

from __future__ import annotations

import pandas as pd

from analysis.present.tables.trade import printed_cells


def printed_table(lang: str = "kk", both: bool = False, start_year: int | None = None,
                  end_year: int | None = None) -> pd.DataFrame:
    """Кесте 8 as printed, headers in ``lang`` (or both)."""
    return printed_cells("k8_investment_2018_2023", lang, both, start_year, end_year)
