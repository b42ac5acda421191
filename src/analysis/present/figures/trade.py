"""Figures of the trade analysis (Кесте 7, Кесте 6, the text)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import growth
from analysis.present.i18n import t
from analysis.present.tables.trade import quantity_label
from analysis.trade import SERIES


def plain_log_axis(axis) -> None:
    """Plain numbers (1 500, 2 000) on a log axis instead of 10^3 notation."""
    from matplotlib.ticker import FuncFormatter, LogLocator

    fmt = FuncFormatter(lambda v, _pos: f"{v:,.0f}".replace(",", " "))
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0,
                                                     7.0, 8.0)))
    axis.set_major_formatter(fmt)
    axis.set_minor_formatter(FuncFormatter(lambda v, _pos: ""))


def plot_levels(frame: pd.DataFrame, lang: str):
    """Exports, imports and turnover by year (Кесте 7)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for quantity, col, marker in (("trade_total", "trade_total_musd", "o"),
                                  ("exports", "exports_musd", "s"),
                                  ("imports", "imports_musd", "^")):
        ax.plot(frame["year"].astype(int), frame[col].astype(float), marker=marker,
                label=quantity_label(quantity, lang))
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("usd_million", lang))
    ax.set_title(t("trade.fig.levels", lang))
    ax.set_xticks(frame["year"].astype(int))
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_indicators(ind: pd.DataFrame, lang: str):
    """Balance (bars) and coverage ratio (line, right axis)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar(ind["year"], ind["balance"], color="tab:green", alpha=0.7,
           label=t("trade.balance", lang))
    ax.set_ylabel(t("trade.balance_axis", lang))
    ax.set_xlabel(t("year", lang))
    ax2 = ax.twinx()
    ax2.plot(ind["year"], ind["coverage"], color="tab:red", marker="o",
             label=t("trade.coverage", lang))
    ax2.set_ylabel(t("trade.coverage", lang))
    ax2.set_ylim(0, max(2.5, float(ind["coverage"].max()) * 1.15))
    ax2.grid(False)
    ax.set_xticks(ind["year"])
    ax.set_title(t("trade.fig.indicators", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, frameon=False, loc="upper left")
    fig.tight_layout()
    return fig


def plot_growth_printed(rec: pd.DataFrame, lang: str):
    """Printed year-on-year growth against the growth recomputed from printed totals, with
    the interval that rounding of the levels allows."""
    import matplotlib.pyplot as plt

    sub = rec.dropna(subset=["growth_unrounded_pct"])
    fig, ax = plt.subplots(figsize=(7, 4))
    x = sub["year"].to_numpy()
    ax.bar(x - 0.2, sub["growth_printed_pct"], width=0.4, label=t("printed", lang))
    ax.bar(x + 0.2, sub["growth_unrounded_pct"], width=0.4, label=t("recomputed", lang),
           yerr=[sub["growth_unrounded_pct"] - sub["growth_low_pct"],
                 sub["growth_high_pct"] - sub["growth_unrounded_pct"]], capsize=3)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("trade.growth_axis", lang))
    ax.set_title(t("trade.fig.growth", lang))
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def plot_fit(frame: pd.DataFrame, fit: growth.LogLinearGrowth, lang: str,
             pandemic_table: pd.DataFrame | None = None):
    """Turnover on a log scale with the least-squares line (and the pandemic-model trend)."""
    import matplotlib.pyplot as plt

    years = frame["year"].astype(int).to_numpy()
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(years, frame["trade_total_musd"].astype(float), "o", color="black",
            label=t("trade.q.trade_total", lang))
    grid = np.linspace(years.min(), years.max(), 50)
    ax.plot(grid, np.exp(fit.intercept + fit.coef * grid), color="tab:blue",
            label=t("trade.fit_line", lang, rate=f"{fit.growth * 100:.1f}"))
    if pandemic_table is not None and not pandemic_table.empty:
        row = pandemic_table[(pandemic_table["series"] == "trade_total")
                             & (pandemic_table["term"] == "trend")
                             & (pandemic_table["se_type"] == "ordinary")]
        if not row.empty:
            slope = float(row["coef"].iloc[0])
            logv = np.log(frame["trade_total_musd"].astype(float).to_numpy())
            mask = years != 2020
            icpt = float(np.mean(logv[mask] - slope * years[mask]))
            ax.plot(grid, np.exp(icpt + slope * grid), color="tab:orange", ls="--",
                    label=t("trade.pandemic_line", lang, rate=f"{math.expm1(slope) * 100:.1f}"))
    ax.set_yscale("log")
    plain_log_axis(ax.yaxis)
    ax.set_xticks(years)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("trade.log_axis", lang))
    ax.set_title(t("trade.fig.fit", lang))
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def plot_sources(compare: pd.DataFrame, lang: str):
    """Кесте 7, Кесте 6 and the text's figures, one panel per quantity."""
    import matplotlib.pyplot as plt

    quantities = [q for q in SERIES if q in set(compare["quantity"])] if not compare.empty else []
    fig, axes = plt.subplots(1, max(len(quantities), 1), figsize=(10, 3.8), squeeze=False)
    for ax, q in zip(axes[0], quantities, strict=False):
        sub = compare[compare["quantity"] == q]
        k7 = sub.drop_duplicates("year")
        ax.plot(k7["year"], k7["k7_musd"], "o-", label=t("trade.src.k7", lang))
        ax.plot(k7["year"], k7["k6_musd"], "s", ms=8, label=t("trade.src.k6", lang))
        txt = sub[sub["text_musd"].notna()]
        ax.plot(txt["year"], txt["text_musd"], "D", color="tab:red", ms=7,
                label=t("trade.src.text", lang))
        for (year, value), grp in txt.groupby(["year", "text_musd"], sort=True):
            lines = ", ".join(str(v) for v in sorted(set(grp["text_line"].astype(int))))
            ax.annotate(lines, (year, value), fontsize=7, xytext=(-4, 4),
                        textcoords="offset points", ha="right")
        ax.set_title(quantity_label(q, lang))
        ax.set_xlabel(t("year", lang))
        ax.grid(alpha=0.3)
        ax.set_xticks(sorted(set(sub["year"].astype(int))))
    axes[0][0].set_ylabel(t("usd_million", lang))
    axes[0][0].legend(frameon=False, fontsize=8)
    fig.suptitle(t("trade.fig.sources", lang))
    fig.tight_layout()
    return fig


