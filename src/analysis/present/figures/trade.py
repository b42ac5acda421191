"""Figures of the trade analysis (Кесте 7, Кесте 6, the text).

Each function takes the data, ``lang`` and ``ax=None`` and returns the figure (see
:mod:`analysis.present.figures.axes`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.analyses import trade
from analysis.methods import growth
from analysis.present import numbers
from analysis.present.figures.axes import (
    figure_and_axes,
    figure_and_panels,
    finish,
    log_axis,
    year_axis,
)
from analysis.present.i18n import t

#: Offsets (points) of the line-number labels of text figures that share a year: the
#: lowest value's label goes below its marker, the next above, so two close values do not
#: write over each other.
_LABEL_OFFSETS = ((-6, -4, "top"), (-6, 4, "bottom"), (-6, 14, "bottom"))


def quantity_label(quantity: str, lang: str) -> str:
    return t(f"trade.q.{quantity}", lang)


def plot_levels(frame: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Exports, imports and turnover by year (Кесте 7)."""
    fig, ax = figure_and_axes(ax, (7, 4))
    for quantity, col, marker in (("trade_total", "trade_total_musd", "o"),
                                  ("exports", "exports_musd", "s"),
                                  ("imports", "imports_musd", "^")):
        ax.plot(frame["year"].astype(int), frame[col].astype(float), marker=marker,
                label=quantity_label(quantity, lang))
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("usd_million", lang))
    ax.set_title(t("trade.fig.levels", lang))
    year_axis(ax.xaxis, frame["year"].astype(int).tolist())
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return finish(fig, lang)


def plot_indicators(ind: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Balance (bars) and coverage ratio (line, right axis)."""
    fig, ax = figure_and_axes(ax, (7, 4))
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
    year_axis(ax.xaxis, ind["year"].astype(int).tolist())
    ax.set_title(t("trade.fig.indicators", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, frameon=False, loc="upper left")
    return finish(fig, lang)


def plot_growth_printed(rec: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Printed year-on-year growth against the growth recomputed from printed totals, with
    the interval that rounding of the levels allows."""
    sub = rec.dropna(subset=["growth_unrounded_pct"])
    fig, ax = figure_and_axes(ax, (7, 4))
    x = sub["year"].to_numpy()
    ax.bar(x - 0.2, sub["growth_printed_pct"], width=0.4, label=t("printed", lang))
    ax.bar(x + 0.2, sub["growth_unrounded_pct"], width=0.4, label=t("recomputed", lang),
           yerr=[sub["growth_unrounded_pct"] - sub["growth_low_pct"],
                 sub["growth_high_pct"] - sub["growth_unrounded_pct"]], capsize=3)
    ax.axhline(0, color="black", lw=0.8)
    year_axis(ax.xaxis, x.astype(int).tolist())
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("trade.growth_axis", lang))
    ax.set_title(t("trade.fig.growth", lang))
    ax.legend(frameon=False)
    return finish(fig, lang)


def plot_fit(frame: pd.DataFrame, fit: growth.LogLinearGrowth, lang: str,
             pandemic_table: pd.DataFrame | None = None, ax: Axes | None = None) -> Figure:
    """Turnover on a log scale with the least-squares line (and the pandemic-model trend)."""
    years = frame["year"].astype(int).to_numpy()
    fig, ax = figure_and_axes(ax, (7, 4))
    ax.plot(years, frame["trade_total_musd"].astype(float), "o", color="black",
            label=t("trade.q.trade_total", lang))
    grid = np.linspace(years.min(), years.max(), 50)
    ax.plot(grid, np.exp(fit.intercept + fit.coef * grid), color="tab:blue",
            label=t("trade.fit_line", lang, rate=numbers.number(100 * fit.growth, lang, 1)))
    line = trade.pandemic_trend_line(frame, pandemic_table)
    if line is not None:
        intercept, slope = line
        ax.plot(grid, np.exp(intercept + slope * grid), color="tab:orange", ls="--",
                label=t("trade.pandemic_line", lang,
                        rate=numbers.number(100 * math.expm1(slope), lang, 1)))
    ax.set_yscale("log")
    log_axis(ax.yaxis, lang)
    year_axis(ax.xaxis, years.tolist())
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("trade.log_axis", lang))
    ax.set_title(t("trade.fig.fit", lang))
    ax.legend(frameon=False)
    return finish(fig, lang)


