"""The one rounding model (analysis.methods.rounding): intervals of printed numbers under
half-up and half-even rounding, qualifiers, interval arithmetic and the verdict.

Each expectation says why, so that a failing test names the rule that broke. The property
tests check the model against Python's own rounding (decimal.ROUND_HALF_UP and
ROUND_HALF_EVEN) on many numbers: a real number lies in a printed value's interval exactly
when that rule rounds it to the printed value.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.data.parse import parse_number
from analysis.methods import rounding
from analysis.methods.rounding import (
    CONTRADICTED,
    REPRODUCED,
    RULES,
    WITHIN,
    Interval,
    printed_interval,
    rounding_interval,
    verdict,
)

F = Fraction


def by_rule(text: str, qualifier: str = "exact") -> dict[str, Interval]:
    parsed = parse_number(text)
    return {r: printed_interval(parsed, r, qualifier) for r in RULES}


# ---------------------------------------------------------------------------------------
# The interval a printed number stands for
# ---------------------------------------------------------------------------------------


def test_half_up_is_half_open_and_half_even_depends_on_the_last_digit():
    # 12,7 (odd last digit): half-up [12.65, 12.75); half-even (12.65, 12.75)
    assert rounding_interval(F("12.7"), F("0.1"), "half_up") == Interval(F("12.65"),
                                                                         F("12.75"), True, False)
    assert rounding_interval(F("12.7"), F("0.1"), "half_even") == Interval(F("12.65"),
                                                                           F("12.75"), False,
                                                                           False)
    # 12,8 (even): half-even closed on both ends
    assert rounding_interval(F("12.8"), F("0.1"), "half_even") == Interval(F("12.75"),
                                                                           F("12.85"))


def test_negative_and_zero_under_half_up():
    # half away from zero: −1.1 is (−1.15, −1.05]; 0 is (−0.5, 0.5)
    assert rounding_interval(F("-1.1"), F("0.1"), "half_up") == Interval(F("-1.15"),
                                                                         F("-1.05"), False, True)
    assert rounding_interval(F(0), F(1), "half_up") == Interval(F("-0.5"), F("0.5"), False,
                                                                 False)


@pytest.mark.parametrize(("text", "step"), [("1 580", F(1)), ("+12.0%", F("0.1")),
                                             ("6,3 миллиард", F(10**8)), ("4 мың", F(1000)),
                                             ("екі миллион", F(10**6)), ("үштен бір", F(0)),
                                             ("11-ші", F(0))])
def test_step_of_printed_forms(text, step):
    assert rounding.step_of(parse_number(text)) == step


def test_a_fraction_word_is_exact():
    assert by_rule("үштен бір")["half_up"] == Interval.point(F(1, 3))


@given(st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False))
def test_intervals_agree_with_pythons_rounding(x):
    """x lies in the interval of round(x) under a rule, and not in its neighbours'."""
    for rule, mode in (("half_up", ROUND_HALF_UP), ("half_even", ROUND_HALF_EVEN)):
        printed = x.quantize(Decimal("0.1"), rounding=mode)
        for k in (-1, 0, 1):
            candidate = printed + Decimal(k) / 10
            iv = rounding_interval(F(candidate), F("0.1"), rule)  # type: ignore[arg-type]
            assert iv.contains(F(x)) is (k == 0), (rule, x, candidate)


def test_two_adjacent_printed_values_never_share_a_number():
    """The issue's case: x,7 and x,8 touch at x,75 but no number rounds to both."""
    for rule in RULES:
        a = rounding_interval(F("4.7"), F("0.1"), rule)  # type: ignore[arg-type]
        b = rounding_interval(F("4.8"), F("0.1"), rule)  # type: ignore[arg-type]
        assert not a.meets(b)
    assert verdict(False, by_rule("4,7"), by_rule("4,8")).status == CONTRADICTED


def test_qualifiers():
    assert by_rule("≈80%")["half_up"] == Interval(F(72), F(88))  # ±10 % convention, closed
    assert by_rule("5 мың", "more_than")["half_up"] == Interval(F(4500), None, False, False)
    assert by_rule("10", "up_to")["half_up"] == Interval(None, F("10.5"), False, False)
    assert by_rule("10", "up_to")["half_even"] == Interval(None, F("10.5"), False, True)
    assert by_rule("10", "at_least")["half_up"] == Interval(F("9.5"), None, True, False)
    with pytest.raises(ValueError, match="unknown qualifier"):
        printed_interval(parse_number("10"), "half_up", "roughly")


