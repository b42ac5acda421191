"""The dissertation's numbers beside the official record: comparisons that return data.

Why this module: the claims ledger (``analysis.checks``) can only say whether the
dissertation agrees with itself. These functions set its tables and text against official
statistics in ``data/external/`` (:mod:`analysis.data.official`):

* Kazakhstan's trade with Türkiye in two official statistical series, BNS table 312101 and
  UN Comtrade via WITS (:mod:`analysis.data.official_trade`): Кесте 6, Кесте 7, the text's
  figures and both series side by side per flow and year; the break between the two series
  (the years in which they differ) shown as numbers and never spliced into one series; the
  officials' quoted figures checked as roundings of the series (corroboration only); and
  the one-year-shift hypothesis for Кесте 6 tested cell by cell, with the matches chance
  alone would give;
* the two sides' quoted figures for the same trade (mirror asymmetry), Turkish FDI against
  the reported figures and total inflows (WDI), the OTS totals of GDP and population under
  each definition (nominal or PPP, members or members and observers), reserves against the
  Energy Institute, and how much two WDI vintages differ.

Every function takes data frames and returns a data frame; nothing here draws, translates
or reads a file except :func:`load`. Levels are in USD million (the tables' unit).

Honest statistics: each official series has a handful of annual points, the mirror
comparison a couple of pairs; numbers here describe those points, they do not estimate
anything.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from analysis.data import official as data
from analysis.data import official_trade as series_data
from analysis.methods import rounding, select

#: OTS members and the observers WDI covers (the third observer, the TRNC, is not in WDI).
MEMBERS: tuple[str, ...] = ("AZE", "KAZ", "KGZ", "TUR", "UZB")
OBSERVERS: tuple[str, ...] = ("HUN", "TKM")
GROUPS: dict[str, tuple[str, ...]] = {"members": MEMBERS,
                                      "members_observers": MEMBERS + OBSERVERS}
GDP, GDP_PC_PPP, GNI_PPP = "NY.GDP.MKTP.CD", "NY.GDP.PCAP.PP.CD", "NY.GNP.MKTP.PP.CD"
POP, FDI_NET = "SP.POP.TOTL", "BX.KLT.DINV.CD.WD"
GDP_PPP = "gdp_ppp_derived"  # GDP per capita (PPP) × population, see gdp_ppp()
#: Кесте 7 columns and Кесте 6 rows → the officials' quantity they report.
K7_QUANTITIES = {"trade_total_musd": "trade_turnover", "exports_musd": "exports_kz_to_tr",
                 "imports_musd": "imports_kz_from_tr"}
K6_QUANTITIES = {"trade_total": "trade_turnover", "exports_to_tr": "exports_kz_to_tr",
                 "imports_from_tr": "imports_kz_from_tr", "tr_fdi": "fdi_tr_to_kz_gross_inflow"}
TRADE_QUANTITIES = ("trade_turnover", "exports_kz_to_tr", "imports_kz_from_tr")
#: The tables' and officials' quantity names → the flow of the official series.
FLOW_OF: dict[str, str] = {"exports_kz_to_tr": series_data.EXPORT,
                           "imports_kz_from_tr": series_data.IMPORT,
                           "trade_turnover": series_data.TURNOVER}
FLOWS: tuple[str, ...] = series_data.QUERY_FLOWS
#: The text's quantity keys (``text_claims.quantity_key``) → the officials' names.
TEXT_QUANTITIES = {"kz_exports_to_tr": "exports_kz_to_tr",
                   "kz_imports_from_tr": "imports_kz_from_tr",
                   "kz_tr_trade_total": "trade_turnover"}
#: Two compilations of the same flow "differ" in a year when their ratio is further than
#: this from 1. A convention, stated: both series are given to the thousand dollars, so
#: rounding explains no visible gap; 1 % leaves room for late revisions of the same
#: customs records, and the break it finds is far wider than any such revision.
BREAK_TOLERANCE = Fraction(1, 100)
#: The lags of the shift test: 0 sets a table's year t against the official year t, 1
#: against t − 1.
SHIFT_LAGS: tuple[int, ...] = (0, 1)


def load(name: str) -> pd.DataFrame:
    """An external dataset (``wdi``, ``wdi_gdp_earlier``, ``energy_institute``,
    ``kz_tr_official``, ``kz_tr_trade``), validated."""
    return data.load(name)


VINTAGES = ("current", "earlier")


def wdi_for(vintage: str = "current") -> pd.DataFrame:
    """WDI with GDP (current US$) of the ``current`` vintage or of the ``earlier`` one (the
    other indicators exist in the current vintage only)."""
    if vintage not in VINTAGES:
        raise ValueError(f"vintage must be one of {VINTAGES}, got {vintage!r}")
    wdi = data.load("wdi")
    if vintage == "current":
        return wdi
    return pd.concat([wdi[wdi["indicator"] != GDP], data.load("wdi_gdp_earlier")],
                     ignore_index=True)


# ---------------------------------------------------------------------------------------
# WDI: series, PPP GDP, OTS totals
# ---------------------------------------------------------------------------------------


def gdp_ppp(wdi: pd.DataFrame) -> pd.DataFrame:
    """GDP in PPP (current international $) per country and year, *derived* as GDP per
    capita (PPP) × population: WDI computes the per-capita figure from the same population,
    so the product recovers its PPP GDP up to rounding. Rows in the form of ``wdi``."""
    pc = wdi[wdi["indicator"] == GDP_PC_PPP].set_index(["iso3", "year"])["value"]
    pop = wdi[wdi["indicator"] == POP].set_index(["iso3", "year"])["value"]
    both = (pc * pop).dropna()
    out = both.rename("value").reset_index()
    out.insert(0, "indicator", GDP_PPP)
    out["unit"] = "international USD"
    return out


def with_ppp(wdi: pd.DataFrame) -> pd.DataFrame:
    """``wdi`` plus the derived PPP GDP rows."""
    return pd.concat([wdi, gdp_ppp(wdi)], ignore_index=True)


def total(wdi: pd.DataFrame, indicator: str, group: str,
          years: Iterable[int] | None = None) -> pd.DataFrame:
    """Sum of ``indicator`` over a country group per year: ``year``, ``value``,
    ``countries`` (how many reported), ``complete`` (all of the group reported)."""
    members = GROUPS[group]
    rows = wdi[(wdi["indicator"] == indicator) & wdi["iso3"].isin(members)]
    grouped = rows.groupby("year")["value"].agg(["sum", "count"]).reset_index()
    out = pd.DataFrame({"year": grouped["year"].astype(int), "value": grouped["sum"],
                        "countries": grouped["count"].astype(int)})
    out["complete"] = out["countries"] == len(members)
    if years is not None:
        out = out[out["year"].isin(list(years))]
    return out.reset_index(drop=True)


#: The definitions an OTS GDP figure can have: (measure, indicator, label).
GDP_DEFINITIONS = (("gdp_nominal", GDP), ("gdp_ppp", GDP_PPP), ("gni_ppp", GNI_PPP))


def ots_totals(wdi: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """OTS totals under every definition: ``year``, ``measure`` (gdp_nominal, gdp_ppp,
    gni_ppp, population), ``group`` (members, members_observers), ``value`` (USD,
    international USD or people), ``complete``."""
    full = with_ppp(wdi)
    frames = []
    for measure, indicator in (*GDP_DEFINITIONS, ("population", POP)):
        for group in GROUPS:
            part = total(full, indicator, group, years)
            frames.append(part.assign(measure=measure, group=group))
    out = pd.concat(frames, ignore_index=True)
    return out[["year", "measure", "group", "value", "countries", "complete"]]


def claims_vs_definitions(claims: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Each claim (``claim_id``, ``year``, ``value`` in base units, ``measures``: the
    measures it may be) beside every total of its year: ``ratio`` = claim / total."""
    rows = []
    for c in claims.to_dict("records"):
        same = totals[(totals["year"] == c["year"]) & totals["measure"].isin(c["measures"])]
        for t in same.to_dict("records"):
            rows.append({"claim_id": c["claim_id"], "year": int(c["year"]),
                         "printed": c["printed"], "measure": t["measure"],
                         "group": t["group"], "claim": float(c["value"]),
                         "official": float(t["value"]),
                         "ratio": float(c["value"]) / float(t["value"])})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Officials' trade and FDI figures
