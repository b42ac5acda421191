"""The break rule (issue 23): a change between two years of an official series that lie on
different sides of one of its documented breaks decides nothing.

Crafted series, not the dissertation's numbers: a series with a declared break in
2005–2007, and rates and trend steps inside, across and beside it.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from analysis.checks import series_breaks, trends
from analysis.checks.core import CONTRADICTED, NOT_DECISIVE, REPRODUCED
from analysis.checks.phrases import num
from analysis.data.official_trade import BREAKS, WITS, SeriesBreak
from analysis.methods.rounding import RULES, Interval

BRK = SeriesBreak("X-SERIES", 2005, 2007, "comtrade_non_eaeu", "a crafted declaration")
DECLARED = {"X-SERIES": (BRK,)}


@pytest.mark.parametrize(("years", "crosses"), [
    ((2003, 2004), False),   # both before
    ((2005, 2007), False),   # both within
    ((2008, 2010), False),   # both after
    ((2004, 2005), True),    # before -> within
    ((2007, 2008), True),    # within -> after
    ((2004, 2008), True),    # before -> after, over the whole break
])
def test_two_years_are_comparable_only_on_one_side_of_the_break(years, crosses):
    found = series_breaks.crossed("X-SERIES", years, DECLARED)
    assert (found is BRK) if crosses else (found is None)


def test_a_series_without_a_declared_break_is_always_comparable():
    assert series_breaks.crossed("OTHER", (2004, 2008), DECLARED) is None


def test_the_shipped_declaration_names_the_comtrade_break_with_its_source():
    (brk,) = BREAKS[WITS]
    assert (brk.first, brk.last) == (2020, 2022)
    assert "README" in brk.documented


def _series(values: dict[int, int]) -> trends.Series:
    return {y: trends.Point(y, {rule: Interval(Fraction(v), Fraction(v)) for rule in RULES},
                            num(Fraction(v), 0)) for y, v in values.items()}


def _claim(direction: str, first: int, last: int) -> dict[str, object]:
    return {"trend_id": "X1", "direction": direction, "year_from": first, "year_to": last,
            "source_line": 1, "quote_kk": "өсті", "label_kk": "х", "label_en": "x",
            "quantity_key": "kz_exports_to_tr", "series": "X-SERIES"}


def test_a_fall_across_the_break_neither_denies_nor_confirms_a_rise():
    # 2004 -> 2005 falls, but the step crosses the break: it is not counted
    series = _series({2004: 100, 2005: 60})
    row = trends.trend_row(_claim("up", 2004, 2005), "X", "text", series, {}, "x", (BRK,))
    assert row is not None and row.status == NOT_DECISIVE
    # without the declared break the same fall contradicts the rise
    bare = trends.trend_row(_claim("up", 2004, 2005), "X", "text", series, {}, "x", ())
    assert bare is not None and bare.status == CONTRADICTED


def test_a_fall_on_one_side_of_the_break_still_contradicts_a_rise():
    series = _series({2005: 100, 2006: 60, 2007: 70})
    row = trends.trend_row(_claim("up", 2005, 2007), "X", "text", series, {}, "x", (BRK,))
    assert row is not None and row.status == CONTRADICTED


def test_rises_within_the_break_are_judged_and_reproduce_a_rise():
    series = _series({2005: 50, 2006: 60, 2007: 70})
    row = trends.trend_row(_claim("up", 2005, 2007), "X", "text", series, {}, "x", (BRK,))
    assert row is not None and row.status == REPRODUCED
