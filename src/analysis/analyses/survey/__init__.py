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

Rounding
--------
The rounding model is :mod:`analysis.methods.rounding` (half-up and half-even, exact half-open
intervals); the survey's tie rules (``"both"``, the default here, is the union of every
convention) are explained in :mod:`analysis.analyses.survey.percent`.

Sample sizes are tested in two variants, per option and with the counts summing to N
(:mod:`~analysis.analyses.survey.granularity`); on this dissertation both give the same
smallest joint N under the default tie rule.

Where each part lives: :mod:`~analysis.analyses.survey.percent` (printed percentages, tie
rules, count bounds), :mod:`~analysis.analyses.survey.granularity` (sums, feasible N),
:mod:`~analysis.analyses.survey.inference` (counts, intervals and tests at an assumed N),
:mod:`~analysis.analyses.survey.reconcile` (questionnaire vs results, repeated blocks).
This package module runs them all once (:func:`build_report`) for
``notebooks/04_survey.ipynb``; its public names are the API notebooks and the checks use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from analysis.analyses.survey.granularity import (
    feasible_mask,
    feasible_size_summary,
    feasible_sizes,
    joint_feasible_sizes,
    joint_summary,
    runs_text,
    smallest_joint_n,
    sum_table,
)
from analysis.analyses.survey.inference import (
    CI_METHODS,
    SIMULTANEOUS_METHODS,
    AssumedN,
    CIMethod,
    SimultaneousMethod,
    chisquare_equal_shares,
    choose_sample_size,
    derived_basis,
    implied_counts,
    interval_width_by_n,
    option_intervals,
    simultaneous_intervals,
)
from analysis.analyses.survey.percent import (
    DEFAULT_N_MAX,
    TIE_RULES,
    PrintedPercent,
    ShareInterval,
    TieRule,
    count_bounds,
    parse_printed_percent,
    rounds_to,
    share_interval,
    sorted_results,
)
from analysis.analyses.survey.reconcile import (
    RENAME_THRESHOLD,
    STEM_LENGTH,
    STOPWORDS,
    label_similarity,
    mixed_script_labels,
    normalise_label,
    reconcile_options,
    reconciliation_summary,
    repeated_blocks,
)

__all__ = [
    "CI_METHODS", "DEFAULT_N_MAX", "RENAME_THRESHOLD", "SIMULTANEOUS_METHODS", "STEM_LENGTH",
    "STOPWORDS", "TIE_RULES", "AssumedN", "CIMethod", "PrintedPercent", "ShareInterval",
    "SimultaneousMethod", "SurveyReport", "TieRule", "build_report", "chisquare_equal_shares",
    "choose_sample_size", "count_bounds", "derived_basis", "feasible_mask",
    "feasible_size_summary", "feasible_sizes", "headline", "implied_counts",
    "interval_width_by_n", "joint_feasible_sizes", "joint_summary", "label_similarity",
    "mixed_script_labels", "normalise_label", "option_intervals", "parse_printed_percent",
    "reconcile_options", "reconciliation_summary", "repeated_blocks", "rounds_to",
    "runs_text", "share_interval", "simultaneous_intervals", "smallest_joint_n",
    "sorted_results", "sum_table",
]


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


def build_report(
    results: pd.DataFrame,
    questionnaire: pd.DataFrame,
    sample_size: int | None = None,
    ci_level: float = 0.95,
    ci_method: CIMethod = "wilson",
    n_max: int = DEFAULT_N_MAX,
    tie_rule: TieRule = "both",
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
        results=sorted_results(results),
        sums=sum_table(results, tie_rule),
        feasible_summary=feasible_size_summary(results, n_max, tie_rule),
        joint=joint_summary(results, n_max, tie_rule),
        counts=counts,
        intervals=option_intervals(counts, ci_level, ci_method),
        simultaneous=simultaneous_intervals(counts, ci_level),
        chisquare=chisquare_equal_shares(counts),
        reconciliation=reconcile_options(questionnaire, results),
        reconciliation_summary=reconciliation_summary(questionnaire, results),
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
        "count": int(cast(Any, joint.loc["sum_k_equals_N", "n_joint_feasible"])),
        "n_max": int(cast(Any, joint.loc["per_option", "n_max"])),
        "bad": int((~sums["feasible"]).sum()),
        "off": int((sums["feasible"] & (sums["deviation"] != 0)).sum()),
    }
