"""What every figure shares: axes to draw on, and tick labels in the reader's notation.

Why: a Kazakh figure must write ``2,5`` and ``12 000`` on its axes, an English one ``2.5``
and ``12,000``, exactly as the tables and sentences of the same notebook do. Matplotlib's
default formatter knows neither (``12000``, ``2.5`` and ``10²`` everywhere), so each figure
function ends with :func:`finish`, which hands every plain numeric axis to
:class:`NumberFormatter` (built on :mod:`analysis.present.numbers`). Year axes are marked with
:func:`year_axis` (a year is a label: ``2018``, never ``2 018``), logarithmic ones with
:func:`log_axis` (``1 500``, ``2 000`` instead of powers of ten).

Every figure function takes ``ax=None``: given axes it draws on them (so figures can be
combined), otherwise it makes its own figure; either way it returns the figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import (
    FixedLocator,
    Formatter,
    LogFormatterSciNotation,
    LogLocator,
    MaxNLocator,
    NullFormatter,
    ScalarFormatter,
)

from analysis.present import numbers

#: Steps between labelled years when the figure does not name them: 2000, 2005, 2010 rather
#: than 2001, 2004, 2007.
YEAR_STEPS = (1, 2, 5, 10)
#: Mantissas of the labelled ticks on a log axis (1 000, 1 500, 2 000, 2 500, 3 000, ...),
#: for an axis spanning less than a power of ten ...
LOG_SUBS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)
#: ... for one spanning several (10, 20, 50, 100, ...) ...
WIDE_LOG_SUBS = (1.0, 2.0, 5.0)
#: ... and for a narrow figure spanning several (10, 30, 100, 300, ...).
DECADE_LOG_SUBS = (1.0, 3.0)


class NumberFormatter(Formatter):
    """Tick labels in ``lang``'s notation, with the fewest decimals that tell the ticks
    apart (``0 2,5 5,0``) or, given ``decimals``, that many; ``suffix`` is appended (``%``);
    ``group`` adds the thousands separator."""

    def __init__(self, lang: str, suffix: str = "", group: bool = True,
                 decimals: int | None = None) -> None:
        self.lang = lang
        self.suffix = suffix
        self.group = group
        self.decimals = decimals
        self.ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        """Remember the tick values about to be labelled (they decide the decimals)."""
        self.ticks = [float(v) for v in locs if np.isfinite(v)]

    def __call__(self, x: float, pos: int | None = None) -> str:
        places = (self.decimals if self.decimals is not None
                  else numbers.tick_decimals(self.ticks or [x]))
        return numbers.number(x, self.lang, places, group=self.group) + self.suffix


class YearFormatter(Formatter):
    """A year as a label: no thousands separator, no decimals."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return str(int(round(x)))


def figure_and_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """``ax`` and its figure, or a new figure of ``figsize`` with one axes."""
    if ax is not None:
        fig = ax.get_figure()
        assert isinstance(fig, Figure)
        return fig, ax
    fig, new = plt.subplots(figsize=figsize)
    return fig, new


def figure_and_panels(ax: Sequence[Axes] | None, n: int, **subplots: object
                      ) -> tuple[Figure, list[Axes]]:
    """``n`` panels: the axes given (exactly ``n`` of them) or a new figure's."""
    if ax is not None:
        panels = list(ax)
        if len(panels) != n:
            raise ValueError(f"this figure draws {n} panel(s); {len(panels)} axes given")
        fig = panels[0].get_figure()
        assert isinstance(fig, Figure)
        return fig, panels
    fig, grid = plt.subplots(squeeze=False, **subplots)  # type: ignore[call-overload]
    return fig, list(np.ravel(grid))


def year_axis(axis: Axis, years: Sequence[int] | None = None) -> None:
    """Years as tick labels: the given years, or whole years in steps of
    :data:`YEAR_STEPS` chosen by matplotlib."""
    if years is not None:
        axis.set_major_locator(FixedLocator(sorted({float(y) for y in years})))
    else:
        axis.set_major_locator(MaxNLocator(integer=True, steps=YEAR_STEPS))
    axis.set_major_formatter(YearFormatter())


def log_axis(axis: Axis, lang: str, subs: Sequence[float] | None = None) -> None:
    """Plain numbers (``1 500``, ``2 000``) on a log axis instead of ``10³`` notation.

    ``subs`` are the mantissas labelled; by default they follow the range the axis shows
    now (call this after plotting): :data:`LOG_SUBS` within a power of ten,
    :data:`WIDE_LOG_SUBS` up to two, :data:`DECADE_LOG_SUBS` beyond, so labels never
    crowd."""
    if subs is None:
        low, high = sorted(float(v) for v in axis.get_view_interval())
        span = np.log10(high / low) if low > 0 else 3.0
        subs = LOG_SUBS if span <= 1.05 else WIDE_LOG_SUBS if span <= 2.0 else DECADE_LOG_SUBS
    axis.set_major_locator(LogLocator(base=10, subs=tuple(subs)))
    axis.set_major_formatter(NumberFormatter(lang))
    axis.set_minor_formatter(NullFormatter())


def number_axis(axis: Axis, lang: str, suffix: str = "", decimals: int | None = None) -> None:
    """A linear axis labelled in ``lang``'s notation (what :func:`finish` does by default);
    ``decimals`` fixes the decimals instead of taking the fewest the ticks need."""
    axis.set_major_formatter(NumberFormatter(lang, suffix, decimals=decimals))


def localize_ticks(fig: Figure, lang: str) -> None:
    """Give every numeric axis of ``fig`` still on matplotlib's default formatter the
    language's notation (log axes: plain numbers)."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if isinstance(formatter, LogFormatterSciNotation):
                log_axis(axis, lang)
            elif isinstance(formatter, ScalarFormatter):
                number_axis(axis, lang)


def finish(fig: Figure, lang: str, layout: bool = True) -> Figure:
    """Tick labels in ``lang``'s notation and (for a figure the function made itself) a
    tight layout; returns ``fig``."""
    localize_ticks(fig, lang)
    if layout:
        fig.tight_layout()
    return fig
