"""Solutions and helpers for the seminar pack (``notebooks/seminar/``).

Every exercise's solution is a function here rather than code in a notebook cell, for two
reasons: ``tests/test_seminar.py`` checks each one against values worked out by hand (so a
teacher can trust the answer key), and the notebooks stay thin (a solution cell is one call
and a display).

Exercises (the numbers are the dissertation's, as transcribed in ``data/raw/``):

1. :func:`growth_table`: recompute Кесте 7's growth column from its printed turnover levels.
2. :func:`share_sum` / :func:`survey_sums`: is a set of printed shares consistent with a
   whole (100 %), allowing for the rounding of each printed share?
3. :func:`question_intervals` / :func:`width_by_n`: Wilson intervals for a survey question at
   an *assumed* sample size (the dissertation never states N).
4. :func:`compare_exhibits`: Кесте 6 and Кесте 7 both give 2020–2022 trade with Türkiye;
   do they agree?

The check cells' answer key is :data:`ANSWERS` (graded by :mod:`analysis.teaching.grading`,
which also names the common slips: a fraction for a percent, a flipped sign, a wrong base
year).

Numbers are computed from the printed text with :class:`~decimal.Decimal` where rounding
matters, so that "does 12.03 round to 12.0?" is answered exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from math import sqrt
from typing import Any

import pandas as pd
from scipy.stats import norm

from analysis.analyses import survey
from analysis.data import datasets
from analysis.data.parse import parse_number
from analysis.methods import growth
from analysis.teaching import grading
from analysis.teaching.grading import AnswerKey, Expected, Params

# ---------------------------------------------------------------------------------------
# Exercise 1: growth rates (Кесте 7)
# ---------------------------------------------------------------------------------------


def growth_rate(previous: float | Decimal, current: float | Decimal) -> Decimal:
    """Year-on-year growth in percent, exact: ``100 · (current / previous − 1)``."""
    previous, current = Decimal(str(previous)), Decimal(str(current))
    if previous == 0:
        raise ZeroDivisionError("growth from a zero level is undefined")
    return (current / previous - 1) * 100


def round_like(value: Decimal, decimals: int) -> Decimal:
    """Round half up to ``decimals`` places, as a spreadsheet would."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def cagr(first: float, last: float, years: int) -> float:
    """Compound annual growth rate in percent between two levels ``years`` apart
    (:func:`analysis.methods.growth.cagr`, which gives a fraction, times 100)."""
    return 100 * growth.cagr(first, last, years)


def growth_table(trade: pd.DataFrame) -> pd.DataFrame:
    """Кесте 7's printed growth beside the growth recomputed from its printed levels.

    Columns: ``year``, ``total`` (printed turnover), ``growth_printed`` (text as printed)
    and ``growth_printed_value`` (its number),
    ``growth_recomputed`` (exact, 4 decimals), ``growth_rounded`` (rounded to the printed
    number of decimals), ``difference_pp`` (printed − rounded), ``matches``, ``line``
    (source line of the printed growth), and ``components_sum`` / ``sum_matches`` (does
    exports + imports give the printed total?).
    """
    rows = []
    records = trade.sort_values("year").to_dict("records")
    for i, row in enumerate(records):
        total = Decimal(str(row["trade_total_musd"]))
        parts = Decimal(str(row["exports_musd"])) + Decimal(str(row["imports_musd"]))
        printed = parse_number(row["growth_pct_printed"])
        record: dict[str, object] = {
            "year": int(row["year"]),
            "total": float(total),
            "components_sum": float(parts),
            "sum_matches": parts == total,
            "growth_printed": row["growth_pct_printed"],
            "growth_printed_value": None if printed.value is None else float(printed.value),
            "growth_recomputed": None,
            "growth_rounded": None,
            "difference_pp": None,
            "matches": None,
            "line": int(row["growth_pct_line"]),
        }
        if i > 0:
            exact = growth_rate(records[i - 1]["trade_total_musd"], total)
            record["growth_recomputed"] = float(round(exact, 4))
            if printed.value is not None:
                rounded = round_like(exact, printed.decimals)
                record["growth_rounded"] = float(rounded)
                record["difference_pp"] = float(printed.value - rounded)
                record["matches"] = printed.value == rounded
        rows.append(record)
    out = pd.DataFrame(rows)
    for col in ("growth_printed_value", "growth_recomputed", "growth_rounded", "difference_pp"):
        out[col] = out[col].astype("Float64")
    out["matches"] = out["matches"].astype("boolean")
    return out


