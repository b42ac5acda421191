"""Kazakhstan–Türkiye trade: Кесте 7 recomputed, its growth, and Кесте 6 and the text beside it.

Кесте 7 (source lines 995–1044) gives exports, imports, turnover and year-on-year growth for
2018–2023 in USD million. Кесте 6 (lines 918–980) gives the same three quantities for
2020–2022 with different numbers, and the running text gives others again (e.g. 6,3 млрд
for 2022 on lines 1320 and 1332). Nothing is "fixed" here: every number is shown as printed,
recomputed where it can be, and set beside the others with its source line.

All levels are in USD million; rates are fractions (0.12 = 12 %) unless a column name ends
in ``_pct``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.data import datasets, units
from analysis.methods import growth, select

K7_COLUMNS = ("year", "exports", "imports", "trade_total", "growth_pct", "comment")
SERIES = {"exports": "exports_musd", "imports": "imports_musd", "trade_total": "trade_total_musd"}
# quantity -> (Кесте 6 indicator, text quantity_key)
QUANTITIES: dict[str, tuple[str, str]] = {
    "trade_total": ("trade_total", "kz_tr_trade_total"),
    "exports": ("exports_to_tr", "kz_exports_to_tr"),
    "imports": ("imports_from_tr", "kz_imports_from_tr"),
}
TARGET_KEY = "kz_tr_trade_target"
# The text's target of 10 billion USD of trade (lines 493, 1107, 1320), used when the text
# claims file is not available.
TARGET_USD_MILLION = 10_000.0
TARGET_LINES = (493, 1107, 1320)


def load(start_year: int | None = None, end_year: int | None = None) -> pd.DataFrame:
    """Кесте 7 as the ``trade`` dataset, limited to the years asked for."""
    return select.years(datasets.load("trade"), start_year, end_year)


# --------------------------------------------------------------------------- as printed


def headers(resource: str = "k7_trade_2018_2023") -> pd.DataFrame:
    """The printed column headers of a per-year table (Кесте 7, 8) in Kazakh and English."""
    raw = datasets.load(resource)
    heads = (raw.sort_values(["column", "row"], kind="stable")
             .drop_duplicates("column")[["column", "column_key", "column_label_kk",
                                         "column_label_en"]])
    return heads.reset_index(drop=True)


# --------------------------------------------------------------------------- recomputed


def apparent_rounding(values: growth.Numbers) -> float:
    """The largest of 1, 5, 10, 50, 100, 500, … dividing every value: the step the numbers
    *look* rounded to. A printed ``1 580`` is exact to the unit, but when all six values end
    in 0 the author probably rounded to 10; imports (600, 650, …) all divide by 50."""
    vals = [abs(float(v)) for v in values if not pd.isna(v)]
    best = 1.0
    for step in (1, 5, 10, 50, 100, 500, 1000):
        if vals and all(math.isclose(v / step, round(v / step)) for v in vals):
            best = float(step)
    return best


def growth_interval(previous: float, current: float, radius: float) -> tuple[float, float]:
    """Year-on-year growth (fraction) of true levels within ``radius`` of both printed ones:
    ``[(c - r) / (p + r) - 1, (c + r) / (p - r) - 1]``."""
    low = (current - radius) / (previous + radius) - 1
    high = (current + radius) / (previous - radius) - 1
    return low, high


def recomputed(frame: pd.DataFrame | None = None, rounding: float | None = None) -> pd.DataFrame:
    """Кесте 7 with its totals and growth recomputed from the printed levels.

    * ``total_recomputed = exports + imports``, ``total_diff = printed − recomputed``;
    * ``growth_recomputed_pct`` from the printed totals (one decimal, as printed), and
      ``growth_diff_pct``; ``growth_unrounded_pct`` keeps all digits;
    * ``growth_low_pct``/``growth_high_pct``: growth of any true totals within the rounding
      radius of the printed ones (radius = half of ``rounding``; by default half of the
      :func:`apparent_rounding` step of the totals, i.e. ±5 million);
    * ``growth_consistent``: whether the printed growth (±0.05 points) meets that interval.
    """
    frame = load() if frame is None else frame
    step = apparent_rounding(frame["trade_total_musd"]) if rounding is None else rounding
    radius = step / 2
    out = pd.DataFrame({"year": frame["year"].astype(int)})
    out["exports"] = frame["exports_musd"].astype(float)
    out["imports"] = frame["imports_musd"].astype(float)
    out["total_printed"] = frame["trade_total_musd"].astype(float)
    out["total_recomputed"] = out["exports"] + out["imports"]
    out["total_diff"] = out["total_printed"] - out["total_recomputed"]
    out["total_line"] = frame["trade_total_musd_line"].astype("Int64")
    out["growth_printed"] = frame["growth_pct_printed"].astype(str)
    out["growth_printed_pct"] = frame["growth_pct"].astype(float)
    prev = out["total_printed"].shift(1)
    prev_year = out["year"].shift(1)
    consecutive = (out["year"] - prev_year) == 1
    unrounded = (out["total_printed"] / prev - 1) * 100
    out["growth_unrounded_pct"] = unrounded.where(consecutive)
    out["growth_recomputed_pct"] = out["growth_unrounded_pct"].round(1)
    out["growth_diff_pct"] = (out["growth_printed_pct"] - out["growth_recomputed_pct"]).round(6)
    lows, highs = [], []
    for p, c, ok in zip(prev, out["total_printed"], consecutive, strict=True):
        if ok and not pd.isna(p):
            lo, hi = growth_interval(p, c, radius)
            lows.append(lo * 100)
            highs.append(hi * 100)
        else:
            lows.append(np.nan)
            highs.append(np.nan)
    out["growth_low_pct"] = lows
    out["growth_high_pct"] = highs
    out["rounding_step"] = step
    printed = out["growth_printed_pct"]
    out["growth_consistent"] = ((printed + 0.05 >= out["growth_low_pct"])
                                & (printed - 0.05 <= out["growth_high_pct"])).astype("boolean")
    out.loc[printed.isna() | out["growth_low_pct"].isna(), "growth_consistent"] = pd.NA
    out["growth_line"] = frame["growth_pct_line"].astype("Int64")
    return out.reset_index(drop=True)


def indicators(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Trade balance (exports − imports), export share of turnover and coverage ratio
    (exports / imports) for each year, from the printed levels."""
    frame = load() if frame is None else frame
    ex = frame["exports_musd"].astype(float)
    im = frame["imports_musd"].astype(float)
    total = frame["trade_total_musd"].astype(float)
    return pd.DataFrame({
        "year": frame["year"].astype(int),
        "exports": ex, "imports": im, "total": total,
        "balance": ex - im,
        "export_share": ex / total,
        "coverage": ex / im,
    }).reset_index(drop=True)


