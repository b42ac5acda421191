"""Figures of the seminar notebooks."""

from __future__ import annotations

import pandas as pd

from analysis.data.parse import parse_number
from analysis.present.i18n import t
from analysis.seminar import EXHIBIT_PAIRS, consortium_check


def plot_growth(table: pd.DataFrame, lang: str):
    """Left: turnover by year. Right: printed growth (bars) and recomputed growth (marks)."""
    import matplotlib.pyplot as plt

    from analysis.present.numbers import number

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.0))
    years = table["year"].astype(str)
    left.bar(years, table["total"], color="#4C72B0", label=t("sem_turnover", lang))
    left.set_xlabel(t("year", lang))
    left.set_ylabel(t("usd_million", lang))
    left.set_title(t("sem_turnover", lang), fontsize=10.5)
    growth = table.dropna(subset=["growth_recomputed"])
    printed = [float(parse_number(text).value) for text in growth["growth_printed"]]
    x = growth["year"].astype(str)
    right.bar(x, printed, color="#DD8452", label=t("sem_growth_printed", lang))
    right.plot(x, growth["growth_recomputed"].astype(float), linestyle="none", marker="D",
               color="black", label=t("recomputed", lang))
    for xi, value in zip(x, growth["growth_recomputed"].astype(float), strict=True):
        right.annotate(number(value, lang, 2), (xi, value), xytext=(0, 6 if value >= 0 else -12),
                       textcoords="offset points", ha="center", fontsize=8)
    right.axhline(0, color="black", linewidth=0.8)
    right.set_ylim(min(0, min(printed)) - 4, max(printed) + 6)
    right.set_xlabel(t("year", lang))
    right.set_ylabel(t("sem_growth_axis", lang))
    right.set_title(t("sem_growth_panel", lang), fontsize=10.5)
    right.legend(loc="upper left", fontsize=8)
    fig.suptitle(t("sem_growth_title", lang), fontweight="bold")
    fig.tight_layout()
    return fig


def plot_shares(consortium: pd.DataFrame, lang: str):
    """Кесте 3's printed shares stacked in one bar, with the gap to 100 % shown hatched."""
    import matplotlib.pyplot as plt

    from analysis.present.numbers import number

    check = consortium_check(consortium)
    frame = consortium.sort_values("share_value", ascending=False, kind="stable")
    fig, ax = plt.subplots(figsize=(10, 3.0))
    left = 0.0
    colours = plt.get_cmap("tab10").colors
    for i, (_, row) in enumerate(frame.iterrows()):
        ax.barh(0, row["share_value"], left=left, color=colours[i % 10],
                label=f"{row[f'company_{lang}']} ({row['share_printed']})")
        left += float(row["share_value"])
    gap_label = t("sem_gap", lang, gap=number(float(check.gap), lang, 2))
    ax.barh(0, float(check.gap), left=left, color="white", edgecolor="#C44E52",
            hatch="///", label=gap_label)
    ax.axvline(100, color="black", linewidth=1)
    ax.set_xlim(0, 101)
    ax.set_yticks([])
    ax.set_xlabel(t("sem_share_axis", lang))
    ax.set_title(t("sem_shares_title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.02), fontsize=7.5)
    fig.tight_layout()
    return fig


def plot_intervals(table: pd.DataFrame, widths: pd.DataFrame, lang: str):
    """Left: each option's interval at the assumed N. Right: interval width against N."""
    import matplotlib.pyplot as plt

    n = int(table["n"].iloc[0])
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 4.0),
                                      gridspec_kw={"width_ratios": [1.3, 1]})
    y = range(len(table))
    left.errorbar(table["percent"], list(y),
                  xerr=[table["percent"] - table["low"], table["high"] - table["percent"]],
                  fmt="o", capsize=4, color="#4C72B0")
    left.set_yticks(list(y), table[f"option_{lang}"])
    left.invert_yaxis()
    left.set_xlabel(t("sem_share_axis", lang))
    left.set_title(t("sem_intervals_title", lang, n=n) + f" ({t('sem_wilson', lang)})",
                   fontsize=10.5)
    right.plot(widths["n"], widths["width_pp"], marker="o", color="#55A868")
    current = widths[widths["n"] == n]
    right.plot(current["n"], current["width_pp"], marker="o", markersize=11,
               linestyle="none", color="#C44E52", label=t("sem_assumed_n", lang, n=n))
    right.set_xscale("log")
    right.set_xticks(list(widths["n"]), [str(v) for v in widths["n"]], fontsize=8)
    right.minorticks_off()
    right.set_xlabel(t("sem_sample_size", lang))
    right.set_ylabel(t("sem_width_axis", lang))
    right.set_title(t("sem_width_title", lang), fontsize=10.5)
    right.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


def plot_exhibits(comparison: pd.DataFrame, lang: str):
    """Grouped bars: Кесте 6 and Кесте 7 side by side for exports, imports and turnover."""
    import matplotlib.pyplot as plt

    quantities = list(EXHIBIT_PAIRS)
    years = sorted(comparison["year"].unique())
    fig, axes = plt.subplots(1, len(quantities), figsize=(10, 3.8), sharey=True)
    for ax, quantity in zip(axes, quantities, strict=True):
        part = comparison[comparison["quantity"] == quantity].set_index("year").loc[years]
        x = range(len(years))
        ax.bar([i - 0.2 for i in x], part["k6"], width=0.4, color="#DD8452",
               label=t("sem_k6", lang))
        ax.bar([i + 0.2 for i in x], part["k7"], width=0.4, color="#4C72B0",
               label=t("sem_k7", lang))
        ax.set_xticks(list(x), [str(y) for y in years])
        ax.set_title(t(f"sem_{quantity}", lang), fontsize=10.5)
    axes[0].set_ylabel(t("usd_million", lang))
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(t("sem_exhibits_title", lang), fontweight="bold")
    fig.tight_layout()
    return fig