# ---------------------------------------------------------------------------------------


def official_series(official: pd.DataFrame, quantity: str, side: str = "KZ",
                    months: int = 12) -> pd.DataFrame:
    """One official figure per year for ``quantity`` and ``side``: the latest statement
    when several were made (a final figure supersedes a preliminary one); ``statements``
    counts them. Columns: year, value (USD million), qualifier, figure_id, reporter,
    stated_on, year_basis, statements."""
    rows = official[(official["quantity"] == quantity) & (official["side"] == side)
                    & (official["months"] == months)
                    & (official["year_from"] == official["year_to"])]
    rows = rows.assign(year=rows["year_to"].astype(int), _order=rows["stated_on"].replace(
        "", "0000-00-00")).sort_values(["year", "_order", "figure_id"])
    counts = rows.groupby("year").size()
    last = rows.groupby("year").tail(1).set_index("year")
    out = last[["value", "qualifier", "figure_id", "reporter", "stated_on", "year_basis"]]
    return out.assign(statements=counts.reindex(out.index).astype(int)).reset_index()


def k7_long(trade: pd.DataFrame) -> pd.DataFrame:
    """Кесте 7 in long form: year, quantity (the officials' name), value (USD million),
    printed, line."""
    rows = []
    for column, quantity in K7_QUANTITIES.items():
        for r in trade.to_dict("records"):
            rows.append({"year": int(r["year"]), "quantity": quantity,
                         "value": float(r[column]), "printed": r[f"{column}_printed"],
                         "line": int(r[f"{column}_line"])})
    return pd.DataFrame(rows)


