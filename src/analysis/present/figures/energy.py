"""Figures of the energy analysis (Кесте 3, Кесте 4, consortium stakes in the text)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.energy import share_sum, text_stakes
from analysis.present.i18n import labels as labels_dict
from analysis.present.i18n import t


def plot_shares(shares: pd.DataFrame, lang: str):
    """Кесте 3 as horizontal bars, largest first, with the 7.17 points no company holds."""
    import matplotlib.pyplot as plt

    s = share_sum(shares)
    data = shares.sort_values(["share_pct", "row"], ascending=[True, False], kind="stable")
    names = list(data[f"company_{lang}"])
    values = list(data["share_pct"])
    colors = ["tab:red" if k == "tpao" else "tab:blue" for k in data["company_key"]]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.barh([t("energy.unassigned", lang)], [s["gap_pct"]], color="lightgrey",
            edgecolor="grey", hatch="//")
    ax.barh(names, values, color=colors)
    for y, v in enumerate([s["gap_pct"], *values]):
        ax.text(v + 0.2, y, f"{v:g}%", va="center", fontsize=8)
    ax.set_xlabel(t("energy.share_axis", lang))
    ax.set_title(t("energy.fig.k3", lang, total=f"{s['sum_pct']:.2f}"))
    ax.set_xlim(0, max(values) * 1.2)
    fig.tight_layout()
    return fig


def plot_stakes_vs_k3(cmp: pd.DataFrame, lang: str):
    """Кесте 3 and the text (line 675) side by side for each company."""
    import matplotlib.pyplot as plt

    labels = [r["company_en"] if isinstance(r["company_en"], str) else r["company"]
              for _, r in cmp.iterrows()]
    y = np.arange(len(cmp))
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.barh(y - 0.2, cmp["k3_pct"].fillna(0), height=0.4, label=t("energy.src.k3", lang))
    ax.barh(y + 0.2, cmp["text_pct"].fillna(0), height=0.4, color="tab:red",
            label=t("energy.src.text675", lang))
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(t("energy.share_axis", lang))
    ax.set_title(t("energy.fig.k3_text", lang))
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def plot_routes(rt: pd.DataFrame, lang: str):
    """Кесте 4's route shares stacked in one bar: ≈80 + ≈20 reach 100 before the third."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 2.8))
    left = 0.0
    colors = ["tab:blue", "tab:orange", "tab:green"]
    for i, (_, r) in enumerate(rt.iterrows()):
        width = r["share_pct"] if not np.isnan(r["share_pct"]) else 5.0
        hatch = "//" if np.isnan(r["share_pct"]) else None
        ax.barh([0], [width], left=left, color=colors[i % 3], hatch=hatch, edgecolor="black",
                label=f"{r[f'route_{lang}']}: {r[f'share_{lang}']}")
        left += width
    ax.axvline(100, color="red", ls="--")
    ax.text(100.5, 0.45, "100%", color="red", fontsize=8)
    ax.set_xlim(0, 112)
    ax.set_yticks([])
    ax.set_xlabel(t("energy.share_axis", lang))
    ax.set_title(t("energy.fig.routes", lang))
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.35),
              ncol=3, title=t("energy.small_share_note", lang), title_fontsize=7)
    fig.tight_layout()
    return fig


def plot_project_stakes(claims: pd.DataFrame | None, lang: str):
    """The text's stakes per project (one panel each), repeated tellings side by side."""
    import matplotlib.pyplot as plt

    txt = text_stakes(claims)
    projects = list(dict.fromkeys(txt["project"]))
    fig, axes = plt.subplots(1, max(len(projects), 1), figsize=(12, 3.6), squeeze=False)
    for ax, project in zip(axes[0], projects, strict=False):
        grp = txt[txt["project"] == project].reset_index(drop=True)
        labels = [f"{r['company']} ({r['source_line']}, {r['claim_id']})"
                  for _, r in grp.iterrows()]
        dup = grp["company"].duplicated(keep=False)
        ax.barh(labels, grp["stake_pct"], color=np.where(dup, "tab:red", "tab:blue"))
        ax.invert_yaxis()
        key = f"energy.project.{project}"
        name = t(key, lang) if key in labels_dict() else project
        total = grp.drop_duplicates("company")["stake_pct"].sum()
        ax.set_title(f"{name}\nΣ = {total:g}%", fontsize=9)
        ax.tick_params(labelsize=7)
    fig.suptitle(t("energy.fig.projects", lang))
    fig.tight_layout()
    return fig