# ---------------------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------------------


def test_sum_keeps_an_end_open_when_any_part_is():
    a = Interval(F(1), F(2), True, False)
    b = Interval(F(3), F(4))
    assert rounding.total([a, b]) == Interval(F(4), F(6), True, False)


def test_ratio_and_growth_use_the_extremes():
    prev = rounding_interval(F(1580), F(1), "half_up")
    cur = rounding_interval(F(1770), F(1), "half_up")
    g = rounding.growth(prev, cur)
    assert g.lo == (F("1769.5") / F("1580.5") - 1) * 100
    assert g.hi == (F("1770.5") / F("1579.5") - 1) * 100
    assert not g.lo_closed and not g.hi_closed  # 1580.5 and 1579.5… only one end reachable
    assert rounding.growth_bounds(F(1580), F(1770), F(10), "half_even").lo == \
        (F(1765) / F(1585) - 1) * 100  # a table rounded to tens


def test_ratio_with_unbounded_ends():
    # "more than 22 billion" before, 38.3 after: the rate has no lower end but −100 %
    before = Interval(F(22), None, False, False)
    after = rounding_interval(F("38.3"), F("0.1"), "half_up")
    g = rounding.growth(before, after)
    assert g.lo == -100 and g.hi == (F("38.35") / 22 - 1) * 100
    with pytest.raises(ValueError):
        rounding.ratio(after, Interval.point(0))


def test_share_of_a_whole():
    parts = rounding_interval(F("4.8"), F("0.1"), "half_up")
    whole = rounding_interval(F("6.3"), F("0.1"), "half_up")
    s = rounding.share(parts, whole)
    assert s.lo == F("4.75") / F("6.35") * 100 and s.hi == F("4.85") / F("6.25") * 100


# ---------------------------------------------------------------------------------------
# The verdict
# ---------------------------------------------------------------------------------------


def test_verdict_ladder():
    assert verdict(True, by_rule("12"), by_rule("12")).status == REPRODUCED
    assert verdict(False, by_rule("12"), by_rule("12,4")).status == WITHIN
    assert verdict(False, by_rule("12"), by_rule("13")).status == CONTRADICTED


def test_verdict_names_the_rule_when_only_one_fits():
    # 12 and 12,5: half-up 12 is [11.5, 12.5), 12,5 is [12.45, 12.55) → they meet;
    # half-even 12 is [11.5, 12.5], 12,5 (odd digit 5) is (12.45, 12.55) → they meet too.
    both = verdict(False, by_rule("12"), by_rule("12,5"))
    assert both.status == WITHIN and both.rule_text == ""
    # 13 (odd) vs a recomputed exact 12.5: half-up [12.5, 13.5) holds 12.5, half-even
    # (12.5, 13.5) does not
    exact = {r: Interval.point(F("12.5")) for r in RULES}
    one = verdict(False, exact, by_rule("13"))
    assert one.status == WITHIN and one.rules == ("half_up",)
    assert one.rule_text == "only under half-up rounding"


def test_contains_verdict():
    iv = {r: rounding.total([by_rule("33,3%")[r]] * 3) for r in RULES}
    assert rounding.contains_verdict(False, iv, 100).status == WITHIN  # 99.9 ± 0.15
    assert rounding.contains_verdict(False, {r: by_rule("40%")[r] for r in RULES},
                                     100).status == CONTRADICTED


def test_interval_text_marks_open_ends():
    assert Interval(F(1), F(2), True, False).text() == "[1, 2)"
    assert Interval(None, F(2), False, True).text() == "(-∞, 2]"
    assert Interval(F("1.5"), None).text() == "[1.5, ∞)"


def test_a_difference_of_intervals_and_inclusion():
    """later − earlier of two rounded values, and whether a change is surely a fall."""
    after, before = Interval(Fraction(245, 100), Fraction(255, 100), True, False), \
        Interval(Fraction(25, 10), Fraction(35, 10), True, False)
    d = after - before
    assert d == Interval(Fraction(-105, 100), Fraction(5, 100), False, False)
    falling = Interval(None, Fraction(0), False, False)
    assert not d.within(falling) and d.meets(falling)
    assert Interval(Fraction(-2), Fraction(-1)).within(falling)
    assert not Interval(Fraction(-1), Fraction(0)).within(falling)  # 0 is not a fall
    assert Interval(Fraction(-1), Fraction(0), True, False).within(falling)