def k6_long(indicators: pd.DataFrame) -> pd.DataFrame:
    """Кесте 6's trade and FDI rows in the form of :func:`k7_long`."""
    part = indicators[indicators["indicator"].isin(list(K6_QUANTITIES))]
    return pd.DataFrame({"year": part["year"].astype(int),
                         "quantity": part["indicator"].map(K6_QUANTITIES),
                         "value": part["value"].astype(float),
                         "printed": part["number_printed"],
                         "line": part["source_line"].astype(int)}).reset_index(drop=True)


def mirror(official: pd.DataFrame) -> pd.DataFrame:
    """Kazakh-side and Turkish-side figures for the same quantity and year: ``kz``, ``tr``
    (USD million, latest statement of each side), their qualifiers, ``ratio`` (TR / KZ)
    and ``gap`` (TR − KZ)."""
    rows = []
    for quantity in TRADE_QUANTITIES:
        kz = official_series(official, quantity, "KZ").set_index("year")
        tr = official_series(official, quantity, "TR").set_index("year")
        for year in sorted(set(kz.index) & set(tr.index)):
            a, b = kz.loc[year], tr.loc[year]
            rows.append({"year": int(year), "quantity": quantity,
                         "kz": float(a["value"]), "kz_qualifier": a["qualifier"],
                         "kz_reporter": a["reporter"], "tr": float(b["value"]),
                         "tr_qualifier": b["qualifier"], "tr_reporter": b["reporter"],
                         "ratio": float(b["value"]) / float(a["value"]),
                         "gap": float(b["value"]) - float(a["value"])})
    return pd.DataFrame(rows)


def fdi_compare(investment: pd.DataFrame, indicators: pd.DataFrame,
                official: pd.DataFrame, wdi: pd.DataFrame) -> pd.DataFrame:
    """Turkish FDI in Kazakhstan per year: Кесте 8, Кесте 6, the officials' full-year and
    January–September gross figures, and WDI's total net FDI inflows into Kazakhstan (all
    investors, USD million), with each table's share of that total (%)."""
    k8 = investment.set_index(investment["year"].astype(int))["tr_to_kz_musd"].astype(float)
    k6p = indicators[indicators["indicator"] == "tr_fdi"]
    k6 = pd.Series(k6p["value"].astype(float).values, index=k6p["year"].astype(int).values)
    full = official_series(official, "fdi_tr_to_kz_gross_inflow", "KZ").set_index("year")
    nine = official_series(official, "fdi_tr_to_kz_gross_inflow", "KZ", months=9
                           ).set_index("year")
    kaz = wdi[(wdi["indicator"] == FDI_NET) & (wdi["iso3"] == "KAZ")]
    net = pd.Series(kaz["value"].astype(float).to_numpy() / 1e6,
                    index=kaz["year"].astype(int).to_numpy())
    years = sorted(set(k8.index) | set(k6.index) | set(full.index) | set(nine.index))
    out = pd.DataFrame({"year": years})
    out["k8"] = out["year"].map(k8)
    out["k6"] = out["year"].map(k6)
    out["official"] = out["year"].map(full["value"])
    out["official_basis"] = out["year"].map(dict(full["year_basis"])).fillna("")
    out["official_9m"] = out["year"].map(nine["value"])
    out["wdi_total"] = out["year"].map(net)
    out["k8_share_pct"] = 100 * out["k8"] / out["wdi_total"]
    out["k6_share_pct"] = 100 * out["k6"] / out["wdi_total"]
    return out


