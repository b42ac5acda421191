"""Seminar tables and answer feedback for display (labels in ``labels/seminar.yaml``)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from analysis.present.i18n import t
from analysis.seminar import EXHIBIT_PAIRS, ShareSum, expected


def feedback(answer: object, expected: float | bool | frozenset, lang: str,
             tolerance: float = 0.05) -> str:
    """A one-line verdict on a student's answer (Markdown), without revealing the answer."""
    if answer is None or answer is ...:
        return t("sem_feedback_empty", lang)
    if isinstance(expected, bool):
        ok = isinstance(answer, bool) and answer is expected
    elif isinstance(expected, frozenset):
        try:
            ok = frozenset(answer) == expected  # type: ignore[arg-type]
        except TypeError:
            ok = False
    else:
        try:
            ok = abs(float(answer) - float(expected)) <= tolerance  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return t("sem_feedback_not_number", lang, answer=repr(answer))
    return t("sem_feedback_right" if ok else "sem_feedback_wrong", lang)


def check(key: str, answer: object, lang: str, **context: object):
    """Feedback on a student cell, rendered as Markdown in the notebook."""
    from IPython.display import Markdown

    value, tolerance = expected(key, **context)
    return Markdown(feedback(answer, value, lang, tolerance))


def localise(frame: pd.DataFrame, lang: str, columns: dict[str, str]) -> pd.DataFrame:
    """Keep ``columns`` (data name → label key) and rename them to the labels in ``lang``.

    Bilingual text columns (``option_kk``/``option_en``) are picked by language first.
    """
    frame = frame.copy()
    for name in list(columns):
        if name not in frame.columns and f"{name}_{lang}" in frame.columns:
            frame[name] = frame[f"{name}_{lang}"]
    frame = frame[list(columns)].rename(columns={c: t(k, lang) for c, k in columns.items()})
    return frame.reset_index(drop=True)


def show_trade(trade: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Кесте 7 as printed, with the source line of each year's growth."""
    frame = trade.rename(columns={
        "exports_musd_printed": "exports", "imports_musd_printed": "imports",
        "trade_total_musd_printed": "total", "growth_pct_printed": "growth",
        "growth_pct_line": "line"})
    return localise(frame, lang, {"year": "year", "exports": "sem_exports",
                                  "imports": "sem_imports", "total": "sem_total",
                                  "growth": "sem_growth_printed", "comment": "sem_comment",
                                  "line": "source_line"})


def show_growth(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    return localise(table, lang, {
        "year": "year", "total": "sem_total", "components_sum": "sem_components_sum",
        "sum_matches": "sem_sum_matches", "growth_printed": "sem_growth_printed",
        "growth_recomputed": "recomputed", "growth_rounded": "sem_growth_rounded",
        "difference_pp": "difference", "matches": "sem_matches", "line": "source_line"})


def show_consortium(consortium: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = consortium.sort_values("row").rename(columns={"share_printed": "share",
                                                          "share_line": "line"})
    return localise(frame, lang, {"company": "sem_company", "share": "sem_share",
                                  "line": "source_line"})


def share_verdict(check_result: ShareSum, lang: str) -> str:
    """One sentence (Markdown) saying whether the shares can make up 100 %."""
    from analysis.present.numbers import number

    def fmt(value: Decimal) -> str:
        return number(float(value), lang, 3).rstrip("0").rstrip(",.")

    key = "sem_verdict_consistent" if check_result.consistent else "sem_verdict_inconsistent"
    return t(key, lang, sum=fmt(check_result.printed_sum), low=fmt(check_result.low),
             high=fmt(check_result.high), gap=fmt(check_result.gap))


def show_survey_sums(sums: pd.DataFrame, lang: str) -> pd.DataFrame:
    return localise(sums, lang, {"question": "sem_question", "options": "sem_options",
                                 "printed_sum": "sem_printed_sum", "low": "sem_low",
                                 "high": "sem_high", "consistent": "sem_consistent"})


def show_question(results: pd.DataFrame, question: int, lang: str) -> pd.DataFrame:
    frame = results[results["question"] == question].sort_values("option_order")
    frame = frame.rename(columns={"source_line": "line"})
    return localise(frame, lang, {"question": "sem_question", "option": "sem_option",
                                  "printed": "printed", "line": "source_line"})


def question_title(results: pd.DataFrame, question: int, lang: str) -> str:
    row = results[results["question"] == question].iloc[0]
    return f"**{t('sem_question', lang)} {question}.** {row[f'question_{lang}']}"


def show_intervals(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = table.copy()
    for col in ("low", "high", "width_pp"):
        frame[col] = frame[col].round(1)
    return localise(frame, lang, {"option": "sem_option", "printed": "printed",
                                  "n": "sem_n", "k": "sem_count", "low": "sem_low",
                                  "high": "sem_high", "width_pp": "sem_width"})


def show_widths(widths: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = widths.copy()
    for col in ("low", "high", "width_pp"):
        frame[col] = frame[col].round(1)
    return localise(frame, lang, {"n": "sem_n", "k": "sem_count", "low": "sem_low",
                                  "high": "sem_high", "width_pp": "sem_width"})


def show_exhibit_trade(indicators: pd.DataFrame, trade: pd.DataFrame, lang: str
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The trade rows of Кесте 6 and the same years of Кесте 7, as printed."""
    k6 = indicators[indicators["indicator"].isin([p[0] for p in EXHIBIT_PAIRS.values()])]
    k6 = k6.drop(columns="indicator").rename(columns={
        "row_label_kk": "indicator_kk", "row_label_en": "indicator_en",
        "number_printed": "printed", "source_line": "line"})
    k6 = localise(k6.sort_values(["line"]), lang, {
        "indicator": "sem_quantity", "year": "year", "printed": "printed",
        "line": "source_line"})
    years = sorted(indicators["year"].unique())
    k7 = show_trade(trade[trade["year"].isin(years)], lang)
    return k6, k7


def show_comparison(comparison: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = comparison.copy()
    frame["quantity"] = [t(f"sem_{q}", lang) for q in frame["quantity"]]
    return localise(frame, lang, {"year": "year", "quantity": "sem_quantity",
                                  "k6": "sem_k6", "k6_line": "sem_k6_line", "k7": "sem_k7",
                                  "k7_line": "sem_k7_line", "difference": "difference",
                                  "agree": "sem_agree"})
