"""Solutions of seminar 6, "Two official series of the same flow, and which one the
dissertation follows" (``seminar_06_two_series``).

Why a seminar on two series: students learn to check a number against "the official
statistics", as if there were one. For Kazakhstan's trade with Türkiye there are two: the
Bureau of National Statistics' table 312101 (BNS, the national statistics) and Kazakhstan's
report to UN Comtrade as WITS publishes it (the international compilation). For 2020–2022
they differ by far more than rounding, then meet again (:func:`analysis.analyses.official.
series_break`). So "is the dissertation right?" first needs "right by which series?", and a
series stitched from the two (one where the other is missing) invents a movement that is
the break, not trade. Everything is computed from ``data/external/kz_tr_trade.csv`` and the
transcribed tables; nothing official is typed here.

Exercises (the check cells' keys in :data:`ANSWERS`; ``tests/test_two_series_seminar.py``
checks them against values worked out by hand from the files):

1. :func:`gap_pct`: how far WITS lies from BNS for one flow and year, in per cent of BNS
   (2020, in the break; 2023, after it).
2. :func:`nearest`: each cell of Кесте 7 (and, as an extension, Кесте 6) against both
   series of its year, *within the printed rounding*: a cell follows a series when that
   series rounds to the printed cell at the table's step (:func:`analysis.analyses.official.
   table_step`: 10 for Кесте 7, 100 for Кесте 6, the widest reading and so the kindest to
   the dissertation); otherwise it is nearer the series whose value lies closer to the
   cell's rounding interval (USD million). Where the two series agree (within
   :data:`analysis.analyses.official.BREAK_TOLERANCE`) "nearer" means nothing and is not
   said. Derived answers: the years in which Кесте 7's turnover is nearer WITS
   (:func:`nearer_years`), whether any Кесте 7 cell follows a series (:func:`any_within`),
   how many Кесте 6 cells are nearer BNS (:func:`nearer_count`).
3. :func:`growth_pct`: the growth of turnover into the first year BNS covers, once across
   the splice (the year before from WITS, since BNS lacks it; the year itself from BNS:
   the per-year reference rule, :data:`analysis.data.official_trade.REFERENCE_ORDER`) and
   once within WITS alone.

Honest statistics: a handful of annual values per series; the seminar describes them and
estimates nothing. "Nearer" is a description of distances, not evidence of which series
the author used: only a cell within rounding is that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from analysis.analyses import official
from analysis.data import datasets
from analysis.data import official_trade as series_data
from analysis.teaching import grading
from analysis.teaching.grading import AnswerKey, Expected, Params

BNS, WITS = series_data.BNS, series_data.WITS
#: The two series compared, and the column each has in this module's tables.
COLUMNS: dict[str, str] = {BNS: "bns", WITS: "wits"}
#: Exercise 1: the flow and the two years whose gap is asked (in the break, after it).
GAP_FLOW, GAP_YEAR, AFTER_YEAR = series_data.EXPORT, 2020, 2023
#: Exercise 2: the flow whose years students sort by the nearer series.
NEARER_FLOW = series_data.TURNOVER
#: Exercise 3: the flow and the year whose growth (from the year before) crosses the splice.
SPLICE_FLOW, SPLICE_YEAR = series_data.TURNOVER, 2020
#: What :func:`nearest` says of a cell (labels ``two.verdict.<verdict>``).
VERDICTS = ("within_both", "within_bns", "within_wits", "series_agree", "nearer_bns",
            "nearer_wits", "equidistant")
TOLERANCE_PCT = 0.05  # a percentage is right to ±0.05 points (two decimals asked)


def load_series() -> pd.DataFrame:
    """The official series in USD million, turnover added (``series_long`` form)."""
    return official.series_long(official.load("kz_tr_trade"))


def load_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Кесте 7 and Кесте 6 in long form (year, quantity, value, printed, line)."""
    return (official.k7_long(datasets.load("trade")),
            official.k6_long(datasets.load("indicators_2020_2022")))


def value(series: pd.DataFrame, code: str, flow: str, year: int) -> float:
    """One series' value (USD million) for ``flow`` in ``year``; NaN where it has none."""
    return official.official_for(series, flow, year, (code,))[1]


# ---------------------------------------------------------------------------------------
# The data students read
# ---------------------------------------------------------------------------------------