# ---------------------------------------------------------------------------------------
# The official trade series: side by side, the break, quotes, the one-year shift
# ---------------------------------------------------------------------------------------


def series_long(table: pd.DataFrame) -> pd.DataFrame:
    """The official series (``kz_tr_trade``) in USD million, turnover added where a series
    has both flows: series, flow, year, value, edition, source_table, source."""
    out = series_data.long(table)
    out["value"] = out["value_usd"] / 1e6
    return out[["series", "flow", "year", "value", "edition", "source_table", "source"]]


def text_long(claims: pd.DataFrame) -> pd.DataFrame:
    """The text's annual trade figures (exports, imports, turnover of one whole year) in
    the form of :func:`k7_long`, with ``claim_id`` and ``qualifier``. Figures of part of a
    year (a quarter) or without a year are left out: no annual series bears on them."""
    figs = select.text_figures(claims, list(TEXT_QUANTITIES))
    figs = figs[figs["annual"] & figs["year"].notna()]
    return pd.DataFrame({"year": figs["year"].astype(int),
                         "quantity": figs["quantity_key"].map(TEXT_QUANTITIES),
                         "value": figs["value_conv"].astype(float),
                         "printed": figs["number_printed"].astype(str),
                         "line": figs["source_line"].astype(int),
                         "claim_id": figs["claim_id"].astype(str),
                         "qualifier": figs["qualifier"].astype(str)}).reset_index(drop=True)


def dissertation_long(k7: pd.DataFrame, k6: pd.DataFrame,
                      text: pd.DataFrame) -> pd.DataFrame:
    """Кесте 7, Кесте 6 and the text's trade figures in one long frame: source (``k7``,
    ``k6``, ``text``), flow, year, value (USD million), printed, line."""
    frames = []
    for name, frame in (("k7", k7), ("k6", k6), ("text", text)):
        part = frame[frame["quantity"].isin(list(FLOW_OF))]
        frames.append(pd.DataFrame({"source": name, "flow": part["quantity"].map(FLOW_OF),
                                    "year": part["year"].astype(int),
                                    "value": part["value"].astype(float),
                                    "printed": part["printed"].astype(str),
                                    "line": part["line"].astype(int)}))
    return pd.concat(frames, ignore_index=True)


def _cells(rows: pd.DataFrame) -> tuple[float, str]:
    """The value of the cells when they agree (NaN when there are none, or several that
    differ) and their printed texts with their lines, joined by "; "."""
    values = set(rows["value"].astype(float))
    value = values.pop() if len(values) == 1 else math.nan
    text = "; ".join(f"{p} ({ln})" for p, ln in zip(rows["printed"], rows["line"],
                                                       strict=True))
    return value, text


