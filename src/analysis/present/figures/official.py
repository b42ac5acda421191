"""Figures of ``06_external``: the dissertation's numbers beside the official record.

Every function takes the data (frames from :mod:`analysis.analyses.official`), ``lang`` and
``ax=None`` (draw on the given axes or make a figure) and returns the figure, finished by
:func:`~analysis.present.figures.axes.finish` (numbers on every value axis in the
language's notation, a tight layout).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.present.figures.axes import figure_and_axes, finish, number_axis, year_axis
from analysis.present.i18n import t
from analysis.present.numbers import number

#: The size of a figure drawn without ``ax``, unless the function says otherwise.
SIZE = (7.5, 4.2)


#: How each source of a flow chart is drawn: (label key, line style, marker, colour). The
#: official series are black and grey lines; the dissertation's tables coloured lines;
#: the text's figures markers alone (they are single numbers, not a series).
_SOURCES: dict[str, tuple[str, str, str, str]] = {
    "BNS-312101": ("external.legend.bns", "-", "o", "black"),
    "WITS-TradeStats": ("external.legend.wits", "--", "s", "dimgrey"),
    "UN-Comtrade-preview": ("external.legend.preview", ":", "x", "darkgrey"),
    "k7": ("external.legend.k7", "-", "o", "tab:blue"),
    "k6": ("external.legend.k6", "-", "s", "tab:orange"),
    "text": ("external.legend.text_figures", "", "D", "tab:red"),
}


def flow_chart(flow: str, dissertation: pd.DataFrame, series: pd.DataFrame,
               span: tuple[int, int] | None, lang: str, ax: Axes | None = None) -> Figure:
    """One flow (exports, imports or turnover) from every source: the two official series
    (and the Comtrade preview, where it has the flow) each as its own line, never joined,
    Кесте 7 and Кесте 6 as lines and the text's figures as markers; ``span`` (the years in
    which the two official series differ) shaded and labelled."""
    fig, ax = figure_and_axes(ax, SIZE)
    if span is not None:
        ax.axvspan(span[0] - 0.5, span[1] + 0.5, color="tab:purple", alpha=0.12, lw=0,
                   label=t("external.legend.break", lang, start=span[0], end=span[1]))
    years: list[int] = []
    for code, (key, line, marker, colour) in _SOURCES.items():
        if code in ("k7", "k6", "text"):
            part = dissertation[(dissertation["source"] == code)
                                & (dissertation["flow"] == flow)]
        else:
            part = series[(series["series"] == code) & (series["flow"] == flow)]
        if part.empty:
            continue
        part = part.sort_values("year")
        ax.plot(part["year"], part["value"], linestyle=line or "none", marker=marker,
                color=colour, markersize=4 if code != "text" else 6, label=t(key, lang))
        years += part["year"].astype(int).tolist()
    year_axis(ax.xaxis, sorted(set(years)) if len(set(years)) <= 12 else None)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("external.axis.usd_million", lang))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=7, loc="upper left")
    ax.grid(alpha=0.3)
    return finish(fig, lang)


def mirror(m: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Kazakh-side and Turkish-side turnover for the years both sides reported."""
    fig, ax = figure_and_axes(ax, (6, 3.8))
    part = m[m["quantity"] == "trade_turnover"].reset_index(drop=True)
    x = range(len(part))
    ax.bar([i - 0.2 for i in x], part["kz"], width=0.4, label=t("external.legend.kz", lang))
    ax.bar([i + 0.2 for i in x], part["tr"], width=0.4, label=t("external.legend.tr", lang))
    for i, (ratio, tr) in enumerate(zip(part["ratio"], part["tr"], strict=True)):
        ax.annotate(f"×{number(ratio, lang, 2)}", (i + 0.2, tr), ha="center",
                    va="bottom", fontsize=8)
    ax.set_xticks(list(x))
    ax.set_xticklabels([str(y) for y in part["year"]])
    ax.set_ylabel(t("external.axis.usd_million", lang))
    ax.legend(frameon=False, fontsize=8)
    return finish(fig, lang)