def plot_target(frame: pd.DataFrame, fit: growth.LogLinearGrowth, ytt: pd.DataFrame,
                lang: str):
    """Turnover projected at the estimated growth, with the years the target is reached."""
    import matplotlib.pyplot as plt

    years = frame["year"].astype(int).to_numpy()
    values = frame["trade_total_musd"].astype(float).to_numpy()
    row = ytt[(ytt["method"] == "slope_ci") & (ytt["se_type"] == "ordinary")].iloc[0]
    base_year, base, goal = int(row["base_year"]), float(row["base_value"]), float(row["target"])
    horizon = base_year + (min(float(row["years_high"]), 25) if math.isfinite(
        row["years_high"]) else 25)
    grid = np.linspace(base_year, horizon, 80)
    low_b, high_b = fit.ci("ordinary")
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(years, values, "o", color="black", label=t("trade.q.trade_total", lang))
    ax.plot(grid, base * np.exp(fit.coef * (grid - base_year)), color="tab:blue",
            label=t("trade.projection", lang))
    ax.fill_between(grid, base * np.exp(low_b * (grid - base_year)),
                    base * np.exp(high_b * (grid - base_year)), color="tab:blue", alpha=0.15,
                    label=t("trade.projection_band", lang, level=f"{fit.ci_level:.0%}"))
    ax.axhline(goal, color="tab:red", ls="--", label=t("trade.target_line", lang))
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("usd_million", lang))
    ax.set_title(t("trade.fig.target", lang))
    ax.set_ylim(0, goal * 1.3)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
