"""Survey analysis for Қосымша Ә (questionnaire) and Қосымша Б (results).

The dissertation prints, for 13 questions, the share of respondents per answer option as
rounded percentages, but it never states how many people answered. Everything that can be
said about the survey beyond the printed shares therefore has to be *inferred* from the
printed numbers themselves. This module does that inference honestly:

* **Sums** (:func:`sum_table`): whether each question's printed shares could come from
  true shares summing to exactly 100 %, given the rounding the author applied.
* **Sample size** (:func:`feasible_sizes`, :func:`smallest_joint_n`): a GRIM-style
  granularity test. Only certain respondent counts ``N`` can produce the printed
  percentages; we enumerate them with exact integer/rational arithmetic.
* **Implied counts and uncertainty** (:func:`implied_counts`, :func:`option_intervals`,
  :func:`simultaneous_intervals`, :func:`chisquare_equal_shares`): at an assumed ``N``
  (inferred or given by the user). Every such table carries a ``basis`` column saying that
  the counts are DERIVED from that assumed ``N`` and were never observed.
* **Reconciliation** (:func:`reconcile_options`, :func:`repeated_blocks`): options asked
  but not reported, reported but never asked, renamed, and numeric blocks that repeat
  across questions.

All functions are pure: they take the DataFrames of ``survey_results`` and
``survey_questionnaire`` (columns as documented in ``data/raw/README.md``; ``printed`` is
a string such as ``"31,94%"``) and return new, sorted DataFrames.

Rounding model and the tie rule
-------------------------------
A percentage printed as ``p`` with ``d`` decimals stands for a true value ``x`` that rounds
to ``p`` at ``d`` decimals, i.e. ``x`` lies within ``h = 0.5·10^-d`` of ``p``. What happens
exactly at ``p ± h`` depends on the author's software: Excel and SPSS round half up
(away from zero), Python and R round half to even. Because we cannot know which was used,
the default ``tie_rule="both"`` accepts both ties (closed interval ``[p − h, p + h]``): a
true value exactly halfway may have been printed either way. This is the union of every
tie convention (half up, half down, half even, half odd), so it can only *add* feasible
``N``, never remove a genuine one. Stricter choices: ``"half_up"`` (half-open
``[p − h, p + h)``); ``"half_even"`` (both ends closed when the last printed digit is even,
both open when it is odd); ``"up_or_even"`` (exactly the ties that half up *or* half even
can produce: lower end closed, upper end closed only for an even last digit). For example
7.5 % is printed as 8 % by both common rules, so only ``"both"`` lets it appear as 7 %.

Two granularity variants, and what each is used for
---------------------------------------------------
``exhaustive=False`` ("per option"): every option needs *some* count ``k_i`` out of ``N``
that rounds to its printed share. It assumes nothing about how the options relate, so it
is the safe consistency test (multiple choice, unreported non-response) and gives the
per-option count ranges. ``exhaustive=True`` ("Σk = N"): additionally the counts must add
up to ``N``, as in a single-choice question with exhaustive options. It is the variant
used to infer the joint N and to choose the count vector behind the multinomial intervals
and the chi-square test. On this dissertation both give the same smallest joint N (573).

The last section turns the report into localised tables and figures for
``notebooks/04_survey.ipynb`` (labels in ``analysis/labels/survey.yaml``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import combinations
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import multinomial_proportions_confint, proportion_confint

if TYPE_CHECKING:
    pass

TieRule = Literal["both", "half_up", "half_even", "up_or_even"]
CIMethod = Literal["wilson", "beta", "agresti_coull", "jeffreys"]
SimultaneousMethod = Literal["goodman", "sison-glaz"]

TIE_RULES: tuple[str, ...] = ("both", "half_up", "half_even", "up_or_even")
CI_METHODS: tuple[str, ...] = ("wilson", "beta", "agresti_coull", "jeffreys")
SIMULTANEOUS_METHODS: tuple[str, ...] = ("goodman", "sison-glaz")
DEFAULT_N_MAX = 5000
HUNDRED = Fraction(100)

#: Similarity at or above which two differently worded options count as "renamed".
#: Chosen by reading the 13 questions: genuine renames here score 0.5 or more (for example
#: "Маңызды емес" / "Маңызсыз" 1.0 on shared words, "Барлық бағыттарда бірдей даму" /
#: "Барлық салаларда интеграция" 0.51 on characters), while unrelated options such as
#: "Басқа (көрсетіңіз)" / "Барлық бағыттар" (0.42) or "Орташа" / "Жауап жоқ" (0.29) stay
#: below. Unmatched rows still report their best candidate and its score.
RENAME_THRESHOLD = 0.5

#: Characters kept from each word when comparing words. Kazakh is agglutinative
#: (маңызды / маңыздылығы), so comparing the first few letters is a crude but transparent
#: stem that lets "мәдени" and "мәдениет" count as the same word.
STEM_LENGTH = 5

#: Latin letters that look like Cyrillic ones. The source has "Бизнеc" with a Latin "c";
#: folding them makes such labels compare equal, and :func:`mixed_script_labels` reports
#: them separately as a finding.
#: Kazakh conjunctions ("and") ignored by the shared-word measure: they carry no meaning
#: of their own and would make any two "X және Y" labels look alike.
STOPWORDS = frozenset({"және", "мен", "бен", "пен", "да", "де", "та", "те"})

_HOMOGLYPHS = str.maketrans(
    {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к",
     "i": "і", "h": "һ", "m": "м", "t": "т", "b": "в"}
)
_PAREN = re.compile(r"\([^)]*\)")
_PERCENT = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*%\s*$")


def derived_basis(n: int, reason: str) -> str:
    """Text of the ``basis`` column that every count-based table carries.

    Why: the dissertation never states N, so any count is a consequence of an assumption;
    writing that into every row keeps the assumption attached when a table is copied out.
    """
    return f"DERIVED from assumed N={n} ({reason}); not observed"


# ---------------------------------------------------------------------------------------
# Printed percentages and their rounding intervals
# ---------------------------------------------------------------------------------------


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
    def half_width(self) -> Fraction:
        """Half a unit of the last printed digit, ``0.5·10^-d``."""
        return Fraction(1, 2 * 10**self.decimals)


def parse_printed_percent(text: str) -> PrintedPercent:
    """Parse ``"31,94%"``, ``"19.5%"`` or ``"25%"`` exactly.

    Why: we read the digits ourselves (decimal comma or point) so that the number of
    decimals, which sets the rounding interval, is known exactly.
    """
    match = _PERCENT.match(str(text))
    if match is None:
        raise ValueError(f"not a printed percentage: {text!r}")
    digits = match.group(1).replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - regex already guarantees digits
        raise ValueError(f"not a printed percentage: {text!r}") from exc
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    return PrintedPercent(text=str(text), value=value, decimals=decimals)


@dataclass(frozen=True)
class ShareInterval:
    """Set of true percentages that round to a printed value under a tie rule.

    ``lo``/``hi`` are exact fractions in percent; ``lo_closed``/``hi_closed`` say whether a
    true value exactly at the boundary is accepted.
    """

    lo: Fraction
    hi: Fraction
    lo_closed: bool
    hi_closed: bool


def share_interval(printed: PrintedPercent, tie_rule: TieRule = "both") -> ShareInterval:
    """Interval of true shares that the author could have printed as ``printed``.

    Why: this is the single place where the tie rule is decided (see module docstring).
    ``"both"``: ``[p − h, p + h]``; ``"half_up"``: ``[p − h, p + h)``; ``"half_even"``: both
    ends closed when the last printed digit is even, both open when it is odd;
    ``"up_or_even"``: the union of the last two (lower end closed, upper end closed when
    the last digit is even).
    """
    p, h = printed.exact, printed.half_width
    even = int(printed.value.scaleb(printed.decimals)) % 2 == 0
    if tie_rule == "both":
        lo_closed = hi_closed = True
    elif tie_rule == "half_up":
        lo_closed, hi_closed = True, False
    elif tie_rule == "half_even":
        lo_closed = hi_closed = even
    elif tie_rule == "up_or_even":
        lo_closed, hi_closed = True, even
    else:
        raise ValueError(f"tie_rule must be one of {TIE_RULES}, got {tie_rule!r}")
    return ShareInterval(p - h, p + h, lo_closed, hi_closed)


def _ceil_div(a: np.ndarray | int, b: int) -> np.ndarray | int:
    return -((-a) // b)


def count_bounds(
    interval: ShareInterval, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest count ``k`` with ``100·k/N`` inside ``interval``, for each N.

    Why: the feasible counts at a given N form the integer interval
    ``ceil(N·lo/100) .. floor(N·hi/100)`` (adjusted by one for open ends), so the whole
    granularity test reduces to integer floor/ceil divisions, exact and vectorised.
    The result is clipped to ``0 .. N``; ``k_min > k_max`` means no count fits.
    """
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
        k_max = _ceil_div(sizes * hi.numerator, hi.denominator) - 1
    k_min = np.maximum(k_min, 0).astype(np.int64)
    k_max = np.minimum(k_max, sizes).astype(np.int64)
    return k_min, k_max


