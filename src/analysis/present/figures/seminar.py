"""Figures of the seminar notebooks: one function per panel (``ax=None`` draws on a new
figure), and one per seminar figure that puts the panels together.

Every number a reader sees (tick labels, annotations, legend entries) goes through
:mod:`analysis.present.numbers`, so a Kazakh figure reads ``3 000`` and ``−1,13`` and an
English one ``3,000`` and ``−1.13``; printed shares in a legend keep their printed digits
but take the language's decimal mark. Panels that are compared share one scale.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from analysis.data.parse import parse_number
from analysis.present import numbers
from analysis.present.figures import official as official_figures
from analysis.present.figures.axes import figure_and_axes, figure_and_panels, number_axis
from analysis.present.i18n import t
from analysis.present.tables.seminar import confidence
from analysis.teaching.seminar import EXHIBIT_PAIRS, consortium_check

#: Colours used across the pack: Кесте 6 orange, Кесте 7 and levels blue.
K6_COLOUR, K7_COLOUR, ACCENT = "#DD8452", "#4C72B0", "#C44E52"
#: Nine distinguishable colours for Кесте 3's companies (the largest share first).
COMPANY_COLOURS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860",
                   "#DA8BC3", "#8C8C8C", "#CCB974", "#64B5CD")


# --- Seminar 1 -------------------------------------------------------------------------


def turnover_levels(table: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Кесте 7's printed turnover by year, each bar labelled with its value."""
    fig, ax = figure_and_axes(ax, (5, 4))
    years = [str(y) for y in table["year"]]
    totals = table["total"].astype(float).tolist()
    bars = ax.bar(years, totals, color=K7_COLOUR)
    ax.bar_label(bars, labels=[numbers.number(v, lang) for v in totals], padding=2,
                 fontsize=8)
    ax.set_ylim(0, max(totals) * 1.12)
    number_axis(ax.yaxis, lang)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("usd_million", lang))
    ax.set_title(t("sem.fig.turnover", lang), fontsize=10.5)
    return fig


def growth_rates(table: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Printed growth (bars) and growth recomputed from the levels (diamonds, labelled)."""
    fig, ax = figure_and_axes(ax, (5, 4))
    growth = table.dropna(subset=["growth_recomputed"])
    years = [str(y) for y in growth["year"]]
    printed = growth["growth_printed_value"].astype(float).tolist()
    recomputed = growth["growth_recomputed"].astype(float).tolist()
    ax.bar(years, printed, color=K6_COLOUR, label=t("sem.fig.growth_printed", lang))
    ax.plot(years, recomputed, linestyle="none", marker="D", color="black",
            label=t("sem.fig.growth_recomputed", lang))
    for x, value in zip(years, recomputed, strict=True):
        ax.annotate(numbers.number(value, lang, 2), (x, value), ha="center", fontsize=8,
                    xytext=(0, 6 if value >= 0 else -12), textcoords="offset points")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylim(min(0.0, *printed) - 4, max(printed) + 8)
    number_axis(ax.yaxis, lang)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("sem.fig.growth_axis", lang))
    ax.set_title(t("sem.fig.growth_panel", lang), fontsize=10.5)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def plot_growth(table: pd.DataFrame, lang: str) -> Figure:
    """Seminar 1: turnover levels (left) and printed against recomputed growth (right)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.0))
    turnover_levels(table, lang, left)
    growth_rates(table, lang, right)
    fig.tight_layout()
    return fig


# --- Seminar 2 -------------------------------------------------------------------------


def _printed_percent(printed: str, lang: str) -> str:
    """A printed share (``"9.8%"``) with its printed digits in ``lang``'s notation."""
    parsed = parse_number(printed)
    return numbers.percent(parsed.value, lang, parsed.decimals)


