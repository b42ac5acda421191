"""Кесте 8 as printed, the wording of the text-against-tables comparison, and the numbers
the investment notebook's sentences quote (written with :mod:`analysis.present.numbers`)."""

from __future__ import annotations

import pandas as pd

from analysis.analyses import investment
from analysis.methods import growth
from analysis.present import numbers, results
from analysis.present.i18n import exhibit_name, t
from analysis.present.results import Result
from analysis.present.tables.trade import printed_cells


def printed_table(lang: str = "kk", both: bool = False, start_year: int | None = None,
                  end_year: int | None = None) -> pd.DataFrame:
    """Кесте 8 as printed, headers in ``lang`` (or both)."""
    return printed_cells("k8_investment_2018_2023", lang, both, start_year, end_year)


def table_value_text(row: pd.Series, lang: str) -> str:
    """What a table value of :func:`analysis.analyses.investment.text_vs_tables` is, in words:
    "Türkiye → Kazakhstan, 2021", "... : sum 2018–2023", "... : largest 2018–2023 = 2023"."""
    quantity = t(f"inv.tq.{row['table_quantity']}", lang)
    return t(f"inv.what.{row['table_stat']}", lang, quantity=quantity,
             years=row["table_years"], record=row["table_record_year"])


def comparison_label(row: pd.Series, lang: str) -> str:
    """A figure row: the text's quantity and line, and (below) the table value it is set
    against."""
    quantity = t(f"inv.qkey.{row['quantity_key']}", lang)
    table = exhibit_name(str(row["table"]), lang)
    return f"{quantity} ({row['text_line']})\n↔ {table}: {table_value_text(row, lang)}"


def text_vs_tables(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`~analysis.analyses.investment.text_vs_tables`, ``table_what`` worded in ``lang``."""
    out = frame.copy()
    out["table_what"] = [table_value_text(r, lang) for _, r in out.iterrows()]
    return out


def per_project_result(fl: pd.DataFrame) -> Result:
    """Inflow per project: mean, range across years, and over all years together
    (``inv.say.per_project``)."""
    pp = investment.per_project_summary(fl)
    return Result("inv.per_project", {
        "mean": results.number(pp["mean"], 1), "lo": results.number(pp["min"], 1),
        "hi": results.number(pp["max"], 1), "ratio": results.number(pp["total_ratio"], 1)},
        text="inv.say.per_project")


def growth_result(gs: pd.DataFrame, ci_level: float) -> Result:
    """The inflow's CAGR and least-squares growth with its interval (``inv.say.growth``)."""
    ols, cagr = investment.inflow_growth(gs)

    def pct(x: object) -> results.Value:
        return results.number(100 * growth.as_float(x), 1)

    return Result("inv.inflow_growth", {
        "cagr": pct(cagr["rate"]), "ols": pct(ols["rate"]), "lo": pct(ols["ci_low"]),
        "hi": pct(ols["ci_high"]), "n": results.count(int(ols["n"])),
        "df": results.count(int(ols["df_resid"])), "level": results.level(ci_level)},
        text="inv.say.growth")


def relation_facts(rel: pd.DataFrame, fit: growth.SlopeFit, ci_level: float,
                   lang: str) -> dict[str, object] | None:
    """Correlation in levels and in log changes, and the elasticity (``inv.say.relation``);
    None when there are too few years for the log changes."""
    if rel.empty or "log_changes" not in set(rel["variant"]):
        return None
    lv = rel.set_index("variant")

    def num(variant: str, column: str, decimals: int = 2) -> str:
        return numbers.number(growth.as_float(lv.loc[variant, column]), lang, decimals)

    return {"r": num("levels", "r", 3), "lo": num("levels", "ci_low"),
            "hi": num("levels", "ci_high"), "rc": num("log_changes", "r"),
            "lc": num("log_changes", "ci_low"), "hc": num("log_changes", "ci_high"),
            "b": numbers.number(fit.coef, lang, 2),
            "blo": numbers.number(fit.ci_ordinary[0], lang, 2),
            "bhi": numbers.number(fit.ci_ordinary[1], lang, 2),
            "level": numbers.level(ci_level, lang)}
