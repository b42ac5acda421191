"""Survey report tables for display in ``04_survey`` (labels in ``labels/survey.yaml``)."""

from __future__ import annotations

import pandas as pd

from analysis.survey import DEFAULT_N_MAX, AssumedN, SurveyReport


def localise(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Add ``option``/``question_text`` columns in the chosen language (``kk`` or ``en``).

    Why: tables and charts switch language with one parameter while the Kazakh original
    stays in the data.
    """
    if lang not in ("kk", "en"):
        raise ValueError("lang must be 'kk' or 'en'")
    out = frame.copy()
    for base, target in (("option", "option"), ("question", "question_text")):
        col = f"{base}_{lang}"
        if col in out.columns:
            out[target] = out[col]
    return out


#: For each displayable table: the report attribute, the columns to show (``{lang}`` is
#: replaced by ``kk``/``en``) and the columns whose values are label keys.
DISPLAY: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "results": ("results", ("question", "question_{lang}", "option_order", "option_{lang}",
                            "printed", "value", "source_line"), {}),
    "sums": ("sums", ("question", "n_options", "printed_sum", "deviation", "max_decimals",
                      "sum_lo", "sum_hi", "feasible"), {}),
    "feasible": ("feasible_summary", ("constraint", "question", "n_feasible", "smallest_n",
                                      "feasible_n_preview"),
                 {"constraint": "survey.constraint"}),
    "joint": ("joint", ("constraint", "smallest_joint_n", "n_joint_feasible",
                        "joint_feasible_preview"), {"constraint": "survey.constraint"}),
    "counts": ("counts", ("question", "option_order", "option_{lang}", "printed", "n",
                          "feasible_ks", "k", "k_share", "basis"), {}),
    "intervals": ("intervals", ("question", "option_{lang}", "printed", "n", "k", "estimate",
                                "ci_low", "ci_high", "basis"), {}),
    "simultaneous": ("simultaneous", ("method", "question", "option_{lang}", "printed", "k",
                                      "estimate", "ci_low", "ci_high", "few_categories",
                                      "small_counts", "basis"),
                     {"method": "survey.method"}),
    "chisquare": ("chisquare", ("question", "n", "n_options", "chi2", "dof", "p_value",
                                "basis"), {}),
    "reconciliation_summary": ("reconciliation_summary", (
        "question", "n_asked", "n_reported", "identical", "normalised_equal", "renamed",
        "asked_not_reported", "reported_not_asked", "order_changed",
        "question_text_similarity"), {}),
    "reconciliation": ("reconciliation", (
        "question", "status", "score", "option_letter", "asked_kk", "option_order",
        "reported_kk", "printed", "best_candidate", "best_score"),
        {"status": "survey.status"}),
    "repeats": ("repeats", ("question_a", "question_b", "kind", "run_values", "shared_values",
                            "values_a", "values_b", "value_labels", "relabelled"),
                {"kind": "survey.kind"}),
    "mixed_script": ("mixed_script", ("table", "question", "column", "text", "word",
                                      "latin_letters", "source_line"), {}),
}


def basis_text(assumed: AssumedN, lang: str) -> str:
    """The ``basis`` sentence in the notebook's language (same content as ``basis``)."""
    from analysis.present.i18n import t

    reason = t(f"survey.reason.{assumed.code}", lang, n_max=assumed.n_max)
    return t("survey.basis", lang, n=assumed.n, reason=reason)


def reason_text(assumed: AssumedN, lang: str) -> str:
    """Why this N, in the notebook's language."""
    from analysis.present.i18n import t

    return t(f"survey.reason.{assumed.code}", lang, n_max=assumed.n_max)


def caption_args(report: SurveyReport) -> dict[str, object]:
    """Values the table and figure captions are formatted with."""
    return {
        "n": report.assumed.n,
        "n_max": report.assumed.n_max or DEFAULT_N_MAX,
        "method": report.ci_method,
        "level": f"{100 * report.ci_level:g}",
    }


def display_table(report: SurveyReport, name: str, lang: str) -> pd.DataFrame:
    """A report table ready to show: chosen columns, headers and values in ``lang``.

    Why: the notebook shows the same tables in Kazakh or English; the basis column is
    rewritten in the chosen language so that the DERIVED warning is never lost in
    translation.
    """
    from analysis.present.tablespec import localize

    attr, columns, values = DISPLAY[name]
    frame = getattr(report, attr)
    cols = [c.format(lang=lang) for c in columns]
    if lang == "en" and name == "reconciliation":
        cols = [c.replace("_kk", "_en") if c in ("asked_kk", "reported_kk") else c
                for c in cols]
    out = frame.copy()
    if "basis" in out.columns:
        out["basis"] = basis_text(report.assumed, lang)
    return localize(out, "survey", lang, cols, values=values)


def questionnaire_table(questionnaire: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Қосымша Ә as printed, sorted, headers in ``lang``."""
    from analysis.present.tablespec import localize

    frame = questionnaire.sort_values(["question", "option_letter"], kind="mergesort")
    cols = ["question", f"section_{lang}", f"question_{lang}", "option_letter",
            f"option_{lang}", "source_line"]
    return localize(frame, "survey", lang, cols)


def display_widths(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`interval_width_by_n` for display, the basis sentence in ``lang``."""
    from analysis.present.tablespec import localize

    out = frame.copy()
    out["basis"] = [basis_text(AssumedN(int(n), "", "exercise"), lang) for n in out["n"]]
    cols = ["question", "option_order", "printed", "n", "k", "ci_low", "ci_high", "width",
            "basis"]
    return localize(out, "survey", lang, cols)
