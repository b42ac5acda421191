"""Sums and sample sizes of the printed survey shares (Қосымша Б).

* **Sums** (:func:`sum_table`): whether each question's printed shares could come from
  true shares summing to exactly 100 %, given the rounding the author applied.
* **Sample size** (:func:`feasible_sizes`, :func:`smallest_joint_n`): a GRIM-style
  granularity test. Only certain respondent counts ``N`` can produce the printed
  percentages; we enumerate them with exact integer arithmetic (floor/ceil divisions of
  integers, :func:`analysis.analyses.survey.percent.count_bounds`).

Two granularity variants, and what each is used for
---------------------------------------------------
``exhaustive=False`` ("per option"): every option needs *some* count ``k_i`` out of ``N``
that rounds to its printed share. It assumes nothing about how the options relate, so it
is the safe consistency test (multiple choice, unreported non-response) and gives the
per-option count ranges. ``exhaustive=True`` ("Σk = N"): additionally the counts must add
up to ``N``, as in a single-choice question with exhaustive options. It is the variant
used to infer the joint N and to choose the count vector behind the multinomial intervals
and the chi-square test.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import pandas as pd

from analysis.analyses.survey.percent import (
    DEFAULT_N_MAX,
    HUNDRED,
    PrintedPercent,
    TieRule,
    count_bounds,
    exact_text,
    printed_by_question,
    share_interval,
)
from analysis.methods import rounding


def sum_table(results: pd.DataFrame, tie_rule: TieRule = "both") -> pd.DataFrame:
    """Per question: printed sum, deviation from 100 and whether rounding can explain it.

    Why: when each respondent picks exactly one option the true shares sum to exactly
    100, so the printed sum may miss 100 only by the accumulated rounding. The question is
    consistent iff 100 lies in the sum of the options' intervals
    (:func:`analysis.methods.rounding.total`: an end is closed only when every option's end is; with
    ``"both"`` both ends count). All arithmetic is exact.
    """
    rows = []
    for q, printed in printed_by_question(results).items():
        total = sum((p.exact for p in printed), Fraction(0))
        span = rounding.total(share_interval(p, tie_rule) for p in printed)
        assert span.lo is not None and span.hi is not None
        rows.append(
            {
                "question": q,
                "n_options": len(printed),
                "printed_sum": exact_text(total),
                "sum": float(total),
                "deviation": float(total - HUNDRED),
                "max_decimals": max(p.decimals for p in printed),
                "sum_lo": float(span.lo),
                "sum_hi": float(span.hi),
                "max_rounding_error": float(span.hi - total),
                "feasible": span.contains(HUNDRED),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Sample size (granularity)
# ---------------------------------------------------------------------------------------


def question_bounds(
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
    k_min, k_max = question_bounds(printed, sizes, tie_rule)
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
        for q, printed in printed_by_question(results).items()
    }


def runs_text(values: np.ndarray, limit: int | None = 6) -> str:
    """Compact text of a sorted integer set: ``"3, 7-9, 12, …"`` (first ``limit`` runs;
    ``None``: all of them, the whole set)."""
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
    if limit is None:
        return ", ".join(runs)
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
                    "feasible_n_preview": runs_text(sizes),
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
    for printed in printed_by_question(results).values():
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
                "joint_feasible_preview": runs_text(sizes),
                "n_max": n_max,
                "tie_rule": tie_rule,
            }
        )
    out = pd.DataFrame(rows)
    out["smallest_joint_n"] = out["smallest_joint_n"].astype("Int64")
    return out
