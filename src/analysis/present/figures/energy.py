"""Figures of the energy analysis (Кесте 3, Кесте 4, consortium stakes in the text).

Each function takes the data, ``lang`` and ``ax=None`` and returns the figure (see
:mod:`analysis.present.figures.axes`). Companies are named by their label
(``energy.company.<key>``), never by the data's key.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.analyses.energy import share_sum, text_stakes
from analysis.present import numbers
from analysis.present.figures.axes import figure_and_axes, figure_and_panels, finish
from analysis.present.i18n import t


def company_name(key: str, lang: str) -> str:
    return t(f"energy.company.{key}", lang)


def _value_labels(ax: Axes, ys: Sequence[float], values: Sequence[float],
                  texts: Sequence[str]) -> None:
    """The printed share at the end of each bar (in the reader's notation)."""
    for y, v, text in zip(ys, values, texts, strict=True):
        if text and not numbers.is_missing(v):
            ax.text(float(v) + 0.3, y, text, va="center", fontsize=8)


def plot_shares(shares: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Кесте 3 as horizontal bars, largest first, with the 7.17 points no company holds."""
    s = share_sum(shares)
    data = shares.sort_values(["share_pct", "row"], ascending=[True, False], kind="stable")
    names = list(data[f"company_{lang}"])
    values = list(data["share_pct"])
    colors = ["tab:red" if k == "tpao" else "tab:blue" for k in data["company_key"]]
    fig, ax = figure_and_axes(ax, (7, 4.5))
    ax.barh([t("energy.unassigned", lang)], [s["gap_pct"]], color="lightgrey",
            edgecolor="grey", hatch="//")
    ax.barh(names, values, color=colors)
    texts = [numbers.percent(s["gap_pct"], lang, 2),
             *(numbers.as_printed(p, lang) for p in data["share_printed"])]
    _value_labels(ax, range(len(values) + 1), [s["gap_pct"], *values], texts)
    ax.set_xlabel(t("energy.share_axis", lang))
    ax.set_title(t("energy.fig.k3", lang, total=numbers.number(s["sum_pct"], lang, 2)))
    ax.set_xlim(0, max(values) * 1.2)
    return finish(fig, lang)


def plot_stakes_vs_k3(cmp: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Кесте 3 and the text (line 675) side by side for each company."""
    labels = [company_name(c, lang) for c in cmp["company"]]
    y = np.arange(len(cmp))
    fig, ax = figure_and_axes(ax, (7, 4.8))
    ax.barh(y - 0.2, cmp["k3_pct"].fillna(0), height=0.4, label=t("energy.src.k3", lang))
    ax.barh(y + 0.2, cmp["text_pct"].fillna(0), height=0.4, color="tab:red",
            label=t("energy.src.text675", lang))
    for offset, value_col, printed_col in ((-0.2, "k3_pct", "k3_printed"),
                                           (0.2, "text_pct", "text_printed")):
        texts = [numbers.as_printed(p, lang) if isinstance(p, str) else ""
                 for p in cmp[printed_col]]
        _value_labels(ax, list(y + offset), list(cmp[value_col]), texts)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, float(np.nanmax(cmp[["k3_pct", "text_pct"]].to_numpy(dtype=float))) * 1.2)
    ax.set_xlabel(t("energy.share_axis", lang))
    ax.set_title(t("energy.fig.k3_text", lang))
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return finish(fig, lang)


def plot_routes(rt: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Кесте 4's route shares stacked in one bar: ≈80 + ≈20 reach 100 before the third."""
    fig, ax = figure_and_axes(ax, (7, 3.3))
    left = 0.0
    colors = ["tab:blue", "tab:orange", "tab:green"]
    for i, (_, r) in enumerate(rt.iterrows()):
        width = r["share_pct"] if not np.isnan(r["share_pct"]) else 5.0
        hatch = "//" if np.isnan(r["share_pct"]) else None
        ax.barh([0], [width], left=left, color=colors[i % 3], hatch=hatch, edgecolor="black",
                label=f"{r[f'route_{lang}']}: {numbers.as_printed(r[f'share_{lang}'], lang)}")
        left += width
    ax.axvline(100, color="red", ls="--")
    ax.set_ylim(-0.5, 0.8)
    ax.text(100.8, 0.48, numbers.percent(100, lang, 0), color="red", fontsize=8, va="bottom")
    ax.set_xlim(0, 112)
    ax.set_yticks([])
    ax.set_xlabel(t("energy.share_axis", lang))
    ax.set_title(t("energy.fig.routes", lang))
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.32),
              ncol=3, title=t("energy.small_share_note", lang), title_fontsize=8)
    return finish(fig, lang)


def _stake_labels(grp: pd.DataFrame, lang: str) -> list[str]:
    """Company (source line); a company the text gives twice also gets the claim id."""
    dup = grp["company"].duplicated(keep=False)
    return [f"{company_name(r['company'], lang)} ({r['source_line']}"
            + (f", {r['claim_id']})" if twice else ")")
            for (_, r), twice in zip(grp.iterrows(), dup, strict=True)]


def plot_project_stakes(claims: pd.DataFrame | None, lang: str,
                        ax: Sequence[Axes] | None = None) -> Figure:
    """The text's stakes per project, one panel each on the same 0–100 % scale (so a lone
    19 % stake looks like 19 %, not like a whole project); a company given two different
    stakes in red. ``ax``: one axes per project."""
    txt = text_stakes(claims)
    projects = list(dict.fromkeys(txt["project"]))
    sizes = [int((txt["project"] == p).sum()) + 1 for p in projects] or [1]
    fig, panels = figure_and_panels(ax, len(sizes), nrows=len(sizes), ncols=1, sharex=True,
                                    figsize=(8.5, 1.4 + 0.3 * sum(sizes)),
                                    gridspec_kw={"height_ratios": sizes})
    for panel, project in zip(panels, projects, strict=False):
        grp = txt[txt["project"] == project].reset_index(drop=True)
        dup = grp["company"].duplicated(keep=False)
        y = np.arange(len(grp))
        panel.barh(y, grp["stake_pct"], color=np.where(dup, "tab:red", "tab:blue"))
        _value_labels(panel, list(y), list(grp["stake_pct"]),
                      [numbers.as_printed(p, lang) for p in grp["number_printed"]])
        panel.set_yticks(y)
        panel.set_yticklabels(_stake_labels(grp, lang), fontsize=8.5)
        panel.set_ylim(len(grp) - 0.5, -0.6)
        total = grp.drop_duplicates("company")["stake_pct"].sum()
        share = numbers.percent(total, lang, numbers.tick_decimals([total]))
        panel.set_title(f"{t(f'energy.project.{project}', lang)}: Σ = {share}", fontsize=9.5,
                        loc="left")
        panel.set_xlim(0, 100)
    panels[-1].set_xlabel(t("energy.share_axis", lang))
    fig.suptitle(t("energy.fig.projects", lang), fontsize=11)
    return finish(fig, lang)