# ---------------------------------------------------------------------------------------
# Exercise 2: shares that should make a whole
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareSum:
    """The sum of printed shares and the range the true shares' sum can lie in.

    A share printed with ``d`` decimals may be off by up to half a unit in the last place
    (``0.5·10^-d``), so the true sum lies in ``[low, high]``. If 100 is outside that range
    the printed shares cannot all be right *and* complete.
    """

    printed_sum: Decimal
    low: Decimal
    high: Decimal
    parts: int

    @property
    def gap(self) -> Decimal:
        """Percentage points missing to reach 100 (negative: the shares exceed 100)."""
        return Decimal(100) - self.printed_sum

    @property
    def consistent(self) -> bool:
        return self.low <= Decimal(100) <= self.high


def share_sum(printed: Iterable[str]) -> ShareSum:
    """Sum printed shares such as ``"17%"``, ``"9.8%"``, ``"31,94%"`` with rounding slack."""
    total = slack = Decimal(0)
    count = 0
    for text in printed:
        number = parse_number(text)
        if number.value is None:
            raise ValueError(f"not a number: {text!r}")
        total += number.value
        slack += number.half_unit
        count += 1
    return ShareSum(total, total - slack, total + slack, count)


def consortium_check(consortium: pd.DataFrame) -> ShareSum:
    """Кесте 3: do the nine companies' printed shares make up the whole consortium?"""
    return share_sum(consortium.sort_values("row")["share_printed"])


def survey_sums(results: pd.DataFrame) -> pd.DataFrame:
    """Each survey question: printed sum, the range allowed by rounding, and a verdict
    (:func:`analysis.analyses.survey.sum_table`, in the seminar's column names)."""
    sums = survey.sum_table(results)
    return pd.DataFrame({
        "question": sums["question"].astype(int),
        "options": sums["n_options"].astype(int),
        "printed_sum": sums["sum"],
        "low": sums["sum_lo"],
        "high": sums["sum_hi"],
        "consistent": sums["feasible"].astype(bool),
    })


# ---------------------------------------------------------------------------------------
# Exercise 3: intervals at an assumed sample size
# ---------------------------------------------------------------------------------------

def z_value(level: float) -> float:
    """The standard normal quantile for a two-sided interval at ``level``."""
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    return float(norm.ppf(0.5 + level / 2))


def resolve_sample_size(sample_size: int | None, results: pd.DataFrame) -> int:
    """The N to assume: the parameter, or (None, as in ``04_survey``) the smallest N for
    which every printed survey percentage can arise (``analysis.analyses.survey``)."""
    if sample_size is not None:
        return int(sample_size)
    inferred = survey.smallest_joint_n(results)
    if inferred is None:
        raise ValueError("no sample size up to the search limit fits every printed share")
    return int(inferred)


def implied_count(percent: float, n: int) -> int:
    """The whole number of respondents closest to ``percent`` of ``n`` (halves round up).

    A simplification for teaching: ``04_survey`` (``analysis.analyses.survey``) checks which counts
    really round to the printed share and whether a question can sum to ``n``.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    exact = Decimal(str(percent)) * n / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def wilson_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for ``k`` successes out of ``n``, as proportions.

    Written out (rather than only calling statsmodels) so that students can read the
    formula; the tests check it against ``statsmodels.stats.proportion.proportion_confint``.
    """
    if not 0 <= k <= n or n < 1:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    z = z_value(level)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def question_options(results: pd.DataFrame, question: int) -> pd.DataFrame:
    """One survey question's rows (options in printed order); an unknown question is an
    error rather than an empty table."""
    group = results[results["question"] == question].sort_values("option_order")
    if group.empty:
        raise KeyError(f"no survey question {question}")
    return group.reset_index(drop=True)


