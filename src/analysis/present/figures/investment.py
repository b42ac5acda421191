"""Figures of the investment analysis (Кесте 8, Кесте 6, the text).

Each function takes the data, ``lang`` and ``ax=None`` and returns the figure (see
:mod:`analysis.present.figures.axes`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.analyses.investment import COUNT_KEYS, SERIES, merged_with_trade
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
from analysis.present.tables.investment import comparison_label


def plot_flows(fl: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Inflows and outflows (bars) and the number of projects (line, right axis)."""
    fig, ax = figure_and_axes(ax, (7, 4))
    x = fl["year"].to_numpy()
    ax.bar(x - 0.2, fl["inflow"], width=0.4, label=t("inv.inflow", lang))
    ax.bar(x + 0.2, fl["outflow"], width=0.4, label=t("inv.outflow", lang))
    ax.set_ylabel(t("usd_million", lang))
    ax.set_xlabel(t("year", lang))
    ax2 = ax.twinx()
    ax2.plot(x, fl["projects"], color="black", marker="o", label=t("inv.projects", lang))
    ax2.set_ylabel(t("inv.projects", lang))
    ax2.set_ylim(0, float(fl["projects"].max()) * 1.3)
    ax2.grid(False)
    year_axis(ax.xaxis, x.astype(int).tolist())
    ax.set_title(t("inv.fig.flows", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, frameon=False, loc="upper left")
    return finish(fig, lang)


def plot_trend(frame: pd.DataFrame, lang: str, ci_level: float = 0.95,
               ax: Axes | None = None) -> Figure:
    """Inflows and outflows on a log scale with their least-squares lines: on a log scale a
    constant growth rate is a straight line, so the two slopes can be compared by eye."""
    years = frame["year"].astype(int).to_numpy()
    grid = np.linspace(years.min(), years.max(), 50)
    fig, ax = figure_and_axes(ax, (7, 4))
    for key, color in (("tr_to_kz", "tab:blue"), ("kz_to_tr", "tab:orange")):
        col = SERIES[key]
        fit = growth.loglinear_growth(frame["year"], frame[col], ci_level, key)
        ax.plot(years, frame[col].astype(float), "o", color=color,
                label=t(f"inv.q.{key}", lang))
        ax.plot(grid, np.exp(fit.intercept + fit.coef * grid), color=color, ls="--",
                label=t("inv.fit_line", lang, rate=numbers.number(100 * fit.growth, lang, 1)))
    ax.set_yscale("log")
    log_axis(ax.yaxis, lang)
    year_axis(ax.xaxis, years.tolist())
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("inv.log_axis", lang))
    ax.set_title(t("inv.fig.trend", lang))
    ax.legend(frameon=False, fontsize=8)
    return finish(fig, lang)


def plot_trade_vs_investment(trade: pd.DataFrame, inv: pd.DataFrame, fit: growth.SlopeFit,
                             lang: str, ax: Axes | None = None) -> Figure:
    """Turnover against inflow on log–log axes, with the fitted line; points labelled by year."""
    m = merged_with_trade(trade, inv)
    fig, ax = figure_and_axes(ax, (6, 4.5))
    ax.plot(m["tr_to_kz_musd"], m["trade_total_musd"], "o", color="tab:blue")
    for _, r in m.iterrows():
        ax.annotate(str(int(r["year"])), (r["tr_to_kz_musd"], r["trade_total_musd"]),
                    xytext=(4, 3), textcoords="offset points", fontsize=8)
    grid = np.linspace(m["tr_to_kz_musd"].min() * 0.95, m["tr_to_kz_musd"].max() * 1.05, 50)
    ax.plot(grid, np.exp(fit.intercept) * grid**fit.coef, color="tab:orange",
            label=t("inv.elasticity_line", lang, b=numbers.number(fit.coef, lang, 2)))
    ax.set_xscale("log")
    ax.set_yscale("log")
    log_axis(ax.xaxis, lang)
    log_axis(ax.yaxis, lang)
    ax.set_xlabel(t("inv.inflow_axis", lang))
    ax.set_ylabel(t("inv.trade_axis", lang))
    ax.set_title(t("inv.fig.scatter", lang))
    ax.legend(frameon=False)
    return finish(fig, lang)


def plot_text_vs_tables(cmp: pd.DataFrame, lang: str,
                        ax: Sequence[Axes] | None = None) -> Figure:
    """Text figures against their table counterparts, money and counts in separate panels
    (each on a log scale: they differ by up to 10×). ``ax``: two axes."""
    counts = cmp["quantity_key"].isin(COUNT_KEYS)
    parts = [("money", cmp[~counts]), ("count", cmp[counts])]
    sizes = [max(len(part), 1) for _unit, part in parts]
    fig, panels = figure_and_panels(ax, 2, nrows=2, ncols=1,
                                    figsize=(10, 1.8 + 0.5 * sum(sizes)),
                                    gridspec_kw={"height_ratios": sizes})
    for panel, (unit, part) in zip(panels, parts, strict=True):
        if part.empty:
            panel.set_axis_off()
            continue
        for i, (_, r) in enumerate(part.iterrows()):
            panel.plot([r["table_value"], r["text_value"]], [i, i], color="grey", lw=1)
            panel.plot(r["table_value"], i, "s", color="tab:blue")
            panel.plot(r["text_value"], i, "D", color="tab:red")
        panel.set_yticks(range(len(part)))
        panel.set_yticklabels([comparison_label(r, lang) for _, r in part.iterrows()],
                              fontsize=8)
        panel.set_ylim(len(part) - 0.5, -0.5)
        panel.set_xscale("log")
        log_axis(panel.xaxis, lang)
        panel.set_xlabel(t(f"inv.axis.{unit}", lang))
    panels[0].plot([], [], "s", color="tab:blue", label=t("inv.table_value", lang))
    panels[0].plot([], [], "D", color="tab:red", label=t("inv.text_value", lang))
    handles, labels = panels[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False, fontsize=9)
    fig.suptitle(t("inv.fig.text", lang))
    finish(fig, lang)
    if ax is None:
        fig.subplots_adjust(bottom=0.9 / fig.get_figheight())
    return fig
