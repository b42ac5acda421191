"""What a rounded printed number allows: the one rounding model of the package.

Why one module: the whole package rests on one idea — a printed ``1 580`` is not the number
1580 but every number that the author's software would have printed as ``1 580``. Sums,
ratios and growth rates of printed numbers are then *sets* of values too, and a check asks
whether two such sets share a value. Writing this once, exactly (:class:`fractions.Fraction`,
no floats) and with the ends of every interval open or closed as the rounding rule makes
them, keeps every check of :mod:`analysis.checks` and every survey test of
:mod:`analysis.analyses.survey` on the same footing.

Rounding rules
--------------
A number printed as ``p`` with step ``s`` (the unit of its last printed digit: ``0.1`` for
``+12.0%``, ``1`` for ``1 580``, ``10**8`` for ``1,6 миллиард``, ``1000`` for ``4 мың``;
:func:`step_of`) stands, with ``h = s/2``, for

* ``half_up`` (half away from zero; Excel, SPSS, a hand calculation): ``[p − h, p + h)``
  for ``p > 0``, ``(p − h, p + h]`` for ``p < 0`` and ``(−h, h)`` for ``p = 0``;
* ``half_even`` (banker's rounding; Python, R, IEEE): ``[p − h, p + h]`` when ``p/s`` is even
  and ``(p − h, p + h)`` when it is odd.

Under one rule every real number rounds to exactly one printed value, so two *different*
values printed at the same step are never compatible (``x,7`` and ``x,8`` touch at ``x,75``,
but ``x,75`` rounds to only one of them). We cannot know which rule the author's software
used, so :func:`verdict` judges under **both**: printed numbers are consistent when, under
at least one of the two rules, one set of true values produces all of them; a contradiction
therefore holds under either rule. The same rule is applied to every number of one
comparison (one author, one program).

Qualifiers (``text_claims.qualifier``) widen the interval: ``approx`` ("≈", «шамамен»,
«жуық») by the convention :data:`APPROX_REL` (±10 %, closed); ``more_than`` («астам»,
«асты») keeps only the open lower end, ``at_least`` the lower end as the rule makes it,
``less_than`` the open upper end, ``up_to`` («дейін») the upper end as the rule makes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from analysis.data.parse import QUALIFIERS, ParsedNumber

Rule = Literal["half_up", "half_even"]
RULES: tuple[Rule, ...] = ("half_up", "half_even")

Bound = Fraction | None  # None: unbounded on that side

#: Relative half-width given to a number the source marks as approximate ("≈80%",
#: «шамамен», «жуық»). A convention, not a fact about the source: "about 80" is read as
#: 72..88, wider than any printed rounding, so an "about" figure is contradicted only when
#: it is more than 10 % away from the figure it is compared with.
APPROX_REL = Fraction(1, 10)

REPRODUCED = "reproduced"
WITHIN = "within rounding"
#: A plausibility test passed: the numbers are possible (a part within its whole, a flow
#: within its route's capacity, no implausible jump, a cumulative total at least the sum of
#: its years); nothing recomputes them, so this is never "reproduced".
PLAUSIBLE = "plausible"
#: The comparison cannot decide: it passes only because one side is a bound on one side
#: ("more than 4 100", «дейін»), a list leaves a share unaccounted, or two readings of the
#: source disagree; a test that cannot fail is never reported as a pass.
NOT_DECISIVE = "not decisive"
CONTRADICTED = "contradicted"
UNTESTABLE = "untestable"
STATUSES: tuple[str, ...] = (REPRODUCED, WITHIN, PLAUSIBLE, NOT_DECISIVE, CONTRADICTED,
                             UNTESTABLE)


def frac(x: Decimal | int | float | str | Fraction) -> Fraction:
    """Exact fraction of a Decimal/int/str (a float goes through its shortest repr)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(Decimal(repr(x)))
    return Fraction(Decimal(str(x)))