def plot_shares(consortium: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Кесте 3's printed shares stacked in one bar, the gap to 100 % hatched, and the
    range the true sum can lie in when every share is allowed its rounding."""
    fig, ax = figure_and_axes(ax, (10, 3.2))
    check = consortium_check(consortium)
    frame = consortium.sort_values("share_value", ascending=False, kind="stable")
    left = 0.0
    for colour, row in zip(COMPANY_COLOURS, frame.to_dict("records"), strict=False):
        label = f"{row[f'company_{lang}']} ({_printed_percent(row['share_printed'], lang)})"
        ax.barh(0, row["share_value"], left=left, height=0.6, color=colour, label=label)
        left += float(row["share_value"])
    gap = numbers.percent(check.gap, lang, 2)
    ax.barh(0, float(check.gap), left=left, height=0.6, color="white", edgecolor=ACCENT,
            hatch="///", label=t("sem.fig.gap", lang, gap=gap))
    low, high = float(check.low), float(check.high)
    ax.errorbar([float(check.printed_sum)], [0.5],
                xerr=[[float(check.printed_sum) - low], [high - float(check.printed_sum)]],
                fmt="|", color="black", capsize=5, markersize=10,
                label=t("sem.fig.rounding_range", lang,
                        low=numbers.percent(low, lang, 3), high=numbers.percent(high, lang, 3)))
    ax.axvline(100, color="black", linewidth=1)
    ax.set_xlim(0, 101)
    ax.set_ylim(-0.45, 0.75)
    ax.set_yticks([])
    number_axis(ax.xaxis, lang)
    ax.set_xlabel(t("sem.fig.share_axis", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.02), fontsize=7.5)
    fig.tight_layout()
    return fig


# --- Seminar 3 -------------------------------------------------------------------------


def interval_points(table: pd.DataFrame, lang: str, level: float,
                    ax: Axes | None = None) -> Figure:
    """Each option's printed share and its Wilson interval at the assumed N."""
    fig, ax = figure_and_axes(ax, (5.5, 4))
    n = int(table["n"].iloc[0])
    positions = list(range(len(table)))
    percent = table["percent"].astype(float)
    ax.errorbar(percent, positions, fmt="o", capsize=4, color=K7_COLOUR,
                xerr=[percent - table["low"], table["high"] - percent])
    ax.set_yticks(positions, table[f"option_{lang}"].tolist())
    ax.invert_yaxis()
    ax.set_xlim(0, min(100.0, float(table["high"].max()) + 8))
    number_axis(ax.xaxis, lang)
    ax.set_xlabel(t("sem.fig.share_axis", lang))
    ax.set_title(t("sem.fig.intervals_panel", lang, n=numbers.number(n, lang),
                   level=confidence(level, lang)), fontsize=10.5)
    return fig


def width_curve(widths: pd.DataFrame, n: int, lang: str, ax: Axes | None = None) -> Figure:
    """Interval width against the assumed N (log scale), the notebook's N marked."""
    fig, ax = figure_and_axes(ax, (4.5, 4))
    ax.plot(widths["n"], widths["width_pp"], marker="o", color="#55A868")
    current = widths[widths["n"] == n]
    ax.plot(current["n"], current["width_pp"], marker="o", markersize=11, linestyle="none",
            color=ACCENT, label=t("sem.fig.assumed_n", lang, n=numbers.number(n, lang)))
    ax.set_xscale("log")
    sizes: Sequence[int] = widths["n"].astype(int).tolist()
    ax.set_xticks(list(sizes), [numbers.number(v, lang) for v in sizes], fontsize=8)
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.minorticks_off()
    ax.set_ylim(0, float(widths["width_pp"].max()) * 1.1)
    number_axis(ax.yaxis, lang)
    ax.set_xlabel(t("sem.fig.sample_size", lang))
    ax.set_ylabel(t("sem.fig.width_axis", lang))
    ax.set_title(t("sem.fig.width_panel", lang), fontsize=10.5)
    ax.legend(loc="upper right", fontsize=8)
    return fig


def plot_intervals(table: pd.DataFrame, widths: pd.DataFrame, lang: str,
                   level: float = 0.95) -> Figure:
    """Seminar 3: the options' intervals (left), width against N (right)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.0),
                                      gridspec_kw={"width_ratios": [1.3, 1]})
    interval_points(table, lang, level, left)
    width_curve(widths, int(table["n"].iloc[0]), lang, right)
    fig.tight_layout()
    return fig


# --- Seminar 4 -------------------------------------------------------------------------


def exhibit_bars(comparison: pd.DataFrame, quantity: str, lang: str,
                 ax: Axes | None = None) -> Figure:
    """Кесте 6 beside Кесте 7 for one quantity, each bar labelled with its value."""
    fig, ax = figure_and_axes(ax, (4, 4))
    part = comparison[comparison["quantity"] == quantity].sort_values("year")
    x = list(range(len(part)))
    for offset, column, colour in ((-0.2, "k6", K6_COLOUR), (0.2, "k7", K7_COLOUR)):
        values = part[column].astype(float).tolist()
        bars = ax.bar([i + offset for i in x], values, width=0.4, color=colour,
                      label=t(f"sem.fig.{column}", lang))
        ax.bar_label(bars, labels=[numbers.number(v, lang) for v in values], padding=2,
                     fontsize=7)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, [str(y) for y in part["year"]])
    ax.set_title(t(f"sem.q.{quantity}", lang), fontsize=10)
    number_axis(ax.yaxis, lang)
    return fig


#: Seminar 4's panels: the three quantities both tables print, then the balance.
EXHIBIT_PANELS: tuple[str, ...] = (*EXHIBIT_PAIRS, "balance")


def plot_exhibits(comparison: pd.DataFrame, lang: str) -> Figure:
    """Seminar 4: exports, imports, turnover and the balance in Кесте 6 and Кесте 7, all
    on one scale (so a taller bar is a larger number in every panel)."""
    fig, axes = plt.subplots(1, len(EXHIBIT_PANELS), figsize=(12, 4.2), sharey=True)
    for ax, quantity in zip(axes, EXHIBIT_PANELS, strict=True):
        exhibit_bars(comparison, quantity, lang, ax)
    values = comparison[["k6", "k7"]].astype(float).to_numpy()
    span = float(values.max() - min(0.0, float(values.min())))
    axes[0].set_ylim(min(0.0, float(values.min())) - 0.08 * span, float(values.max()) + 0.1 * span)
    axes[0].set_ylabel(t("usd_million", lang))
    axes[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


# --- Seminar 6 -------------------------------------------------------------------------


def plot_two_series(tables: pd.DataFrame, series: pd.DataFrame, span: tuple[int, int] | None,
                    lang: str, ax: Sequence[Axes] | None = None) -> Figure:
    """Seminar 6: for each flow, the two official series (each its own line, never
    joined), Кесте 7 and Кесте 6, with the years in which the series differ shaded
    (:func:`analysis.present.figures.official.flow_chart` on each panel; ``ax``: one axes
    per flow); one legend, below the panels."""
    flows = list(dict.fromkeys(series["flow"]))
    fig, axes = figure_and_panels(ax, len(flows), nrows=1, ncols=len(flows),
                                  figsize=(4.6 * len(flows), 4.6))
    for i, (panel, flow) in enumerate(zip(axes, flows, strict=True)):
        official_figures.flow_chart(flow, tables, series, span, lang, panel)
        panel.set_title(t(f"external.flow.{flow}", lang), fontsize=10)
        if i:
            panel.set_ylabel("")
        legend = panel.get_legend()
        if legend is not None:
            legend.remove()
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False,
               fontsize=8)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig
