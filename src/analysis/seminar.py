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

Numbers are computed from the printed text with :class:`~decimal.Decimal` where rounding
matters, so that "does 12.03 round to 12.0?" is answered exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from math import sqrt

import pandas as pd

from analysis.data.parse import parse_number

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
    (:func:`analysis.growth.cagr`, which gives a fraction, times 100)."""
    from analysis import growth

    return 100 * growth.cagr(first, last, years)


def growth_table(trade: pd.DataFrame) -> pd.DataFrame:
    """Кесте 7's printed growth beside the growth recomputed from its printed levels.

    Columns: ``year``, ``total`` (printed turnover), ``growth_printed`` (text as printed),
    ``growth_recomputed`` (exact, 4 decimals), ``growth_rounded`` (rounded to the printed
    number of decimals), ``difference_pp`` (printed − rounded), ``matches``, ``line``
    (source line of the printed growth), and ``components_sum`` / ``sum_matches`` (does
    exports + imports give the printed total?).
    """
    rows = []
    frame = trade.sort_values("year").reset_index(drop=True)
    for i, row in frame.iterrows():
        total = Decimal(str(row["trade_total_musd"]))
        parts = Decimal(str(row["exports_musd"])) + Decimal(str(row["imports_musd"]))
        printed = parse_number(row["growth_pct_printed"])
        record: dict[str, object] = {
            "year": int(row["year"]),
            "total": float(total),
            "components_sum": float(parts),
            "sum_matches": parts == total,
            "growth_printed": row["growth_pct_printed"],
            "growth_recomputed": None,
            "growth_rounded": None,
            "difference_pp": None,
            "matches": None,
            "line": int(row["growth_pct_line"]),
        }
        if i > 0:
            exact = growth_rate(frame.loc[i - 1, "trade_total_musd"], total)
            record["growth_recomputed"] = float(round(exact, 4))
            if printed.value is not None:
                rounded = round_like(exact, printed.decimals)
                record["growth_rounded"] = float(rounded)
                record["difference_pp"] = float(printed.value - rounded)
                record["matches"] = printed.value == rounded
        rows.append(record)
    out = pd.DataFrame(rows)
    for col in ("growth_recomputed", "growth_rounded", "difference_pp"):
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
    (:func:`analysis.survey.sum_table`, in the seminar's column names)."""
    from analysis import survey

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
    from scipy.stats import norm

    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    return float(norm.ppf(0.5 + level / 2))


def resolve_sample_size(sample_size: int | None, results: pd.DataFrame) -> int:
    """The N to assume: the parameter, or (None, as in ``04_survey``) the smallest N for
    which every printed survey percentage can arise (``analysis.survey``)."""
    if sample_size is not None:
        return int(sample_size)
    from analysis.survey import smallest_joint_n

    inferred = smallest_joint_n(results)
    if inferred is None:
        raise ValueError("no sample size up to the search limit fits every printed share")
    return int(inferred)


def implied_count(percent: float, n: int) -> int:
    """The whole number of respondents closest to ``percent`` of ``n`` (halves round up).

    A simplification for teaching: ``04_survey`` (``analysis.survey``) checks which counts
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


def question_intervals(results: pd.DataFrame, question: int, n: int,
                       level: float = 0.95) -> pd.DataFrame:
    """One survey question's options with implied counts and Wilson intervals (percent)."""
    group = results[results["question"] == question].sort_values("option_order")
    if group.empty:
        raise KeyError(f"no survey question {question}")
    rows = []
    for _, row in group.iterrows():
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


