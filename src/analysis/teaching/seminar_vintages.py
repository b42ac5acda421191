"""Solutions of seminar 5, "The same year, two vintages" (``seminar_05_vintages``).

Why a seminar on vintages: students tend to treat an official statistic as a fixed fact.
The World Bank republishes GDP several times a year and a country's figure for the same
year can move by a few per cent, sometimes by far more. Two vintages in ``data/external/``
make that visible, and the exercise asks whether such revisions could explain the
dissertation's OTS GDP (they cannot: the gap between nominal and PPP dollars is far larger).

Exercises (answers computed here from ``data/external/``, the check cells' keys in
:data:`ANSWERS`; ``tests/test_external_seminar.py`` checks them against values worked out by
hand from the files):

1. :func:`revision_pct` — by how many per cent was Türkiye's GDP for a year revised?
2. :func:`revised_more_than` — how many OTS members had their GDP for that year revised by
   more than a threshold?
3. :func:`total_change` and :func:`exceeds_rounding` — does the members' GDP total move by
   more than the rounding of the printed "4,5 триллион"?
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from analysis.analyses import official
from analysis.data.parse import parse_number
from analysis.teaching import grading
from analysis.teaching.grading import AnswerKey, Expected, Params

YEAR = 2022
THRESHOLD_PCT = 1.0
PRINTED = "4,5 триллион"  # the text's OTS GDP for 2022 (line 1052, claim T109)


def gdp_table(current: pd.DataFrame, earlier: pd.DataFrame, year: int = YEAR) -> pd.DataFrame:
    """GDP of the OTS members in ``year`` in both vintages (USD billion) and the revision
    in per cent: iso3, year, value_earlier, value_current, revision_pct."""
    rev = official.revisions(current, earlier)
    part = rev[(rev["year"] == year) & rev["iso3"].isin(official.MEMBERS)]
    return pd.DataFrame({"iso3": part["iso3"], "year": part["year"].astype(int),
                         "value_earlier": part["value_earlier"] / 1e9,
                         "value_current": part["value_current"] / 1e9,
                         "revision_pct": part["revision_pct"]}).reset_index(drop=True)


def revision_pct(current: pd.DataFrame, earlier: pd.DataFrame, iso3: str = "TUR",
                 year: int = YEAR) -> float:
    """Exercise 1: 100 · (current / earlier − 1) for one country's GDP in ``year``."""
    table = gdp_table(current, earlier, year).set_index("iso3")
    return float(table["revision_pct"].astype(float)[iso3])


def revised_more_than(current: pd.DataFrame, earlier: pd.DataFrame,
                      threshold_pct: float = THRESHOLD_PCT, year: int = YEAR) -> int:
    """Exercise 2: how many members' GDP for ``year`` moved by more than the threshold."""
    table = gdp_table(current, earlier, year)
    return int((table["revision_pct"].abs() > threshold_pct).sum())


def total_change(current: pd.DataFrame, earlier: pd.DataFrame, year: int = YEAR) -> float:
    """Exercise 3a: change of the members' GDP total for ``year`` (USD trillion)."""
    table = gdp_table(current, earlier, year)
    return float((table["value_current"].sum() - table["value_earlier"].sum()) / 1000)


def rounding_half_width(printed: str = PRINTED) -> float:
    """Half a unit of the last printed digit, in USD trillion: "4,5 триллион" → 0.05."""
    parsed = parse_number(printed)
    return float(Decimal(str(parsed.half_unit)) / Decimal(10**12))


def exceeds_rounding(current: pd.DataFrame, earlier: pd.DataFrame, year: int = YEAR) -> bool:
    """Exercise 3b: does the revision of the total exceed the printed number's rounding?"""
    return abs(total_change(current, earlier, year)) > rounding_half_width()


def _vintages() -> tuple[pd.DataFrame, pd.DataFrame]:
    return official.load("wdi"), official.load("wdi_gdp_earlier")


def _tur_revision(params: Params) -> Expected:
    return grading.number(revision_pct(*_vintages()), 0.05, percent=True, signed=True)


def _members_revised(params: Params) -> Expected:
    return grading.number(revised_more_than(*_vintages()), 0)


def _total_change(params: Params) -> Expected:
    change = total_change(*_vintages())
    # in USD billion (the table's unit) instead of the trillion asked for
    return grading.number(change, 0.005, signed=True, unit=1000 * change)


def _exceeds_rounding(params: Params) -> Expected:
    return Expected(exceeds_rounding(*_vintages()))


#: Check key → its expected answer (discovered by :func:`analysis.teaching.grading.answer_keys`).
ANSWERS: dict[str, AnswerKey] = {
    "tur_revision": _tur_revision,
    "members_revised": _members_revised,
    "total_change": _total_change,
    "exceeds_rounding": _exceeds_rounding,
}