def question_intervals(results: pd.DataFrame, question: int, n: int,
                       level: float = 0.95) -> pd.DataFrame:
    """One survey question's options with implied counts and Wilson intervals (percent)."""
    rows = []
    for row in question_options(results, question).to_dict("records"):
        k = implied_count(float(row["value"]), n)
        low, high = wilson_interval(k, n, level)
        rows.append({
            "option_order": int(row["option_order"]),
            "option_kk": row["option_kk"],
            "option_en": row["option_en"],
            "printed": row["printed"],
            "percent": float(row["value"]),
            "n": n,
            "k": k,
            "low": 100 * low,
            "high": 100 * high,
            "width_pp": 100 * (high - low),
        })
    return pd.DataFrame(rows)


#: The assumed sample sizes Seminar 3 compares (the notebook's own N is added).
WIDTH_SIZES: tuple[int, ...] = (25, 50, 100, 200, 400, 800, 1600)


def width_by_n(percent: float, sizes: Sequence[int], level: float = 0.95) -> pd.DataFrame:
    """How the Wilson interval of one printed share narrows as the assumed N grows."""
    rows = []
    for n in sorted(set(sizes)):
        k = implied_count(percent, n)
        low, high = wilson_interval(k, n, level)
        rows.append({"n": n, "k": k, "low": 100 * low, "high": 100 * high,
                     "width_pp": 100 * (high - low)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Exercise 4: two exhibits, one story?
# ---------------------------------------------------------------------------------------

#: Кесте 6 indicator → Кесте 7 column, for the quantities both tables report.
EXHIBIT_PAIRS: dict[str, tuple[str, str]] = {
    "exports": ("exports_to_tr", "exports_musd"),
    "imports": ("imports_from_tr", "imports_musd"),
    "total": ("trade_total", "trade_total_musd"),
}


def exhibit_trade_rows(indicators: pd.DataFrame, trade: pd.DataFrame
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows Seminar 4 starts from: Кесте 6's trade indicators (in source-line order)
    and the rows of Кесте 7 for the years Кесте 6 covers."""
    k6 = indicators[indicators["indicator"].isin([p[0] for p in EXHIBIT_PAIRS.values()])]
    years = sorted(int(y) for y in indicators["year"].unique())
    k7 = trade[trade["year"].isin(years)].sort_values("year")
    return k6.sort_values("source_line").reset_index(drop=True), k7.reset_index(drop=True)


def compare_exhibits(indicators: pd.DataFrame, trade: pd.DataFrame) -> pd.DataFrame:
    """Кесте 6 against Кесте 7 for every year both cover (2020–2022).

    One row per year and quantity: both values, their source lines, the difference
    (К6 − К7) and whether they agree. Also one ``balance`` row per year (exports − imports),
    which shows that the two tables disagree even on the *sign* of the trade balance.
    """
    k7 = {int(r["year"]): r for r in trade.to_dict("records")}
    rows: list[dict[str, Any]] = []
    for quantity, (indicator, column) in EXHIBIT_PAIRS.items():
        part = indicators[indicators["indicator"] == indicator].sort_values("year")
        for cell in part.to_dict("records"):
            year = int(cell["year"])
            if year not in k7:
                continue
            rows.append({
                "year": year, "quantity": quantity,
                "k6": float(cell["value"]), "k6_line": int(cell["source_line"]),
                "k7": float(k7[year][column]), "k7_line": int(k7[year][f"{column}_line"]),
            })
    balance: list[dict[str, Any]] = []
    for year in sorted({int(r["year"]) for r in rows}):
        values = {r["quantity"]: r for r in rows if r["year"] == year}
        balance.append({
            "year": year, "quantity": "balance",
            "k6": values["exports"]["k6"] - values["imports"]["k6"], "k6_line": None,
            "k7": values["exports"]["k7"] - values["imports"]["k7"], "k7_line": None,
        })
    order = {q: i for i, q in enumerate([*EXHIBIT_PAIRS, "balance"])}
    ordered = sorted(rows + balance, key=lambda r: (r["year"], order[r["quantity"]]))
    out = pd.DataFrame.from_records(ordered)
    out["difference"] = out["k6"] - out["k7"]
    out["agree"] = out["difference"] == 0
    out["k6_line"] = out["k6_line"].astype("Int64")
    out["k7_line"] = out["k7_line"].astype("Int64")
    return out


# ---------------------------------------------------------------------------------------
# The answer key of the check cells (grading: analysis.teaching.grading)
# ---------------------------------------------------------------------------------------


def _levels() -> pd.Series:
    """Кесте 7's printed turnover by year."""
    return datasets.load("trade").set_index("year")["trade_total_musd"].astype(float)


def _growth_2020(params: Params) -> Expected:
    levels = _levels()
    right = growth_rate(levels[2019], levels[2020])
    # base-year slips: the later year's level as the base, or the first year's (2018)
    return grading.number(float(right), 0.05, percent=True, signed=True,
                          base_year=(float(growth_rate(levels[2020], levels[2019])),
                                     float(growth_rate(levels[2018], levels[2020]))))


def _all_growth_match(params: Params) -> Expected:
    return Expected(bool(growth_table(datasets.load("trade"))["matches"].dropna().all()))


def _cagr_2018_2023(params: Params) -> Expected:
    levels = _levels()
    # slips: starting from 2019 instead of 2018; six periods (the years counted) for five
    return grading.number(cagr(levels[2018], levels[2023], 5), 0.05, percent=True,
                          base_year=cagr(levels[2019], levels[2023], 4),
                          periods=cagr(levels[2018], levels[2023], 6))


def _k3_sum(params: Params) -> Expected:
    total = consortium_check(datasets.load("consortium_1994")).printed_sum
    return grading.number(float(total), 0.005, percent=True)


def _k3_consistent(params: Params) -> Expected:
    return Expected(consortium_check(datasets.load("consortium_1994")).consistent)


def _survey_inconsistent(params: Params) -> Expected:
    sums = survey_sums(datasets.load("survey_results"))
    return Expected(frozenset(int(q) for q in sums.loc[~sums["consistent"], "question"]))


def _intervals(params: Params) -> pd.DataFrame:
    """Seminar 3's intervals under the notebook's ``sample_size``, ``question``, ``ci_level``."""
    results = datasets.load("survey_results")
    n = resolve_sample_size(params["sample_size"], results)
    return question_intervals(results, int(params["question"]), n, float(params["ci_level"]))


def _wilson(bound: str, params: Params) -> Expected:
    # wilson_interval gives proportions: a student who forgets × 100 gets the fraction hint
    return grading.number(float(_intervals(params)[bound].iloc[0]), 0.05, percent=True)


def _width_ratio(params: Params) -> Expected:
    intervals = _intervals(params)
    n, level = int(intervals["n"].iloc[0]), float(params["ci_level"])
    widths = width_by_n(float(intervals["percent"].iloc[0]), [n, 4 * n], level)["width_pp"]
    ratio = float(widths.iloc[1] / widths.iloc[0])
    return grading.number(ratio, 0.05, inverted=1 / ratio)


#: The years both Кесте 6 and Кесте 7 report (Seminar 4's check keys).
EXHIBIT_YEARS: tuple[int, ...] = (2020, 2021, 2022)


def _k6_k7(quantity: str, year: int, column: str, params: Params) -> Expected:
    table = compare_exhibits(datasets.load("indicators_2020_2022"), datasets.load("trade"))
    row = table[(table["quantity"] == quantity) & (table["year"] == year)]
    if row.empty:
        raise KeyError(f"no {quantity} for {year} in both Кесте 6 and Кесте 7")
    # a difference or a balance taken the other way round flips the sign
    signed = column == "difference" or quantity == "balance"
    return grading.number(float(row[column].iloc[0]), 0.5, signed=signed)


#: Check key → its expected answer under the notebook's parameters (discovered by
#: :func:`analysis.teaching.grading.answer_keys`). Seminar 4's keys are
#: ``k6_k7_<quantity>_<year>_<k6|k7|difference>``.
ANSWERS: dict[str, AnswerKey] = {
    "growth_2020": _growth_2020,
    "all_growth_match": _all_growth_match,
    "cagr_2018_2023": _cagr_2018_2023,
    "k3_sum": _k3_sum,
    "k3_consistent": _k3_consistent,
    "survey_inconsistent": _survey_inconsistent,
    "wilson_low": partial(_wilson, "low"),
    "wilson_high": partial(_wilson, "high"),
    "width_ratio": _width_ratio,
    **{f"k6_k7_{quantity}_{year}_{column}": partial(_k6_k7, quantity, year, column)
       for quantity in [*EXHIBIT_PAIRS, "balance"] for year in EXHIBIT_YEARS
       for column in ("k6", "k7", "difference")},
}
