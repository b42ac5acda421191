"""Derived counts and their uncertainty at an assumed number of respondents.

The dissertation never states how many people answered, so every count here is a
consequence of an assumed ``N`` (inferred by :mod:`analysis.analyses.survey.granularity` or given by
the user): :func:`implied_counts`, :func:`option_intervals`, :func:`simultaneous_intervals`,
:func:`chisquare_equal_shares` and :func:`interval_width_by_n`. Every such table carries a
``basis`` column saying that the counts are DERIVED from that assumed ``N`` and were never
observed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

# SciPy and statsmodels are imported by the functions that use them: the claims ledger
# reads this package's percent arithmetic (``kaztur check``, the run's ledger task) and
# never these intervals, and importing the two costs that process about a second
from analysis.analyses.survey.granularity import question_bounds, smallest_joint_n
from analysis.analyses.survey.percent import (
    DEFAULT_N_MAX,
    HUNDRED,
    TieRule,
    count_bounds,
    parse_printed_percent,
    rounds_to,
    share_interval,
    sorted_results,
)

CIMethod = Literal["wilson", "beta", "agresti_coull", "jeffreys"]
SimultaneousMethod = Literal["goodman", "sison-glaz"]
CI_METHODS: tuple[str, ...] = ("wilson", "beta", "agresti_coull", "jeffreys")
SIMULTANEOUS_METHODS: tuple[str, ...] = ("goodman", "sison-glaz")


def derived_basis(n: int, reason: str) -> str:
    """Text of the ``basis`` column that every count-based table carries.

    Why: the dissertation never states N, so any count is a consequence of an assumption;
    writing that into every row keeps the assumption attached when a table is copied out.
    """
    return f"DERIVED from assumed N={n} ({reason}); not observed"


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
    table = sorted_results(results)
    frames = [_question_counts(grp, assumed, tie_rule)
              for _, grp in table.groupby("question", sort=True)]
    keep = [c for c in ("question", "option_order", "option_kk", "option_en", "printed")
            if c in table.columns]
    extra = ["n", "k_min", "k_max", "feasible_ks", "k", "k_share", "k_rounds_to_printed",
             "question_sums_to_n", "basis"]
    return pd.concat(frames, ignore_index=True)[keep + extra]


def _feasible_text(lows: Sequence[int], highs: Sequence[int]) -> list[str]:
    """Each option's feasible counts as text: ``∅`` (none), ``7`` or ``7-9``."""
    return ["∅" if a > b else (f"{a}" if a == b else f"{a}-{b}")
            for a, b in zip(lows, highs, strict=True)]


def _question_counts(grp: pd.DataFrame, assumed: AssumedN, tie_rule: TieRule
                     ) -> pd.DataFrame:
    """One question's options at N = ``assumed.n``: the counts each printed share allows on
    its own, and one vector of counts that sums to N (none when no vector does)."""
    n = assumed.n
    printed = [parse_printed_percent(t) for t in grp["printed"]]
    k_min, k_max = question_bounds(printed, np.array([n], dtype=np.int64), tie_rule)
    lows, highs = [int(x) for x in k_min[:, 0]], [int(x) for x in k_max[:, 0]]
    targets = [p.exact * n / HUNDRED for p in printed]
    feasible = all(a <= b for a, b in zip(lows, highs, strict=True))
    chosen = _choose_counts(targets, lows, highs, n) if feasible else None
    part = grp.copy()
    part["n"] = n
    part["k_min"] = lows
    part["k_max"] = highs
    part["feasible_ks"] = _feasible_text(lows, highs)
    part["k"] = pd.array(chosen if chosen else [None] * len(printed), dtype="Int64")
    part["k_share"] = ([float(Fraction(100 * k, n)) for k in chosen] if chosen
                       else [np.nan] * len(printed))
    part["k_rounds_to_printed"] = [rounds_to(k, n, p, tie_rule) if chosen else False
                                   for k, p in zip(chosen or [0] * len(printed), printed,
                                                   strict=True)]
    part["question_sums_to_n"] = chosen is not None
    part["basis"] = assumed.basis
    return part


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
    from statsmodels.stats.proportion import proportion_confint  # lazy: see the imports

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
    from statsmodels.stats.proportion import (  # lazy: see the imports
        multinomial_proportions_confint,
    )

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
    from scipy import stats  # lazy: see the imports

    rows = []
    for key, grp in counts[counts["k"].notna()].groupby("question", sort=True):
        q = cast(Any, key)
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
    from statsmodels.stats.proportion import proportion_confint  # lazy: see the imports

    _check_level(ci_level)
    table = sorted_results(results)
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
        chosen = _choose_counts([printed.exact * n / HUNDRED], [lo_k], [hi_k], None)
        assert chosen is not None  # lo_k <= hi_k: one option always has a count
        k = chosen[0]
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
