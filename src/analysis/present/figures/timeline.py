"""The OTS timeline figure, drawn in parts so that every event's name can be read.

Fifty-nine events (and counting) do not fit one readable panel: at one row per event the
labels either shrink below reading size or are cut. :data:`PERIODS` splits the timeline at
the years the events were first told, each part its own panel with a scale that fits its
years; the event names are wrapped at word boundaries (never cut), and the figure grows
taller with the events rather than shrinking its fonts.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.analyses.timeline import (
    consistency,
    date_decimal,
    first_told_between,
    load,
    undated,
)
from analysis.present import numbers
from analysis.present.figures.axes import figure_and_panels, finish, year_axis
from analysis.present.i18n import t

#: The parts of the timeline (first and last year in which an event is first told), one
#: panel each: from the first summits to the years of the Turkic Council, then from 2013 on.
PERIODS: tuple[tuple[int | None, int | None], ...] = ((None, 2012), (2013, None))
#: Characters per line of an event's name; longer names wrap onto more lines.
LABEL_WIDTH = 56
ROW_INCHES = 0.44


def event_label(name: str, inconsistent: bool) -> str:
    """An event's name wrapped at word boundaries, ``⚠`` first when its dates disagree."""
    text = ("⚠ " if inconsistent else "") + name
    return "\n".join(textwrap.wrap(text, LABEL_WIDTH, break_long_words=False)) or text


def years_text(cons: pd.DataFrame) -> str:
    """The years in which a part's events are first told, ``1990–2012``."""
    years = sorted(int(y) for y in cons["first_year"].dropna())
    return f"{years[0]}–{years[-1]}" if years else ""


def _draw_part(ax: Axes, events: pd.DataFrame, cons: pd.DataFrame, lang: str) -> None:
    """One part: every telling as a dot at its date, one row per event (earliest at the
    top); events whose tellings disagree in red, their tellings joined by a line."""
    labels = []
    for i, c in enumerate(cons.itertuples()):
        grp = events[events["event_key"] == c.event_key]
        xs = [date_decimal(r.year, r.month, r.day) for r in grp.itertuples()]
        xs = [x for x in xs if not np.isnan(x)]
        color = "tab:red" if c.inconsistent else "tab:blue"
        if c.inconsistent and xs:
            ax.plot([min(xs), max(xs)], [i, i], color=color, lw=1, alpha=0.6)
        ax.plot(xs, [i] * len(xs), "o", ms=5, color=color, alpha=0.8)
        labels.append(event_label(str(getattr(c, f"event_{lang}")), bool(c.inconsistent)))
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=9)
    for tick, bad in zip(ax.get_yticklabels(), cons["inconsistent"], strict=True):
        tick.set_color("tab:red" if bad else "black")
    ax.set_ylim(len(labels) - 0.4, -0.6)
    year_axis(ax.xaxis)
    ax.set_xlabel(t("year", lang))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(t("overview.timeline.part", lang, years=years_text(cons)), loc="left",
                 fontsize=10.5)


def plot_timeline(events: pd.DataFrame | None, lang: str,
                  ax: Sequence[Axes] | None = None) -> Figure:
    """The timeline in :data:`PERIODS` parts, one panel each with its own scale of years
    (``ax``: one axes per part); the figure is as tall as its events need."""
    events = load() if events is None else events
    cons = consistency(events)
    parts = [first_told_between(cons, *period) for period in PERIODS]
    sizes = [max(len(part), 1) for part in parts]
    fig, panels = figure_and_panels(ax, len(parts), nrows=len(parts), ncols=1,
                                    figsize=(11, ROW_INCHES * sum(sizes) + 1.6 * len(parts)),
                                    gridspec_kw={"height_ratios": sizes})
    for panel, part in zip(panels, parts, strict=True):
        _draw_part(panel, events, part, lang)
    panels[0].plot([], [], "o", color="tab:red", label=t("overview.timeline.inconsistent", lang))
    panels[0].plot([], [], "o", color="tab:blue", label=t("overview.timeline.consistent", lang))
    panels[0].legend(frameon=True, fontsize=9, loc="lower left")
    height = fig.get_figheight()
    title = t("overview.fig.timeline", lang, undated=numbers.number(undated(cons), lang))
    fig.suptitle(title, fontsize=12, fontweight="bold",
                 y=1 - 0.12 / height, va="top")
    finish(fig, lang)
    if ax is None:  # room for the figure's title above the first panel's own (in inches)
        fig.subplots_adjust(top=1 - 0.95 / height)
    return fig