def growth_summary(frame: pd.DataFrame | None = None, ci_level: float = 0.95,
                   series: Sequence[str] = tuple(SERIES)) -> pd.DataFrame:
    """CAGR and least-squares growth (ordinary and HC3) of exports, imports and turnover
    (or of the ``series`` named)."""
    frame = load() if frame is None else frame
    names = {SERIES[key]: key for key in series}
    return growth.growth_table(frame, list(names), ci_level, names=names)


def rounding_effect(frame: pd.DataFrame | None = None, ci_level: float = 0.95) -> pd.DataFrame:
    """How much the rounding of the printed levels can move the least-squares growth,
    next to the statistical interval: for each series the apparent rounding step, the growth,
    its range over all levels within half a step of the printed ones, and the t-interval."""
    frame = load() if frame is None else frame
    rows = []
    for key, col in SERIES.items():
        sub = frame[["year", col]].dropna()
        step = apparent_rounding(sub[col])
        fit = growth.loglinear_growth(sub["year"], sub[col], ci_level, key)
        lo, hi = growth.rounding_bounds(sub["year"], sub[col], step / 2)
        ci_lo, ci_hi = fit.growth_ci("ordinary")
        rows.append({"series": key, "rounding_step": step, "rate": fit.growth,
                     "rounding_low": lo, "rounding_high": hi, "ci_low": ci_lo,
                     "ci_high": ci_hi})
    return pd.DataFrame(rows)


