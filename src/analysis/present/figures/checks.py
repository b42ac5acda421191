"""Figures of the claims ledger."""

from __future__ import annotations

import pandas as pd

from analysis.checks.core import CONTRADICTED, REPRODUCED, UNTESTABLE, WITHIN
from analysis.checks.ledger import counts
from analysis.present import i18n
from analysis.present.tables.checks import status_label


def plot_status_counts(ledger: pd.DataFrame, lang: str):
    """Horizontal bars of rows per status, coloured as in ledger.html."""
    import matplotlib.pyplot as plt

    c = counts(ledger)
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    names = [status_label(s, lang) for s in c]
    colours = {REPRODUCED: "#4daf4a", WITHIN: "#e6ab02", CONTRADICTED: "#e41a1c",
               UNTESTABLE: "#999999"}
    bars = ax.barh(names[::-1], list(c.values())[::-1],
                   color=[colours[s] for s in list(c)[::-1]])
    for bar, n in zip(bars, list(c.values())[::-1], strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {n}", va="center")
    ax.set_title(i18n.t("checks.fig.counts.title", lang))
    ax.set_xlabel(i18n.t("checks.fig.counts.x", lang))
    ax.set_xlim(0, max(c.values()) * 1.12 if any(c.values()) else 1)
    fig.tight_layout()
    return fig