def rounds_to(k: int, n: int, printed: PrintedPercent, tie_rule: TieRule = "both") -> bool:
    """Whether ``100·k/n`` could have been printed as ``printed`` (exact check).

    Why: an independent, non-vectorised statement of the rule, used by tests and as a
    self-check of the implied count vector.
    """
    x = Fraction(100 * k, n)
    iv = share_interval(printed, tie_rule)
    above = x >= iv.lo if iv.lo_closed else x > iv.lo
    below = x <= iv.hi if iv.hi_closed else x < iv.hi
    return above and below


# ---------------------------------------------------------------------------------------
# Input helpers
# ---------------------------------------------------------------------------------------


def _sorted_results(results: pd.DataFrame) -> pd.DataFrame:
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


def _printed_by_question(results: pd.DataFrame) -> dict[int, list[PrintedPercent]]:
    table = _sorted_results(results)
    return {
        int(q): [parse_printed_percent(t) for t in grp["printed"]]
        for q, grp in table.groupby("question", sort=True)
    }


def _fmt(x: Fraction | Decimal) -> str:
    """Exact decimal text of a fraction with a terminating expansion (percent sums)."""
    value = Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction) else x
    text = format(value.normalize(), "f")
    return text


# ---------------------------------------------------------------------------------------
# Sums
# ---------------------------------------------------------------------------------------