def total_fit(frame: pd.DataFrame | None = None, ci_level: float = 0.95,
              column: str = "trade_total") -> growth.LogLinearGrowth:
    """Least-squares growth of one series (turnover by default)."""
    frame = load() if frame is None else frame
    return growth.loglinear_growth(frame["year"], frame[SERIES[column]], ci_level, column)


def pandemic(frame: pd.DataFrame | None = None, ci_level: float = 0.95) -> pd.DataFrame:
    """The 2020-indicator model for each series (empty for a range without 2020)."""
    frame = load() if frame is None else frame
    if 2020 not in set(frame["year"].astype(int)) or len(frame) < 4:
        return pd.DataFrame()
    parts = [growth.pandemic_model(frame["year"], frame[col], ci_level, name=key)
             for key, col in SERIES.items()]
    return pd.concat(parts, ignore_index=True)


def pandemic_trend_line(frame: pd.DataFrame,
                        pandemic_table: pd.DataFrame | None) -> tuple[float, float] | None:
    """Intercept and slope of the turnover trend of the 2020-indicator model (log scale),
    or None without the model. The indicator fits 2020 exactly, so the intercept is that of
    the other years: mean of ``log(value) − slope · year`` over them."""
    if pandemic_table is None or pandemic_table.empty:
        return None
    row = pandemic_table[(pandemic_table["series"] == "trade_total")
                         & (pandemic_table["term"] == "trend")
                         & (pandemic_table["se_type"] == "ordinary")]
    if row.empty:
        return None
    slope = float(row["coef"].iloc[0])
    years = frame["year"].astype(int).to_numpy()
    logv = np.log(frame["trade_total_musd"].astype(float).to_numpy())
    mask = years != 2020
    return float(np.mean(logv[mask] - slope * years[mask])), slope


# --------------------------------------------------------------------------- text figures


def load_claims() -> pd.DataFrame:
    """The numbers stated in the running text (``text_claims.csv``), typed and validated.

    A missing or malformed file raises :class:`analysis.errors.DataError` naming the file,
    row and column: a comparison with the text must fail loudly, never vanish."""
    return datasets.load("text_claims")


def target(claims: pd.DataFrame | None = None) -> tuple[float, tuple[int, ...]]:
    """The text's trade target in USD million and the lines stating it.

    Taken from the claims (``kz_tr_trade_target``) when they are there; all tellings must
    agree, otherwise the first is used and the disagreement is visible in
    :func:`target_claims`. Falls back to 10 000 (lines 493, 1107, 1320)."""
    figs = select.text_figures(claims, [TARGET_KEY])
    if figs.empty or figs["value_conv"].isna().all():
        return TARGET_USD_MILLION, TARGET_LINES
    lines = tuple(int(v) for v in figs["source_line"])
    return float(figs["value_conv"].dropna().iloc[0]), lines


