"""Survey report tables for display in ``04_survey`` (specs in ``specs/survey.yaml``,
labels in ``labels/survey.yaml``).

Why a module: the report's tables are data; what a reader sees adds two things that depend
on the language, the ``basis`` sentence (the DERIVED warning, never lost in translation) and
exact sums written in the language's notation. :func:`frame` prepares a report table for
``ex.table(<output name>, ...)``; the notebook's sentences and captions take their numbers
from :func:`caption_args` and :func:`headline_results`, written with
:mod:`analysis.present.numbers`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

import pandas as pd

from analysis.analyses.survey import DEFAULT_N_MAX, AssumedN, SurveyReport, headline
from analysis.present import numbers, results, tablespec
from analysis.present.i18n import t
from analysis.present.results import Result

#: For each displayable report table: the report attribute and the output name (the
#: table's spec).
DISPLAY: dict[str, tuple[str, str]] = {
    "results": ("results", "survey_results"),
    "sums": ("sums", "survey_sums"),
    "feasible": ("feasible_summary", "survey_feasible_n"),
    "joint": ("joint", "survey_joint_n"),
    "counts": ("counts", "survey_implied_counts"),
    "intervals": ("intervals", "survey_intervals"),
    "simultaneous": ("simultaneous", "survey_simultaneous"),
    "chisquare": ("chisquare", "survey_chisquare"),
    "reconciliation_summary": ("reconciliation_summary", "survey_reconciliation_summary"),
    "reconciliation": ("reconciliation", "survey_reconciliation"),
    "repeats": ("repeats", "survey_repeated_blocks"),
    "mixed_script": ("mixed_script", "survey_mixed_script"),
}


def reason_text(assumed: AssumedN, lang: str) -> str:
    """Why this N, in the notebook's language."""
    return t(f"survey.reason.{assumed.code}", lang,
             n_max=numbers.number(assumed.n_max, lang) if assumed.n_max else "")


def basis_text(assumed: AssumedN, lang: str) -> str:
    """The ``basis`` sentence in the notebook's language (same content as ``basis``)."""
    return t("survey.basis", lang, n=numbers.number(assumed.n, lang),
             reason=reason_text(assumed, lang))


def caption_args(report: SurveyReport, lang: str, n_show: int = 1200) -> dict[str, object]:
    """Values the table and figure captions are formatted with, in ``lang``'s notation."""
    level = 100 * report.ci_level
    return {
        "n": numbers.number(report.assumed.n, lang),
        "n_max": numbers.number(report.assumed.n_max or DEFAULT_N_MAX, lang),
        "method": report.ci_method,
        "level": numbers.number(level, lang, numbers.tick_decimals([level])),
        "n_show": numbers.number(n_show, lang),
    }


def headline_results(report: SurveyReport) -> dict[str, Result]:
    """The survey's key results (:func:`analysis.analyses.survey.headline`): the sums that
    rounding explains (``survey.say.sums``), the smallest N every question fits
    (``survey.say.joint``), and the sample size for the front page."""
    head = headline(report)
    values = {key: results.count(cast(float, value)) for key, value in head.items()}
    def pick(*keys: str) -> dict[str, results.Value]:
        return {k: values[k] for k in keys}

    return {
        "sums": Result("survey.sums", pick("bad", "off"), text="survey.say.sums"),
        "joint": Result("survey.joint_n", pick("n_option", "n_sum", "count", "n_max"),
                        text="survey.say.joint"),
        "sample_size": Result(
            "survey.sample_size", {"n": values["n_option"], "count": values["count"],
                                   "n_max": values["n_max"]},
            text="result.survey.sample_size", section="result.section.survey", front=True,
            ledger_check="survey.joint_n"),
    }


def _exact(value: object) -> object:
    """An exact decimal sum kept as text by the analysis (``"99.5"``) as a Decimal, so the
    table writes it in the reader's notation with its own decimals."""
    return Decimal(value) if isinstance(value, str) and value else value


def frame(report: SurveyReport, name: str, lang: str) -> pd.DataFrame:
    """The report table ``name`` (a key of :data:`DISPLAY`) ready for its spec: the basis
    sentence in ``lang``, exact sums as decimals."""
    attr, _output = DISPLAY[name]
    out = getattr(report, attr).copy()
    if "basis" in out.columns:
        out["basis"] = basis_text(report.assumed, lang)
    if "printed_sum" in out.columns:
        out["printed_sum"] = out["printed_sum"].map(_exact)
    return out


def display_table(report: SurveyReport, name: str, lang: str) -> pd.DataFrame:
    """A report table as a reader sees it: its spec's columns, headers and values in
    ``lang`` (what ``ex.table`` saves)."""
    _attr, output = DISPLAY[name]
    return tablespec.localize(frame(report, name, lang), tablespec.spec(output), lang)


def questionnaire(questionnaire: pd.DataFrame) -> pd.DataFrame:
    """Қосымша Ә as printed, sorted by question and option letter."""
    return questionnaire.sort_values(["question", "option_letter"], kind="mergesort")


def widths(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`analysis.analyses.survey.interval_width_by_n` for display, the basis sentence in
    ``lang`` (each row assumes its own N)."""
    out = frame.copy()
    out["basis"] = [basis_text(AssumedN(int(n), "", "exercise"), lang) for n in out["n"]]
    return out
