"""Investment between Kazakhstan and Türkiye: Кесте 8, Кесте 6's investment rows, the text.

Кесте 8 (source lines 1054–1096) gives, for 2018–2023, Türkiye's investment in Kazakhstan
(``tr_to_kz``), Kazakhstan's in Türkiye (``kz_to_tr``), both in USD million, and the number
of investment projects. Кесте 6 (lines 918–980) gives Turkish direct investment, Turkish
companies and joint projects for 2020–2022. The text (e.g. line 1212, 1334) gives a record
year, cumulative totals and counts that the tables can be set against.

The relation to trade (correlation, log-log OLS) is descriptive: two series that both grow
over six years correlate whatever links them, and the intervals assume independent
observations, which annual series are not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.data import datasets
from analysis.methods import growth, select
from analysis.methods.growth import as_float

SERIES = {"tr_to_kz": "tr_to_kz_musd", "kz_to_tr": "kz_to_tr_musd", "projects": "projects"}
TEXT_KEYS = ("tr_fdi_in_kz", "tr_fdi_in_kz_cumulative", "kz_investment_in_tr_cumulative",
             "turkish_companies_in_kz", "turkish_companies_in_kz_construction",
             "turkish_companies_in_kz_trade", "kz_tr_joint_projects",
             "kz_tr_joint_projects_completed", "kz_tr_joint_projects_ongoing",
             "kz_tr_joint_projects_prospective")
COUNT_KEYS = frozenset(k for k in TEXT_KEYS if "companies" in k or "projects" in k)


def load(start_year: int | None = None, end_year: int | None = None) -> pd.DataFrame:
    """Кесте 8 (the ``investment`` dataset) limited to the years asked for."""
    return select.years(datasets.load("investment"), start_year, end_year)


def flows(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Inflows (Türkiye → Kazakhstan), outflows (Kazakhstan → Türkiye), net inflow, the
    inflow per project and the outflow as a share of the inflow, by year."""
    frame = load() if frame is None else frame
    inflow = frame["tr_to_kz_musd"].astype(float)
    outflow = frame["kz_to_tr_musd"].astype(float)
    projects = frame["projects"].astype(float)
    return pd.DataFrame({
        "year": frame["year"].astype(int),
        "inflow": inflow, "outflow": outflow, "net": inflow - outflow,
        "projects": projects,
        "inflow_per_project": inflow / projects,
        "outflow_to_inflow": outflow / inflow,
        "inflow_line": frame["tr_to_kz_musd_line"].astype("Int64"),
    }).reset_index(drop=True)


def growth_summary(frame: pd.DataFrame | None = None, ci_level: float = 0.95) -> pd.DataFrame:
    """CAGR and least-squares growth (ordinary and HC3) of inflows, outflows and projects."""
    frame = load() if frame is None else frame
    names = {col: key for key, col in SERIES.items()}
    return growth.growth_table(frame, list(SERIES.values()), ci_level, names=names)


def merged_with_trade(trade: pd.DataFrame, inv: pd.DataFrame) -> pd.DataFrame:
    m = trade[["year", "trade_total_musd"]].merge(inv[["year", "tr_to_kz_musd"]], on="year")
    return m.sort_values("year", kind="stable").reset_index(drop=True).astype(
        {"trade_total_musd": float, "tr_to_kz_musd": float})


def relation_to_trade(trade: pd.DataFrame | None = None, inv: pd.DataFrame | None = None,
                      ci_level: float = 0.95) -> pd.DataFrame:
    """Correlation of turnover with inflows, three ways, each with a Fisher-z interval:

    * ``levels``: the values themselves;
    * ``logs``: their logarithms;
    * ``log_changes``: year-on-year changes of the logs (one point fewer). Two growing series
      correlate in levels even when unrelated; changes remove the common trend. With five
      changes the Fisher interval uses se = 1/sqrt(2) and is very wide.
    """
    trade = select.years(datasets.load("trade")) if trade is None else trade
    inv = load() if inv is None else inv
    m = merged_with_trade(trade, inv)
    x, y = m["tr_to_kz_musd"].to_numpy(), m["trade_total_musd"].to_numpy()
    rows = []
    variants = (("levels", x, y), ("logs", np.log(x), np.log(y)),
                ("log_changes", np.diff(np.log(x)), np.diff(np.log(y))))
    for name, a, b in variants:
        if len(a) < 4:
            continue
        c = growth.correlation(a, b, ci_level, "tr_to_kz", "trade_total")
        rows.append({"variant": name, "n": c.n, "r": c.r, "ci_low": c.ci_low,
                     "ci_high": c.ci_high, "ci_level": ci_level, "t": c.t,
                     "p_value": c.p_value, "start_year": int(m["year"].iloc[0]),
                     "end_year": int(m["year"].iloc[-1])})
    return pd.DataFrame(rows)


