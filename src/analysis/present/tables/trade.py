"""Кесте 7 and the trade analysis as tables for display."""

from __future__ import annotations

import pandas as pd

from analysis import datasets
from analysis.present.i18n import t
from analysis.trade import headers


def printed_cells(resource: str, lang: str = "kk", both: bool = False,
                  start_year: int | None = None, end_year: int | None = None) -> pd.DataFrame:
    """A per-year table cell by cell as printed (numbers keep their spaces, signs and ``–``).

    Headers are the table's own, in ``lang``; ``both=True`` writes "kk / en" (or "en / kk").
    Word cells (comments, sectors) are shown in ``lang``.
    """
    raw = datasets.load(resource)
    raw = raw[raw["token"] == 1]
    other = "en" if lang == "kk" else "kk"
    heads = headers(resource).set_index("column_key")
    out = pd.DataFrame(index=sorted(raw["row"].unique()))
    for key in heads.index:
        cells = raw[raw["column_key"] == key].set_index("row")
        text = cells["printed"]
        if lang == "en":
            text = cells["printed_en"].where(cells["printed_en"].fillna("") != "", text)
        head = heads.loc[key, f"column_label_{lang}"]
        if both:
            head = f"{head} / {heads.loc[key, f'column_label_{other}']}"
        out[head] = text.astype(str)
    years = raw.drop_duplicates("row").set_index("row")["year"].reindex(out.index)
    keep = pd.Series(True, index=out.index)
    if start_year is not None:
        keep &= years >= start_year
    if end_year is not None:
        keep &= years <= end_year
    return out[keep.to_numpy()].reset_index(drop=True)


def printed_table(lang: str = "kk", both: bool = False, start_year: int | None = None,
                  end_year: int | None = None) -> pd.DataFrame:
    """Кесте 7 as printed (see :func:`printed_cells`)."""
    return printed_cells("k7_trade_2018_2023", lang, both, start_year, end_year)


def labelled(frame: pd.DataFrame, mapping: dict[str, str], lang: str) -> pd.DataFrame:
    """Keep ``mapping``'s columns, renamed to the label ``t(mapping[col], lang)``."""
    cols = [c for c in mapping if c in frame.columns]
    return frame[cols].rename(columns={c: t(mapping[c], lang) for c in cols})


def quantity_label(quantity: str, lang: str) -> str:
    return t(f"trade.q.{quantity}", lang)