def compare_exhibits(indicators: pd.DataFrame, trade: pd.DataFrame) -> pd.DataFrame:
    """Кесте 6 against Кесте 7 for every year both cover (2020–2022).

    One row per year and quantity: both values, their source lines, the difference
    (К6 − К7) and whether they agree. Also one ``balance`` row per year (exports − imports),
    which shows that the two tables disagree even on the *sign* of the trade balance.
    """
    k7 = trade.set_index("year")
    rows = []
    for quantity, (indicator, column) in EXHIBIT_PAIRS.items():
        part = indicators[indicators["indicator"] == indicator]
        for _, cell in part.sort_values("year").iterrows():
            year = int(cell["year"])
            if year not in k7.index:
                continue
            rows.append({
                "year": year, "quantity": quantity,
                "k6": float(cell["value"]), "k6_line": int(cell["source_line"]),
                "k7": float(k7.loc[year, column]), "k7_line": int(k7.loc[year, f"{column}_line"]),
            })
    out = pd.DataFrame(rows)
    balance = []
    for year, group in out.groupby("year", sort=True):
        values = group.set_index("quantity")
        balance.append({
            "year": int(year), "quantity": "balance",
            "k6": values.loc["exports", "k6"] - values.loc["imports", "k6"], "k6_line": pd.NA,
            "k7": values.loc["exports", "k7"] - values.loc["imports", "k7"], "k7_line": pd.NA,
        })
    out = pd.concat([out, pd.DataFrame(balance)], ignore_index=True)
    out["difference"] = out["k6"] - out["k7"]
    out["agree"] = out["difference"] == 0
    order = {q: i for i, q in enumerate([*EXHIBIT_PAIRS, "balance"])}
    out = out.sort_values(["year", "quantity"], key=lambda s: s.map(order) if s.name ==
                          "quantity" else s, kind="stable").reset_index(drop=True)
    out["k6_line"] = out["k6_line"].astype("Int64")
    out["k7_line"] = out["k7_line"].astype("Int64")
    return out


# ---------------------------------------------------------------------------------------
# Feedback for the student cells, and localised display tables
# ---------------------------------------------------------------------------------------


def _data(name: str) -> pd.DataFrame:
    from analysis import datasets

    return datasets.load(name)


def expected(key: str, **context: object) -> tuple[float | bool | frozenset, float]:
    """The answer to a student cell ``key`` (and the tolerance), computed from the data.

    ``context`` carries notebook parameters where the answer depends on them
    (``n``, ``question``, ``level`` for exercise 3).
    """
    if key == "growth_2020":
        table = growth_table(_data("trade")).set_index("year")
        return float(table.loc[2020, "growth_recomputed"]), 0.05
    if key == "all_growth_match":
        table = growth_table(_data("trade"))
        return bool(table["matches"].dropna().all()), 0
    if key == "cagr_2018_2023":
        trade = _data("trade").set_index("year")
        return float(cagr(float(trade.loc[2018, "trade_total_musd"]),
                          float(trade.loc[2023, "trade_total_musd"]), 5)), 0.05
    if key == "k3_sum":
        return float(consortium_check(_data("consortium_1994")).printed_sum), 0.005
    if key == "k3_consistent":
        return consortium_check(_data("consortium_1994")).consistent, 0
    if key == "survey_inconsistent":
        sums = survey_sums(_data("survey_results"))
        return frozenset(int(q) for q in sums.loc[~sums["consistent"], "question"]), 0
    if key in ("wilson_low", "wilson_high"):
        table = question_intervals(_data("survey_results"), int(context["question"]),
                                   int(context["n"]), float(context["level"]))
        column = "low" if key == "wilson_low" else "high"
        return float(table[column].iloc[0]), 0.05
    if key == "width_ratio":
        n = int(context["n"])
        percent = float(question_intervals(_data("survey_results"), int(context["question"]),
                                           n, float(context["level"]))["percent"].iloc[0])
        widths = width_by_n(percent, [n, 4 * n], float(context["level"])).set_index("n")
        return float(widths.loc[4 * n, "width_pp"] / widths.loc[n, "width_pp"]), 0.05
    if key.startswith("k6_k7_"):
        # k6_k7_<quantity>_<year>_<k6|k7|difference>
        _, _, quantity, year, column = key.split("_")
        table = compare_exhibits(_data("indicators_2020_2022"), _data("trade"))
        row = table[(table["quantity"] == quantity) & (table["year"] == int(year))]
        return float(row[column].iloc[0]), 0.5
    raise KeyError(f"no seminar answer {key!r}")