def fdi(f: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Turkish FDI per the tables and officials (left axis) and WDI's total net FDI
    inflows into Kazakhstan from all investors (right axis)."""
    fig, ax = figure_and_axes(ax, SIZE)
    for col, style in (("k8", "-o"), ("k6", "-s"), ("official", "D"), ("official_9m", "v")):
        part = f[f[col].notna()]
        ax.plot(part["year"], part[col], style, label=t(f"external.legend.{col}", lang,
                                                        side="KZ"))
    right = ax.twinx()
    part = f[f["wdi_total"].notna()]
    right.plot(part["year"], part["wdi_total"], "--", color="grey",
               label=t("external.legend.wdi_total", lang))
    year_axis(ax.xaxis, f["year"].astype(int).tolist())
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("external.axis.usd_million", lang))
    handles = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    return finish(fig, lang)


def ots(table: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Each OTS GDP claim (line) against the totals of each definition (bars)."""
    gdp = table[table["measure"] != "population"]
    fig, ax = figure_and_axes(ax, (8, 4.2))
    claims = list(dict.fromkeys(gdp["claim_id"]))
    combos = list(dict.fromkeys(zip(gdp["measure"], gdp["group"], strict=True)))
    width = 0.8 / max(len(combos), 1)
    for j, (measure, group) in enumerate(combos):
        values = [gdp[(gdp["claim_id"] == c) & (gdp["measure"] == measure)
                      & (gdp["group"] == group)]["official"].sum() for c in claims]
        ax.bar([i - 0.4 + width * (j + 0.5) for i in range(len(claims))], values, width,
               label=f"{t(f'external.measure.{measure}', lang)}, "
                     f"{t(f'external.group.{group}', lang)}")
    for i, c in enumerate(claims):
        claim = float(gdp[gdp["claim_id"] == c]["claim"].iloc[0])
        ax.hlines(claim, i - 0.45, i + 0.45, colors="black", linewidth=2,
                  label=t("external.legend.text", lang) if i == 0 else "_nolegend_")
    labels = [f"{c} ({int(gdp[gdp['claim_id'] == c]['year'].iloc[0])})" for c in claims]
    ax.set_xticks(range(len(claims)))
    ax.set_xticklabels(labels)
    number_axis(ax.yaxis, lang, decimals=1)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.5)  # room for the legend above the bars
    ax.set_ylabel(t("external.axis.trillion", lang))
    ax.legend(frameon=False, fontsize=7, ncol=2, loc="upper left")
    return finish(fig, lang)


def production(prod: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Kazakhstan's oil (left axis) and gas (right axis) production."""
    fig, ax = figure_and_axes(ax, SIZE)
    ax.plot(prod["year"], prod["oil_mt"], "-o", markersize=3, label=t("external.axis.oil_mt",
                                                                       lang))
    right = ax.twinx()
    right.plot(prod["year"], prod["gas_bcm"], "-s", markersize=3, color="tab:orange",
               label=t("external.axis.gas_bcm", lang))
    ax.set_ylabel(t("external.axis.oil_mt", lang))
    right.set_ylabel(t("external.axis.gas_bcm", lang))
    ax.set_xlabel(t("year", lang))
    year_axis(ax.xaxis)
    ax.grid(alpha=0.3)
    return finish(fig, lang)


def vintages(rev: pd.DataFrame, codes: list[str], lang: str, ax: Axes | None = None) -> Figure:
    """Revision of GDP (%) between two vintages, per country and for the OTS total."""
    fig, ax = figure_and_axes(ax, SIZE)
    for code in codes:
        part = rev[rev["iso3"] == code]
        ax.plot(part["year"], part["revision_pct"], "-" if code == "OTS" else ":",
                linewidth=2.5 if code == "OTS" else 1.2, label=code)
    ax.axhline(0, color="black", linewidth=0.8)
    year_axis(ax.xaxis)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("external.axis.revision", lang))
    ax.legend(frameon=False, fontsize=8, ncol=3)
    ax.grid(alpha=0.3)
    return finish(fig, lang)