def trade_on_investment(trade: pd.DataFrame | None = None, inv: pd.DataFrame | None = None,
                        ci_level: float = 0.95) -> growth.SlopeFit:
    """OLS of log turnover on log inflow (an elasticity), ordinary and HC3 errors."""
    trade = select.years(datasets.load("trade")) if trade is None else trade
    inv = load() if inv is None else inv
    m = merged_with_trade(trade, inv)
    return growth.log_log_ols(m["tr_to_kz_musd"], m["trade_total_musd"], ci_level,
                              "log_trade_on_log_inflow")


def k6_vs_k8(k6: pd.DataFrame | None = None, inv: pd.DataFrame | None = None) -> pd.DataFrame:
    """The years both tables cover (2020–2022): Turkish direct investment (Кесте 6) against
    Türkiye → Kazakhstan investment (Кесте 8), and joint projects against investment
    projects. Different headings, so maybe different definitions; the numbers differ."""
    k6 = datasets.load("indicators_2020_2022") if k6 is None else k6
    inv = load() if inv is None else inv
    pairs = (("investment", "tr_fdi", "tr_to_kz_musd"), ("projects", "joint_projects",
                                                         "projects"))
    rows = []
    for quantity, ind, col in pairs:
        sub = k6[k6["indicator"] == ind]
        for _, r in sub.sort_values("year", kind="stable").iterrows():
            k8 = inv[inv["year"] == r["year"]]
            if k8.empty:
                continue
            k8v = float(k8[col].iloc[0])
            rows.append({"quantity": quantity, "year": int(r["year"]),
                         "k6_printed": r["number_printed"], "k6_value": float(r["value"]),
                         "k6_line": int(r["source_line"]),
                         "k8_printed": k8[f"{col}_printed"].iloc[0], "k8_value": k8v,
                         "k8_line": int(k8[f"{col}_line"].iloc[0]),
                         "k6_minus_k8": float(r["value"]) - k8v,
                         "k6_over_k8": float(r["value"]) / k8v})
    return pd.DataFrame(rows)


def record_years(k6: pd.DataFrame | None = None, inv: pd.DataFrame | None = None) -> pd.DataFrame:
    """The largest Turkish investment year in each table (the text calls 2021 the record)."""
    k6 = datasets.load("indicators_2020_2022") if k6 is None else k6
    inv = load() if inv is None else inv
    k6i = k6[k6["indicator"] == "tr_fdi"].sort_values("year", kind="stable")
    i6 = k6i["value"].astype(float).to_numpy().argmax()
    i8 = inv["tr_to_kz_musd"].astype(float).to_numpy().argmax()
    return pd.DataFrame([
        {"source": "Кесте 8", "record_year": int(inv["year"].iloc[i8]),
         "record_musd": float(inv["tr_to_kz_musd"].iloc[i8]),
         "years": f"{int(inv['year'].min())}–{int(inv['year'].max())}",
         "source_line": int(inv["tr_to_kz_musd_line"].iloc[i8])},
        {"source": "Кесте 6", "record_year": int(k6i["year"].iloc[i6]),
         "record_musd": float(k6i["value"].iloc[i6]),
         "years": f"{int(k6i['year'].min())}–{int(k6i['year'].max())}",
         "source_line": int(k6i["source_line"].iloc[i6])},
    ])


def _span(years: pd.Series) -> str:
    return f"{int(years.min())}–{int(years.max())}"


def _counterparts(key: str, year: int | None, k6: pd.DataFrame,
                  inv: pd.DataFrame) -> list[dict[str, object]]:
    """Table values that a text figure on ``key`` (for ``year``) can be compared with.

    Each is described by the table, the quantity (a column of Кесте 8 or an indicator of
    Кесте 6), the statistic (``value`` of one year, ``sum`` over the years, ``max``: the
    largest value, in ``table_record_year``) and the years it covers; the notebook words
    that description in its language."""
    out: list[dict[str, object]] = []

    def cell(source: str, what: tuple[str, str, str], value: float, line: object = pd.NA,
             printed: str = "", record: object = pd.NA) -> None:
        quantity, stat, years = what
        out.append({"table": source, "table_quantity": quantity, "table_stat": stat,
                    "table_years": years, "table_record_year": record, "table_value": value,
                    "table_line": line, "table_printed": printed})

    def k6_rows(ind: str) -> pd.DataFrame:
        return k6[k6["indicator"] == ind].sort_values("year", kind="stable")

    def k6_year(ind: str, rows: pd.DataFrame) -> None:
        first = rows.iloc[0]
        cell("Кесте 6", (ind, "value", str(int(first["year"]))), as_float(first["value"]),
             int(first["source_line"]), str(first["number_printed"]))

    if key == "tr_fdi_in_kz":
        k8 = inv[inv["year"] == year]
        if len(k8):
            first = k8.iloc[0]
            cell("Кесте 8", ("tr_to_kz", "value", str(year)),
                 as_float(first["tr_to_kz_musd"]),
                 int(first["tr_to_kz_musd_line"]), str(first["tr_to_kz_musd_printed"]))
        r6 = k6_rows("tr_fdi")
        if (r6["year"] == year).any():
            k6_year("tr_fdi", r6[r6["year"] == year])
        for _, r in record_years(k6, inv).iterrows():
            quantity = "tr_to_kz" if r["source"] == "Кесте 8" else "tr_fdi"
            cell(str(r["source"]), (quantity, "max", str(r["years"])),
                 as_float(r["record_musd"]), int(r["source_line"]),
                 record=int(r["record_year"]))
    elif key == "tr_fdi_in_kz_cumulative":
        cell("Кесте 8", ("tr_to_kz", "sum", _span(inv["year"])),
             float(inv["tr_to_kz_musd"].sum()))
        r6 = k6_rows("tr_fdi")
        cell("Кесте 6", ("tr_fdi", "sum", _span(r6["year"])), float(r6["value"].sum()))
    elif key == "kz_investment_in_tr_cumulative":
        cell("Кесте 8", ("kz_to_tr", "sum", _span(inv["year"])),
             float(inv["kz_to_tr_musd"].sum()))
    elif key.startswith("turkish_companies_in_kz"):
        r6 = k6_rows("turkish_companies")
        same = r6[r6["year"] == year]
        k6_year("turkish_companies", same if len(same) else r6.tail(1))
    elif key.startswith("kz_tr_joint_projects"):
        r6 = k6_rows("joint_projects")
        k6_year("joint_projects", r6.tail(1))
        if key == "kz_tr_joint_projects":  # the parts of the projects: only the latest year
            cell("Кесте 6", ("joint_projects", "sum", _span(r6["year"])),
                 float(r6["value"].sum()))
            cell("Кесте 8", ("projects", "sum", _span(inv["year"])),
                 float(inv["projects"].sum()))
    return out


def _unit_for(key: str) -> str:
    return "count" if key in COUNT_KEYS else "USD million"


def text_vs_tables(claims: pd.DataFrame | None = None, k6: pd.DataFrame | None = None,
                   inv: pd.DataFrame | None = None,
                   keys: Sequence[str] = TEXT_KEYS) -> pd.DataFrame:
    """Each investment figure of the text next to the table values it can be compared with.

    Money in USD million, counts as counts. ``difference`` = text − table, ``ratio`` =
    text / table. A cumulative figure in the text (e.g. 4,5 млрд for 2005 – June 2022)
    covers more years than a table's sum, so a larger text figure is expected there
    (``table_stat`` and ``table_years`` say what each table value is).
    """
    k6 = datasets.load("indicators_2020_2022") if k6 is None else k6
    inv = load() if inv is None else inv
    rows = []
    for key in keys:
        figs = select.text_figures(claims, [key], _unit_for(key))
        for _, f in figs.iterrows():
            year = None if pd.isna(f["year"]) else int(f["year"])
            value = as_float(f["value_conv"])
            for c in _counterparts(key, year, k6, inv):
                table_value = as_float(c["table_value"])
                rows.append({
                    "quantity_key": key, "claim_id": f["claim_id"],
                    "text_printed": f["number_printed"], "text_value": value,
                    "text_qualifier": f["qualifier"], "text_year": f["year"],
                    "text_period": f["period"], "text_line": int(f["source_line"]), **c,
                    "difference": value - table_value,
                    "ratio": value / table_value if table_value else np.nan,
                })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["text_year"] = out["text_year"].astype("Int64")
    out["table_line"] = out["table_line"].astype("Int64")
    out["table_record_year"] = out["table_record_year"].astype("Int64")
    return out.reset_index(drop=True)


def inflow_growth(gs: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The inflow's least-squares row (ordinary errors) and CAGR row of
    :func:`growth_summary`."""
    inflow = gs[gs["series"] == "tr_to_kz"]
    ols = inflow[(inflow["method"] == "ols_log") & (inflow["se_type"] == "ordinary")]
    cagr = inflow[inflow["method"] == "cagr"]
    if ols.empty or cagr.empty:
        raise ValueError("the growth summary has no inflow (tr_to_kz) rows")
    return ols.iloc[0], cagr.iloc[0]


def per_project_summary(fl: pd.DataFrame) -> dict[str, float]:
    """Mean inflow per project over the years shown, and its range."""
    v = fl["inflow_per_project"].astype(float)
    return {"mean": float(v.mean()), "min": float(v.min()), "max": float(v.max()),
            "total_ratio": float(fl["inflow"].sum() / fl["projects"].sum())}