def target_claims(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every telling of the trade target in the text."""
    return select.text_figures(claims, [TARGET_KEY])


def years_to_target(frame: pd.DataFrame | None = None, ci_level: float = 0.95,
                    target_musd: float | None = None, claims: pd.DataFrame | None = None,
                    se_types: Sequence[str] = growth.SE_TYPES) -> pd.DataFrame:
    """Years from the last observed turnover to the text's target at the estimated growth
    (least squares; the endpoint CAGR as an extra point estimate). See
    :func:`analysis.methods.growth.years_to_target` for the three intervals."""
    frame = load() if frame is None else frame
    if target_musd is None:
        target_musd, _ = target(claims)
    fit = total_fit(frame, ci_level)
    last = frame.sort_values("year", kind="stable").iloc[-1]
    c = growth.endpoint_cagr(frame["year"], frame["trade_total_musd"]).rate
    parts = [growth.years_to_target(fit, float(last["trade_total_musd"]), target_musd, se_type,
                                    cagr_rate=c if i == 0 else None)
             for i, se_type in enumerate(se_types)]
    return pd.concat(parts, ignore_index=True)


def target_point(ytt: pd.DataFrame, se_type: str = "ordinary") -> pd.Series:
    """The headline row of :func:`years_to_target`: the slope-interval projection."""
    rows = ytt[(ytt["method"] == "slope_ci") & (ytt["se_type"] == se_type)]
    if rows.empty:
        raise ValueError(f"no slope_ci row for se_type {se_type!r}")
    return rows.iloc[0]


# --------------------------------------------------------------------------- sources


def sources_long(trade: pd.DataFrame | None = None, k6: pd.DataFrame | None = None,
                 claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every value of turnover, exports and imports from Кесте 7, Кесте 6 and the text, one
    row per value: quantity, year, source, printed, value (USD million), line, qualifier."""
    trade = load() if trade is None else trade
    k6 = datasets.load("indicators_2020_2022") if k6 is None else k6
    rows: list[dict[str, object]] = []
    for quantity, col in SERIES.items():
        for _, r in trade.iterrows():
            rows.append({"quantity": quantity, "year": int(r["year"]), "source": "Кесте 7",
                         "printed": r[f"{col}_printed"], "value_musd": float(r[col]),
                         "source_line": int(r[f"{col}_line"]), "qualifier": "exact",
                         "claim_id": "", "annual": True})
        ind, _key = QUANTITIES[quantity]
        for _, r in k6[k6["indicator"] == ind].iterrows():
            value = float(units.convert(float(r["value"]), str(r["unit"]), "USD million"))
            rows.append({"quantity": quantity, "year": int(r["year"]), "source": "Кесте 6",
                         "printed": r["number_printed"], "value_musd": value,
                         "source_line": int(r["source_line"]), "qualifier": "exact",
                         "claim_id": "", "annual": True})
    keys = {key: q for q, (_ind, key) in QUANTITIES.items()}
    figs = select.text_figures(claims, list(keys))
    for _, r in figs.iterrows():
        rows.append({"quantity": keys[r["quantity_key"]],
                     "year": pd.NA if pd.isna(r["year"]) else int(r["year"]),
                     "source": "text", "printed": r["number_printed"],
                     "value_musd": r["value_conv"], "source_line": int(r["source_line"]),
                     "qualifier": r["qualifier"], "claim_id": r["claim_id"],
                     "annual": bool(r["annual"])})
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype("Int64")
    qorder = {q: i for i, q in enumerate(SERIES)}
    sorder = {"Кесте 7": 0, "Кесте 6": 1, "text": 2}
    out = out.sort_values(["quantity", "year", "source", "source_line"], kind="stable",
                          key=lambda s: s.map(qorder) if s.name == "quantity"
                          else s.map(sorder) if s.name == "source" else s)
    return out.reset_index(drop=True)


def compared_quantities(compare: pd.DataFrame) -> list[str]:
    """The quantities (in :data:`SERIES` order) that :func:`compare_sources` holds."""
    present = set(compare["quantity"]) if not compare.empty else set()
    return [q for q in SERIES if q in present]


def table6_values(start_year: int | None = None, end_year: int | None = None,
                  trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """Кесте 6's trade rows (one per quantity and year, USD million) within the years."""
    long = sources_long(trade, claims=None)
    keep = long["source"] == "Кесте 6"
    if start_year is not None:
        keep &= long["year"] >= start_year
    if end_year is not None:
        keep &= long["year"] <= end_year
    return long[keep.fillna(False)].reset_index(drop=True)


def _cell(rows: pd.DataFrame, prefix: str) -> dict[str, object]:
    """The printed text, value and line of a source's (first) row, or empty ones."""
    if rows.empty:
        return {f"{prefix}_printed": "", f"{prefix}_musd": np.nan, f"{prefix}_line": pd.NA}
    first = rows.iloc[0]
    return {f"{prefix}_printed": first["printed"], f"{prefix}_musd": float(first["value_musd"]),
            f"{prefix}_line": int(first["source_line"])}


def _text_cells(txt: pd.DataFrame) -> list[dict[str, object]]:
    """One record per text claim of a quantity and year; one empty record without any."""
    if txt.empty:
        return [{"text_printed": "", "text_musd": np.nan, "text_qualifier": "",
                 "text_line": pd.NA, "claim_id": "", "text_annual": pd.NA}]
    return [{"text_printed": r["printed"], "text_musd": float(r["value_musd"]),
             "text_qualifier": r["qualifier"], "text_line": int(r["source_line"]),
             "claim_id": r["claim_id"], "text_annual": bool(r["annual"])}
            for _, r in txt.iterrows()]


def compare_sources(trade: pd.DataFrame | None = None, k6: pd.DataFrame | None = None,
                    claims: pd.DataFrame | None = None, start_year: int | None = None,
                    end_year: int | None = None) -> pd.DataFrame:
    """Кесте 6, Кесте 7 and the text side by side for every year and quantity that at least
    two sources give. One row per (quantity, year, text claim); without a text claim the
    text columns are empty. Differences are relative to Кесте 7 (other − Кесте 7), in USD
    million and as a ratio. Text claims for part of a year (a quarter) are listed but get no
    difference (``text_annual`` False)."""
    trade = load() if trade is None else trade
    long = sources_long(trade, k6, claims)
    long = long[long["year"].notna()]
    if start_year is not None:
        long = long[long["year"] >= start_year]
    if end_year is not None:
        long = long[long["year"] <= end_year]
    rows: list[dict[str, object]] = []
    for (quantity, year), grp in long.groupby(["quantity", "year"], sort=False):
        k7 = grp[grp["source"] == "Кесте 7"]
        k6r = grp[grp["source"] == "Кесте 6"]
        txt = grp[grp["source"] == "text"]
        if (len(k7) > 0) + (len(k6r) > 0) + (len(txt) > 0) < 2:
            continue
        base = {"quantity": quantity, "year": int(str(year)), **_cell(k7, "k7"),
                **_cell(k6r, "k6")}
        rows.extend({**base, **text} for text in _text_cells(txt))
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    for col in ("k7_line", "k6_line", "text_line"):
        out[col] = out[col].astype("Int64")
    out["k6_minus_k7"] = out["k6_musd"] - out["k7_musd"]
    out["k6_over_k7"] = out["k6_musd"] / out["k7_musd"]
    text_ok = out["text_annual"].fillna(False).astype(bool)
    out["text_minus_k7"] = (out["text_musd"] - out["k7_musd"]).where(text_ok)
    out["text_over_k7"] = (out["text_musd"] / out["k7_musd"]).where(text_ok)
    out["text_minus_k6"] = (out["text_musd"] - out["k6_musd"]).where(text_ok)
    return out.reset_index(drop=True)


def turnover_example(compare: pd.DataFrame) -> pd.Series | None:
    """The first annual turnover row of :func:`compare_sources` that has a text figure (the
    narrative's example), or None."""
    if compare.empty:
        return None
    rows = compare[(compare["quantity"] == "trade_total") & compare["text_over_k7"].notna()]
    return None if rows.empty else rows.iloc[0]


def _k7_pct(trade: pd.DataFrame, quantity: str, year: int) -> float:
    """Кесте 7's printed growth, or its export share of turnover (percent)."""
    k7 = trade[trade["year"] == year]
    if k7.empty:
        return np.nan
    if quantity == "growth_pct":
        return float(k7["growth_pct"].iloc[0])
    return float(k7["exports_musd"].iloc[0] / k7["trade_total_musd"].iloc[0] * 100)


def _k6_pct(k6w: pd.DataFrame, quantity: str, year: int) -> float:
    """Кесте 6's growth of turnover or export share (percent), recomputed from its levels."""
    if quantity == "growth_pct":
        if year not in k6w.index or year - 1 not in k6w.index:
            return np.nan
        now, before = (growth.as_float(k6w.loc[y, "trade_total"]) for y in (year, year - 1))
        return (now / before - 1) * 100
    if year not in k6w.index:
        return np.nan
    return (growth.as_float(k6w.loc[year, "exports_to_tr"])
            / growth.as_float(k6w.loc[year, "trade_total"]) * 100)


def _own_share(levels: pd.DataFrame, line: int) -> float:
    """The export share implied by the text's own exports and turnover in one line."""
    same = levels[levels["source_line"] == line]
    tot = same[same["quantity_key"] == "kz_tr_trade_total"]["value_conv"]
    exp = same[same["quantity_key"] == "kz_exports_to_tr"]["value_conv"]
    if tot.empty or exp.empty:
        return np.nan
    return growth.as_float(exp.iloc[0]) / growth.as_float(tot.iloc[0]) * 100


def text_growth_and_share(claims: pd.DataFrame | None = None,
                          trade: pd.DataFrame | None = None,
                          k6: pd.DataFrame | None = None) -> pd.DataFrame:
    """The text's growth of turnover and export share (lines 1320, 1332) beside the same
    quantities from Кесте 7 (printed growth; exports / turnover) and Кесте 6 (recomputed),
    and the share implied by the text's own levels (exports / turnover in the same line)."""
    trade = load() if trade is None else trade
    k6 = datasets.load("indicators_2020_2022") if k6 is None else k6
    k6w = k6.pivot(index="year", columns="indicator", values="value").astype(float)
    rows = []
    spec = (("growth_pct", "kz_tr_trade_growth_pct"),
            ("export_share_pct", "kz_exports_share_of_kz_tr_trade"))
    levels = select.text_figures(claims, ["kz_tr_trade_total", "kz_exports_to_tr"])
    for quantity, key in spec:
        for _, f in select.text_figures(claims, [key], "percent").iterrows():
            if pd.isna(f["year"]):
                continue
            year, line = int(f["year"]), int(f["source_line"])
            own = np.nan if quantity == "growth_pct" else _own_share(levels, line)
            rows.append({"quantity": quantity, "year": year, "claim_id": f["claim_id"],
                         "text_printed": f["number_printed"], "text_pct": float(f["value"]),
                         "text_line": line, "k7_pct": _k7_pct(trade, quantity, year),
                         "k6_pct": _k6_pct(k6w, quantity, year), "text_own_levels_pct": own})
    out = pd.DataFrame(rows)
    if not out.empty:
        out["text_minus_k7"] = out["text_pct"] - out["k7_pct"]
    return out


def undated_text_figures(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Text figures on these quantities that name no year (so cannot be set beside a cell)."""
    figs = select.text_figures(claims, [key for _ind, key in QUANTITIES.values()])
    return figs[figs["year"].isna()].reset_index(drop=True)


def k6_internal(k6: pd.DataFrame | None = None) -> pd.DataFrame:
    """Кесте 6's own sum check: exports + imports against its turnover row."""
    k6 = datasets.load("indicators_2020_2022") if k6 is None else k6
    wide = k6.pivot(index="year", columns="indicator", values="value").astype(float)
    out = pd.DataFrame({"year": wide.index.astype(int),
                        "exports": wide["exports_to_tr"].to_numpy(),
                        "imports": wide["imports_from_tr"].to_numpy(),
                        "total_printed": wide["trade_total"].to_numpy()})
    out["total_recomputed"] = out["exports"] + out["imports"]
    out["total_diff"] = out["total_printed"] - out["total_recomputed"]
    out["balance"] = out["exports"] - out["imports"]
    return out.reset_index(drop=True)
