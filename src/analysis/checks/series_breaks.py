"""A change between two years of an official series across a documented break decides
nothing.

Why: WITS (UN Comtrade, Kazakhstan reporting) understates Kazakhstan's trade with non-EAEU
partners in 2020–2022, as its documentation says (:data:`analysis.data.official_trade.BREAKS`
cites where). Its rate 2019→2020 therefore measures the change of compilation as well as
the change of trade: set against a printed rate it would "contradict" a figure that may be
right, or "confirm" one that is wrong. The rule, the same for a growth rate, a trend step
and the "other series" rate a note shows: two years of a series are comparable only when
they lie on the same side of each of its documented breaks — both before its first year,
both within it, or both after its last. A reference that is not comparable is kept and
shown, with the break named, but its verdict is *not decisive*; a trend step that is not
comparable is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analysis.checks.phrases import Phrase, say
from analysis.data.official_trade import BREAKS, SeriesBreak

__all__ = ["Breaks", "across", "break_phrase", "crossed", "side"]

#: Each series' documented breaks, by series code (:data:`BREAKS` unless a test or a
#: caller declares others).
Breaks = Mapping[str, tuple[SeriesBreak, ...]]


def side(brk: SeriesBreak, year: int) -> int:
    """-1 before the break's years, 0 within them, 1 after them."""
    return -1 if year < brk.first else 1 if year > brk.last else 0


def across(breaks: Iterable[SeriesBreak], years: Iterable[int]) -> SeriesBreak | None:
    """The first of ``breaks`` that ``years`` do not all lie on one side of (None: the
    years are comparable)."""
    span = list(years)
    return next((b for b in breaks if len({side(b, y) for y in span}) > 1), None)


def crossed(series: str, years: Iterable[int], breaks: Breaks = BREAKS) -> SeriesBreak | None:
    """The first documented break of ``series`` that ``years`` lie across (None: the years
    are comparable within the series)."""
    return across(breaks.get(series, ()), years)


def break_phrase(brk: SeriesBreak) -> Phrase:
    """The break in words: the series, its years and what is documented
    (``checks.break.<key>``)."""
    return say(f"break.{brk.key}", series=say(f"series.{brk.series}"), first=brk.first,
               last=brk.last)
