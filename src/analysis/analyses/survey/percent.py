"""Printed survey percentages, what they allow, and the counts that produce them.

A percentage printed as ``p`` with ``d`` decimals stands for a true share that rounds to
``p`` at ``d`` decimals. The rounding model is :mod:`analysis.methods.rounding`'s (half-up: Excel,
SPSS; half-even: Python, R); the parsing is the one number parser's
(:func:`analysis.data.parse.parse_percent`). This module adds what a survey needs on top:
the tie rules the survey analysis offers and the integer bounds of the counts ``k`` out of
``N`` respondents whose share ``100·k/N`` rounds to ``p``.

Tie rules (``tie_rule``):

* ``"half_up"``, ``"half_even"``: the two rules of :mod:`analysis.methods.rounding`, exactly
  (half-open or open intervals as the rule makes them);
* ``"both"``: the closed interval ``[p − h, p + h]``, the union of every tie convention
  (half up, half down, half even, half odd). It can only *add* feasible N; the notebook
  ``04_survey`` uses it as the most permissive reading;
* ``"up_or_even"``: exactly the values that half up *or* half even can print as ``p``
  (lower end closed, upper end closed only for an even last digit).

For example 7.5 % is printed as 8 % by both common rules, so only ``"both"`` lets it appear
as 7 %. The claims ledger judges under each common rule separately (one author, one program:
:mod:`analysis.checks.survey_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from analysis.data.parse import NumberFormatError, parse_percent
from analysis.methods import rounding
from analysis.methods.rounding import Interval

TieRule = Literal["both", "half_up", "half_even", "up_or_even"]
TIE_RULES: tuple[str, ...] = ("both", "half_up", "half_even", "up_or_even")
DEFAULT_N_MAX = 5000
HUNDRED = Fraction(100)

#: The interval type of a share; kept under its survey name.
ShareInterval = Interval


@dataclass(frozen=True)
class PrintedPercent:
    """A printed percentage with the exact value and the number of printed decimals.

    Why: the granularity test needs to know how precisely the author rounded ("19.5%" has
    one decimal, "25%" none); a float would lose both the trailing zeros and exactness.
    """

    text: str
    value: Decimal
    decimals: int

    @property
    def exact(self) -> Fraction:
        """The printed value as an exact fraction (percent units)."""
        return Fraction(self.value)

    @property
    def step(self) -> Fraction:
        """The unit of the last printed digit, ``10^-d``."""
        return Fraction(1, 10**self.decimals)

    @property
    def half_width(self) -> Fraction:
        """Half a unit of the last printed digit, ``0.5·10^-d``."""
        return self.step / 2


def parse_printed_percent(text: str) -> PrintedPercent:
    """``"31,94%"``, ``"19.5%"`` or ``"25%"`` exactly, through the one number parser.
    Anything that is not a printed percentage is a :class:`ValueError`."""
    try:
        parsed = parse_percent(str(text))
    except NumberFormatError as exc:
        raise ValueError(f"not a printed percentage: {text!r}") from exc
    assert parsed.value is not None  # parse_percent refuses the missing mark
    return PrintedPercent(text=str(text), value=parsed.value, decimals=parsed.decimals)


def share_interval(printed: PrintedPercent, tie_rule: TieRule = "both") -> Interval:
    """Interval of true shares that the author could have printed as ``printed``.

    Why: this is the single place where the survey's tie rule is decided (module
    docstring); the two common rules come from :func:`analysis.methods.rounding.rounding_interval`.
    """
    p, step = printed.exact, printed.step
    if tie_rule in ("half_up", "half_even"):
        return rounding.rounding_interval(p, step, tie_rule)
    up = rounding.rounding_interval(p, step, "half_up")
    even = rounding.rounding_interval(p, step, "half_even")
    if tie_rule == "both":
        return Interval(up.lo, up.hi, True, True)
    if tie_rule == "up_or_even":
        return up.hull(even)
    raise ValueError(f"tie_rule must be one of {TIE_RULES}, got {tie_rule!r}")


def _ceil_div(a: np.ndarray | int, b: int) -> np.ndarray | int:
    return -((-a) // b)


def count_bounds(interval: Interval, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest count ``k`` with ``100·k/N`` inside ``interval``, for each N.

    Why: the feasible counts at a given N form the integer interval
    ``ceil(N·lo/100) .. floor(N·hi/100)`` (adjusted by one for open ends), so the whole
    granularity test reduces to integer floor/ceil divisions, exact and vectorised.
    The result is clipped to ``0 .. N``; ``k_min > k_max`` means no count fits.
    """
    if interval.lo is None or interval.hi is None:
        raise ValueError("a share interval is bounded")
    sizes = np.asarray(sizes, dtype=np.int64)
    lo = interval.lo / HUNDRED
    hi = interval.hi / HUNDRED
    # N * numerator must fit in int64; percentages with <= 6 decimals and N <= 10^6 do.
    if max(abs(lo.numerator), abs(hi.numerator)) * int(sizes.max(initial=1)) >= 2**62:
        sizes = sizes.astype(object)
    if interval.lo_closed:
        k_min = _ceil_div(sizes * lo.numerator, lo.denominator)
    else:
        k_min = (sizes * lo.numerator) // lo.denominator + 1
    if interval.hi_closed:
        k_max = (sizes * hi.numerator) // hi.denominator
    else:
        k_max = np.asarray(_ceil_div(sizes * hi.numerator, hi.denominator)) - 1
    k_min = np.maximum(k_min, 0).astype(np.int64)
    k_max = np.minimum(k_max, sizes).astype(np.int64)
    return k_min, k_max


def rounds_to(k: int, n: int, printed: PrintedPercent, tie_rule: TieRule = "both") -> bool:
    """Whether ``100·k/n`` could have been printed as ``printed`` (exact check).

    Why: an independent, non-vectorised statement of the rule, used by tests and as a
    self-check of the implied count vector.
    """
    return share_interval(printed, tie_rule).contains(Fraction(100 * k, n))


def sorted_results(results: pd.DataFrame) -> pd.DataFrame:
    """The results sorted by question and printed option order (required columns checked)."""
    required = {"question", "option_order", "option_kk", "printed"}
    missing = required - set(results.columns)
    if missing:
        raise ValueError(f"survey_results lacks columns {sorted(missing)}")
    out = results.copy()
    out["question"] = out["question"].astype(int)
    out["option_order"] = out["option_order"].astype(int)
    return out.sort_values(["question", "option_order"], kind="mergesort").reset_index(
        drop=True
    )


def printed_by_question(results: pd.DataFrame) -> dict[int, list[PrintedPercent]]:
    table = sorted_results(results)
    return {
        int(cast(Any, q)): [parse_printed_percent(t) for t in grp["printed"]]
        for q, grp in table.groupby("question", sort=True)
    }


def exact_text(x: Fraction | Decimal) -> str:
    """Exact decimal text of a fraction with a terminating expansion (percent sums)."""
    value = Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction) else x
    return format(value.normalize(), "f")
