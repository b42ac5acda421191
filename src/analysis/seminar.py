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

from analysis.i18n import t
from analysis.parse import parse_number

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


# ---------------------------------------------------------------------------------------
# Figures (matplotlib; call analysis.plotting.setup(lang) first)
# ---------------------------------------------------------------------------------------


def plot_growth(table: pd.DataFrame, lang: str):
    """Left: turnover by year. Right: printed growth (bars) and recomputed growth (marks)."""
    import matplotlib.pyplot as plt

    from analysis.plotting import number

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.0))
    years = table["year"].astype(str)
    left.bar(years, table["total"], color="#4C72B0", label=t("sem_turnover", lang))
    left.set_xlabel(t("year", lang))
    left.set_ylabel(t("usd_million", lang))
    left.set_title(t("sem_turnover", lang), fontsize=10.5)
    growth = table.dropna(subset=["growth_recomputed"])
    printed = [float(parse_number(text).value) for text in growth["growth_printed"]]
    x = growth["year"].astype(str)
    right.bar(x, printed, color="#DD8452", label=t("sem_growth_printed", lang))
    right.plot(x, growth["growth_recomputed"].astype(float), linestyle="none", marker="D",
               color="black", label=t("recomputed", lang))
    for xi, value in zip(x, growth["growth_recomputed"].astype(float), strict=True):
        right.annotate(number(value, lang, 2), (xi, value), xytext=(0, 6 if value >= 0 else -12),
                       textcoords="offset points", ha="center", fontsize=8)
    right.axhline(0, color="black", linewidth=0.8)
    right.set_ylim(min(0, min(printed)) - 4, max(printed) + 6)
    right.set_xlabel(t("year", lang))
    right.set_ylabel(t("sem_growth_axis", lang))
    right.set_title(t("sem_growth_panel", lang), fontsize=10.5)
    right.legend(loc="upper left", fontsize=8)
    fig.suptitle(t("sem_growth_title", lang), fontweight="bold")
    fig.tight_layout()
    return fig


def plot_shares(consortium: pd.DataFrame, lang: str):
    """Кесте 3's printed shares stacked in one bar, with the gap to 100 % shown hatched."""
    import matplotlib.pyplot as plt

    from analysis.plotting import number

    check = consortium_check(consortium)
    frame = consortium.sort_values("share_value", ascending=False, kind="stable")
    fig, ax = plt.subplots(figsize=(10, 3.0))
    left = 0.0
    colours = plt.get_cmap("tab10").colors
    for i, (_, row) in enumerate(frame.iterrows()):
        ax.barh(0, row["share_value"], left=left, color=colours[i % 10],
                label=f"{row[f'company_{lang}']} ({row['share_printed']})")
        left += float(row["share_value"])
    gap_label = t("sem_gap", lang, gap=number(float(check.gap), lang, 2))
    ax.barh(0, float(check.gap), left=left, color="white", edgecolor="#C44E52",
            hatch="///", label=gap_label)
    ax.axvline(100, color="black", linewidth=1)
    ax.set_xlim(0, 101)
    ax.set_yticks([])
    ax.set_xlabel(t("sem_share_axis", lang))
    ax.set_title(t("sem_shares_title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.02), fontsize=7.5)
    fig.tight_layout()
    return fig


def plot_intervals(table: pd.DataFrame, widths: pd.DataFrame, lang: str):
    """Left: each option's interval at the assumed N. Right: interval width against N."""
    import matplotlib.pyplot as plt

    n = int(table["n"].iloc[0])
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 4.0),
                                      gridspec_kw={"width_ratios": [1.3, 1]})
    y = range(len(table))
    left.errorbar(table["percent"], list(y),
                  xerr=[table["percent"] - table["low"], table["high"] - table["percent"]],
                  fmt="o", capsize=4, color="#4C72B0")
    left.set_yticks(list(y), table[f"option_{lang}"])
    left.invert_yaxis()
    left.set_xlabel(t("sem_share_axis", lang))
    left.set_title(t("sem_intervals_title", lang, n=n) + f" ({t('sem_wilson', lang)})",
                   fontsize=10.5)
    right.plot(widths["n"], widths["width_pp"], marker="o", color="#55A868")
    current = widths[widths["n"] == n]
    right.plot(current["n"], current["width_pp"], marker="o", markersize=11,
               linestyle="none", color="#C44E52", label=t("sem_assumed_n", lang, n=n))
    right.set_xscale("log")
    right.set_xticks(list(widths["n"]), [str(v) for v in widths["n"]], fontsize=8)
    right.minorticks_off()
    right.set_xlabel(t("sem_sample_size", lang))
    right.set_ylabel(t("sem_width_axis", lang))
    right.set_title(t("sem_width_title", lang), fontsize=10.5)
    right.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


