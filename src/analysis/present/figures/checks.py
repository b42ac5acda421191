"""Figures of the claims ledger (``05_checks``): rows per status, and per kind and status."""

from __future__ import annotations

from decimal import Decimal

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    STATUSES,
    UNTESTABLE,
    WITHIN,
)
from analysis.checks.ledger import counts, kind_table
from analysis.present import i18n
from analysis.present.numbers import number
from analysis.present.tables.checks import kind_label, status_label

#: One colour per status for the ledger's bar charts (the site's ledger page tints its rows
#: with paler shades of the same hues, run/site/ledger.py STATUS_COLOURS).
COLOURS = {REPRODUCED: "#4daf4a", WITHIN: "#e6ab02", PLAUSIBLE: "#80b1d3",
           NOT_DECISIVE: "#bc80bd", CONTRADICTED: "#e41a1c", UNTESTABLE: "#999999"}


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig, new = plt.subplots(figsize=size)
    return fig, new


def plot_status_counts(ledger: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Horizontal bars of rows per status, coloured as in ledger.html."""
    fig, ax = _axes(ax, (7.5, 3.0))
    c = counts(ledger)
    names = [status_label(s, lang) for s in c][::-1]
    values = list(c.values())[::-1]
    bars = ax.barh(names, values, color=[COLOURS[s] for s in list(c)[::-1]])
    for bar, n in zip(bars, values, strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                f" {number(Decimal(n), lang, 0)}", va="center")
    ax.set_title(i18n.t("checks.fig.counts.title", lang))
    ax.set_xlabel(i18n.t("checks.fig.counts.x", lang))
    ax.set_xlim(0, max(values) * 1.12 if any(values) else 1)
    fig.tight_layout()
    return fig


def plot_kind_counts(ledger: pd.DataFrame, lang: str, ax: Axes | None = None) -> Figure:
    """Stacked horizontal bars: rows per kind of check (most serious kinds on top), split
    by status."""
    tab = kind_table(ledger).iloc[::-1].reset_index(drop=True)
    fig, ax = _axes(ax, (8.0, 0.45 * len(tab) + 1.6))
    left = pd.Series(0, index=tab.index, dtype=float)
    names = [kind_label(k, lang) for k in tab["kind"]]
    for status in STATUSES:
        ax.barh(names, tab[status], left=left, color=COLOURS[status],
                label=status_label(status, lang))
        left += tab[status]
    ax.set_xlabel(i18n.t("checks.fig.counts.x", lang))
    ax.set_title(i18n.t("checks.fig.kinds.title", lang))
    ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    return fig