def sources(table: pd.DataFrame) -> pd.DataFrame:
    """The two series as a citation needs them, from the file itself: series, publisher,
    source table, edition, the years it covers (``kz_tr_trade`` as loaded)."""
    rows = []
    for code in COLUMNS:
        part = table[table["series"] == code]
        years = part["year"].astype(int)
        rows.append({"series": code, "publisher": series_data.TRADE_SERIES[code].publisher,
                     "source_table": "; ".join(dict.fromkeys(part["source_table"])),
                     "edition": "; ".join(dict.fromkeys(part["edition"])),
                     "years": f"{years.min()}–{years.max()}"})
    return pd.DataFrame(rows)


def side_by_side(k7: pd.DataFrame, k6: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """The two tables and every series per flow and year
    (:func:`analysis.analyses.official.side_by_side`, without the text's figures)."""
    tables = official.dissertation_long(k7, k6, k7.iloc[0:0])
    return official.side_by_side(tables, series)


def levels(k7: pd.DataFrame, k6: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Per flow and year of Кесте 7: Кесте 7 and Кесте 6 as printed (with their lines) and
    both series (USD million, NaN where a series has no value): flow, year, k7_printed,
    k6_printed, bns, wits. No gap, ratio or verdict: those are the exercises."""
    side = side_by_side(k7, k6, series)
    years = set(k7["year"].astype(int))
    side = side[side["year"].isin(years)].copy()
    for column in ("k7_printed", "k6_printed"):  # a year the table does not print: missing
        side[column] = side[column].where(side[column] != "", None)
    return side[["flow", "year", "k7_printed", "k6_printed", "bns", "wits"]
                ].reset_index(drop=True)


def chart_data(k7: pd.DataFrame, k6: pd.DataFrame, series: pd.DataFrame
               ) -> tuple[pd.DataFrame, pd.DataFrame, tuple[int, int] | None]:
    """What the seminar's figure draws: both tables (``dissertation_long`` form), the two
    series in the years Кесте 7 prints (each its own series, never joined), and the years
    in which the series differ (:func:`analysis.analyses.official.break_span`)."""
    years = set(k7["year"].astype(int))
    shown = series[series["series"].isin(list(COLUMNS)) & series["year"].isin(years)]
    return (official.dissertation_long(k7, k6, k7.iloc[0:0]), shown.reset_index(drop=True),
            official.break_span(gap_table(series)))


# ---------------------------------------------------------------------------------------
# Exercise 1: the gap between the two series
# ---------------------------------------------------------------------------------------


def gap_pct(series: pd.DataFrame, flow: str = GAP_FLOW, year: int = GAP_YEAR) -> float:
    """100 · (WITS / BNS − 1): how far WITS lies from BNS, in per cent of BNS."""
    return 100 * (value(series, WITS, flow, year) / value(series, BNS, flow, year) - 1)


def gap_table(series: pd.DataFrame) -> pd.DataFrame:
    """Every year both series cover, per flow: bns, wits, ratio, pct, differs
    (:func:`analysis.analyses.official.series_break`)."""
    return official.series_break(series)


# ---------------------------------------------------------------------------------------
# Exercise 2: which series a table is nearer, within its printed rounding
# ---------------------------------------------------------------------------------------


def distance(official_value: float, printed: float, step: float) -> float:
    """How far (USD million) an official value lies from the rounding interval of a cell
    printed as ``printed`` at ``step``: 0 inside it, else the way to its nearer end."""
    return max(0.0, abs(official_value - printed) - step / 2)


def _verdict(within: dict[str, bool], dist: dict[str, float], differ: bool) -> str:
    """What :func:`nearest` says of one cell, given both series (see :data:`VERDICTS`)."""
    if all(within.values()):
        return "within_both"
    for code, inside in within.items():
        if inside:
            return f"within_{COLUMNS[code]}"
    if not differ:
        return "series_agree"
    if dist[BNS] == dist[WITS]:
        return "equidistant"
    return "nearer_bns" if dist[BNS] < dist[WITS] else "nearer_wits"


def _nearer_value(verdict: str, values: dict[str, float]) -> float:
    """The value of the series a cell follows or is nearer (NaN when neither)."""
    for code, column in COLUMNS.items():
        if verdict.endswith(f"_{column}"):
            return values[code]
    return math.nan


def nearest(table: pd.DataFrame, series: pd.DataFrame, source: str = "k7") -> pd.DataFrame:
    """Each trade cell of a table (``k7_long``/``k6_long``) in the years both series cover,
    against both: source, flow, year, printed, line, value, step (the table's),
    bns, wits, within_bns, within_wits, distance_bns, distance_wits (from the cell's
    rounding interval), differ (the two series differ that year), verdict
    (:data:`VERDICTS`) and nearer_pct = 100 · (cell / the series it follows or is nearer
    − 1), NaN when it is neither."""
    cells = table[table["quantity"].isin(list(official.FLOW_OF))]
    step = float(official.table_step(cells["value"]))
    gap = official.series_break(series).set_index(["flow", "year"])["differs"]
    rows = []
    for r in cells.sort_values(["year"], kind="mergesort").to_dict("records"):
        flow, year, cell = official.FLOW_OF[str(r["quantity"])], int(r["year"]), float(r["value"])
        values = {code: value(series, code, flow, year) for code in COLUMNS}
        if any(math.isnan(v) for v in values.values()):
            continue  # a year only one series covers: nothing to choose between
        within = {c: official.within_rounding(v, cell, step) for c, v in values.items()}
        dist = {c: distance(v, cell, step) for c, v in values.items()}
        verdict = _verdict(within, dist, bool(gap[(flow, year)]))
        rows.append({"source": source, "flow": flow, "year": year, "printed": r["printed"],
                     "line": int(r["line"]), "value": cell, "step": step,
                     **{COLUMNS[c]: v for c, v in values.items()},
                     **{f"within_{COLUMNS[c]}": w for c, w in within.items()},
                     **{f"distance_{COLUMNS[c]}": d for c, d in dist.items()},
                     "differ": bool(gap[(flow, year)]), "verdict": verdict,
                     "nearer_pct": 100 * (cell / _nearer_value(verdict, values) - 1)})
    order = {f: i for i, f in enumerate(official.FLOWS)}
    out = pd.DataFrame(rows)
    return out.sort_values(["flow", "year"], key=lambda c: c.map(order) if c.name == "flow"
                           else c, kind="mergesort").reset_index(drop=True)


def nearest_both(k7: pd.DataFrame, k6: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """:func:`nearest` for Кесте 7 (source ``k7``), then Кесте 6 (``k6``)."""
    return pd.concat([nearest(k7, series, "k7"), nearest(k6, series, "k6")],
                     ignore_index=True)


def follows(cells: pd.DataFrame, code: str) -> pd.Series:
    """Cells that follow ``code`` (within its rounding) or, not following either, are
    nearer it."""
    column = COLUMNS[code]
    return cells["verdict"].isin([f"within_{column}", f"nearer_{column}", "within_both"])


def nearer_years(cells: pd.DataFrame, code: str = WITS,
                 flow: str = NEARER_FLOW) -> frozenset[int]:
    """Exercise 2a: the years in which the table's ``flow`` is nearer ``code`` (or
    follows it)."""
    part = cells[cells["flow"] == flow]
    return frozenset(int(y) for y in part.loc[follows(part, code), "year"])


def closer_by_distance(cells: pd.DataFrame, code: str,
                       flow: str = NEARER_FLOW) -> frozenset[int]:
    """The years in which ``code`` lies strictly closer to the cell, whether or not the
    series differ (what a student who swaps the two series' columns reports)."""
    part = cells[cells["flow"] == flow]
    other = COLUMNS[next(c for c in COLUMNS if c != code)]
    mask = part[f"distance_{COLUMNS[code]}"] < part[f"distance_{other}"]
    return frozenset(int(y) for y in part.loc[mask, "year"])


def any_within(cells: pd.DataFrame) -> bool:
    """Exercise 2b: does any cell round to the value of either series?"""
    return bool((cells["within_bns"] | cells["within_wits"]).any())


def nearer_count(cells: pd.DataFrame, code: str = BNS) -> int:
    """Exercise 2c: how many cells follow ``code`` or are nearer it."""
    return int(follows(cells, code).sum())


# ---------------------------------------------------------------------------------------
# Exercise 3: growth across a splice
# ---------------------------------------------------------------------------------------


def reference_value(series: pd.DataFrame, flow: str, year: int,
                    order: Sequence[str] = series_data.REFERENCE_ORDER) -> tuple[str, float]:
    """The series a splice takes for ``year`` (the first of ``order`` that covers it) and
    its value."""
    return official.official_for(series, flow, year, order)


def growth_pct(series: pd.DataFrame, flow: str = SPLICE_FLOW, year: int = SPLICE_YEAR,
               order: Sequence[str] = series_data.REFERENCE_ORDER) -> float:
    """100 · (level in ``year`` / level in ``year − 1`` − 1), each level from the first
    series of ``order`` that covers its year: with the default order a splice (BNS, else
    WITS); with ``(WITS,)`` growth within one series."""
    before = reference_value(series, flow, year - 1, order)[1]
    return 100 * (reference_value(series, flow, year, order)[1] / before - 1)


def splice_table(series: pd.DataFrame, years: Sequence[int],
                 flow: str = SPLICE_FLOW) -> pd.DataFrame:
    """Per year: the spliced level and the series it comes from, each series' level, and
    the growth from the year before in the splice, in WITS and in BNS (NaN where a series
    lacks either year): year, spliced_series, spliced, bns, wits, growth_spliced,
    growth_wits, growth_bns."""
    rows = []
    for year in years:
        code, level = reference_value(series, flow, year)
        row = {"year": int(year), "spliced_series": code, "spliced": level,
               "bns": value(series, BNS, flow, year), "wits": value(series, WITS, flow, year)}
        for name, order in (("spliced", series_data.REFERENCE_ORDER), ("wits", (WITS,)),
                            ("bns", (BNS,))):
            row[f"growth_{name}"] = growth_pct(series, flow, year, order)
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# The answer key
# ---------------------------------------------------------------------------------------


def _gap(year: int) -> AnswerKey:
    def answer(params: Params) -> Expected:
        series = load_series()
        bns = value(series, BNS, GAP_FLOW, year)
        wits = value(series, WITS, GAP_FLOW, year)
        # the wrong base: divided by WITS, either way round
        return grading.number(gap_pct(series, GAP_FLOW, year), TOLERANCE_PCT, percent=True,
                              signed=True, base=(100 * (1 - bns / wits),
                                                 100 * (bns / wits - 1)))
    return answer


def _k7_cells() -> pd.DataFrame:
    return nearest(load_tables()[0], load_series(), "k7")


def _nearer_years(params: Params) -> Expected:
    cells = _k7_cells()
    return grading.whole_numbers(nearer_years(cells, WITS),
                                 series=closer_by_distance(cells, BNS))


def _any_within(params: Params) -> Expected:
    return Expected(any_within(_k7_cells()))


def _k6_nearer_bns(params: Params) -> Expected:
    cells = nearest(load_tables()[1], load_series(), "k6")
    return grading.number(nearer_count(cells, BNS), 0, series=nearer_count(cells, WITS))


def _growth(order: tuple[str, ...], other: tuple[str, ...]) -> AnswerKey:
    def answer(params: Params) -> Expected:
        series = load_series()
        before = reference_value(series, SPLICE_FLOW, SPLICE_YEAR - 1, order)[1]
        after = reference_value(series, SPLICE_FLOW, SPLICE_YEAR, order)[1]
        return grading.number(growth_pct(series, SPLICE_FLOW, SPLICE_YEAR, order),
                              TOLERANCE_PCT, percent=True, signed=True,
                              base_year=100 * (before / after - 1),
                              series=growth_pct(series, SPLICE_FLOW, SPLICE_YEAR, other))
    return answer


#: Check key → its expected answer (discovered by :func:`analysis.teaching.grading.answer_keys`).
ANSWERS: dict[str, AnswerKey] = {
    "series_gap_2020": _gap(GAP_YEAR),
    "series_gap_2023": _gap(AFTER_YEAR),
    "series_k7_nearer_years": _nearer_years,
    "series_k7_within": _any_within,
    "series_k6_nearer_bns": _k6_nearer_bns,
    "series_spliced_growth": _growth(series_data.REFERENCE_ORDER, (WITS,)),
    "series_wits_growth": _growth((WITS,), series_data.REFERENCE_ORDER),
}