def _label_text_points(ax: Axes, txt: pd.DataFrame) -> None:
    """Line numbers beside the text's markers; labels of one year are stacked apart."""
    points: dict[tuple[int, float], set[int]] = {}
    for year, value, line in zip(txt["year"], txt["text_musd"], txt["text_line"], strict=True):
        points.setdefault((int(year), float(value)), set()).add(int(line))
    rank: dict[int, int] = {}
    for (year, value), lines in sorted(points.items()):
        i = rank.get(year, 0)
        rank[year] = i + 1
        dx, dy, va = _LABEL_OFFSETS[min(i, len(_LABEL_OFFSETS) - 1)]
        ax.annotate(", ".join(map(str, sorted(lines))), (year, value), fontsize=8,
                    xytext=(dx, dy), textcoords="offset points", ha="right", va=va)


def plot_sources(compare: pd.DataFrame, lang: str,
                 ax: Sequence[Axes] | None = None) -> Figure:
    """Кесте 7, Кесте 6 and the text's figures, one panel per quantity (``ax``: one axes
    per quantity present)."""
    quantities = trade.compared_quantities(compare)
    fig, panels = figure_and_panels(ax, max(len(quantities), 1), nrows=1,
                                    ncols=max(len(quantities), 1), figsize=(10.5, 4.4))
    for panel, q in zip(panels, quantities, strict=False):
        sub = compare[compare["quantity"] == q]
        k7 = sub.drop_duplicates("year")
        panel.plot(k7["year"], k7["k7_musd"], "o-", label=t("trade.src.k7", lang))
        panel.plot(k7["year"], k7["k6_musd"], "s", ms=8, label=t("trade.src.k6", lang))
        txt = sub[sub["text_musd"].notna()]
        panel.plot(txt["year"], txt["text_musd"], "D", color="tab:red", ms=7,
                   label=t("trade.src.text", lang))
        _label_text_points(panel, txt)
        panel.set_title(quantity_label(q, lang))
        panel.set_xlabel(t("year", lang))
        panel.grid(alpha=0.3)
        years = sorted(set(sub["year"].astype(int)))
        year_axis(panel.xaxis, years)
        panel.set_xlim(min(years) - 0.6, max(years) + 0.3)
        panel.margins(y=0.12)
    panels[0].set_ylabel(t("usd_million", lang))
    handles, labels = panels[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, frameon=False, fontsize=9)
    fig.suptitle(t("trade.fig.sources", lang))
    finish(fig, lang)
    if ax is None:
        fig.subplots_adjust(bottom=0.24)
    return fig


def plot_target(frame: pd.DataFrame, fit: growth.LogLinearGrowth, ytt: pd.DataFrame,
                lang: str, ax: Axes | None = None) -> Figure:
    """Turnover projected at the estimated growth, with the years the target is reached."""
    years = frame["year"].astype(int).to_numpy()
    values = frame["trade_total_musd"].astype(float).to_numpy()
    row = trade.target_point(ytt)
    base_year, base, goal = int(row["base_year"]), float(row["base_value"]), float(row["target"])
    horizon = base_year + (min(float(row["years_high"]), 25) if math.isfinite(
        row["years_high"]) else 25)
    grid = np.linspace(base_year, horizon, 80)
    low_b, high_b = fit.ci("ordinary")
    fig, ax = figure_and_axes(ax, (7, 4))
    ax.plot(years, values, "o", color="black", label=t("trade.q.trade_total", lang))
    ax.plot(grid, base * np.exp(fit.coef * (grid - base_year)), color="tab:blue",
            label=t("trade.projection", lang))
    ax.fill_between(grid, base * np.exp(low_b * (grid - base_year)),
                    base * np.exp(high_b * (grid - base_year)), color="tab:blue", alpha=0.15,
                    label=t("trade.projection_band", lang,
                            level=numbers.percent(fit.ci_level, lang, 0, fraction=True)))
    ax.axhline(goal, color="tab:red", ls="--", label=t("trade.target_line", lang))
    year_axis(ax.xaxis)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("usd_million", lang))
    ax.set_title(t("trade.fig.target", lang))
    ax.set_ylim(0, goal * 1.3)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    return finish(fig, lang)