def plot_exhibits(comparison: pd.DataFrame, lang: str):
    """Grouped bars: Кесте 6 and Кесте 7 side by side for exports, imports and turnover."""
    import matplotlib.pyplot as plt

    quantities = list(EXHIBIT_PAIRS)
    years = sorted(comparison["year"].unique())
    fig, axes = plt.subplots(1, len(quantities), figsize=(10, 3.8), sharey=True)
    for ax, quantity in zip(axes, quantities, strict=True):
        part = comparison[comparison["quantity"] == quantity].set_index("year").loc[years]
        x = range(len(years))
        ax.bar([i - 0.2 for i in x], part["k6"], width=0.4, color="#DD8452",
               label=t("sem_k6", lang))
        ax.bar([i + 0.2 for i in x], part["k7"], width=0.4, color="#4C72B0",
               label=t("sem_k7", lang))
        ax.set_xticks(list(x), [str(y) for y in years])
        ax.set_title(t(f"sem_{quantity}", lang), fontsize=10.5)
    axes[0].set_ylabel(t("usd_million", lang))
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(t("sem_exhibits_title", lang), fontweight="bold")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------
# Tables for display (localised column names; the notebooks only call these)
# ---------------------------------------------------------------------------------------


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
    from analysis.plotting import number

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


# ---------------------------------------------------------------------------------------
# Student handouts: the notebooks without their solution cells
# ---------------------------------------------------------------------------------------

SOLUTION_TAG = "solution"


def student_version(notebook: dict, lang: str | None = None) -> dict:
    """A copy of a notebook (nbformat JSON as a dict) without ``solution``-tagged cells and
    without outputs; with ``lang``, the parameters cell is set to that language."""
    import copy
    import re

    out = copy.deepcopy(notebook)
    cells = []
    for cell in out["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if SOLUTION_TAG in tags:
            continue
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            if lang is not None and "parameters" in tags:
                source = "".join(cell["source"])
                cell["source"] = re.sub(r'^lang = "\w+"', f'lang = "{lang}"', source,
                                        flags=re.M)
        cells.append(cell)
    out["cells"] = cells
    return out


def write_handouts(dest, lang: str | None = None) -> list:
    """Write the student versions of ``notebooks/seminar/*.ipynb`` into ``dest``."""
    import json
    from pathlib import Path

    from analysis import config
    from analysis.io import atomic_write_text

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted((config.NOTEBOOKS_DIR / "seminar").glob("seminar_*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(student_version(notebook, lang), ensure_ascii=False, indent=1)
        written.append(atomic_write_text(dest / path.name, text + "\n"))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis.seminar handouts [DIR] [--lang kk|en]``."""
    import argparse

    from analysis import config

    parser = argparse.ArgumentParser(prog="python -m analysis.seminar",
                                     description="Seminar pack utilities.")
    sub = parser.add_subparsers(dest="command", required=True)
    handouts = sub.add_parser("handouts", help="student notebooks without solution cells")
    handouts.add_argument("dest", nargs="?", default=str(config.REPORTS_DIR / "handouts"))
    handouts.add_argument("--lang", choices=("kk", "en"), default=None)
    args = parser.parse_args(argv)
    for path in write_handouts(args.dest, args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