def sum_table(results: pd.DataFrame, tie_rule: TieRule = "both") -> pd.DataFrame:
    """Per question: printed sum, deviation from 100 and whether rounding can explain it.

    Why: when each respondent picks exactly one option the true shares sum to exactly
    100, so the printed sum may miss 100 only by the accumulated rounding. The question is
    consistent iff 100 lies in ``[Σ lo_i, Σ hi_i]`` (endpoint inclusion per tie rule; with
    ``"both"`` both ends count). All arithmetic is exact.
    """
    rows = []
    for q, printed in _printed_by_question(results).items():
        total = sum((p.exact for p in printed), Fraction(0))
        ivs = [share_interval(p, tie_rule) for p in printed]
        lo = sum((iv.lo for iv in ivs), Fraction(0))
        hi = sum((iv.hi for iv in ivs), Fraction(0))
        lo_ok = HUNDRED > lo or (HUNDRED == lo and all(iv.lo_closed for iv in ivs))
        hi_ok = HUNDRED < hi or (HUNDRED == hi and all(iv.hi_closed for iv in ivs))
        rows.append(
            {
                "question": q,
                "n_options": len(printed),
                "printed_sum": _fmt(total),
                "sum": float(total),
                "deviation": float(total - HUNDRED),
                "max_decimals": max(p.decimals for p in printed),
                "sum_lo": float(lo),
                "sum_hi": float(hi),
                "max_rounding_error": float(hi - total),
                "feasible": bool(lo_ok and hi_ok),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Sample size (granularity)
# ---------------------------------------------------------------------------------------


def _question_bounds(
    printed: Sequence[PrintedPercent], sizes: np.ndarray, tie_rule: TieRule
) -> tuple[np.ndarray, np.ndarray]:
    """Arrays ``(n_options, len(sizes))`` of the smallest and largest feasible counts."""
    pairs = [count_bounds(share_interval(p, tie_rule), sizes) for p in printed]
    return np.vstack([a for a, _ in pairs]), np.vstack([b for _, b in pairs])


def feasible_mask(
    printed: Sequence[PrintedPercent],
    n_max: int = DEFAULT_N_MAX,
    tie_rule: TieRule = "both",
    exhaustive: bool = False,
) -> np.ndarray:
    """Boolean array over N = 1..n_max: can N respondents produce these printed shares?

    Two variants, because they answer different questions:

    * ``exhaustive=False`` (per-option granularity): each option separately needs an
      integer count ``0 ≤ k_i ≤ N`` that rounds to its printed share. This assumes nothing
      about how options relate, so it is the safe test for multiple-choice questions,
      questions with unreported non-response, and for the per-option count ranges.
    * ``exhaustive=True`` (single choice, options exhaustive): additionally ``Σ k_i = N``.
      Because each ``k_i`` ranges over an integer interval, some choice sums to N exactly
      when ``Σ k_min ≤ N ≤ Σ k_max``. This is the variant used for the joint N and for the
      count vector behind the multinomial intervals and the chi-square test.
    """
    if n_max < 1:
        raise ValueError("n_max must be >= 1")
    sizes = np.arange(1, n_max + 1, dtype=np.int64)
    k_min, k_max = _question_bounds(printed, sizes, tie_rule)
    ok = np.all(k_min <= k_max, axis=0)
    if exhaustive:
        ok &= (k_min.sum(axis=0) <= sizes) & (sizes <= k_max.sum(axis=0))
    return ok


def feasible_sizes(
    results: pd.DataFrame,
    n_max: int = DEFAULT_N_MAX,
    tie_rule: TieRule = "both",
    exhaustive: bool = False,
) -> dict[int, np.ndarray]:
    """For each question, the sorted array of feasible N in 1..n_max.

    Why: the sets are the raw result of the granularity test; summaries and the joint N are
    computed from them. See :func:`feasible_mask` for the two variants.
    """
    sizes = np.arange(1, n_max + 1, dtype=np.int64)
    return {
        q: sizes[feasible_mask(printed, n_max, tie_rule, exhaustive)]
        for q, printed in _printed_by_question(results).items()
    }


def _runs(values: np.ndarray, limit: int = 6) -> str:
    """Compact text of a sorted integer set: ``"3, 7-9, 12, …"`` (first ``limit`` runs)."""
    if values.size == 0:
        return "∅"
    runs: list[str] = []
    start = prev = int(values[0])
    for v in (int(x) for x in values[1:]):
        if v == prev + 1:
            prev = v
            continue
        runs.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = v
    runs.append(f"{start}" if start == prev else f"{start}-{prev}")
    text = ", ".join(runs[:limit])
    return text + (", …" if len(runs) > limit else "")


def feasible_size_summary(
    results: pd.DataFrame, n_max: int = DEFAULT_N_MAX, tie_rule: TieRule = "both"
) -> pd.DataFrame:
    """One row per question and variant: how many N are feasible, the smallest, a preview.

    Why: 5000-element sets are unreadable; the count, the smallest member and the first
    runs are what a reader needs to see how restrictive each question is.
    """
    rows = []
    for exhaustive in (False, True):
        for q, sizes in feasible_sizes(results, n_max, tie_rule, exhaustive).items():
            rows.append(
                {
                    "question": q,
                    "constraint": "sum_k_equals_N" if exhaustive else "per_option",
                    "n_feasible": int(sizes.size),
                    "share_feasible": sizes.size / n_max,
                    "smallest_n": int(sizes[0]) if sizes.size else None,
                    "feasible_n_preview": _runs(sizes),
                    "n_max": n_max,
                    "tie_rule": tie_rule,
                }
            )
    out = pd.DataFrame(rows)
    out["smallest_n"] = out["smallest_n"].astype("Int64")
    return out.sort_values(["constraint", "question"], kind="mergesort").reset_index(drop=True)


def joint_feasible_sizes(
    results: pd.DataFrame,
    n_max: int = DEFAULT_N_MAX,
    tie_rule: TieRule = "both",
    exhaustive: bool = False,
) -> np.ndarray:
    """N in 1..n_max feasible for every question at once (same respondents throughout).

    Why: if all 13 questions were answered by the same N people, N must lie in the
    intersection of the per-question sets. Item non-response would break this assumption.
    """
    mask = np.ones(n_max, dtype=bool)
    for printed in _printed_by_question(results).values():
        mask &= feasible_mask(printed, n_max, tie_rule, exhaustive)
    return np.arange(1, n_max + 1, dtype=np.int64)[mask]


def smallest_joint_n(
    results: pd.DataFrame,
    n_max: int = DEFAULT_N_MAX,
    tie_rule: TieRule = "both",
    exhaustive: bool = False,
) -> int | None:
    """Smallest N feasible for all questions jointly, or ``None`` if none up to ``n_max``."""
    sizes = joint_feasible_sizes(results, n_max, tie_rule, exhaustive)
    return int(sizes[0]) if sizes.size else None


@dataclass(frozen=True)
class AssumedN:
    """The sample size used for derived counts, and why it was chosen.

    ``code`` names the reason for localised display: ``user`` (given as a parameter),
    ``joint_sum`` (smallest joint N with Σk=N), ``joint_option`` (smallest joint N, per
    option), ``exercise`` (chosen by hand in an exercise) or ``custom`` (any other, e.g. in
    tests); ``n_max`` is the search limit used.
    """

    n: int
    reason: str
    code: str = "custom"
    n_max: int | None = None

    @property
    def basis(self) -> str:
        """Text for the ``basis`` column of derived tables."""
        return derived_basis(self.n, self.reason)


def choose_sample_size(
    results: pd.DataFrame,
    sample_size: int | None = None,
    n_max: int = DEFAULT_N_MAX,
    tie_rule: TieRule = "both",
) -> AssumedN:
    """Resolve the N to analyse: the user's, else the smallest jointly feasible one.

    Why: the notebook parameter ``sample_size=None`` means "infer"; we prefer the
    single-choice (Σk=N) joint N, falling back to the per-option joint N, and say which.
    """
    if sample_size is not None:
        if int(sample_size) < 1:
            raise ValueError("sample_size must be a positive integer")
        return AssumedN(int(sample_size), "user-given sample_size", "user", n_max)
    n = smallest_joint_n(results, n_max, tie_rule, exhaustive=True)
    if n is not None:
        return AssumedN(n, f"smallest N ≤ {n_max} feasible for all questions with Σk=N",
                        "joint_sum", n_max)
    n = smallest_joint_n(results, n_max, tie_rule, exhaustive=False)
    if n is not None:
        return AssumedN(n, f"smallest N ≤ {n_max} feasible for all questions, per option",
                        "joint_option", n_max)
    raise ValueError(f"no N ≤ {n_max} is consistent with every question; give sample_size")


def _choose_counts(
    targets: Sequence[Fraction], k_min: Sequence[int], k_max: Sequence[int], n: int | None
) -> list[int] | None:
    """One count vector inside the bounds, closest to the targets ``p_i·N/100``.

    Rule: start from the nearest integer to each target (an exact half goes to the
    *smaller* count), clipped to ``[k_min, k_max]``. If ``n`` is given and the vector does
    not sum to it, move one unit at a time, largest-remainder style: to add, the option
    with the largest ``target − k`` that still has room; to remove, the option with the
    smallest ``target − k`` that can still give one. Ties go to the earlier printed option.
    Returns ``None`` when no vector can sum to ``n``.
    """
    counts = []
    for t, lo, hi in zip(targets, k_min, k_max, strict=True):
        nearest = int(t) + (1 if t - int(t) > Fraction(1, 2) else 0)
        counts.append(min(max(nearest, lo), hi))
    if n is None:
        return counts
    if not sum(k_min) <= n <= sum(k_max):
        return None
    while sum(counts) < n:
        room = [i for i in range(len(counts)) if counts[i] < k_max[i]]
        best = max(room, key=lambda i: (targets[i] - counts[i], -i))
        counts[best] += 1
    while sum(counts) > n:
        room = [i for i in range(len(counts)) if counts[i] > k_min[i]]
        best = min(room, key=lambda i: (targets[i] - counts[i], i))
        counts[best] -= 1
    return counts


def implied_counts(
    results: pd.DataFrame,
    assumed: AssumedN | int,
    tie_rule: TieRule = "both",
) -> pd.DataFrame:
    """Per option at the assumed N: the feasible counts and one chosen count vector.

    Columns: ``k_min``/``k_max`` (all counts that round to the printed share at this N,
    ignoring the other options), ``feasible_ks`` (the same as text), ``k`` (one vector with
    Σk = N, chosen by :func:`_choose_counts`; empty when the question cannot sum to N),
    ``k_share`` (100·k/N), ``k_rounds_to_printed`` (self-check) and ``basis``.
    Why: intervals and tests need counts, which the source does not give; this makes the
    derivation explicit and reproducible.
    """
    if isinstance(assumed, int):
        assumed = AssumedN(assumed, "user-given sample_size", "user")
    n = assumed.n
    table = _sorted_results(results)
    sizes = np.array([n], dtype=np.int64)
    frames = []
    for _, grp in table.groupby("question", sort=True):
        printed = [parse_printed_percent(t) for t in grp["printed"]]
        k_min, k_max = _question_bounds(printed, sizes, tie_rule)
        lows, highs = [int(x) for x in k_min[:, 0]], [int(x) for x in k_max[:, 0]]
        targets = [p.exact * n / HUNDRED for p in printed]
        feasible = all(a <= b for a, b in zip(lows, highs, strict=True))
        chosen = _choose_counts(targets, lows, highs, n) if feasible else None
        part = grp.copy()
        part["n"] = n
        part["k_min"] = lows
        part["k_max"] = highs
        part["feasible_ks"] = [
            "∅" if a > b else (f"{a}" if a == b else f"{a}-{b}")
            for a, b in zip(lows, highs, strict=True)
        ]
        part["k"] = pd.array(chosen if chosen else [None] * len(printed), dtype="Int64")
        part["k_share"] = [
            float(Fraction(100 * k, n)) if chosen else np.nan for k in (chosen or printed)
        ]
        part["k_rounds_to_printed"] = [
            rounds_to(k, n, p, tie_rule) if chosen else False
            for k, p in zip(chosen or [0] * len(printed), printed, strict=True)
        ]
        part["question_sums_to_n"] = chosen is not None
        part["basis"] = assumed.basis
        frames.append(part)
    keep = [c for c in ("question", "option_order", "option_kk", "option_en", "printed")
            if c in table.columns]
    extra = ["n", "k_min", "k_max", "feasible_ks", "k", "k_share", "k_rounds_to_printed",
             "question_sums_to_n", "basis"]
    return pd.concat(frames, ignore_index=True)[keep + extra]


# ---------------------------------------------------------------------------------------
# Uncertainty at an assumed N
# ---------------------------------------------------------------------------------------


def option_intervals(
    counts: pd.DataFrame, ci_level: float = 0.95, method: CIMethod = "wilson"
) -> pd.DataFrame:
    """Per-option binomial confidence intervals (percent) from the derived counts.

    ``method``: ``wilson`` (default; good coverage at small N), ``beta`` (Clopper-Pearson,
    exact and conservative), ``agresti_coull`` or ``jeffreys``. Each interval is for one
    option on its own; use :func:`simultaneous_intervals` for joint coverage.
    """
    if method not in CI_METHODS:
        raise ValueError(f"method must be one of {CI_METHODS}, got {method!r}")
    _check_level(ci_level)
    usable = counts[counts["k"].notna()].copy()
    k = usable["k"].astype(int).to_numpy()
    n = usable["n"].astype(int).to_numpy()
    lo, hi = proportion_confint(k, n, alpha=1 - ci_level, method=method)
    usable["estimate"] = 100 * k / n
    usable["ci_low"] = 100 * np.asarray(lo, dtype=float)
    usable["ci_high"] = 100 * np.asarray(hi, dtype=float)
    usable["ci_level"] = ci_level
    usable["method"] = method
    cols = [c for c in ("question", "option_order", "option_kk", "option_en", "printed")
            if c in usable.columns]
    cols += ["n", "k", "estimate", "ci_low", "ci_high", "ci_level", "method", "basis"]
    return usable[cols].reset_index(drop=True)


def _check_level(ci_level: float) -> None:
    if not 0 < ci_level < 1:
        raise ValueError("ci_level must be between 0 and 1")


def simultaneous_intervals(
    counts: pd.DataFrame, ci_level: float = 0.95, methods: Iterable[str] = SIMULTANEOUS_METHODS
) -> pd.DataFrame:
    """Simultaneous multinomial intervals per question (Goodman; Sison-Glaz).

    Why: per-option intervals each cover at ``ci_level`` on their own; statements about all
    options of a question at once ("friendship beats alliance and neutrality") need joint
    coverage. Sison-Glaz is recommended for 7+ categories; with the 3-5 options here it is
    shown for comparison and flagged in ``validity_note``.
    """
    _check_level(ci_level)
    frames = []
    for method in methods:
        if method not in SIMULTANEOUS_METHODS:
            raise ValueError(f"method must be one of {SIMULTANEOUS_METHODS}, got {method!r}")
        for _, grp in counts[counts["k"].notna()].groupby("question", sort=True):
            k = grp["k"].astype(int).to_numpy()
            notes = []
            if method == "sison-glaz" and len(k) < 7:
                notes.append("fewer than 7 categories (Sison-Glaz rule of thumb)")
            if (k < 5).any():
                notes.append("some counts below 5")
            try:
                ci = multinomial_proportions_confint(k, alpha=1 - ci_level, method=method)
            except Exception as exc:  # statsmodels raises bare Exception for sison-glaz
                ci = np.full((len(k), 2), np.nan)
                notes.append(f"not computable: {exc}")
            part = grp[[c for c in ("question", "option_order", "option_kk", "option_en",
                                    "printed", "n", "k", "basis") if c in grp.columns]].copy()
            part["estimate"] = 100 * k / k.sum()
            part["ci_low"] = 100 * ci[:, 0]
            part["ci_high"] = 100 * ci[:, 1]
            part["ci_level"] = ci_level
            part["method"] = method
            part["validity_note"] = "; ".join(notes)
            part["few_categories"] = method == "sison-glaz" and len(k) < 7
            part["small_counts"] = bool((k < 5).any())
            frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    front = [c for c in out.columns if c != "basis"] + ["basis"]
    return out[front].sort_values(["method", "question", "option_order"],
                                  kind="mergesort").reset_index(drop=True)


def chisquare_equal_shares(counts: pd.DataFrame) -> pd.DataFrame:
    """Chi-square goodness-of-fit of each question's derived counts against equal shares.

    Why: a first, deliberately naive question for students ("do respondents prefer some
    options?"). The counts are derived, so the p-value is conditional on the assumed N:
    doubling N roughly doubles the statistic.
    """
    rows = []
    for q, grp in counts[counts["k"].notna()].groupby("question", sort=True):
        k = grp["k"].astype(int).to_numpy()
        res = stats.chisquare(k)
        rows.append(
            {
                "question": int(q),
                "n": int(k.sum()),
                "n_options": len(k),
                "expected_per_option": k.sum() / len(k),
                "chi2": float(res.statistic),
                "dof": len(k) - 1,
                "p_value": float(res.pvalue),
                "min_expected_ge_5": bool(k.sum() / len(k) >= 5),
                "basis": grp["basis"].iloc[0],
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Reconciliation of questionnaire and results
# ---------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """NFKC, casefold, remove parenthesised instructions, fold Latin look-alikes."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = _PAREN.sub(" ", text)
    words = []
    for word in text.split():
        if any("CYRILLIC" in unicodedata.name(ch, "") for ch in word):
            word = word.translate(_HOMOGLYPHS)
        words.append(word)
    return " ".join(words)


def _words(text: str) -> list[str]:
    folded = _fold(text)
    cleaned = "".join(
        ch if ch.isalnum() else " " for ch in folded
    )
    return cleaned.split()


def normalise_label(text: str) -> str:
    """Comparison key of an option label.

    Steps, each for a reason seen in this source: Unicode NFKC and casefold; drop
    parenthesised instructions such as "(көрсетіңіз)" ("please specify"), which belong to
    the form, not the answer; fold Latin look-alike letters inside Cyrillic words
    ("Бизнеc" with a Latin c); remove punctuation and whitespace ("18-25" vs "18–25").
    """
    return "".join(_words(text))


def label_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two labels: the larger of two transparent measures.

    * ``difflib.SequenceMatcher`` ratio of the normalised strings: catches edits inside
      words ("Маңызды емес" / "Маңызсыз").
    * Shared-word overlap: the overlap coefficient ``|A ∩ B| / min(|A|, |B|)`` of the sets
      of word stems (first :data:`STEM_LENGTH` letters, conjunctions in :data:`STOPWORDS`
      dropped). It catches reordered words ("Ғылым және білім" / "Білім және ғылым") and
      shortened labels ("Барлық бағыттарда кешенді даму" / "Кешенді даму стратегиясы"),
      which the character ratio under-rates.
    """
    na, nb = normalise_label(a), normalise_label(b)
    if not na and not nb:
        return 1.0
    ratio = difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()
    sa, sb = _stems(a), _stems(b)
    overlap = len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0
    return max(ratio, overlap)


def _stems(text: str) -> set[str]:
    return {w[:STEM_LENGTH] for w in _words(text) if w not in STOPWORDS}


def _pair_options(
    asked: Sequence[str], reported: Sequence[str], threshold: float
) -> list[tuple[int, int, float, str]]:
    """Greedy pairing: identical, then normalised-equal, then best-scoring renames.

    Returns ``(asked_index, reported_index, score, status)``. Greedy by descending score
    (ties: earlier asked, then earlier reported) keeps the pairing explainable and
    deterministic; with at most five options per question it matches an optimal
    assignment in practice.
    """
    pairs: list[tuple[int, int, float, str]] = []
    free_a, free_r = set(range(len(asked))), set(range(len(reported)))
    for status, same in (
        ("identical", lambda a, r: a.strip() == r.strip()),
        ("normalised_equal", lambda a, r: normalise_label(a) == normalise_label(r)),
    ):
        for i in sorted(free_a):
            for j in sorted(free_r):
                if same(asked[i], reported[j]):
                    pairs.append((i, j, 1.0, status))
                    free_a.discard(i)
                    free_r.discard(j)
                    break
    scored = sorted(
        ((label_similarity(asked[i], reported[j]), i, j) for i in free_a for j in free_r),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for score, i, j in scored:
        if score >= threshold and i in free_a and j in free_r:
            pairs.append((i, j, score, "renamed"))
            free_a.discard(i)
            free_r.discard(j)
    return pairs


def reconcile_options(
    questionnaire: pd.DataFrame,
    results: pd.DataFrame,
    threshold: float = RENAME_THRESHOLD,
) -> pd.DataFrame:
    """Pair the options asked (Қосымша Ә) with the options reported (Қосымша Б).

    One row per asked or reported option with ``status``: ``identical``,
    ``normalised_equal`` (same after :func:`normalise_label`), ``renamed`` (similarity ≥
    ``threshold``), ``asked_not_reported`` or ``reported_not_asked``; the pairing score; and
    for unmatched rows the best candidate on the other side with its score, so that a
    reader can overrule the threshold. Why: a result that reports an option nobody was
    offered (or drops one that was) changes what the percentages mean.
    """
    q_table = questionnaire.copy()
    q_table["question"] = q_table["question"].astype(int)
    q_table = q_table.sort_values(["question", "option_letter"], kind="mergesort")
    r_table = _sorted_results(results)
    rows = []
    questions = sorted(set(q_table["question"]) | set(r_table["question"]))
    for q in questions:
        qa = q_table[q_table["question"] == q].reset_index(drop=True)
        qr = r_table[r_table["question"] == q].reset_index(drop=True)
        asked = list(qa["option_kk"])
        reported = list(qr["option_kk"])
        pairs = _pair_options(asked, reported, threshold)
        paired_a = {i for i, _, _, _ in pairs}
        paired_r = {j for _, j, _, _ in pairs}

        def asked_row(i: int, qa: pd.DataFrame = qa) -> dict[str, object]:
            return {
                "option_letter": qa.at[i, "option_letter"],
                "asked_position": i + 1,
                "asked_kk": qa.at[i, "option_kk"],
                "asked_en": qa.at[i, "option_en"] if "option_en" in qa else None,
            }

        def reported_row(j: int, qr: pd.DataFrame = qr) -> dict[str, object]:
            return {
                "option_order": int(qr.at[j, "option_order"]),
                "reported_kk": qr.at[j, "option_kk"],
                "reported_en": qr.at[j, "option_en"] if "option_en" in qr else None,
                "printed": qr.at[j, "printed"],
            }

        for i, j, score, status in pairs:
            rows.append({"question": q, "status": status, "score": round(score, 3),
                         **asked_row(i), **reported_row(j)})
        for i in sorted(set(range(len(asked))) - paired_a):
            best = _best_candidate(asked[i], reported)
            rows.append({"question": q, "status": "asked_not_reported", "score": None,
                         **asked_row(i), "best_candidate": best[0], "best_score": best[1]})
        for j in sorted(set(range(len(reported))) - paired_r):
            best = _best_candidate(reported[j], asked)
            rows.append({"question": q, "status": "reported_not_asked", "score": None,
                         **reported_row(j), "best_candidate": best[0], "best_score": best[1]})
    cols = ["question", "status", "score", "option_letter", "asked_position", "asked_kk",
            "asked_en", "option_order", "reported_kk", "reported_en", "printed",
            "best_candidate", "best_score"]
    out = pd.DataFrame(rows).reindex(columns=cols)
    out["asked_position"] = out["asked_position"].astype("Int64")
    out["option_order"] = out["option_order"].astype("Int64")
    out["_key"] = out["asked_position"].fillna(99).astype(int) * 100 + out[
        "option_order"
    ].fillna(99).astype(int)
    out = out.sort_values(["question", "_key"], kind="mergesort").drop(columns="_key")
    return out.reset_index(drop=True)


def _best_candidate(label: str, others: Sequence[str]) -> tuple[str | None, float | None]:
    if not others:
        return None, None
    scores = [(label_similarity(label, o), -k, o) for k, o in enumerate(others)]
    score, _, best = max(scores)
    return best, round(score, 3)


def reconciliation_summary(
    questionnaire: pd.DataFrame, results: pd.DataFrame, threshold: float = RENAME_THRESHOLD
) -> pd.DataFrame:
    """Per question: counts of each reconciliation status, order changes, question wording.

    Why: the per-option table is long; this gives the one-line verdict per question,
    including whether the reported order differs from the asked order and how similar the
    printed question texts of Ә and Б are.
    """
    detail = reconcile_options(questionnaire, results, threshold)
    q_text = questionnaire.drop_duplicates("question").set_index("question")["question_kk"]
    r_text = results.drop_duplicates("question").set_index("question")["question_kk"]
    rows = []
    for q, grp in detail.groupby("question", sort=True):
        counts = Counter(grp["status"])
        paired = grp[grp["asked_position"].notna() & grp["option_order"].notna()]
        by_asked = paired.sort_values("asked_position")["option_order"].tolist()
        rows.append(
            {
                "question": int(q),
                "n_asked": int(grp["asked_position"].notna().sum()),
                "n_reported": int(grp["option_order"].notna().sum()),
                "identical": counts["identical"],
                "normalised_equal": counts["normalised_equal"],
                "renamed": counts["renamed"],
                "asked_not_reported": counts["asked_not_reported"],
                "reported_not_asked": counts["reported_not_asked"],
                "order_changed": by_asked != sorted(by_asked),
                "question_text_similarity": round(
                    label_similarity(str(q_text.get(q, "")), str(r_text.get(q, ""))), 3
                ),
            }
        )
    return pd.DataFrame(rows)


def mixed_script_labels(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Cells whose words mix Latin and Cyrillic letters (e.g. "Бизнеc" with a Latin c).

    Why: look-alike letters defeat exact matching and search; they are transcription or
    typing artefacts of the source, reported here rather than silently fixed.
    """
    rows = []
    for idx, row in frame.iterrows():
        for col in columns:
            for word in str(row[col]).split():
                scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in word if ch.isalpha()}
                if {"LATIN", "CYRILLIC"} <= scripts:
                    latin = "".join(ch for ch in word
                                    if unicodedata.name(ch, "").startswith("LATIN"))
                    rows.append({"row": idx, "question": row.get("question"), "column": col,
                                 "text": row[col], "word": word, "latin_letters": latin,
                                 "source_line": row.get("source_line")})
    return pd.DataFrame(rows, columns=["row", "question", "column", "text", "word",
                                       "latin_letters", "source_line"])


# ---------------------------------------------------------------------------------------
# Repeated numeric blocks
# ---------------------------------------------------------------------------------------


def _longest_common_run(a: Sequence[Decimal], b: Sequence[Decimal]) -> list[Decimal]:
    """Longest contiguous run of values occurring in the same order in both sequences."""
    best: list[Decimal] = []
    for i in range(len(a)):
        for j in range(len(b)):
            length = 0
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            if length > len(best):
                best = list(a[i : i + length])
    return best


def _value_labels(
    shared: Sequence[Decimal],
    a: Sequence[Decimal],
    b: Sequence[Decimal],
    labels_a: Sequence[str],
    labels_b: Sequence[str],
) -> dict[str, object]:
    """Which option carries each shared value in either question.

    Why: a repeated block is most telling when the same number sits under a *different*
    option (question 5 prints 19 % for "Жауап жоқ", question 11 for "Орташа").
    """
    used_a: set[int] = set()
    used_b: set[int] = set()
    parts: list[str] = []
    relabelled = 0
    for value in shared:
        i = next(k for k, v in enumerate(a) if v == value and k not in used_a)
        j = next(k for k, v in enumerate(b) if v == value and k not in used_b)
        used_a.add(i)
        used_b.add(j)
        parts.append(f"{_fmt(value)}: {labels_a[i]} ↔ {labels_b[j]}")
        relabelled += normalise_label(labels_a[i]) != normalise_label(labels_b[j])
    return {"value_labels": "; ".join(parts), "relabelled": relabelled}


def repeated_blocks(results: pd.DataFrame, min_length: int = 3) -> pd.DataFrame:
    """Pairs of questions whose printed percentages repeat, fully or partly.

    For every pair of questions: ``identical_ordered`` (same values in the same printed
    order), ``identical_multiset`` (same values in any order), the longest run of
    ``≥ min_length`` values shared in the same order, and the shared multiset of values
    when it has ``≥ min_length`` elements. Why: two different questions rarely produce the
    same distribution, so repeats can point at copy-paste in the appendix (questions 5 and
    11 share 40, 36, 19, 5). Values are compared exactly (Decimal), so "19%" equals
    "19.0%" but not "19.5%". Small integer percentages coincide by chance too; the
    ``kind`` column ranks the evidence: identical_ordered > identical_multiset >
    shared_run > shared_multiset.
    """
    table = _sorted_results(results)
    by_q = {
        q: [parse_printed_percent(t).value for t in grp["printed"]]
        for q, grp in table.groupby("question", sort=True)
    }
    labels = {q: list(grp["option_kk"]) for q, grp in table.groupby("question", sort=True)}
    rows = []
    for qa, qb in combinations(sorted(by_q), 2):
        a, b = by_q[qa], by_q[qb]
        run = _longest_common_run(a, b)
        shared = sorted((Counter(a) & Counter(b)).elements(), reverse=True)
        ordered = a == b
        multiset = Counter(a) == Counter(b)
        if ordered:
            kind = "identical_ordered"
        elif multiset:
            kind = "identical_multiset"
        elif len(run) >= min_length:
            kind = "shared_run"
        elif len(shared) >= min_length:
            kind = "shared_multiset"
        else:
            continue
        rows.append(
            {
                "question_a": qa,
                "question_b": qb,
                "kind": kind,
                "identical_ordered": ordered,
                "identical_multiset": multiset,
                "run_length": len(run),
                "run_values": ", ".join(_fmt(v) for v in run),
                "shared_count": len(shared),
                "shared_values": ", ".join(_fmt(v) for v in shared),
                "values_a": ", ".join(_fmt(v) for v in a),
                "values_b": ", ".join(_fmt(v) for v in b),
                **_value_labels(shared, a, b, labels[qa], labels[qb]),
            }
        )
    kinds = ["identical_ordered", "identical_multiset", "shared_run", "shared_multiset"]
    out = pd.DataFrame(rows, columns=[
        "question_a", "question_b", "kind", "identical_ordered", "identical_multiset",
        "run_length", "run_values", "shared_count", "shared_values", "values_a", "values_b",
        "value_labels", "relabelled"])
    out["_rank"] = out["kind"].map({k: i for i, k in enumerate(kinds)})
    out = out.sort_values(["_rank", "question_a", "question_b"], kind="mergesort")
    return out.drop(columns="_rank").reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Everything a notebook needs
# ---------------------------------------------------------------------------------------


@dataclass
class SurveyReport:
    """All survey tables for one parameter set; every DataFrame tidy and sorted.

    ``assumed`` records the N behind every derived table and the reason it was chosen.
    """

    assumed: AssumedN
    tie_rule: str
    ci_level: float
    ci_method: str
    results: pd.DataFrame
    sums: pd.DataFrame
    feasible_summary: pd.DataFrame
    joint: pd.DataFrame
    counts: pd.DataFrame
    intervals: pd.DataFrame
    simultaneous: pd.DataFrame
    chisquare: pd.DataFrame
    reconciliation: pd.DataFrame
    reconciliation_summary: pd.DataFrame
    repeats: pd.DataFrame
    mixed_script: pd.DataFrame
    feasible_sets: dict[str, dict[int, np.ndarray]] = field(default_factory=dict)

    def question(self, q: int) -> dict[str, pd.DataFrame]:
        """The tables restricted to one question, for a per-question notebook section."""
        q = int(q)

        def pick(df: pd.DataFrame, col: str = "question") -> pd.DataFrame:
            return df[df[col] == q].reset_index(drop=True)

        repeats = self.repeats[
            (self.repeats["question_a"] == q) | (self.repeats["question_b"] == q)
        ].reset_index(drop=True)
        return {
            "results": pick(self.results),
            "sums": pick(self.sums),
            "feasible": pick(self.feasible_summary),
            "counts": pick(self.counts),
            "intervals": pick(self.intervals),
            "simultaneous": pick(self.simultaneous),
            "chisquare": pick(self.chisquare),
            "reconciliation": pick(self.reconciliation),
            "repeats": repeats,
        }


def joint_summary(
    results: pd.DataFrame, n_max: int = DEFAULT_N_MAX, tie_rule: TieRule = "both"
) -> pd.DataFrame:
    """Smallest jointly feasible N and the number of joint N, with and without Σk=N."""
    rows = []
    for exhaustive in (False, True):
        sizes = joint_feasible_sizes(results, n_max, tie_rule, exhaustive)
        rows.append(
            {
                "constraint": "sum_k_equals_N" if exhaustive else "per_option",
                "smallest_joint_n": int(sizes[0]) if sizes.size else None,
                "n_joint_feasible": int(sizes.size),
                "joint_feasible_preview": _runs(sizes),
                "n_max": n_max,
                "tie_rule": tie_rule,
            }
        )
    out = pd.DataFrame(rows)
    out["smallest_joint_n"] = out["smallest_joint_n"].astype("Int64")
    return out


def build_report(
    results: pd.DataFrame,
    questionnaire: pd.DataFrame,
    sample_size: int | None = None,
    ci_level: float = 0.95,
    ci_method: CIMethod = "wilson",
    n_max: int = DEFAULT_N_MAX,
    tie_rule: TieRule = "both",
    rename_threshold: float = RENAME_THRESHOLD,
) -> SurveyReport:
    """Run every analysis once and return the tables a notebook displays.

    Why: the notebook stays a thin narrative; it calls this once with its parameters and
    then only selects, localises and plots.
    """
    if tie_rule not in TIE_RULES:
        raise ValueError(f"tie_rule must be one of {TIE_RULES}, got {tie_rule!r}")
    assumed = choose_sample_size(results, sample_size, n_max, tie_rule)
    counts = implied_counts(results, assumed, tie_rule)
    sets = {
        "per_option": feasible_sizes(results, n_max, tie_rule, exhaustive=False),
        "sum_k_equals_N": feasible_sizes(results, n_max, tie_rule, exhaustive=True),
    }
    return SurveyReport(
        assumed=assumed,
        tie_rule=tie_rule,
        ci_level=ci_level,
        ci_method=ci_method,
        results=_sorted_results(results),
        sums=sum_table(results, tie_rule),
        feasible_summary=feasible_size_summary(results, n_max, tie_rule),
        joint=joint_summary(results, n_max, tie_rule),
        counts=counts,
        intervals=option_intervals(counts, ci_level, ci_method),
        simultaneous=simultaneous_intervals(counts, ci_level),
        chisquare=chisquare_equal_shares(counts),
        reconciliation=reconcile_options(questionnaire, results, rename_threshold),
        reconciliation_summary=reconciliation_summary(questionnaire, results, rename_threshold),
        repeats=repeated_blocks(results),
        mixed_script=pd.concat(
            [
                mixed_script_labels(questionnaire, ["question_kk", "option_kk"]).assign(
                    table="survey_questionnaire"
                ),
                mixed_script_labels(results, ["question_kk", "option_kk"]).assign(
                    table="survey_results"
                ),
            ],
            ignore_index=True,
        ),
        feasible_sets=sets,
    )


# ---------------------------------------------------------------------------------------
# Presentation: localised tables and figures for notebooks/04_survey.ipynb
# ---------------------------------------------------------------------------------------


def headline(report: SurveyReport) -> dict[str, object]:
    """The few numbers the notebook's narrative sentences quote."""
    joint = report.joint.set_index("constraint")
    sums = report.sums
    return {
        "n_option": joint.loc["per_option", "smallest_joint_n"],
        "n_sum": joint.loc["sum_k_equals_N", "smallest_joint_n"],
        "count": int(joint.loc["sum_k_equals_N", "n_joint_feasible"]),
        "n_max": int(joint.loc["per_option", "n_max"]),
        "bad": int((~sums["feasible"]).sum()),
        "off": int((sums["feasible"] & (sums["deviation"] != 0)).sum()),
    }


def interval_width_by_n(
    results: pd.DataFrame,
    question: int,
    option_order: int,
    sizes: Iterable[int],
    ci_level: float = 0.95,
    method: CIMethod = "wilson",
    tie_rule: TieRule = "both",
) -> pd.DataFrame:
    """How one option's per-option interval narrows as the assumed N grows (exercise).

    For each N: the count closest to the printed share among the feasible ones (empty when
    the printed share is impossible at that N), the interval and its width in points.
    Why: students see that the width falls like 1/√N, and that N is an assumption.
    """
    _check_level(ci_level)
    table = _sorted_results(results)
    row = table[(table["question"] == question) & (table["option_order"] == option_order)]
    if row.empty:
        raise KeyError(f"no option {option_order} in question {question}")
    printed = parse_printed_percent(row["printed"].iloc[0])
    out = []
    for n in sorted({int(s) for s in sizes}):
        k_min, k_max = count_bounds(share_interval(printed, tie_rule), np.array([n]))
        lo_k, hi_k = int(k_min[0]), int(k_max[0])
        if lo_k > hi_k:
            out.append({"n": n, "k": None, "ci_low": np.nan, "ci_high": np.nan,
                        "width": np.nan})
            continue
        k = _choose_counts([printed.exact * n / HUNDRED], [lo_k], [hi_k], None)[0]
        lo, hi = proportion_confint(k, n, alpha=1 - ci_level, method=method)
        out.append({"n": n, "k": k, "ci_low": 100 * float(lo), "ci_high": 100 * float(hi),
                    "width": 100 * (float(hi) - float(lo))})
    frame = pd.DataFrame(out)
    frame["k"] = frame["k"].astype("Int64")
    frame.insert(0, "printed", printed.text)
    frame.insert(0, "option_order", option_order)
    frame.insert(0, "question", question)
    frame["basis"] = [derived_basis(int(n), "chosen by hand for the exercise")
                      for n in frame["n"]]
    return frame
