"""Кесте 7 as printed, and the numbers the trade notebook's sentences quote.

The ``*_facts`` functions return the fields of a narrative sentence (``ex.say(key,
**facts)``) already written in the notebook's language with :mod:`analysis.present.numbers`,
so that ``15,2`` in a Kazakh sentence is the ``15,2`` of the table beside it. The
``*_result`` functions return the notebook's key results as data
(:class:`analysis.present.results.Result`, stated with ``ex.state``), which every page then
writes in its own language.
"""

from __future__ import annotations

import pandas as pd

from analysis.analyses import trade
from analysis.analyses.trade import headers
from analysis.data import datasets
from analysis.methods import growth
from analysis.present import numbers, results
from analysis.present.results import Result


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


def range_facts(frame: pd.DataFrame, ci_level: float, lang: str) -> dict[str, object]:
    """Years, observations and confidence level of the analysis (``*.say.range``)."""
    years = frame["year"].astype(int)
    return {"start": int(years.min()), "end": int(years.max()), "n": len(frame),
            "level": numbers.level(ci_level, lang)}


def recomputed_facts(rec: pd.DataFrame, lang: str) -> dict[str, object]:
    """How many printed totals and growth rates the recomputation confirms."""
    checked = rec["growth_consistent"].dropna()
    return {"n_tot": int((rec["total_diff"] == 0).sum()), "n": len(rec),
            "n_ok": int(checked.sum()), "n_g": len(checked),
            "step": numbers.number(rec["rounding_step"].iloc[0], lang)}


def _pct_number(fraction: float) -> results.Value:
    """A rate (fraction) as a number of per cent with one decimal (the sentence writes its
    sign)."""
    return results.number(100 * float(fraction), 1)


def growth_result(frame: pd.DataFrame, ci_level: float) -> Result:
    """CAGR and least-squares growth of turnover with both intervals (``trade.say.growth``)."""
    fit = trade.total_fit(frame, ci_level)
    cagr = growth.endpoint_cagr(frame["year"], frame["trade_total_musd"]).rate
    lo, hi = fit.growth_ci("ordinary")
    hlo, hhi = fit.growth_ci("HC3")
    return Result("trade.turnover_growth", {
        "start": results.year(fit.start_year), "end": results.year(fit.end_year),
        "cagr": _pct_number(cagr), "ols": _pct_number(fit.growth), "lo": _pct_number(lo),
        "hi": _pct_number(hi), "hlo": _pct_number(hlo), "hhi": _pct_number(hhi),
        "n": results.count(fit.n), "df": results.count(fit.df_resid),
        "level": results.level(ci_level), "p": results.number(fit.p_ordinary, 4)},
        text="trade.say.growth")


def compare_facts(compare: pd.DataFrame, lang: str) -> dict[str, object] | None:
    """The text's turnover against both tables for the narrative's example year."""
    row = trade.turnover_example(compare)
    if row is None:
        return None
    return {"year": int(row["year"]), "text": row["text_printed"],
            "line": int(row["text_line"]), "k7": row["k7_printed"], "k6": row["k6_printed"],
            "ratio": numbers.number(row["text_over_k7"], lang, 2)}


def target_result(ytt: pd.DataFrame, lines: tuple[int, ...], ci_level: float) -> Result:
    """Years to the 10 billion target at the estimated growth (``trade.say.target``)."""
    row = trade.target_point(ytt)
    return Result("trade.years_to_target", {
        "target": results.count(row["target"]),
        "lines": results.ident(", ".join(map(str, lines))),
        "base": results.count(row["base_value"]), "base_year": results.year(row["base_year"]),
        "years": results.number(row["years"], 1), "lo": results.number(row["years_low"], 1),
        "hi": results.number(row["years_high"], 1), "y": results.year(row["year_reached"]),
        "level": results.level(ci_level)}, text="trade.say.target")
