"""The relation checks (analysis.checks.relations, share lists of analysis.checks.arith) on
crafted inputs that pass and that fail: a factor between two levels, a part and its whole,
a flow and a capacity, one quantity across years, a stated count against a list, a duration
against its start and end, and share lists with ranges and words."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pandas as pd
import pytest
from check_helpers import en, kk
from check_helpers import text_fig as fig

from analysis import config
from analysis.checks import arith, ledger, relations, tables, text
from analysis.checks.arith import Share
from analysis.checks.context import Context
from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    UNTESTABLE,
    WITHIN,
)
from analysis.checks.declarations import (
    COMPLETE_BASES,
    LIST_BASES,
    SHARE_LISTS,
    TABLE_SHARE_LISTS,
)
from analysis.data.parse import parse_number
from analysis.methods.rounding import Interval

# ---------------------------------------------------------------------------------------
# identity.product: after = factor × before
# ---------------------------------------------------------------------------------------


def test_times_factor():
    before, after = fig("100", "USD"), fig("300", "USD", ref="T3")
    assert relations.check_times(fig("үш", "times"), before, after, "f").status == REPRODUCED
    # 300 / 100 = 3 vs "four times" [3.5, 4.5): contradicted
    row = relations.check_times(fig("төрт", "times"), before, after, "f")
    assert row.status == CONTRADICTED and "300 / 100 = 3" in en(row.diagnosis)
    # "more than 2 times": the ratio 3 is above (1.5, ∞) → consistent, not reproduced
    more = relations.check_times(fig("2", "times", qualifier="more_than"), before, after, "f")
    assert more.status == NOT_DECISIVE  # a bound on one side decides nothing


# ---------------------------------------------------------------------------------------
# part.whole and flow.capacity
# ---------------------------------------------------------------------------------------


def test_part_and_whole():
    whole = fig("26 мың", "people", ref="W")
    assert relations.check_at_most(fig("727", "people"), whole, "p").status == PLAUSIBLE
    assert relations.check_at_most(fig("27 мың", "people"), whole, "p").status == CONTRADICTED
    # 26,4 thousand printed vs a whole of 26 thousand [25 500, 26 500): the part may fit
    fits = relations.check_at_most(fig("26,4 мың", "people"), whole, "p")
    assert fits.status == PLAUSIBLE and "as printed" in en(fits.diagnosis)


def test_flow_above_capacity():
    capacity = fig("екі миллион", "tonne/year", ref="C")
    row = relations.check_at_most(fig("3 миллион", "tonne"), capacity, "f", "flow.capacity")
    assert row.status == CONTRADICTED and row.check_id == "flow.capacity"
    assert "exceeds the route" not in en(row.diagnosis)  # English says "its capacity"
    assert "exceeds its capacity" in en(row.diagnosis)
    ok = relations.check_at_most(fig("1,5 миллион", "tonne"), capacity, "f", "flow.capacity")
    assert ok.status == PLAUSIBLE
    with pytest.raises(ValueError, match="not in comparable units"):
        relations.check_at_most(fig("3", "km"), capacity, "f")


# ---------------------------------------------------------------------------------------
# series.jump
# ---------------------------------------------------------------------------------------


def test_jump_threshold_is_stated_and_compounds():
    a = fig("4,5 триллион", "USD", year=2022, ref="A")
    b = fig("1,4 триллион", "USD", year=2023, ref="B", qualifier="approx")
    row = relations.check_jump(a, b, "j")
    assert row.status == CONTRADICTED and "implausible fall" in en(row.diagnosis)
    assert "[0.5, 2]" in en(row.diagnosis)  # ×2 a year either way
    # the same fall over two years is within [0.25, 4]
    two = relations.check_jump(a, fig("1,4 триллион", "USD", year=2024, ref="C"), "j")
    assert two.status == PLAUSIBLE  # a plausibility check never says "reproduced"
    # a doubling in one year is at the limit: 100 → 200 is allowed, 100 → 250 is not
    assert relations.check_jump(fig("100", year=2020), fig("200", year=2021, ref="T2"),
                                "j").status == PLAUSIBLE
    assert relations.check_jump(fig("100", year=2020), fig("250", year=2021, ref="T2"),
                                "j").status == CONTRADICTED
    with pytest.raises(ValueError):
        relations.check_jump(b, a, "j")
    assert relations.jump_interval(3) == Interval(Fraction(1, 8), Fraction(8))


# ---------------------------------------------------------------------------------------
# count.enumerated
# ---------------------------------------------------------------------------------------


def test_count_against_a_list():
    items = ["a", "b", "c"]
    assert relations.check_count(fig("үш"), items, [1, 1, 1], "c").status == REPRODUCED
    row = relations.check_count(fig("11"), items * 4, [1] * 12, "c")
    assert row.status == CONTRADICTED and "enumerates 12" in en(row.diagnosis)
    # "among them" four of five organs are named: consistent, not reproduced
    partial = relations.check_count(fig("бес"), items + ["d"], [1] * 4, "c", complete=False)
    assert partial.status == NOT_DECISIVE and "partial list" in en(partial.diagnosis)
    # but a partial list longer than the count is still a contradiction
    assert relations.check_count(fig("екі"), items, [1] * 3, "c",
                                 complete=False).status == CONTRADICTED
    # "about three" allows 2.7..3.3 → only 3
    assert relations.check_count(fig("үш", qualifier="approx"), items, [1] * 3,
                                 "c").status == WITHIN


# ---------------------------------------------------------------------------------------
# identity.duration
# ---------------------------------------------------------------------------------------


def test_duration_against_start_and_end():
    span = Interval.point(Fraction(34))  # 2025 − 1991
    assert relations.check_duration(fig("34", "year"), span, "2025 − 1991", (47,), "d",
                                    "").status == REPRODUCED
    row = relations.check_duration(fig("33", "year"), span, "2025 − 1991", (47,), "d", "")
    assert row.status == CONTRADICTED and row.lines_text == "47;100"
    # an anniversary derived from another rounded anniversary: 100 vs 2023 − (1933 − 10)
    derived = Interval(Fraction("99.5"), Fraction("100.5"))
    assert relations.check_duration(fig("100", "year"), derived, "x", (1,), "d",
                                    "").status == WITHIN
    assert relations.check_duration(fig("20", "year", qualifier="approx"), span, "x", (1,),
                                    "d", "").status == CONTRADICTED  # 18..22 misses 34


# ---------------------------------------------------------------------------------------
# share lists
# ---------------------------------------------------------------------------------------


def share(printed: str, upper: str | None = None, qualifier: str = "exact") -> Share:
    low = fig(printed, "percent", qualifier="range_low" if upper else qualifier)
    high = fig(upper, "percent", qualifier="range_high") if upper else None
    return Share("s", 1, low, upper=high)


def test_share_list_exhaustive_and_partial():
    assert arith.check_share_sum([share("96 пайыз"), share("4 пайыз")], "l",
                                 "text").status == REPRODUCED
    # 96 + 5 stands for [100, 102): 100 is the closed lower end, so within rounding …
    assert arith.check_share_sum([share("96 пайыз"), share("5 пайыз")], "l",
                                 "text").status == WITHIN
    # … and 96 + 6 stands for [101, 103): contradicted
    assert arith.check_share_sum([share("96 пайыз"), share("6 пайыз")], "l",
                                 "text").status == CONTRADICTED
    # a partial list may sum to less than 100: not decisive, with what it leaves …
    partial = arith.check_share_sum([share("30%"), share("20%")], "l", "text", complete=False)
    assert partial.status == NOT_DECISIVE and "50 points are left" in en(partial.diagnosis)
    # … but not to more
    assert arith.check_share_sum([share("70%"), share("40%")], "l", "text",
                                 complete=False).status == CONTRADICTED


def test_share_list_with_ranges_and_an_upper_bound():
    # 30–40 + 20–25 + 8–12 + 2–4 + "up to 2": each end stands for its rounding interval,
    # "up to 2" for [0, 2.5): [29.5+19.5+7.5+1.5+0, 40.5+25.5+12.5+4.5+2.5) = [58, 85.5)
    shares = [share("30", "40 пайыз"), share("20", "25 пайыз"), share("8", "12 пайыз"),
              share("2", "4 пайыз"), share("екі пайыз", qualifier="up_to")]
    row = arith.check_share_sum(shares, "l", "text", complete=False)
    assert row.status == NOT_DECISIVE and "sum to a range of 58–85.5%" in en(row.diagnosis)
    assert "қосындысы аралық ретінде 58–85,5%" in kk(row.diagnosis)
    assert "[58, 85.5)" in en(row.recomputed)  # an "up to" share is never below 0
    # ranges whose low ends alone exceed 100: contradicted
    big = [share("60", "70 пайыз"), share("50", "60 пайыз")]
    assert arith.check_share_sum(big, "l", "text", complete=False).status == CONTRADICTED


@pytest.mark.parametrize(("printed", "basis", "status", "words"), [
    # presented as complete ("the rest", a total): must make 100 within rounding
    (("60%", "30%"), "rest", CONTRADICTED, "10 points missing"),
    (("60%", "40%"), "total", REPRODUCED, "= 100%"),
    # not presented as complete: the unaccounted share, never a contradiction below 100
    (("60%", "30%"), "no_marker", NOT_DECISIVE, "10 points are left unaccounted"),
    (("60%", "30%"), "among", NOT_DECISIVE, "10 points are left unaccounted"),
    (("60%", "45%"), "main", CONTRADICTED, "above 100%"),
])
def test_one_rule_for_every_list_of_shares(printed, basis, status, words):
    """Whether a list must make 100 is data (its basis and the words that tell it), and
    the same numbers give different verdicts under different bases; made-up lists."""
    row = arith.check_share_sum([share(p) for p in printed], "l", "text",
                                complete=basis in COMPLETE_BASES,
                                basis=arith.list_basis(basis, "сөздер", 9))
    assert row.status == status
    text_en = en(row.diagnosis)
    assert words in text_en and "«сөздер», line 9" in text_en
    assert ("a complete list" in text_en) == (basis in COMPLETE_BASES)


def test_every_declared_list_says_why():
    """Every declared list (text and tables) names a known basis and the words that tell;
    the words stand verbatim on their line when the source is beside the checkout."""
    lines = None
    if config.source_available():
        lines = (config.SOURCE_DIR / "dissertation_kk.txt").read_text(
            encoding="utf-8").split("\n")
    for decl in [*SHARE_LISTS.values(), *TABLE_SHARE_LISTS.values()]:
        assert decl.basis in LIST_BASES and decl.marker
        if lines is not None:
            assert decl.marker in lines[decl.line - 1], decl


# ---------------------------------------------------------------------------------------
# The producers on a crafted context
# ---------------------------------------------------------------------------------------


def claim(cid: str, key: str, printed: str, unit: str, line: int, **kw: Any) -> dict:
    """A text claim; keyword overrides: year, qualifier ("exact"), period."""
    year, qualifier, period = kw.get("year"), kw.get("qualifier", "exact"), kw.get("period", "")
    return {"claim_id": cid, "source_doc": "dissertation_kk.txt", "section": "x",
            "source_line": line, "topic": "other", "quantity_key": key, "entity": "",
            "quote_kk": printed, "label_kk": key, "label_en": key, "number_printed": printed,
            "value": float(parse_number(printed).value or 0), "unit": unit, "year": year,
            "period": period, "qualifier": qualifier, "note_en": ""}


def test_producers_find_their_relations(monkeypatch):
    from analysis.checks import declarations, relation_rows

    claims = pd.DataFrame([
        claim("T1", "cargo", "3 миллион", "tonne", 10),
        claim("T2", "capacity", "екі миллион", "tonne/year", 20),
        claim("T3", "gdp", "4,5 триллион", "USD", 30, year=2022),
        claim("T4", "gdp", "1,4 триллион", "USD", 40, year=2023, qualifier="approx"),
        claim("T5", "relations_years", "33", "year", 50),
        claim("T6", "period", "1991", "year", 60, qualifier="range_low"),
        claim("T7", "period", "2025", "year", 60, qualifier="range_high"),
        claim("T8", "organs", "бес", "count", 70),
    ])
    enum = pd.DataFrame([{"claim_id": "T8", "item_no": i, "item_kk": x, "item_en": x,
                          "source_doc": "dissertation_kk.txt", "source_line": 70,
                          "list_complete": "yes"} for i, x in enumerate("abcd", 1)])
    monkeypatch.setattr(declarations, "FLOW_CAPACITY", {"cargo": "capacity"})
    monkeypatch.setattr(relation_rows, "FLOW_CAPACITY", {"cargo": "capacity"})
    monkeypatch.setattr(relation_rows, "DURATION_SPAN", {"relations_years": "period"})
    ctx = Context([], text.text_figures(claims), claims, enumerations=enum)
    frame = ledger.assemble(ctx)
    status = dict(zip(frame["claim_id"], frame["status"], strict=True))
    assert status["T1.within_capacity.T2"] == CONTRADICTED
    assert status["T4.series.T3"] == CONTRADICTED
    assert status["T5.duration.T6"] == CONTRADICTED  # 2025 − 1991 = 34, not 33
    assert status["T8.count"] == CONTRADICTED        # five stated, four listed
    # every figure is judged somewhere: no untestable rows
    assert UNTESTABLE not in set(frame["status"])


def test_table_figures_keep_kazakh_labels():
    cells = pd.DataFrame([{"exhibit": "Кесте 7", "part": 1, "row": 1, "column": 2, "token": 1,
                           "row_key": "2019", "column_key": "exports", "year": 2019,
                           "row_label_kk": "2019", "row_label_en": "2019",
                           "column_label_kk": "Экспорт", "column_label_en": "Exports",
                           "printed": "1 120", "printed_en": "", "number_printed": "1 120",
                           "value": 1120.0, "unit": "USD million", "source_line": 1012}])
    (f,) = tables.table_figures(cells)
    assert f.label == "Exports" and f.label_kk == "Экспорт"


def test_restatements_are_compared_with_each_distinct_earlier_value():
    """A new value is compared with the first statement of every distinct earlier value;
    a repeat only with the first statement of its own value (linear, and no contradiction
    between two values is lost)."""
    claims = pd.DataFrame([
        claim("T1", "q", "10", "count", 10, year=2020, qualifier="approx"),  # ≈10: [9, 11]
        claim("T2", "q", "11", "count", 20, year=2020),                       # [10.5, 11.5)
        claim("T3", "q", "9", "count", 30, year=2020),                        # [8.5, 9.5)
        claim("T4", "q", "11", "count", 40, year=2020),                       # repeats T2
    ])
    ctx = Context([], text.text_figures(claims), claims)
    frame = ledger.assemble(ctx, [text.restated])
    status = dict(zip(frame["claim_id"], frame["status"], strict=True))
    assert status == {"T2.restated.T1": WITHIN, "T3.restated.T1": WITHIN,
                      "T3.restated.T2": CONTRADICTED, "T4.restated.T2": REPRODUCED}