def side_by_side(dissertation: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Per flow and year, every source beside the others: Кесте 7, Кесте 6 and the text
    (value and printed text with its line; several text figures of one year are all shown,
    with their value only when they agree), each official series, and the gap between the two main
    series (``wits_over_bns``, ``wits_vs_bns_pct`` = 100 · (WITS / BNS − 1)). The series stay
    in their own columns: nothing is spliced."""
    years = sorted(set(dissertation["year"]) | set(series["year"]))
    rows = []
    for flow in FLOWS:
        for year in years:
            d = dissertation[(dissertation["flow"] == flow) & (dissertation["year"] == year)]
            o = series[(series["flow"] == flow) & (series["year"] == year)].set_index(
                "series")["value"]
            if d.empty and o.empty:
                continue
            row: dict[str, Any] = {"flow": flow, "year": int(year)}
            for source in ("k7", "k6", "text"):
                row[source], row[f"{source}_printed"] = _cells(d[d["source"] == source])
            for code, column in ((series_data.BNS, "bns"), (series_data.WITS, "wits"),
                                 (series_data.PREVIEW, "preview")):
                row[column] = float(o[code]) if code in o.index else math.nan
            rows.append(row)
    out = pd.DataFrame(rows)
    out["wits_over_bns"] = out["wits"] / out["bns"]
    out["wits_vs_bns_pct"] = 100 * (out["wits_over_bns"] - 1)
    return out


def series_break(series: pd.DataFrame,
                 tolerance: Fraction = BREAK_TOLERANCE) -> pd.DataFrame:
    """The gap between the two official series in every year both cover, per flow: bns,
    wits (USD million), ratio (WITS / BNS), pct (100 · (ratio − 1)), and ``differs``
    (the ratio further than ``tolerance`` from 1)."""
    bns = series[series["series"] == series_data.BNS].set_index(["flow", "year"])["value"]
    wits = series[series["series"] == series_data.WITS].set_index(["flow", "year"])["value"]
    both = bns.index.intersection(wits.index)
    out = pd.DataFrame({"bns": bns[both], "wits": wits[both]}).reset_index()
    out["ratio"] = out["wits"] / out["bns"]
    out["pct"] = 100 * (out["ratio"] - 1)
    out["differs"] = (out["ratio"] - 1).abs() > float(tolerance)
    order = {f: i for i, f in enumerate(FLOWS)}
    return out.sort_values(["flow", "year"], key=lambda c: c.map(order) if c.name == "flow"
                           else c, kind="mergesort").reset_index(drop=True)


def break_span(gap: pd.DataFrame) -> tuple[int, int] | None:
    """The years in which the two series differ for some flow, as (first, last), or None.
    Raises ValueError if those years are not consecutive (a break with a hole in it would
    need two spans, not one)."""
    years = sorted(set(gap.loc[gap["differs"], "year"].astype(int)))
    if not years:
        return None
    if years[-1] - years[0] + 1 != len(years):
        raise ValueError(f"the series differ in {years}: not one span of years")
    return years[0], years[-1]


# --- the officials' quotes as roundings of the series ----------------------------------


def stated_step(value: float | Fraction) -> Fraction:
    """The unit of the last non-zero digit of a figure as stated (USD million): 6300 → 100,
    6000 → 1000, 535 → 1. Officials round to what they say; the widest reading of "about
    6 300" is a rounding to the hundred."""
    d = Decimal(str(rounding.fmt(rounding.frac(value)))).normalize()
    return Fraction(10) ** int(d.as_tuple().exponent) if d != 0 else Fraction(1)


def _fits(value: Fraction, quote: Fraction, step: Fraction, qualifier: str) -> bool:
    """Does ``value`` round to ``quote`` at ``step`` under one of the rounding rules (for
    "more than": lie above the quote's lower rounding end)?"""
    kind = "more_than" if qualifier == "more_than" else "exact"
    return any(rounding.qualified(rounding.rounding_interval(quote, step, rule), quote,
                                  kind).contains(value) for rule in rounding.RULES)


def within_rounding(value: float, printed: float, step: float | Fraction) -> bool:
    """Does the official ``value`` round to a table's printed cell ``printed`` at the
    table's ``step`` under one of the rounding rules (the shift test's criterion)?"""
    if math.isnan(value):
        return False
    return _fits(rounding.frac(value), rounding.frac(printed), rounding.frac(step), "exact")


QUOTE_ROUNDS, QUOTE_BOUND, QUOTE_OUTSIDE = "rounds", "bound", "outside"


def _quote_status(value: float, quote: Fraction, step: Fraction, qualifier: str) -> str:
    if math.isnan(value):
        return ""
    if not _fits(rounding.frac(value), quote, step, qualifier):
        return QUOTE_OUTSIDE
    return QUOTE_BOUND if qualifier == "more_than" else QUOTE_ROUNDS


def _rounded(value: float, step: Fraction) -> float:
    """``value`` rounded half-up to ``step`` (what an official rounding it would say)."""
    if math.isnan(value):
        return math.nan
    q = rounding.frac(value) / step
    return float(math.floor(q + Fraction(1, 2)) * step)


def quotes_vs_series(official: pd.DataFrame, series: pd.DataFrame,
                     side: str = "KZ") -> pd.DataFrame:
    """Each quoted whole-year trade figure of ``side`` beside both official series of its
    year, with the arithmetic of "the quote is a rounding of the series": the quote's step
    (its last stated digit), each series' value and that value rounded to the step, and a
    status per series: ``rounds`` (the value rounds to the quote), ``bound`` (a "more than"
    the value satisfies: a bound, not decisive), ``outside`` (it does not), or empty where
    the series does not cover the year."""
    rows = []
    quotes = official[(official["side"] == side) & (official["months"] == 12)
                      & (official["year_from"] == official["year_to"])
                      & official["quantity"].isin(list(FLOW_OF))]
    values = series.set_index(["series", "flow", "year"])["value"]
    for r in quotes.sort_values("figure_id").to_dict("records"):
        flow, year = FLOW_OF[str(r["quantity"])], int(r["year_to"])
        quote = rounding.frac(float(r["value"]))
        step = stated_step(quote)
        row = {"figure_id": r["figure_id"], "flow": flow, "year": year,
               "quote": float(quote), "qualifier": r["qualifier"], "stated_on":
               r["stated_on"], "step": float(step)}
        for code, col in ((series_data.BNS, "bns"), (series_data.WITS, "wits")):
            value = float(values.get((code, flow, year), math.nan))
            row[col] = value
            row[f"{col}_rounded"] = _rounded(value, step)
            row[f"{col}_status"] = _quote_status(value, quote, step, str(r["qualifier"]))
        rows.append(row)
    columns = ["figure_id", "flow", "year", "quote", "qualifier", "stated_on", "step",
               *(f"{c}{s}" for c in ("bns", "wits") for s in ("", "_rounded", "_status"))]
    return pd.DataFrame(rows, columns=columns)


def quote_summary(quotes: pd.DataFrame) -> pd.DataFrame:
    """Per series: quotes of years it covers, and how many round to it, are bounds it
    satisfies, or lie outside."""
    rows = []
    for col in ("bns", "wits"):
        status = quotes[f"{col}_status"]
        rows.append({"series": col, "covered": int((status != "").sum()),
                     QUOTE_ROUNDS: int((status == QUOTE_ROUNDS).sum()),
                     QUOTE_BOUND: int((status == QUOTE_BOUND).sum()),
                     QUOTE_OUTSIDE: int((status == QUOTE_OUTSIDE).sum())})
    return pd.DataFrame(rows)


# --- the one-year shift of Кесте 6, cell by cell ---------------------------------------


def table_step(values: Iterable[float]) -> Fraction:
    """The largest power of ten dividing every value: the step a table's cells look
    rounded to (Кесте 6's trade cells all end in 00)."""
    vals = [rounding.frac(v) for v in values]
    step = Fraction(1)
    while vals and all((v / (step * 10)).denominator == 1 for v in vals):
        step *= 10
    return step


def official_for(series: pd.DataFrame, flow: str, year: int,
                 order: Sequence[str]) -> tuple[str, float]:
    """The first series of ``order`` with a value for ``flow`` in ``year`` (``series_long``
    form) and that value; ``("", nan)`` when none covers it."""
    for code in order:
        hit = series[(series["series"] == code) & (series["flow"] == flow)
                     & (series["year"] == year)]
        if not hit.empty:
            return code, float(hit["value"].iloc[0])
    return "", math.nan


#: Where each lag of the shift test looks: the national series first; for a year BNS does
#: not cover (Кесте 6's 2020 column at lag 1), the international compilation, named.
SHIFT_ORDER: tuple[str, ...] = (series_data.BNS, series_data.WITS)


def shift_cells(k6: pd.DataFrame, series: pd.DataFrame,
                lags: Sequence[int] = SHIFT_LAGS) -> pd.DataFrame:
    """Every trade cell of Кесте 6 (``k6_long``) against the official value of year t − lag
    for each lag: BNS where it covers t − lag, else WITS (the row names the series).
    ``within`` says whether the official value rounds to the printed cell at the table's
    step (:func:`table_step`) under one of the rounding rules."""
    cells = k6[k6["quantity"].isin(list(FLOW_OF))]
    step = table_step(cells["value"])
    rows = []
    for r in cells.sort_values(["quantity", "year"]).to_dict("records"):
        flow = FLOW_OF[str(r["quantity"])]
        for lag in lags:
            year = int(r["year"]) - lag
            code, value = official_for(series, flow, year, SHIFT_ORDER)
            within = within_rounding(value, float(r["value"]), step)
            rows.append({"flow": flow, "year": int(r["year"]), "printed": r["printed"],
                         "line": int(r["line"]), "value": float(r["value"]),
                         "step": float(step), "lag": lag, "official_year": year,
                         "series": code, "official": value, "within": bool(within),
                         "ratio": float(r["value"]) / value if code else math.nan})
    return pd.DataFrame(rows)


def match_distribution(targets: Sequence[float], pool: Sequence[float],
                       fits: Any) -> np.ndarray:
    """The chance of 0, 1, … matches when the cells ``targets`` of one flow are set
    against values drawn at random, without replacement, from ``pool`` (the flow's
    official values of every year): every ordered draw is equally likely, so this is the
    exact permutation distribution. ``fits(value, target)`` decides a match."""
    k = len(targets)
    counts = np.zeros(k + 1)
    draws = list(itertools.permutations(range(len(pool)), k))
    for draw in draws:
        counts[sum(bool(fits(pool[i], t)) for i, t in zip(draw, targets, strict=True))] += 1
    return counts / len(draws)


def shift_summary(cells: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Per lag and series compared: cells, matches within rounding, the matches chance
    alone would give on average (``expected``), and ``p``, the chance of at least as many
    matches. Chance: each flow's cells set against official values of that flow drawn at
    random from the years the series covers (:func:`match_distribution`), flows
    independent."""
    rows = []
    for (lag, code), part in cells[cells["series"] != ""].groupby(["lag", "series"],
                                                                  sort=True):
        dist = np.ones(1)
        for flow, group in part.groupby("flow", sort=False):
            pool = series[(series["series"] == code) & (series["flow"] == flow)]["value"]
            step = rounding.frac(float(group["step"].iloc[0]))

            def fits(value: float, target: float, step: Fraction = step) -> bool:
                return _fits(rounding.frac(value), rounding.frac(target), step, "exact")

            dist = np.convolve(dist, match_distribution(list(group["value"]), list(pool),
                                                        fits))
        matches = int(part["within"].sum())
        rows.append({"lag": int(str(lag)), "series": code, "cells": len(part),
                     "matches": matches,
                     "expected": float(np.dot(np.arange(len(dist)), dist)),
                     "p": float(dist[matches:].sum())})
    return pd.DataFrame(rows)


# --- Кесте 7 (and any table) against the reference series ------------------------------


def vs_reference(table: pd.DataFrame, series: pd.DataFrame,
                 order: Sequence[str] = series_data.REFERENCE_ORDER) -> pd.DataFrame:
    """Each trade cell of a table (long form) beside the official value of its year from
    the first series of ``order`` that covers it (BNS, else WITS): ``series``,
    ``official``, ``ratio`` (table / official), ``difference`` (USD million)."""
    rows = []
    for r in table[table["quantity"].isin(list(FLOW_OF))].to_dict("records"):
        code, value = official_for(series, FLOW_OF[str(r["quantity"])], int(r["year"]),
                                    order)
        rows.append({**r, "flow": FLOW_OF[str(r["quantity"])], "series": code,
                     "official": value, "ratio": float(r["value"]) / value,
                     "difference": float(r["value"]) - value})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Energy Institute
# ---------------------------------------------------------------------------------------


def to_base(value: float, unit: str) -> float:
    """``value`` in the base unit of ``unit`` (``30.0 barrel billion`` → 3e10 barrel)."""
    return value * data.UNITS[unit][1]


def latest(ei: pd.DataFrame, series: str, iso3: str = "KAZ") -> tuple[int, float, str]:
    """Latest year, value and unit of an Energy Institute series for ``iso3``."""
    part = ei[(ei["series"] == series) & (ei["iso3"] == iso3)].sort_values("year")
    row = part.iloc[-1]
    return int(row["year"]), float(row["value"]), str(row["unit"])


def reserves_compare(reserves: pd.DataFrame, ei: pd.DataFrame) -> pd.DataFrame:
    """Кесте 4's oil and gas reserves beside the Energy Institute's latest proved reserves
    (both in base units: barrels, cubic metres) and their ratio."""
    series = {"oil": "oil_proved_reserves", "gas": "gas_proved_reserves"}
    rows = []
    for r in reserves.to_dict("records"):
        key = series.get(str(r["resource_key"]))
        if key is None:
            continue
        year, value, unit = latest(ei, key)
        official = to_base(value, unit)
        rows.append({"resource": r["resource_key"], "printed": r["volume_printed"],
                     "line": int(r["volume_line"]), "k4": float(r["volume_value"]),
                     "ei_year": year, "ei": official,
                     "ratio": float(r["volume_value"]) / official})
    return pd.DataFrame(rows)


def production(ei: pd.DataFrame, iso3: str = "KAZ") -> pd.DataFrame:
    """Oil (million tonnes) and gas (billion m³) production of ``iso3`` per year."""
    part = ei[(ei["iso3"] == iso3) & ei["series"].isin(["oil_production_tonnes",
                                                        "gas_production"])]
    wide = part.pivot_table(index="year", columns="series", values="value").reset_index()
    wide.columns.name = None
    return wide.rename(columns={"oil_production_tonnes": "oil_mt", "gas_production":
                                "gas_bcm"}).astype({"year": int})


# ---------------------------------------------------------------------------------------
# Vintages
# ---------------------------------------------------------------------------------------


def revisions(current: pd.DataFrame, earlier: pd.DataFrame,
              indicator: str = GDP) -> pd.DataFrame:
    """Per country and year: the value in both vintages and the revision in percent
    (current / earlier − 1); also the OTS members' total (``iso3`` = ``OTS``)."""
    a = current[current["indicator"] == indicator][["iso3", "year", "value"]]
    b = earlier[earlier["indicator"] == indicator][["iso3", "year", "value"]]
    both = a.merge(b, on=["iso3", "year"], suffixes=("_current", "_earlier"))
    ots = both[both["iso3"].isin(MEMBERS)].groupby("year").agg(
        value_current=("value_current", "sum"), value_earlier=("value_earlier", "sum"),
        n=("iso3", "count")).reset_index()
    ots = ots[ots["n"] == len(MEMBERS)].drop(columns="n").assign(iso3="OTS")
    out = pd.concat([both, ots], ignore_index=True)
    out["revision_pct"] = 100 * (out["value_current"] / out["value_earlier"] - 1)
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def revision_summary(rev: pd.DataFrame, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Per country: years compared, the largest absolute revision (%), its year, and the
    mean absolute revision (%)."""
    if years is not None:
        rev = rev[rev["year"].between(*years)]
    rows = []
    for iso3, part in rev.groupby("iso3", sort=True):
        biggest: Any = part.iloc[int(part["revision_pct"].abs().to_numpy().argmax())]
        rows.append({"iso3": iso3, "years": len(part),
                     "max_abs_revision_pct": abs(float(biggest["revision_pct"])),
                     "max_year": int(biggest["year"]),
                     "mean_abs_revision_pct": float(part["revision_pct"].abs().mean())})
    return pd.DataFrame(rows)


def max_total_revision(current: pd.DataFrame, earlier: pd.DataFrame,
                       years: tuple[int, int]) -> tuple[float, int]:
    """The largest absolute revision (%) of the OTS members' GDP total between two
    vintages over ``years``, and its year."""
    rev = revisions(current, earlier)
    ots = rev[(rev["iso3"] == "OTS") & rev["year"].between(*years)]
    row: Any = ots.iloc[int(ots["revision_pct"].abs().to_numpy().argmax())]
    return abs(float(row["revision_pct"])), int(row["year"])
