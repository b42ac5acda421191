"""The OTS timeline figure, drawn in parts so that every event's name can be read.

Fifty-nine events (and counting) do not fit one readable chart: at one row per event the
labels either shrink below reading size or are cut. :data:`PERIODS` splits the timeline at
the years the events were first told, each part its own figure, with the event names
wrapped at word boundaries (never cut) and a scale that fits the part's years.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.present.figures.axes import figure_and_axes, finish, year_axis
from analysis.present.i18n import t
from analysis.timeline import consistency, date_decimal, first_told_between, load

#: The parts of the timeline (first and last year in which an event is first told):
#: from the first summits to the years of the Turkic Council, then from 2013 on.
PERIODS: tuple[tuple[int | None, int | None], ...] = ((None, 2012), (2013, None))
#: The output name of each part (the first keeps the name of the former single chart).
OUTPUT_NAMES = ("ots_timeline", "ots_timeline_2013")
#: Characters per line of an event's name; longer names wrap onto more lines.
LABEL_WIDTH = 56
ROW_INCHES = 0.44


def event_label(name: str, inconsistent: bool) -> str:
    """An event's name wrapped at word boundaries, ``⚠`` first when its dates disagree."""
    text = ("⚠ " if inconsistent else "") + name
    return "\n".join(textwrap.wrap(text, LABEL_WIDTH, break_long_words=False)) or text


def plot_timeline(events: pd.DataFrame | None, lang: str,
                  period: tuple[int | None, int | None] = (None, None),
                  ax: Axes | None = None) -> Figure:
    """Every telling as a dot at its date, one row per event first told within ``period``
    (earliest at the top); events whose tellings disagree in red, their tellings joined by
    a line."""
    events = load() if events is None else events
    cons = first_told_between(consistency(events), *period)
    fig, ax = figure_and_axes(ax, (11, max(4.0, ROW_INCHES * len(cons) + 2.0)))
    name_col = f"event_{lang}"
    labels = []
    for i, c in enumerate(cons.itertuples()):
        grp = events[events["event_key"] == c.event_key]
        xs = [date_decimal(r.year, r.month, r.day) for r in grp.itertuples()]
        xs = [x for x in xs if not np.isnan(x)]
        color = "tab:red" if c.inconsistent else "tab:blue"
        if c.inconsistent and xs:
            ax.plot([min(xs), max(xs)], [i, i], color=color, lw=1, alpha=0.6)
        ax.plot(xs, [i] * len(xs), "o", ms=5, color=color, alpha=0.8)
        labels.append(event_label(str(getattr(c, name_col)), bool(c.inconsistent)))
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=9)
    for tick, bad in zip(ax.get_yticklabels(), cons["inconsistent"], strict=True):
        tick.set_color("tab:red" if bad else "black")
    ax.set_ylim(len(labels) - 0.4, -0.6)
    year_axis(ax.xaxis)
    ax.set_xlabel(t("year", lang))
    ax.grid(axis="x", alpha=0.3)
    ax.plot([], [], "o", color="tab:red", label=t("overview.timeline.inconsistent", lang))
    ax.plot([], [], "o", color="tab:blue", label=t("overview.timeline.consistent", lang))
    ax.legend(frameon=True, fontsize=9, loc="lower left")
    ax.set_title(t("overview.fig.timeline_part", lang, years=years_text(cons)))
    return finish(fig, lang)


def years_text(cons: pd.DataFrame) -> str:
    """The years in which a part's events are first told, ``1990–2012``."""
    years = sorted(int(y) for y in cons["first_year"].dropna())
    return f"{years[0]}–{years[-1]}" if years else ""


def timeline_parts(events: pd.DataFrame | None,
                   lang: str) -> list[tuple[str, Figure, dict[str, object]]]:
    """Each part of the timeline: its output name, its figure and its caption's fields."""
    events = load() if events is None else events
    cons = consistency(events)
    return [(name, plot_timeline(events, lang, period),
             {"years": years_text(first_told_between(cons, *period))})
            for name, period in zip(OUTPUT_NAMES, PERIODS, strict=True)]
