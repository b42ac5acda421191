"""The dissertation's numbers beside the official record: comparisons that return data.

Why this module: the claims ledger (``analysis.checks``) can only say whether the
dissertation agrees with itself. These functions set its tables and text against official
statistics in ``data/external/`` (:mod:`analysis.data.official`): Кесте 7 and Кесте 6 against
the officially reported Kazakhstan–Türkiye trade, a lag-alignment test, the two sides'
figures for the same trade (mirror asymmetry), Turkish FDI against the reported figures and
total inflows (WDI), the OTS totals of GDP and population under each definition (nominal or
PPP, members or members and observers), reserves against the Energy Institute, and how much
two WDI vintages differ. Every function takes data frames and returns a data frame; nothing
here draws, translates or reads a file except :func:`load`.

Honest statistics: the official trade series has at most six annual points, the mirror
comparison two; numbers here describe those points, they do not estimate anything.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.data import official as data

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
LAG_QUANTITIES = (*TRADE_QUANTITIES, "fdi_tr_to_kz_gross_inflow")
LAGS = (-1, 0, 1)


def load(name: str) -> pd.DataFrame:
    """An external dataset (``wdi``, ``wdi_gdp_earlier``, ``energy_institute``,
    ``kz_tr_official``), validated."""
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


def k8_long(investment: pd.DataFrame) -> pd.DataFrame:
    """Кесте 8's Turkish FDI (Türkiye → Kazakhstan) in the form of :func:`k7_long`."""
    return pd.DataFrame({"year": investment["year"].astype(int),
                         "quantity": "fdi_tr_to_kz_gross_inflow",
                         "value": investment["tr_to_kz_musd"].astype(float),
                         "printed": investment["tr_to_kz_musd_printed"],
                         "line": investment["tr_to_kz_musd_line"].astype(int)})


def vs_official(table: pd.DataFrame, official: pd.DataFrame, side: str = "KZ",
                lag: int = 0) -> pd.DataFrame:
    """A table (long form) beside the official figure of year − ``lag`` for each of its
    cells: ``official``, ``qualifier``, ``figure_id``, ``ratio`` (table / official) and
    ``difference`` (USD million); cells without an official figure keep NaN."""
    rows = []
    for r in table.to_dict("records"):
        series = official_series(official, r["quantity"], side).set_index("year")
        year = int(r["year"]) - lag
        hit: Any = series.loc[year] if year in series.index else None
        value = float(hit["value"]) if hit is not None else math.nan
        rows.append({**r, "official_year": year, "official": value,
                     "qualifier": hit["qualifier"] if hit is not None else "",
                     "figure_id": hit["figure_id"] if hit is not None else "",
                     "ratio": r["value"] / value if hit is not None else math.nan,
                     "difference": r["value"] - value if hit is not None else math.nan})
    return pd.DataFrame(rows)


def vs_official_lags(table: pd.DataFrame, official: pd.DataFrame, side: str = "KZ",
                     lags: Sequence[int] = (0, 1)) -> pd.DataFrame:
    """:func:`vs_official` for each lag, one frame with a ``lag`` column."""
    return pd.concat([vs_official(table, official, side, lag).assign(lag=lag) for lag in lags],
                     ignore_index=True)


def _matches(table: pd.Series, official: pd.Series, lag: int, tolerance: float) -> int:
    """How many table years t have an official figure for t − lag within ``tolerance``."""
    n = 0
    for year, value in table.items():
        other = official.get(int(year) - lag)  # type: ignore[call-overload]
        if other is not None and abs(value / other - 1) <= tolerance:
            n += 1
    return n


def permutation_p(table: pd.Series, official: pd.Series, tolerance: float,
                  lags: Sequence[int] = LAGS) -> tuple[int, float, int]:
    """Exact permutation test of the best alignment: the number of matches at the best lag,
    and the share of all orderings of the official values over their years that do at
    least as well at some lag (``p``), with the number of orderings. The smallest possible
    p is 1 / (number of distinct orderings): with few points no result can be strong."""
    observed = max(_matches(table, official, lag, tolerance) for lag in lags)
    years, values = list(official.index), list(official.values)
    orderings = set(itertools.permutations(values))
    hits = 0
    for perm in orderings:
        shuffled = pd.Series(perm, index=years)
        best = max(_matches(table, shuffled, lag, tolerance) for lag in lags)
        hits += best >= observed
    return observed, hits / len(orderings), len(orderings)


def lag_alignment(tables: dict[str, pd.DataFrame], official: pd.DataFrame, side: str,
                  tolerance: float, lags: Sequence[int] = LAGS) -> pd.DataFrame:
    """For each table and quantity and each lag: pairs compared, median |log ratio|,
    matches within ``tolerance`` (relative), and the permutation p of the best lag.
    A lag of 1 sets the table's year t against the official figure of t − 1."""
    rows = []
    for name, table in tables.items():
        for quantity in sorted(set(table["quantity"]) & set(LAG_QUANTITIES)):
            t = table[table["quantity"] == quantity].set_index("year")["value"]
            o = official_series(official, quantity, side).set_index("year")["value"]
            if o.empty:
                continue
            best, p, n_orders = permutation_p(t, o, tolerance, lags)
            for lag in lags:
                pairs = [(v, o[y - lag]) for y, v in t.items() if y - lag in o.index]
                logs = [abs(math.log(a / b)) for a, b in pairs]
                rows.append({"table": name, "quantity": quantity, "lag": lag,
                             "pairs": len(pairs),
                             "median_abs_log_ratio": float(np.median(logs)) if logs
                             else math.nan,
                             "matches": _matches(t, o, lag, tolerance),
                             "best_matches": best, "p_value": p, "orderings": n_orders})
    return pd.DataFrame(rows)


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