# ---------------------------------------------------------------------------------------
# Intervals
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A set of reals ``lo .. hi``; ``None`` is unbounded (that end is then open)."""

    lo: Bound
    hi: Bound
    lo_closed: bool = True
    hi_closed: bool = True

    def __post_init__(self) -> None:
        if self.lo is None and self.lo_closed:
            object.__setattr__(self, "lo_closed", False)
        if self.hi is None and self.hi_closed:
            object.__setattr__(self, "hi_closed", False)

    @classmethod
    def point(cls, x: Fraction | int) -> Interval:
        return cls(Fraction(x), Fraction(x))

    @property
    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        return self.lo > self.hi or (self.lo == self.hi
                                     and not (self.lo_closed and self.hi_closed))

    def contains(self, x: Fraction | int) -> bool:
        above = self.lo is None or x > self.lo or (x == self.lo and self.lo_closed)
        below = self.hi is None or x < self.hi or (x == self.hi and self.hi_closed)
        return above and below

    def intersect(self, other: Interval) -> Interval:
        lo, lo_c = _tighter_lo(self, other)
        hi, hi_c = _tighter_hi(self, other)
        return Interval(lo, hi, lo_c, hi_c)

    def meets(self, other: Interval) -> bool:
        """Do the two intervals share at least one number?"""
        return not self.empty and not other.empty and not self.intersect(other).empty

    def __add__(self, other: Interval) -> Interval:
        """Every ``a + b`` with ``a`` in self and ``b`` in other (an end is closed only when
        both ends it comes from are)."""
        lo = None if self.lo is None or other.lo is None else self.lo + other.lo
        hi = None if self.hi is None or other.hi is None else self.hi + other.hi
        return Interval(lo, hi, self.lo_closed and other.lo_closed,
                        self.hi_closed and other.hi_closed)

    def __sub__(self, other: Interval) -> Interval:
        """Every ``a − b`` with ``a`` in self and ``b`` in other (a change between two
        rounded values)."""
        neg = Interval(None if other.hi is None else -other.hi,
                       None if other.lo is None else -other.lo, other.hi_closed,
                       other.lo_closed)
        return self + neg

    def within(self, other: Interval) -> bool:
        """Is every number of self in ``other``?"""
        if self.empty:
            return True
        lo_ok = other.lo is None or (self.lo is not None and (
            self.lo > other.lo or (self.lo == other.lo and (other.lo_closed
                                                            or not self.lo_closed))))
        hi_ok = other.hi is None or (self.hi is not None and (
            self.hi < other.hi or (self.hi == other.hi and (other.hi_closed
                                                            or not self.hi_closed))))
        return lo_ok and hi_ok

    def scale(self, k: Fraction | int) -> Interval:
        """Every ``k·a`` (``k > 0``)."""
        k = Fraction(k)
        if k <= 0:
            raise ValueError("scale needs a positive factor")
        return Interval(None if self.lo is None else self.lo * k,
                        None if self.hi is None else self.hi * k, self.lo_closed, self.hi_closed)

    def shift(self, d: Fraction | int) -> Interval:
        return Interval(None if self.lo is None else self.lo + d,
                        None if self.hi is None else self.hi + d, self.lo_closed, self.hi_closed)

    def clip_below(self, floor: Fraction | int) -> Interval:
        """The part at or above ``floor`` (levels, counts and stocks are never negative)."""
        return self.intersect(Interval(Fraction(floor), None))

    def hull(self, other: Interval) -> Interval:
        """The smallest interval holding both."""
        lo, lo_c = _looser_lo(self, other)
        hi, hi_c = _looser_hi(self, other)
        return Interval(lo, hi, lo_c, hi_c)

    def text(self, places: int = 4, factor: Fraction | int = 1) -> str:
        """``[1579.5, 1580.5)``; ends divided by ``factor`` for display."""
        left = "(-∞" if self.lo is None else ("[" if self.lo_closed else "(") + fmt(
            self.lo / factor, places)
        right = "∞)" if self.hi is None else fmt(self.hi / factor, places) + (
            "]" if self.hi_closed else ")")
        return f"{left}, {right}"


def _tighter_lo(a: Interval, b: Interval) -> tuple[Bound, bool]:
    if a.lo is None:
        return b.lo, b.lo_closed
    if b.lo is None or a.lo > b.lo:
        return a.lo, a.lo_closed
    if b.lo > a.lo:
        return b.lo, b.lo_closed
    return a.lo, a.lo_closed and b.lo_closed


def _tighter_hi(a: Interval, b: Interval) -> tuple[Bound, bool]:
    if a.hi is None:
        return b.hi, b.hi_closed
    if b.hi is None or a.hi < b.hi:
        return a.hi, a.hi_closed
    if b.hi < a.hi:
        return b.hi, b.hi_closed
    return a.hi, a.hi_closed and b.hi_closed


def _looser_lo(a: Interval, b: Interval) -> tuple[Bound, bool]:
    if a.lo is None or b.lo is None:
        return None, False
    if a.lo < b.lo:
        return a.lo, a.lo_closed
    if b.lo < a.lo:
        return b.lo, b.lo_closed
    return a.lo, a.lo_closed or b.lo_closed


def _looser_hi(a: Interval, b: Interval) -> tuple[Bound, bool]:
    if a.hi is None or b.hi is None:
        return None, False
    if a.hi > b.hi:
        return a.hi, a.hi_closed
    if b.hi > a.hi:
        return b.hi, b.hi_closed
    return a.hi, a.hi_closed or b.hi_closed


def fmt(x: Fraction | Decimal | int | None, places: int = 4) -> str:
    """Plain text of an exact number: terminating decimals in full, others rounded to
    ``places`` decimals (half-even), trailing zeros dropped; ``None`` is infinity."""
    if x is None:
        return "∞"
    f = frac(x)
    d = Decimal(f.numerator) / Decimal(f.denominator)
    den = f.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        d = d.quantize(Decimal(1).scaleb(-places))
    return format(d.normalize(), "f") if d != 0 else "0"


# ---------------------------------------------------------------------------------------
# The interval of one printed number
# ---------------------------------------------------------------------------------------


def step_of(parsed: ParsedNumber) -> Fraction:
    """The unit of the last printed digit, in the units of ``parsed.value``: ``0.1`` for
    ``+12.0%``, ``1`` for ``1 580``, ``10**8`` for ``1,6 миллиард``, ``1000`` for
    ``4 мың``; a cardinal in words counts like digits (``екі миллион``: step 10**6); a
    fraction word («үштен бір») or an ordinal (``11-ші``) is exact: step 0."""
    if parsed.word in ("fraction", "ordinal"):
        return Fraction(0)
    return Fraction(1, 10**parsed.decimals) * parsed.multiplier


def rounding_interval(value: Fraction, step: Fraction, rule: Rule) -> Interval:
    """The true values that ``rule`` rounds to ``value`` at ``step`` (``step`` 0: exact)."""
    if step == 0:
        return Interval.point(value)
    if step < 0:
        raise ValueError("the rounding step must be positive")
    h = step / 2
    if rule == "half_up":
        if value > 0:
            return Interval(value - h, value + h, True, False)
        if value < 0:
            return Interval(value - h, value + h, False, True)
        return Interval(-h, h, False, False)
    if rule == "half_even":
        multiple = value / step
        if multiple.denominator != 1:
            raise ValueError(f"{fmt(value)} is not a multiple of the step {fmt(step)}")
        even = multiple.numerator % 2 == 0
        return Interval(value - h, value + h, even, even)
    raise ValueError(f"rule must be one of {RULES}, got {rule!r}")


def truncation_interval(value: Fraction, step: Fraction) -> Interval:
    """The true values that *truncation* at ``step`` prints as ``value``: ``[v, v + s)``
    for ``v > 0`` (``(v − s, v]`` below 0). Not a rounding rule of the model — no verdict
    uses it to pass a pair. It serves one hypothesis only: a printed figure set against an
    exact official value that the value, cut off at the printed digit, gives ("4,7" for
    4 751.0 million) is not decisive. Two printings of the source are still judged by
    rounding alone (the text's own "4,7" and "4,8" stay a contradiction)."""
    if step == 0:
        return Interval.point(value)
    if value >= 0:
        return Interval(value, value + step, True, False)
    return Interval(value - step, value, False, True)


def qualified(base: Interval, value: Fraction, qualifier: str) -> Interval:
    """The rounding interval ``base`` of ``value`` widened by the printed qualifier."""
    if qualifier in ("approx", "approx_range_low", "approx_range_high"):
        spread = abs(value) * APPROX_REL
        return base.hull(Interval(value - spread, value + spread))
    if qualifier == "more_than":
        return Interval(base.lo, None, False, False)
    if qualifier == "at_least":
        return Interval(base.lo, None, base.lo_closed, False)
    if qualifier == "less_than":
        return Interval(None, base.hi, False, False)
    if qualifier == "up_to":
        return Interval(None, base.hi, False, base.hi_closed)
    if qualifier in ("exact", "range_low", "range_high"):
        return base
    raise ValueError(f"unknown qualifier {qualifier!r}; expected one of {QUALIFIERS}")


def printed_interval(parsed: ParsedNumber, rule: Rule, qualifier: str = "exact",
                     approx: bool | None = None) -> Interval:
    """The true values a printed number (with its qualifier) stands for under ``rule``.
    ``approx`` overrides the printed "≈" (a qualifier column may say "about" in words)."""
    if parsed.value is None:
        raise ValueError(f"{parsed.text!r} is the missing mark and has no interval")
    value = parsed.exact
    base = rounding_interval(value, step_of(parsed), rule)
    if (parsed.approx if approx is None else approx) and qualifier == "exact":
        qualifier = "approx"
    return qualified(base, value, qualifier)


ByRule = Mapping[Rule, Interval]


def by_rule(make: Callable[[Rule], Interval]) -> dict[Rule, Interval]:
    """``{rule: make(rule)}`` for both rules."""
    return {rule: make(rule) for rule in RULES}


# ---------------------------------------------------------------------------------------
# Arithmetic of intervals
# ---------------------------------------------------------------------------------------


def total(parts: Iterable[Interval]) -> Interval:
    """The interval of a sum of values, each anywhere in its interval."""
    out = Interval.point(0)
    for part in parts:
        out = out + part
    return out


def _div_end(a: Bound, b: Bound) -> Bound:
    """``a / b`` for non-negative ends; ``b`` None (∞) gives 0, ``a`` None gives ∞."""
    if a is None:
        return None
    if b is None:
        return Fraction(0)
    if b == 0:
        return None
    return a / b


def ratio(num: Interval, den: Interval) -> Interval:
    """Every ``a / b`` with ``a`` in ``num`` and ``b`` in ``den``, both non-negative
    (levels, counts, stocks): ``[lo(a)/hi(b), hi(a)/lo(b)]``. A denominator that may be 0
    leaves the upper end unbounded."""
    num = num.clip_below(0)
    den = den.clip_below(0)
    if num.empty or den.empty or (den.hi is not None and den.hi == 0):
        raise ValueError("ratio needs a positive denominator")
    lo = _div_end(num.lo, den.hi)
    lo_closed = num.lo_closed and (den.hi is not None and den.hi_closed)
    if lo == 0 and num.lo == 0:
        lo_closed = num.lo_closed
    hi = None if den.lo is None or den.lo == 0 else _div_end(num.hi, den.lo)
    hi_closed = hi is not None and num.hi_closed and den.lo_closed
    return Interval(lo, hi, lo_closed, hi_closed)


def growth(prev: Interval, cur: Interval) -> Interval:
    """Every growth rate ``100·(c/p − 1)`` in percent, ``p`` in ``prev`` and ``c`` in
    ``cur`` (both non-negative levels)."""
    return ratio(cur, prev).scale(100).shift(-100)


def growth_bounds(prev: Fraction, cur: Fraction, step: Fraction,
                  rule: Rule) -> Interval:
    """Growth (percent) of two levels printed at the same ``step`` (for example a table
    whose every value is a multiple of 10): the one formula for a growth range."""
    return growth(rounding_interval(prev, step, rule), rounding_interval(cur, step, rule))


def share(parts: Interval, whole: Interval) -> Interval:
    """A share in percent, ``100 · parts / whole``."""
    return ratio(parts, whole).scale(100)


# ---------------------------------------------------------------------------------------
# The verdict
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """The status of a comparison, and the rules under which the numbers fit."""

    status: str
    rules: tuple[Rule, ...]

    @property
    def rule_text(self) -> str:
        if self.status != WITHIN or len(self.rules) == len(RULES):
            return ""
        return f"only under {' or '.join(r.replace('_', '-') for r in self.rules)} rounding"


def verdict(exact: bool, recomputed: ByRule, stated: ByRule, bounded: bool = False) -> Verdict:
    """The one verdict ladder of every check.

    ``exact``: the recomputed point value equals the printed one (and no bound or
    approximation is involved) → reproduced. Otherwise the numbers are within rounding when,
    under at least one rounding rule, the recomputed interval and the stated interval share
    a number; contradicted when they share none under either rule. ``bounded``: one side
    is only a bound on one side («астам», «дейін»), so sharing a number decides nothing:
    not decisive (a contradiction stays one: not even the bound holds).
    """
    fits = tuple(rule for rule in RULES if recomputed[rule].meets(stated[rule]))
    if exact:
        return Verdict(REPRODUCED, RULES)
    if fits:
        return Verdict(NOT_DECISIVE if bounded else WITHIN, fits)
    return Verdict(CONTRADICTED, ())


def contains_verdict(exact: bool, interval: ByRule, target: Fraction | int) -> Verdict:
    """:func:`verdict` of an interval against an exact target (a sum that must be 100)."""
    return verdict(exact, interval, {rule: Interval.point(target) for rule in RULES})
