"""The OTS timeline figure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.present.i18n import t
from analysis.timeline import consistency, date_decimal, load


def plot_timeline(events: pd.DataFrame | None, lang: str, max_events: int | None = None):
    """Every telling as a dot at its date, one row per event (earliest at the top); events
    whose tellings disagree in red, their tellings joined by a line."""
    import matplotlib.pyplot as plt

    events = load() if events is None else events
    cons = consistency(events)
    if max_events is not None:
        cons = cons.head(max_events)
    fig, ax = plt.subplots(figsize=(10, max(4.0, 0.2 * len(cons) + 1.5)))
    name_col = "event_kk" if lang == "kk" else "event_en"
    labels = []
    for i, c in enumerate(cons.itertuples()):
        grp = events[events["event_key"] == c.event_key]
        xs = [date_decimal(r.year, r.month, r.day) for r in grp.itertuples()]
        xs = [x for x in xs if not np.isnan(x)]
        color = "tab:red" if c.inconsistent else "tab:blue"
        if c.inconsistent and xs:
            ax.plot([min(xs), max(xs)], [i, i], color=color, lw=1, alpha=0.6)
        ax.plot(xs, [i] * len(xs), "o", ms=4, color=color, alpha=0.8)
        label = str(getattr(c, name_col))
        label = label if len(label) <= 60 else label[:57] + "…"
        labels.append(("⚠ " if c.inconsistent else "") + label)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=6)
    for tick, bad in zip(ax.get_yticklabels(), cons["inconsistent"], strict=True):
        tick.set_color("tab:red" if bad else "black")
    ax.invert_yaxis()
    ax.set_xlabel(t("year", lang))
    ax.grid(axis="x", alpha=0.3)
    ax.plot([], [], "o", color="tab:red", label=t("overview.timeline.inconsistent", lang))
    ax.plot([], [], "o", color="tab:blue", label=t("overview.timeline.consistent", lang))
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    ax.set_title(t("overview.fig.timeline", lang))
    fig.tight_layout()
    return fig
