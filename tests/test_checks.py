"""Each check of analysis.checks on small crafted inputs that pass and that fail, and the
tolerance logic at its boundaries.

The arithmetic behind each expectation is written next to it, so that a failing test says
which rule broke. Intervals are exact and half-open as the rounding rule makes them
(:mod:`analysis.methods.rounding`): a printed "1 580" is [1579.5, 1580.5) under half-up rounding and
[1579.5, 1580.5] under half-even (0 is even).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd
import pytest
from check_helpers import en, kk

from analysis.checks import arith, compare, core, events, survey_rows
from analysis.checks.arith import Share
from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    UNTESTABLE,
    WITHIN,
)
from analysis.checks.figures import Figure, slip_factor
from analysis.data.parse import parse_number
from analysis.methods.rounding import Interval, fmt

NBSP = "\u00a0"

# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------






def fig(printed: str, unit: str = "USD million", **kw: Any) -> Figure:
    """A Figure whose value is parsed from ``printed`` (as the loader guarantees); keyword
    overrides: key, year (2019), line (100), qualifier, source ("K7"), ref, label, period."""
    value = parse_number(printed).value
    assert value is not None
    source, key, year = kw.get("source", "K7"), kw.get("key", "q"), kw.get("year", 2019)
    exhibit = "text" if source == "text" else f"Кесте {source[1:]}"
    return Figure(ref=kw.get("ref") or f"{source}.{year}.{key}", source=source,
                  exhibit=exhibit, key=key, year=year, printed=printed, value=Decimal(value),
                  unit=unit, line=kw.get("line", 100), qualifier=kw.get("qualifier", "exact"),
                  period=kw.get("period", ""), label=kw.get("label", ""))


# ---------------------------------------------------------------------------------------
# numbers and intervals
# ---------------------------------------------------------------------------------------


def test_interval_follows_printed_decimals():
    # half-up: [p − h, p + h); half-even: closed for an even last digit
    assert fig("1 580").interval("half_up") == Interval(Fraction("1579.5"), Fraction("1580.5"),
                                                         True, False)
    assert fig("1 580").interval("half_even") == Interval(Fraction("1579.5"),
                                                           Fraction("1580.5"))
    assert fig("+12.0%", "percent").interval() == Interval(Fraction("11.95"),
                                                            Fraction("12.05"), True, False)
    # a multiplier word scales the rounding: "6,3 млрд" is 6.3e9 ± 0.05e9, and 63 is odd
    assert fig("6,3 млрд", "USD").interval("half_even") == Interval(
        Fraction(625, 100) * 10**9, Fraction(635, 100) * 10**9, False, False)


def test_interval_of_qualifiers():
    assert fig("≈80%", "percent").interval() == Interval(72, 88)  # ≈: ±10 %
    more = fig("4,2 миллиард", "USD", qualifier="more_than").interval()
    assert more == Interval(Fraction("4.15") * 10**9, None, False, False)
    assert fig("10", "count", qualifier="up_to").interval() == Interval(
        None, Fraction("10.5"), False, False)
    assert fig("10", "count", qualifier="up_to").interval("half_even") == Interval(
        None, Fraction("10.5"), False, True)


def test_fmt_is_exact_for_terminating_and_rounded_otherwise():
    assert fmt(Fraction(1770, 1580) * 100 - 100) == "12.0253"
    assert fmt(Fraction(25)) == "25"
    assert fmt(Fraction("92.83")) == "92.83"
    assert fmt(None) == "∞"


@pytest.mark.parametrize(("ratio", "factor"), [(Fraction(1000), 1000), (Fraction(1, 1000), 1000),
                                               (Fraction(1020), 1000), (Fraction(99), 100),
                                               (Fraction(10), 10)])
def test_slip_factor_near_powers_of_ten(ratio, factor):
    assert slip_factor(ratio) == factor


@pytest.mark.parametrize("ratio", [Fraction(2), Fraction(1200), Fraction(3), Fraction(0)])
def test_no_slip_factor_elsewhere(ratio):
    assert slip_factor(ratio) is None


def test_row_refuses_unknown_status_and_check():
    with pytest.raises(ValueError, match="unknown status"):
        core.Row("x", "identity.total", "", (), "", "fine", {"key": "diag.none.no_other"})
    with pytest.raises(ValueError, match="unknown check id"):
        core.Row("x", "nope", "", (), "", REPRODUCED, {"key": "diag.none.no_other"})


# ---------------------------------------------------------------------------------------
# identity.total
# ---------------------------------------------------------------------------------------


def test_identity_exact_is_reproduced():
    # Кесте 7 2018: 980 + 600 = 1 580 exactly
    row = arith.check_identity(fig("1 580", line=1007), [fig("980", line=1005),
                                                      fig("600", line=1006)], "K7.2018.id")
    assert row.status == REPRODUCED
    assert row.lines_text == "1005;1006;1007"
    assert "980 + 600 = 1,580" in en(row.diagnosis)
    assert f"980 + 600 = 1{NBSP}580" in kk(row.diagnosis)
    assert en(row.recomputed) == "1,580 [1,579, 1,581)"  # half-up sum of [p − ½, p + ½)
    assert kk(row.recomputed) == f"1{NBSP}580 [1{NBSP}579; 1{NBSP}581)"


def test_identity_boundary_within_and_contradicted():
    parts = [fig("980"), fig("600")]  # sum interval [1579, 1581]
    # 1 581 stands for [1580.5, 1581.5]: overlaps → within rounding
    assert arith.check_identity(fig("1 581"), parts, "a").status == WITHIN
    # 1 582 stands for [1581.5, 1582.5]: misses [1579, 1581] → contradicted
    assert arith.check_identity(fig("1 582"), parts, "b").status == CONTRADICTED
    # a one-decimal total is tighter: 1 581,5 → [1581.45, 1581.55] misses too
    assert arith.check_identity(fig("1 581,5"), parts, "c").status == CONTRADICTED


def test_identity_with_parts_in_another_unit():
    # text: 4,8 + 1,6 = 6,4 billion vs printed 6,3: [6.3, 6.5] overlaps [6.25, 6.35]
    row = arith.check_identity(fig("6,3 млрд", "USD"), [fig("4,8 миллиард", "USD"),
                                                    fig("1,6 миллиард", "USD")], "T")
    assert row.status == WITHIN
    assert "4.8 + 1.6 = 6.4 billion USD" in en(row.diagnosis)
    assert "4,8 + 1,6 = 6,4 млрд АҚШ доллары" in kk(row.diagnosis)


def test_identity_unit_slip_is_a_hypothesis():
    # a total printed as 1,58 in a "USD million" column: 1 580 / 1,58 = 1000
    row = arith.check_identity(fig("1,58"), [fig("980"), fig("600")], "slip")
    assert row.status == CONTRADICTED
    assert "possible unit slip (factor 1000: million vs billion" in en(row.diagnosis)
    assert [n["key"] for n in row.notes] == ["note.slip_1000"]


# ---------------------------------------------------------------------------------------
# growth.recompute
# ---------------------------------------------------------------------------------------


def test_growth_interval_uses_extremes_of_both_levels():
    point, ivs = arith.growth_intervals(fig("1 580"), fig("1 770"))
    assert point == Fraction(1770, 1580) * 100 - 100           # 12.0253 %
    up = ivs["half_up"]
    assert up.lo == (Fraction("1769.5") / Fraction("1580.5") - 1) * 100  # 11.9582 %
    assert up.hi == (Fraction("1770.5") / Fraction("1579.5") - 1) * 100  # 12.0924 %
    # half-up levels are [p − h, p + h): the largest previous level is never reached
    assert not up.lo_closed and not up.hi_closed
    assert ivs["half_even"].lo_closed and ivs["half_even"].hi_closed  # 1580, 1770 even


def test_growth_within_rounding_not_reproduced():
    # 1 770 / 1 580 − 1 = 12.025 %: rounds to the printed 12.0 % but is not equal to it
    row = arith.check_growth(fig("+12.0%", "percent"), fig("1 580"), fig("1 770"), "g")
    assert row.status == WITHIN
    assert "12.0253%" in en(row.diagnosis) and "rounds to 12.0%" in en(row.diagnosis)
    assert "12,0253%" in kk(row.diagnosis) and "12,0% болып дөңгелектенеді" in kk(row.diagnosis)


def test_growth_exact_is_reproduced():
    # 2 750 / 2 200 − 1 = 25 % exactly, printed +25.0 %
    row = arith.check_growth(fig("+25.0%", "percent"), fig("2 200"), fig("2 750"), "g")
    assert row.status == REPRODUCED


@pytest.mark.parametrize(("printed", "status"), [
    ("+12.5%", CONTRADICTED),   # [12.45, 12.55] misses [11.9582, 12.0924]
    ("+12.1%", WITHIN),         # [12.05, 12.15] reaches 12.0924
    ("+12.2%", CONTRADICTED),   # [12.15, 12.25] starts above 12.0924
    ("+11.9%", CONTRADICTED),   # [11.85, 11.95] ends below 11.9582
    ("+12%", WITHIN),           # [11.5, 12.5]: a coarser printed rate is looser
])
def test_growth_boundaries(printed, status):
    row = arith.check_growth(fig(printed, "percent"), fig("1 580"), fig("1 770"), "g")
    assert row.status == status


def test_growth_negative_rate():
    # 1 750 / 1 770 − 1 = −1.1299 %, printed −1.1 %
    row = arith.check_growth(fig("-1.1%", "percent"), fig("1 770"), fig("1 750"), "g")
    assert row.status == WITHIN


def test_growth_from_a_bounded_level_is_not_decisive():
    """A bound on one side leaves the rate anything in a wide range (here up to 78.37 %):
    a fit decides nothing (not decisive, never "within rounding"); a rate the bound still
    excludes is contradicted. Made-up numbers."""
    prev = fig("20 миллиард", "USD", qualifier="more_than", year=2023)
    cur = fig("30 млрд", "USD", year=2024)
    row = arith.check_growth(fig("10%", "percent"), prev, cur, "g")
    assert row.status == NOT_DECISIVE
    assert "not decisive" in en(row.diagnosis) and "шешуші емес" in kk(row.diagnosis)
    # 30 / (more than 19.5) − 1 < 53.9 %: a printed 60 % cannot hold even with the bound
    assert arith.check_growth(fig("60%", "percent"), prev, cur, "g").status == CONTRADICTED
    # the same levels printed as points: the ladder decides (within rounding or not)
    point = fig("20 миллиард", "USD", year=2023)
    assert arith.check_growth(fig("49%", "percent"), point, cur, "g").status == WITHIN


# ---------------------------------------------------------------------------------------
# shares.sum100
# ---------------------------------------------------------------------------------------


def _shares(*printed: str) -> list[Share]:
    return [Share(f"s{i}", 700 + i, fig(p, "percent")) for i, p in enumerate(printed)]


def test_share_sum_k3_is_contradicted():
    # Кесте 3: 17 + 17 + 10 + 10 + 9.8 + 11 + 6.75 + 2.72 + 8.56 = 92.83
    row = arith.check_share_sum(_shares("17%", "17%", "10%", "10%", "9.8%", "11%", "6.75%",
                                     "2.72%", "8.56%"), "K3", "Кесте 3")
    assert row.status == CONTRADICTED
    assert "92.83%" in en(row.diagnosis) and "7.17 points missing" in en(row.diagnosis)
    assert "9,8% + 11%" in kk(row.diagnosis)
    assert "7,17 пайыздық тармақ жетіспейді" in kk(row.diagnosis)
    # rounding: 5 × 0.5 (17, 17, 10, 10, 11) + 0.05 (9.8) + 3 × 0.005 = 2.565 either side
    assert en(row.recomputed) == "92.83 [90.265, 95.395)"
    assert kk(row.recomputed) == "92,83 [90,265; 95,395)"


def test_share_sum_passes():
    assert arith.check_share_sum(_shares("50%", "50%"), "a", "x").status == REPRODUCED
    # 33,3 × 3 = 99.9; rounding ±0.15 reaches 100
    assert arith.check_share_sum(_shares("33,3%", "33,3%", "33,3%"), "b", "x").status == WITHIN
    # 40 + 40 = 80: [79, 81]
    assert arith.check_share_sum(_shares("40%", "40%"), "c", "x").status == CONTRADICTED


def test_share_sum_with_a_share_in_words():
    small = Share("Europe", 842, None, words="Аз үлес")
    # ≈80 + ≈20 + small: ≈ allows 72 + 18 = 90, leaving room for the small share
    k4 = [Share("Russia", 832, fig("≈80%", "percent")), Share("China", 837,
                                                              fig("≈20%", "percent")), small]
    row = arith.check_share_sum(k4, "K4", "Кесте 4")
    assert row.status == WITHIN
    assert "only because they are approximate" in en(row.diagnosis)
    # plain 80 + 20 + small: 79.5 + 19.5 = 99 < 100 → still possible (small share ≤ 1)
    assert arith.check_share_sum(_shares("80%", "20%") + [small], "a", "x").status == WITHIN
    # 81 + 20 + small: the numeric shares alone are at least 80.5 + 19.5 = 100, and the
    # share in words must be positive → contradicted
    assert arith.check_share_sum(_shares("81%", "20%") + [small], "b", "x").status == CONTRADICTED


# ---------------------------------------------------------------------------------------
# cross.same_quantity and text.restated
# ---------------------------------------------------------------------------------------


def test_same_quantity_statuses():
    k6 = fig("900", key="exports", year=2020, source="K6", line=949)
    k7 = fig("1 050", key="exports", year=2020, source="K7", line=1019)
    row = compare.check_same_quantity(k6, k7, "K6.2020.exports.cross.k7")
    assert row.status == CONTRADICTED
    assert row.lines_text == "949;1019"
    assert "900 − 1,050 = −150" in en(row.diagnosis)
    assert f"900 − 1{NBSP}050 = −150" in kk(row.diagnosis)
    assert compare.check_same_quantity(k7, k7, "same").status == REPRODUCED


def test_same_quantity_across_units():
    # text 6,3 млрд USD vs a table's 6 300 (USD million): same value
    text = fig("6,3 млрд", "USD", source="text", line=1332)
    assert compare.check_same_quantity(text, fig("6 300"), "t").status == REPRODUCED
    # vs 6 340: within [6250, 6350]
    assert compare.check_same_quantity(text, fig("6 340"), "t").status == WITHIN
    # vs 2 750: ratio 2.29, no unit slip
    row = compare.check_same_quantity(text, fig("2 750"), "t")
    assert row.status == CONTRADICTED and "unit slip" not in en(row.diagnosis)


def test_same_quantity_unit_slip():
    # a number transcribed as billions where the table has millions: 1 800 vs 1 800 000
    row = compare.check_same_quantity(fig("1 800", "USD billion", source="text"), fig("1 800"), "t")
    assert row.status == CONTRADICTED
    assert "possible unit slip (factor 1000: million vs billion" in en(row.diagnosis)


def test_same_quantity_qualifiers():
    approx = fig("≈80%", "percent", source="text")
    assert compare.check_same_quantity(approx, fig("75%", "percent"), "a").status == WITHIN
    assert compare.check_same_quantity(approx, fig("70%", "percent"), "b").status == CONTRADICTED
    more = fig("4,2 миллиард", "USD", qualifier="more_than", source="text")
    assert compare.check_same_quantity(more, fig("4 500"), "c").status == NOT_DECISIVE
    assert compare.check_same_quantity(more, fig("4 000"), "d").status == CONTRADICTED
    # the same printed value, once "about": still the same number → reproduced
    assert compare.check_same_quantity(approx, fig("≈80%", "percent"), "e").status == REPRODUCED


def test_restated_in_text():
    a = fig("33%", "percent", source="text", line=1320, ref="T191")
    b = fig("57 пайыз", "percent", source="text", line=1332, ref="T208")
    row = compare.check_restated(b, a, "T208.restated.T191")
    assert row.status == CONTRADICTED and row.check_id == "text.restated"
    same = fig("6,3 миллиард", "USD", source="text", ref="T192")
    assert compare.check_restated(fig("6,3 млрд", "USD", source="text"), same, "x").status == \
        REPRODUCED


# ---------------------------------------------------------------------------------------
# identity.share and cross.cumulative
# ---------------------------------------------------------------------------------------


def test_share_of_total():
    # 4,8 / 6,3 = 76.19 %; over the rounding [4.75/6.35, 4.85/6.25] = [74.80, 77.60]
    share = fig("74,9%", "percent", source="text")
    parts = [fig("4,8 миллиард", "USD", source="text")]
    total = fig("6,3 млрд", "USD", source="text")
    assert arith.check_share_of_total(share, parts, total, "s").status == WITHIN
    assert arith.check_share_of_total(fig("70%", "percent"), parts, total, "s").status == \
        CONTRADICTED
    assert arith.check_share_of_total(fig("50%", "percent"), [fig("3")], fig("6"), "s").status \
        == REPRODUCED


def _k8(*values: str) -> list[Figure]:
    return [fig(v, key="fdi", year=2018 + i, source="K8", line=1063 + 6 * i)
            for i, v in enumerate(values)]


def test_cumulative_as_lower_bound():
    yearly = _k8("364", "450", "420", "500", "600", "750")  # Σ = 3 084
    longer = fig("4,5 миллиард", "USD", source="text", year=None, period="2005–2022-06")
    row = arith.check_cumulative(longer, yearly, "c")
    assert row.status == PLAUSIBLE  # a bound holds: plausible, never "within rounding"
    assert "364 + 450 + 420 + 500 + 600 = 2,334" in en(row.diagnosis)  # 2018–2022 only
    small = fig("2 миллиард", "USD", source="text", year=None)
    assert arith.check_cumulative(small, yearly, "c").status == CONTRADICTED  # 2000 < 3084


def test_cumulative_within_the_table_years_must_match():
    yearly = _k8("364", "450", "420")
    exact = fig("1 234", source="text", year=None, period="2018–2020")
    assert arith.check_cumulative(exact, yearly, "c").status == REPRODUCED
    off = fig("1 300", source="text", year=None, period="2018–2020")
    assert arith.check_cumulative(off, yearly, "c").status == CONTRADICTED
    outside = fig("99", source="text", year=None, period="1995–1999")
    assert arith.check_cumulative(outside, yearly, "c").status == UNTESTABLE


# ---------------------------------------------------------------------------------------
# text.impossible
# ---------------------------------------------------------------------------------------


def test_share_above_100_is_contradicted_with_a_hypothesis():
    row = compare.check_impossible(fig("407 пайыз", "percent", key="tr_share_of_kz_foreign_trade",
                                  source="text", line=1332), "T207.impossible")
    assert row is not None and row.status == CONTRADICTED
    assert "likely a dropped decimal separator: 4.07%, 40.7%" in en(row.diagnosis)
    assert "hypothesis" in en(row.diagnosis)
    assert "4,07%, 40,7% (болжам" in kk(row.diagnosis)


def test_possible_values_and_growth_rates_pass():
    assert compare.check_impossible(fig("40%", "percent", key="share"), "a") is None
    assert compare.check_impossible(fig("150%", "percent", key="trade_growth_pct"), "b") is None
    assert compare.check_impossible(fig("407", "count", key="companies"), "c") is None


def test_decimal_candidates():
    assert compare.decimal_candidates("407 пайыз") == [Decimal("4.07"), Decimal("40.7")]
    assert compare.decimal_candidates("1000%") == [Decimal("1.000"), Decimal("10.00"),
                                                   Decimal("100.0")]


# ---------------------------------------------------------------------------------------
# survey checks
# ---------------------------------------------------------------------------------------


def results_frame(questions: dict[int, list[str]],
                  labels: dict[int, list[str]] | None = None) -> pd.DataFrame:
    rows = []
    for q, printed in questions.items():
        for i, text in enumerate(printed, start=1):
            rows.append({"question": q, "question_kk": f"Сұрақ {q}", "question_en": f"Q{q}",
                         "option_order": i,
                         "option_kk": labels[q][i - 1] if labels else f"Нұсқа {q}.{i}",
                         "option_en": f"Option {i}", "printed": text,
                         "value": float(text.rstrip("%").replace(",", ".")),
                         "unit": "percent", "source_line": 1000 + 10 * q + i})
    return pd.DataFrame(rows)


def questionnaire_frame(questions: dict[int, list[str]]) -> pd.DataFrame:
    rows = []
    for q, options in questions.items():
        for i, text in enumerate(options):
            rows.append({"question": q, "section_kk": "Бөлім", "section_en": "Section",
                         "question_kk": f"Сұрақ {q}", "question_en": f"Q{q}",
                         "option_letter": "abcde"[i], "option_kk": text, "option_en": text,
                         "source_line": 500 + 10 * q + i})
    return pd.DataFrame(rows)


def _status(rows: list[core.Row]) -> dict[str, str]:
    return {r.claim_id: r.status for r in rows}


def test_survey_sums():
    res = results_frame({1: ["50%", "50%"], 2: ["33,3%", "33,3%", "33,3%"],
                         3: ["40%", "40%"]})
    assert _status(survey_rows.survey_sum_rows(res)) == {
        "S.Q01.sum": REPRODUCED, "S.Q02.sum": WITHIN, "S.Q03.sum": CONTRADICTED}


def test_survey_granularity():
    # 25 %/75 %: N = 4 works; 0,01 % needs N ≥ 6667 (1/N ≤ 0.015 %) → none ≤ 5000
    res = results_frame({1: ["25%", "75%"], 2: ["0,01%", "99,99%"]})
    got = _status(survey_rows.survey_granularity_rows(res))
    assert got["S.Q01.granularity"] == WITHIN
    assert got["S.Q02.granularity"] == CONTRADICTED
    assert got["S.joint.granularity"] == CONTRADICTED  # Q2 fits no N at all
    ok = survey_rows.survey_granularity_rows(results_frame({1: ["25%", "75%"], 2: ["50%", "50%"]}))
    joint = [r for r in ok if r.claim_id == "S.joint.granularity"][0]
    assert joint.status == WITHIN and "smallest joint N 2 " not in en(joint.recomputed)
    assert "half-up: smallest joint N 4 " in en(joint.recomputed)  # 25 % needs N ÷ 4


def test_survey_options():
    q = questionnaire_frame({1: ["Иә", "Жоқ"], 2: ["Иә", "Жоқ"], 3: ["Ғылым және білім",
                                                                    "Бизнес"],
                             4: ["Иә", "Жоқ", "Орташа"]})
    r = results_frame({1: ["50%", "50%"], 2: ["50%", "50%"], 3: ["50%", "50%"],
                       4: ["40%", "40%", "20%"]},
                      labels={1: ["Иә", "Жоқ"], 2: ["Иә", "Білмеймін"],
                              3: ["Білім және ғылым", "Бизнес"],
                              4: ["Иә", "Жоқ", "Орташа"]})
    got = _status(survey_rows.survey_option_rows(q, r))
    assert got == {"S.Q01.options": REPRODUCED, "S.Q02.options": CONTRADICTED,
                   "S.Q03.options": WITHIN, "S.Q04.options": REPRODUCED}


def test_survey_repeated_blocks():
    res = results_frame({5: ["40%", "36%", "5%", "19%"], 11: ["40%", "36%", "19%", "5%"],
                         1: ["25%", "37%", "21%", "17%"], 6: ["37%", "21%", "17%", "25%"],
                         7: ["10%", "20%", "30%", "40%"]},
                        labels={5: ["a", "b", "c", "d"], 11: ["a", "b", "x", "y"],
                                1: list("abcd"), 6: list("efgh"), 7: list("abcd")})
    got = _status(survey_rows.survey_repeat_rows(res))
    assert got["S.Q05-Q11.repeat"] == CONTRADICTED  # same multiset, relabelled
    assert got["S.Q01-Q06.repeat"] == CONTRADICTED  # the same four values again
    assert not any("Q07" in k for k in got)


def test_survey_partial_overlap_is_not_a_finding():
    res = results_frame({9: ["35%", "25%", "21%", "18%"], 10: ["28%", "25%", "21%", "18%",
                                                                "8%"]})
    assert _status(survey_rows.survey_repeat_rows(res)) == {"S.Q09-Q10.repeat": WITHIN}


# ---------------------------------------------------------------------------------------
# events.dates
# ---------------------------------------------------------------------------------------


def events_frame(rows: list[tuple[str, str, int | None, int | None, int | None, int]]
                 ) -> pd.DataFrame:
    return pd.DataFrame([{"event_id": f"E{i:03d}", "event_key": key, "event_type": "summit",
                          "event_kk": key, "event_en": key, "date_printed": f"{y}-{m}-{d}",
                          "year": y, "month": m, "day": d, "place_kk": "", "place_en": "",
                          "quote_kk": "", "source_doc": "dissertation_kk.txt",
                          "source_line": line}
                         for i, (key, _, y, m, d, line) in enumerate(rows, start=1)])


def test_event_dates():
    ev = events_frame([
        ("same", "", 2021, 11, 12, 10), ("same", "", 2021, 11, 12, 20),
        ("coarse", "", 2021, None, None, 30), ("coarse", "", 2021, 11, 12, 40),
        ("clash", "", 1992, 10, 30, 50), ("clash", "", 1992, 10, 31, 60),
        ("year", "", 2022, None, None, 70), ("year", "", 2024, 2, 6, 80),
        ("once", "", 2009, None, None, 90),
    ])
    got = _status(events.event_rows(ev))
    assert got == {"E.same.dates": REPRODUCED, "E.coarse.dates": WITHIN,
                   "E.clash.dates": CONTRADICTED, "E.year.dates": CONTRADICTED,
                   "E.once.dates": UNTESTABLE}
    clash = [r for r in events.event_rows(ev) if r.claim_id == "E.clash.dates"][0]
    assert "day 30 (line 50) vs 31 (line 60)" in en(clash.diagnosis)
    assert "күні: 30 (50-жол) және 31 (60-жол)" in kk(clash.diagnosis)
    assert clash.lines_text == "50;60"


def test_untestable_row_says_why():
    row = compare.untestable(fig("6500", "km", key="length", source="K1"), "K1.length.none")
    assert row.status == UNTESTABLE and row.check_id == "coverage.none"
    assert en(row.diagnosis) == "no other figure for this quantity in the source"
    assert kk(row.diagnosis) == "дереккөзде бұл шаманың басқа мәні жоқ"


def test_truncation_is_a_hypothesis_never_a_pass():
    """Against an exact official value, a printed figure the value cut off would give is
    not decisive (never within rounding), one nothing gives is contradicted; two printings
    of the source itself are judged by rounding alone ("2,7" and "2,8" contradict)."""
    from analysis.checks import official as rules
    from analysis.checks import official_rows
    ref = rules.Reference(Fraction(2751, 1000) * 10**9, rules.band(
        Fraction(2751, 1000) * 10**9, Fraction(2751, 1000) * 10**9), {"key": "re.value",
        "fields": {"value": "x"}}, {"key": "re.value", "fields": {"value": "x"}},
        {"key": "re.value", "fields": {"value": "x"}}, {"key": "re.value", "fields": {
            "value": "x"}})
    cut = official_rows.judge(fig("2,7 миллиард", "USD", source="text"), [ref], "c")
    assert cut is not None and cut.status == NOT_DECISIVE
    off = official_rows.judge(fig("2,6 миллиард", "USD", source="text"), [ref], "c")
    assert off is not None and off.status == CONTRADICTED
    a = fig("2,7 миллиард", "USD", source="text", ref="T1")
    b = fig("2,8 миллиард", "USD", source="text", ref="T2")
    assert compare.check_restated(b, a, "T2.restated.T1").status == CONTRADICTED
    # "about" or a bound is never read as cut off
    d = fig("2,7 миллиард", "USD", source="text", ref="T4", qualifier="approx")
    assert d.truncated() is None
