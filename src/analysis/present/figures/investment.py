"""Figures of the investment analysis (Кесте 8, Кесте 6, the text)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import growth
from analysis.investment import SERIES, merged_with_trade
from analysis.present.figures.trade import plain_log_axis
from analysis.present.i18n import t


def plot_flows(fl: pd.DataFrame, lang: str):
    """Inflows and outflows (bars) and the number of projects (line, right axis)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
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
    ax.set_xticks(x)
    ax.set_title(t("inv.fig.flows", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, frameon=False, loc="upper left")
    fig.tight_layout()
    return fig


def plot_trend(frame: pd.DataFrame, lang: str, ci_level: float = 0.95):
    """Inflows and outflows on a log scale with their least-squares lines: on a log scale a
    constant growth rate is a straight line, so the two slopes can be compared by eye."""
    import matplotlib.pyplot as plt

    years = frame["year"].astype(int).to_numpy()
    grid = np.linspace(years.min(), years.max(), 50)
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, color in (("tr_to_kz", "tab:blue"), ("kz_to_tr", "tab:orange")):
        col = SERIES[key]
        fit = growth.loglinear_growth(frame["year"], frame[col], ci_level, key)
        ax.plot(years, frame[col].astype(float), "o", color=color,
                label=t(f"inv.q.{key}", lang))
        ax.plot(grid, np.exp(fit.intercept + fit.coef * grid), color=color, ls="--",
                label=t("inv.fit_line", lang, rate=f"{fit.growth * 100:.1f}"))
    ax.set_yscale("log")
    plain_log_axis(ax.yaxis)
    ax.set_xticks(years)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("inv.log_axis", lang))
    ax.set_title(t("inv.fig.trend", lang))
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def plot_trade_vs_investment(trade: pd.DataFrame, inv: pd.DataFrame, fit: growth.SlopeFit,
                             lang: str):
    """Turnover against inflow on log–log axes, with the fitted line; points labelled by year."""
    import matplotlib.pyplot as plt

    m = merged_with_trade(trade, inv)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(m["tr_to_kz_musd"], m["trade_total_musd"], "o", color="tab:blue")
    for _, r in m.iterrows():
        ax.annotate(str(int(r["year"])), (r["tr_to_kz_musd"], r["trade_total_musd"]),
                    xytext=(4, 3), textcoords="offset points", fontsize=8)
    grid = np.linspace(m["tr_to_kz_musd"].min() * 0.95, m["tr_to_kz_musd"].max() * 1.05, 50)
    ax.plot(grid, np.exp(fit.intercept) * grid**fit.coef, color="tab:orange",
            label=t("inv.elasticity_line", lang, b=f"{fit.coef:.2f}"))
    ax.set_xscale("log")
    ax.set_yscale("log")
    plain_log_axis(ax.xaxis)
    plain_log_axis(ax.yaxis)
    ax.set_xlabel(t("inv.inflow_axis", lang))
    ax.set_ylabel(t("inv.trade_axis", lang))
    ax.set_title(t("inv.fig.scatter", lang))
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def plot_text_vs_tables(cmp: pd.DataFrame, lang: str):
    """Text figures against their table counterparts (log scale: they differ by up to 10×)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    if cmp.empty:
        ax.text(0.5, 0.5, t("inv.no_claims", lang), ha="center", va="center")
        ax.set_axis_off()
        return fig
    labels = []
    for i, (_, r) in enumerate(cmp.iterrows()):
        ax.plot([r["table_value"], r["text_value"]], [i, i], color="grey", lw=1)
        ax.plot(r["table_value"], i, "s", color="tab:blue")
        ax.plot(r["text_value"], i, "D", color="tab:red")
        labels.append(f"{r['quantity_key']} · {r['table']}: {r['table_what']}")
    ax.plot([], [], "s", color="tab:blue", label=t("inv.table_value", lang))
    ax.plot([], [], "D", color="tab:red", label=t("inv.text_value", lang))
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel(t("inv.mixed_axis", lang))
    ax.set_title(t("inv.fig.text", lang))
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
