"""The seminar pack's answer key, checked against values worked out by hand.

Each exercise's solution is a function in analysis.teaching.seminar; the numbers below were computed
by hand from the printed tables (the arithmetic is written out in the comments), not by
calling the function under test. Tampered copies of the data show that each check can fail.
The last part checks the notebooks themselves: one parameters cell with the declared
defaults, a solution for every exercise, stored outputs, and that the student version (no
solution cells) runs in English.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from analysis import config
from analysis.data import datasets
from analysis.present import parameters
from analysis.present.i18n import t
from analysis.present.tables import seminar as seminar_tables
from analysis.run import execute, handouts, zygote
from analysis.run.papermill_engine import kernel_env
from analysis.teaching import grading, seminar

SEMINAR_DIR = config.NOTEBOOKS_DIR / "seminar"
NOTEBOOKS = sorted(SEMINAR_DIR.glob("seminar_*.ipynb"))


@pytest.fixture(scope="module")
def trade():
    return datasets.load("trade")


@pytest.fixture(scope="module")
def consortium():
    return datasets.load("consortium_1994")


@pytest.fixture(scope="module")
def results():
    return datasets.load("survey_results")


@pytest.fixture(scope="module")
def indicators():
    return datasets.load("indicators_2020_2022")


# --- Exercise 1: growth (Кесте 7) -----------------------------------------------------


def test_growth_rate_2020_by_hand():
    # (1750 / 1770 − 1) · 100 = −20 / 1770 · 100 = −1.12994...
    assert seminar.growth_rate(1770, 1750) == pytest.approx(Decimal(-2000) / Decimal(1770))
    assert float(seminar.growth_rate(1770, 1750)) == pytest.approx(-1.129944, abs=1e-6)
    with pytest.raises(ZeroDivisionError):
        seminar.growth_rate(0, 10)


def test_round_like_rounds_half_up_like_a_spreadsheet():
    assert seminar.round_like(Decimal("0.05"), 1) == Decimal("0.1")
    assert seminar.round_like(Decimal("-1.15"), 1) == Decimal("-1.2")
    assert seminar.round_like(Decimal("12.0253"), 1) == Decimal("12.0")


def test_growth_table_matches_hand_worked_values(trade):
    table = seminar.growth_table(trade).set_index("year")
    # 2019: 190/1580 = 12.0253 %; 2020: −20/1770 = −1.1299 %; 2021: 450/1750 = 25.7143 %;
    # 2022: 550/2200 = 25 %; 2023: 450/2750 = 16.3636 %
    hand = {2019: 12.0253, 2020: -1.1299, 2021: 25.7143, 2022: 25.0, 2023: 16.3636}
    for year, value in hand.items():
        assert table.loc[year, "growth_recomputed"] == pytest.approx(value, abs=5e-5)
    assert [table.loc[y, "growth_rounded"] for y in hand] == [12.0, -1.1, 25.7, 25.0, 16.4]
    assert table["matches"].dropna().tolist() == [True] * 5
    assert pd_isna(table.loc[2018, "growth_recomputed"])
    # exports + imports: 980+600=1580, 1120+650=1770, 1050+700=1750, 1400+800=2200,
    # 1800+950=2750, 2100+1100=3200
    assert table["components_sum"].tolist() == [1580, 1770, 1750, 2200, 2750, 3200]
    assert table["sum_matches"].all()
    assert table.loc[2020, "line"] == 1022


def test_growth_table_catches_a_wrong_printed_growth(trade):
    tampered = trade.copy()
    tampered.loc[tampered["year"] == 2020, "growth_pct_printed"] = "-1.3%"
    table = seminar.growth_table(tampered).set_index("year")
    assert table.loc[2020, "matches"] == False  # noqa: E712  (pandas BooleanDtype)
    assert table.loc[2020, "difference_pp"] == pytest.approx(-0.2)


def test_cagr_2018_2023_by_hand():
    # (3200/1580)^(1/5) = 2.025316^(0.2) = exp(0.705721/5) = exp(0.141144) = 1.151592
    assert seminar.cagr(1580, 3200, 5) == pytest.approx(15.1592, abs=1e-3)
    with pytest.raises(ValueError):
        seminar.cagr(0, 3200, 5)


# --- Exercise 2: shares -------------------------------------------------------------


def test_consortium_shares_sum_to_92_83_and_cannot_reach_100(consortium):
    check = seminar.consortium_check(consortium)
    # 17 + 17 + 10 + 10 + 9.8 + 11 + 6.75 + 2.72 + 8.56 = 92.83
    assert check.printed_sum == Decimal("92.83")
    assert check.parts == 9
    # slack: five whole-number shares × 0.5 = 2.5; 9.8 → 0.05; three 2-decimal shares
    # × 0.005 = 0.015; total 2.565
    assert check.low == Decimal("90.265")
    assert check.high == Decimal("95.395")
    assert check.gap == Decimal("7.17")
    assert check.consistent is False


def test_share_sum_accepts_rounding_but_not_a_real_gap():
    assert seminar.share_sum(["33%", "33%", "33%"]).consistent is True  # 99 ± 1.5
    assert seminar.share_sum(["50.0%", "49.0%"]).consistent is False  # 99 ± 0.1
    assert seminar.share_sum(["31,94%", "68,06%"]).printed_sum == Decimal("100.00")
    with pytest.raises(ValueError):
        seminar.share_sum(["–"])


def test_survey_sums_by_hand(results):
    sums = seminar.survey_sums(results).set_index("question")
    assert len(sums) == 13
    # Q6: 37+21+17+11+13 = 99, five whole-number options: 99 ± 2.5
    assert (sums.loc[6, "printed_sum"], sums.loc[6, "low"], sums.loc[6, "high"]) == (
        99.0, 96.5, 101.5)
    # Q8: 30+19.5+17+19+14 = 99.5, slack 4 × 0.5 + 0.05 = 2.05
    assert sums.loc[8, "printed_sum"] == 99.5
    assert sums.loc[8, "low"] == pytest.approx(97.45)
    # Q3: five 2-decimal shares: 100 ± 0.025
    assert (sums.loc[3, "low"], sums.loc[3, "high"]) == (99.975, 100.025)
    assert sums["consistent"].all()


def test_share_verdict_says_what_is_missing(consortium):
    check = seminar.consortium_check(consortium)
    text = seminar_tables.share_verdict(check, "en").data
    assert "92.83%" in text and "7.17 pp" in text and "outside" in text
    assert "90.265%–95.395%" in text
    kk = seminar_tables.share_verdict(check, "kk").data
    assert "92,83%" in kk and "90,265%–95,395%" in kk and "7,17 п.т." in kk
    assert re.search(r"\d\.\d", kk) is None  # one decimal mark in Kazakh: the comma


# --- Exercise 3: intervals ----------------------------------------------------------


def test_implied_count_rounds_half_up():
    assert seminar.implied_count(45, 100) == 45
    assert seminar.implied_count(12.5, 10) == 1  # 1.25
    assert seminar.implied_count(25, 2) == 1  # 0.5 rounds up
    assert seminar.implied_count(31.94, 573) == 183  # 183.016


def test_wilson_interval_by_hand():
    # z = 1.959964, z² = 3.841459, p = 0.45, n = 100
    # denominator = 1 + z²/n = 1.0384146
    # centre = (0.45 + z²/200) / 1.0384146 = 0.4692073 / 1.0384146 = 0.4518497
    # half = z / 1.0384146 · sqrt(0.45·0.55/100 + z²/40000) = 1.887457 · 0.0507055 = 0.0957044
    low, high = seminar.wilson_interval(45, 100, 0.95)
    assert low == pytest.approx(0.4518497 - 0.0957044, abs=2e-6)
    assert high == pytest.approx(0.4518497 + 0.0957044, abs=2e-6)
    assert seminar.wilson_interval(0, 20)[0] == 0.0
    with pytest.raises(ValueError):
        seminar.wilson_interval(5, 4)


@pytest.mark.parametrize("k,n", [(0, 10), (3, 10), (45, 100), (183, 573), (999, 1000)])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_wilson_interval_agrees_with_statsmodels(k, n, level):
    from statsmodels.stats.proportion import proportion_confint

    expected = proportion_confint(k, n, alpha=1 - level, method="wilson")
    assert seminar.wilson_interval(k, n, level) == pytest.approx(expected, abs=1e-12)


def test_question_intervals_and_width_by_n(results):
    table = seminar.question_intervals(results, 4, 100)
    assert table["k"].tolist() == [45, 29, 19, 7]  # 45 % 29 % 19 % 7 % of 100
    assert table["low"].iloc[0] == pytest.approx(35.6145, abs=1e-3)
    assert table["high"].iloc[0] == pytest.approx(54.7554, abs=1e-3)
    widths = seminar.width_by_n(45, [400, 100]).set_index("n")
    # four times the respondents, about half the width: 9.70 / 19.14
    assert widths.loc[400, "width_pp"] / widths.loc[100, "width_pp"] == pytest.approx(
        0.507, abs=1e-3)
    assert list(widths.index) == [100, 400]  # sorted
    with pytest.raises(KeyError):
        seminar.question_intervals(results, 99, 100)


def test_sample_size_parameter(results):
    assert seminar.resolve_sample_size(250, results) == 250
    survey = pytest.importorskip("analysis.analyses.survey")
    if not hasattr(survey, "smallest_joint_n"):
        pytest.skip("analysis.analyses.survey has no smallest_joint_n")
    assert seminar.resolve_sample_size(None, results) == survey.smallest_joint_n(results)


# --- Exercise 4: Кесте 6 against Кесте 7 --------------------------------------------


def test_compare_exhibits_2020_by_hand(indicators, trade):
    table = seminar.compare_exhibits(indicators, trade)
    rows = table[table["year"] == 2020].set_index("quantity")
    assert list(rows.index) == ["exports", "imports", "total", "balance"]
    assert rows.loc["exports", ["k6", "k7"]].tolist() == [900, 1050]
    assert rows.loc["imports", ["k6", "k7"]].tolist() == [1200, 700]
    assert rows.loc["total", ["k6", "k7"]].tolist() == [2100, 1750]
    assert rows.loc["exports", ["k6_line", "k7_line"]].tolist() == [949, 1019]
    assert rows.loc["imports", ["k6_line", "k7_line"]].tolist() == [955, 1020]
    assert rows.loc["total", ["k6_line", "k7_line"]].tolist() == [933, 1021]
    # differences: 900−1050 = −150, 1200−700 = 500, 2100−1750 = 350
    assert rows["difference"].tolist()[:3] == [-150, 500, 350]
    # balance: Кесте 6 900−1200 = −300 (deficit), Кесте 7 1050−700 = +350 (surplus)
    assert rows.loc["balance", ["k6", "k7"]].tolist() == [-300, 350]


def test_compare_exhibits_every_year_disagrees(indicators, trade):
    table = seminar.compare_exhibits(indicators, trade)
    assert sorted(table["year"].unique()) == [2020, 2021, 2022]
    assert not table["agree"].any()
    totals = table[table["quantity"] == "total"].set_index("year")
    assert totals["k6"].tolist() == [2100, 3000, 4100]  # 900+1200, 1100+1900, 1500+2600
    assert totals["k7"].tolist() == [1750, 2200, 2750]


def test_compare_exhibits_sees_agreement_when_there_is_one(indicators, trade):
    fixed = indicators.copy()
    mask = (fixed["indicator"] == "trade_total") & (fixed["year"] == 2020)
    fixed.loc[mask, "value"] = 1750.0
    table = seminar.compare_exhibits(fixed, trade)
    row = table[(table["year"] == 2020) & (table["quantity"] == "total")].iloc[0]
    assert bool(row["agree"]) is True


# --- grading: verdicts and hints for the student cells ------------------------------

DEFAULTS_3 = {"sample_size": 100, "question": 4, "ci_level": 0.95, "lang": "en"}


def _says(key: str, lang: str = "en", **fmt: object) -> str:
    return t(f"sem.feedback.{key}", lang, **fmt)


def _status(answer: object, value: object, tolerance: float = 0.05) -> str:
    return grading.grade(answer, grading.Expected(value, tolerance)).status  # type: ignore[arg-type]


def test_verdicts():
    assert _status(None, 1.0) == "empty"
    assert _status(-1.13, -1.1299) == "right"
    assert _status(-1.3, -1.1299) == "wrong"
    assert _status(False, False) == "right"
    assert _status([], frozenset()) == "right"
    assert _status([6], frozenset()) == "wrong"
    assert _status({7, 6}, frozenset({6, 7})) == "right"


@pytest.mark.parametrize("answer", ["-1.13", "−1,13", b"-1.13", True, [-1.13], {"x": -1.13}])
def test_a_numeric_answer_must_be_a_number_not_text(answer):
    """The string '-1.13' is not the number −1.13: the check says so instead of ✅."""
    verdict = grading.grade(answer, grading.number(-1.1299, 0.05, percent=True, signed=True))
    assert verdict == grading.Verdict("not_number")
    message = seminar_tables.feedback(verdict, answer, "en")
    assert message == _says("not_number", answer=repr(answer))
    assert "✅" not in message and repr(answer) in message


@pytest.mark.parametrize("answer", [-1.13, -1, Decimal("-1.13"), np.float64(-1.13),
                                    np.float32(-1.13), np.int64(-1)])
def test_numbers_of_every_kind_are_accepted(answer):
    assert _status(answer, -1.1299, tolerance=0.2) == "right"
    assert _status(float("nan"), -1.1299) == "wrong"


@pytest.mark.parametrize("answer", ["True", 1, 1.0, "yes", None.__class__])
def test_a_yes_no_answer_must_be_a_bool(answer):
    assert _status(answer, True) == "not_bool"
    assert _status(np.bool_(True), True) == "right"
    assert _status(np.bool_(False), True) == "wrong"


@pytest.mark.parametrize("answer", ["6, 7", "67", 6, [6.0, 7.0], [True], {6: "x"}])
def test_a_list_answer_must_hold_whole_question_numbers(answer):
    assert _status(answer, frozenset({6, 7})) == "not_set"
    assert _status((np.int64(6), 7), frozenset({6, 7})) == "right"


@pytest.mark.parametrize("key,answer,hint", [
    # a fraction where a percent is asked: −20 / 1770 = −0.0113 (for −1.13 %)
    ("growth_2020", -0.0113, "fraction"),
    # the sign flipped: +1.13
    ("growth_2020", 1.13, "sign"),
    # the wrong base year: (1770 / 1750 − 1)·100 = 1.1429 (2020 as the base) and
    # (1750 / 1580 − 1)·100 = 10.7595 (2018 as the base)
    ("growth_2020", 1.143, "base_year"),
    ("growth_2020", 10.76, "base_year"),
    # CAGR: 0.1516 for 15.16 %; from 2019: (3200/1770)^(1/4) − 1 = 15.96 %; six periods:
    # (3200/1580)^(1/6) − 1 = 12.48 %
    ("cagr_2018_2023", 0.1516, "fraction"),
    ("cagr_2018_2023", 15.96, "base_year"),
    ("cagr_2018_2023", 12.48, "periods"),
    ("k3_sum", 0.9283, "fraction"),
    # wilson_interval gives proportions: 0.3561 for 35.61 %
    ("wilson_low", 0.3561, "fraction"),
    # old / new instead of new / old: 19.14 / 9.70 = 1.97
    ("width_ratio", 1.97, "inverted"),
    # Кесте 7 − Кесте 6 = 1750 − 2100 = −350; imports − exports in Кесте 7: 700 − 1050
    ("k6_k7_total_2020_difference", -350, "sign"),
    ("k6_k7_balance_2020_k7", -350, "sign"),
    ("tur_revision", 0.0209, "fraction"),
    # USD billion instead of trillion: 32.1 for 0.0321
    ("total_change", 32.12, "unit"),
])
def test_a_common_slip_gets_its_hint(key, answer, hint):
    verdict = grading.check(key, answer, DEFAULTS_3)
    assert verdict == grading.Verdict("wrong", hint)


@pytest.mark.parametrize("key,answer", [
    ("growth_2020", -1.13), ("growth_2020", 0.5), ("cagr_2018_2023", 15.16),
    ("cagr_2018_2023", 14.0), ("k6_k7_total_2020_k6", 2100), ("k6_k7_total_2020_k6", -2100),
    ("members_revised", 2), ("members_revised", -2),
])
def test_no_hint_without_a_slip(key, answer):
    """A right answer, a number no slip explains, and an answer read from a table whose
    sign cannot be flipped by a slip get no hint."""
    assert grading.check(key, answer, DEFAULTS_3).hint is None


def test_a_slip_never_passes_for_the_answer():
    # a slip value within the tolerance of the right answer is still the right answer
    expected = grading.number(0.0, 0.05, percent=True, signed=True)
    assert grading.grade(0.0, expected) == grading.Verdict("right")
    assert grading.grade(0.001, expected) == grading.Verdict("right")


def test_feedback_puts_the_hint_after_the_verdict_in_the_notebooks_language():
    verdict = grading.Verdict("wrong", "fraction")
    for lang in ("kk", "en"):
        text = seminar_tables.feedback(verdict, 0.0113, lang)
        assert text == f"{_says('wrong', lang)} {t('sem.hint.fraction', lang)}"
    assert "0.0113" not in seminar_tables.feedback(verdict, 0.0113, "en")
    with pytest.raises(ValueError, match="unknown hint"):
        grading.number(1.0, 0.1, periodz=2.0)


def test_check_renders_feedback_in_the_notebook_language():
    from analysis.present.notebook import Exhibits

    kk = Exhibits("S1", "kk", parameters.defaults("seminar_01_growth"))
    en = Exhibits("S1", "en", {**parameters.defaults("seminar_01_growth"), "lang": "en"})
    shown = seminar_tables.check("growth_2020", "-1.13", kk)
    assert shown.data == _says("not_number", "kk", answer=repr("-1.13"))
    assert seminar_tables.check("growth_2020", -1.13, en).data == _says("right")
    assert seminar_tables.check("growth_2020", -0.0113, en).data.endswith(
        t("sem.hint.fraction", "en"))


def test_every_status_and_hint_has_a_label_in_both_languages():
    for lang in ("kk", "en"):
        for name in grading.STATUSES:
            assert _says(name, lang, answer="x")
        for hint in grading.HINTS:
            assert t(f"sem.hint.{hint}", lang).startswith("💡")


def test_a_solutions_outputs_become_one_collapsed_details_element():
    """What a solution displays (a caption in Markdown, an HTML table, a PNG figure, plain
    text) becomes one closed <details> in Markdown: blank lines only between the parts (an
    HTML block ends at a blank line), the figure as a data URI, text escaped."""
    outputs = [{"text/markdown": "**Table S1.2. Growth**", "text/plain": "x"},
               {"text/html": "<table class=\"kaztur-table\">\n\n<tr><td>1</td></tr>\n</table>"},
               {"image/png": b"\x89PNG", "text/plain": "<Figure>"},
               {"text/plain": "a < b"}, {"application/json": {}}]
    text = seminar_tables.answer_markdown(outputs, "en")
    head = (f'<details class="{seminar_tables.ANSWER_CLASS}"><summary>'
            f'{t("sem.reveal.summary", "en")}</summary>\n\n')
    assert text.startswith(head) and text.endswith("\n\n</details>") and " open" not in text
    body = text[len(head):-len("\n\n</details>")].split("\n\n")
    assert body == ["**Table S1.2. Growth**",
                    '<table class="kaztur-table">\n<tr><td>1</td></tr>\n</table>',
                    '<img src="data:image/png;base64,iVBORw==" alt="">', "<pre>a &lt; b</pre>"]
    assert t("sem.reveal.summary", "kk") in seminar_tables.answer_markdown([], "kk")


def test_shown_on_click_outside_a_kernel_runs_the_block(capsys):
    ran = []
    with seminar_tables.shown_on_click("kk"):
        ran.append(True)
    assert ran == [True]
    assert t("sem.reveal.summary", "kk") in capsys.readouterr().out


@pytest.mark.parametrize("key,value", [
    ("growth_2020", -1.1299), ("cagr_2018_2023", 15.1592), ("k3_sum", 92.83),
    ("k6_k7_total_2020_difference", 350.0), ("k6_k7_balance_2020_k6", -300.0),
    ("k6_k7_balance_2020_k7", 350.0),
])
def test_expected_answers(key, value):
    assert grading.expected(key).value == pytest.approx(value, abs=1e-3)


def test_expected_answers_that_are_not_numbers_or_depend_on_parameters():
    assert grading.expected("all_growth_match").value is True
    assert grading.expected("k3_consistent").value is False
    assert grading.expected("survey_inconsistent").value == frozenset()
    assert grading.expected("wilson_low", DEFAULTS_3).value == pytest.approx(35.6145, abs=1e-3)
    assert grading.expected("wilson_high", DEFAULTS_3).value == pytest.approx(54.7554, abs=1e-3)
    assert grading.expected("width_ratio", DEFAULTS_3).value == pytest.approx(0.507, abs=1e-3)
    # question 3 at N = 400: 31.94 % of 400 = 127.76 → k = 128
    other = {**DEFAULTS_3, "question": 3, "sample_size": 400}
    k = seminar.question_intervals(datasets.load("survey_results"), 3, 400)["k"].iloc[0]
    assert k == 128
    low = 100 * seminar.wilson_interval(128, 400)[0]
    assert grading.expected("wilson_low", other).value == pytest.approx(low)
    for bad in ("no_such_exercise", "k6_k7_total_2019_k6", "k6_k7_total_2020_k9"):
        with pytest.raises(KeyError):
            grading.expected(bad)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_check_key_of_a_notebook_has_an_answer(path):
    """The keys a notebook's check cells name are in the discovered answer key, and each
    answers under the notebook's default parameters."""
    cells = _load(path)["cells"]
    keys = {k for c in cells if "check" in _tags(c)
            for k in re.findall(r"""check\(\s*["'](\w+)["']""", _source(c))}
    assert keys
    for key in keys:
        assert key in grading.answer_keys(), key
        assert grading.expected(key, parameters.defaults(path.stem)).value is not None


def test_answer_keys_are_discovered_from_the_teaching_package(tmp_path, monkeypatch):
    """A new seminar's module in analysis.teaching with ANSWERS is found without being
    listed anywhere; a key defined twice is an error."""
    import analysis.teaching as package

    (tmp_path / "seminar_zz_new.py").write_text(
        "from analysis.teaching.grading import Expected\n"
        "ANSWERS = {'zz_new_answer': lambda params: Expected(42.0, 0.5)}\n", encoding="utf-8")
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    grading.answer_keys.cache_clear()
    try:
        assert grading.expected("zz_new_answer").value == 42.0
        assert grading.check("zz_new_answer", 42.2) == grading.Verdict("right")
        (tmp_path / "seminar_zz_twice.py").write_text(
            "ANSWERS = {'growth_2020': None}\n", encoding="utf-8")
        grading.answer_keys.cache_clear()
        with pytest.raises(ValueError, match="'growth_2020' defined twice"):
            grading.answer_keys()
    finally:
        import sys

        for name in ("seminar_zz_new", "seminar_zz_twice"):
            sys.modules.pop(f"analysis.teaching.{name}", None)
        monkeypatch.undo()
        grading.answer_keys.cache_clear()


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


# --- the notebooks ------------------------------------------------------------------


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _output_text(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        for value in output.get("data", {}).values():
            parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


#: Calls that compute an answer: a cell that makes one is part of a solution.
SOLUTION_CALLS = ("seminar.growth_table(", "seminar.cagr(", "seminar.consortium_check(",
                  "seminar.survey_sums(", "seminar.question_intervals(", "seminar.width_by_n(",
                  "seminar.compare_exhibits(", "seminar.gap_table(", "seminar.nearest_both(",
                  "seminar.splice_table(", "seminar_figures.")


def test_pack_is_discovered_not_listed():
    """The seminars are the notebooks/seminar/seminar_*.ipynb files, whatever their number
    (a new one needs no list updated): the handouts are made of the same."""
    assert len(NOTEBOOKS) >= 2, NOTEBOOKS
    assert handouts.seminar_notebooks() == NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_unique_and_declares_the_defaults(path):
    cells = [c for c in _load(path)["cells"] if "parameters" in _tags(c)]
    assert len(cells) == 1
    namespace: dict = {}
    exec(_source(cells[0]), namespace)  # noqa: S102 (our own notebook)
    declared = {k: v for k, v in namespace.items() if not k.startswith("__")}
    assert declared == parameters.defaults(path.stem)
    assert "lang" in declared


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_starts_with_the_shared_idiom(path):
    """After the parameters cell: `ex = start("<stem>", globals())`, no private set-up."""
    cells = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    first = _source(cells[1])
    assert f'ex = start("{path.stem}", globals())' in first
    assert "from analysis.present.session import start" in first
    everything = "\n".join(_source(c) for c in cells)
    for private in ("from_notebook_globals", "plotting.setup", "style.setup", "outputs.save_",
                    "localise(", "localize(", "style import number", ".format(", "f\""):
        assert private not in everything, private


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_exercise_has_student_cell_check_and_solution(path):
    cells = _load(path)["cells"]
    student = [c for c in cells if c["cell_type"] == "code" and "✏️" in _source(c)]
    checks = [c for c in cells if "seminar_tables.check(" in _source(c)]
    solutions = [c for c in cells if c["cell_type"] == "code" and "solution" in _tags(c)]
    assert len(student) >= 2 and len(checks) >= len(student)
    assert all("answer" in _tags(c) for c in student)
    assert all({"check", "remove-cell"} <= set(_tags(c)) for c in checks)
    assert solutions and all("seminar" in _source(c) for c in solutions)
    heading = _source(cells[0]).splitlines()[0]
    assert heading.startswith("# ") and "·" in heading  # bilingual title


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_answer_is_computed_in_a_solution_cell(path):
    """A cell that computes an answer (or draws its figure) is tagged `solution`, so the
    handout and the student pages cannot show it."""
    for i, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] == "code" and any(c in _source(cell) for c in SOLUTION_CALLS):
            assert "solution" in _tags(cell), f"cell {i} computes an answer untagged"


def _answer_outputs(cell: dict) -> list[str]:
    """The Markdown of a solution cell's stored outputs."""
    return ["".join(o["data"]["text/markdown"]) for o in cell.get("outputs", [])
            if "text/markdown" in o.get("data", {})]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solutions_open_only_on_a_click_in_the_teachers_copy(path):
    """The teacher's copy keeps every solution with its outputs. A solution's code is folded
    (``source_hidden``/``outputs_hidden``) under a `### Шешімі · Solution` heading that is
    itself a solution cell, and everything it displays is one collapsed <details> whose
    summary says "click to show the answer" in the notebook's language, so that Run All
    (which clears outputs_hidden) shows no answer; a discussion's answer is a collapsed
    <details> Markdown cell."""
    cells = _load(path)["cells"]
    lang = parameters.defaults(path.stem)["lang"]
    for i, cell in enumerate(cells):
        if "solution" not in _tags(cell):
            continue
        source = _source(cell)
        if cell["cell_type"] == "code":
            assert cell["metadata"].get("jupyter") == {"source_hidden": True,
                                                       "outputs_hidden": True}, f"cell {i}"
            assert source.startswith("with seminar_tables.shown_on_click(ex.lang):\n"), i
            assert "solution" in _tags(cells[i - 1]), f"cell {i} not under a solution heading"
            shown = _answer_outputs(cell)
            assert len(shown) == 1 == len(cell["outputs"]), f"cell {i}: one collapsed output"
            summary = f"<summary>{t('sem.reveal.summary', lang)}</summary>"
            assert shown[0].startswith(f'<details class="{seminar_tables.ANSWER_CLASS}">'
                                       f"{summary}"), f"cell {i}"
            body = shown[0].split("</summary>", 1)[1].rsplit("</details>", 1)
            assert len(body) == 2 and body[0].strip() and not body[1].strip(), f"cell {i}"
        elif source.startswith("### "):
            assert source == "### Шешімі · Solution", f"cell {i}"
        else:
            assert source.startswith(f'<details class="{seminar_tables.ANSWER_CLASS}">'
                                     "<summary>"), f"cell {i}: a discussion's answer is folded"
            assert source.rstrip().endswith("</details>"), f"cell {i}"
            assert "solution" in _tags(cells[i - 1]), f"cell {i} not under a solution heading"
    hidden = [i for i, c in enumerate(cells)
              if c["metadata"].get("jupyter") and "solution" not in _tags(c)]
    assert hidden == [], "only solutions are folded"


def test_every_seminar_explains_how_we_work_in_the_same_words():
    """One "Қалай жұмыс істейміз · How we work" for the pack (seminar 5 used to send students
    to "the cell tagged `solution`", which a handout does not have); it says that answers
    open on a click and that the student copy has none."""
    blocks = set()
    for path in NOTEBOOKS:
        intro = _source(_load(path)["cells"][0])
        assert "> **Қалай жұмыс істейміз.**" in intro, path.stem
        blocks.add(intro[intro.index("> **Қалай жұмыс істейміз.**"):])
    assert len(blocks) == 1
    (block,) = blocks
    assert "tagged" not in block and "Click\n> to show the answer" in block
    assert "Жауабын көру үшін басыңыз" in block and "kaztur lab --handouts" in block


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_discussion_asks_and_its_answer_is_a_solution(path):
    """Issue 26: the "Талқылау · Discussion" cell keeps the questions (for the handout) and
    its answers follow in a solution cell (left out of the handout); every cell under a
    solution heading, up to the next heading of the notebook, is a solution."""
    cells = _load(path)["cells"]
    found = [i for i, c in enumerate(cells) if _source(c).startswith("## Талқылау · Discussion")]
    assert len(found) == 1
    question = _source(cells[found[0]])
    assert "?" in question and "solution" not in _tags(cells[found[0]])
    assert [_tags(c) for c in cells[found[0] + 1:found[0] + 3]] == [["solution"]] * 2
    under = False
    for i, cell in enumerate(cells):
        source = _source(cell)
        if cell["cell_type"] == "markdown" and re.match(r"#{1,3} ", source):
            under = source.startswith("### Шешімі · Solution")
        if under:
            assert "solution" in _tags(cell), f"cell {i} sits under a solution heading"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_reader_noise_is_tagged_out(path):
    """What a reader page must not show is tagged: the parameters and start cells, and
    every check cell (its stored output is "No answer yet"); nothing prints the bare
    parameters ({'lang': 'kk'})."""
    cells = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    assert {"parameters", "remove-cell"} <= set(_tags(cells[0]))
    assert "remove-cell" in _tags(cells[1])
    noise = [t("sem.feedback.empty", lang) for lang in ("kk", "en")]
    for i, cell in enumerate(cells):
        shown = _output_text(cell)
        assert "{'lang'" not in shown and "'sample_size':" not in shown, f"code cell {i}"
        if any(n in shown for n in noise):
            assert "remove-cell" in _tags(cell), f"code cell {i} shows 'no answer yet'"
    assert all(not c["outputs"] for c in cells[:2])


def test_every_tag_used_is_documented():
    used = {tag for path in NOTEBOOKS for c in _load(path)["cells"] for tag in _tags(c)}
    assert used <= set(handouts.TAGS), used - set(handouts.TAGS)
    teaching = (config.ROOT / "docs" / "TEACHING.md").read_text(encoding="utf-8")
    for tag in handouts.TAGS:
        assert f"`{tag}`" in teaching, f"docs/TEACHING.md does not explain the tag {tag}"
        assert f"``{tag}``" in (handouts.__doc__ or ""), tag


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_executed_with_a_figure_and_no_errors(path):
    notebook = _load(path)
    assert notebook["metadata"]["kernelspec"]["name"] == "kaztur"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code), "not executed in order"
    outputs = [o for c in code for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], "warnings in outputs"
    figures = [text for c in code if "solution" in _tags(c) for text in _answer_outputs(c)
               if '<img src="data:image/png;base64,' in text]
    assert figures, "no figure in a solution cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_tables_read_like_print(path):
    """Tables are shown through their specs: no pandas index, NaN, <NA>, True or 980.0."""
    cells = _load(path)["cells"]
    html = [o["data"]["text/html"] for c in cells for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})]
    html += re.findall(r"<table\b.*?</table>", "".join(
        text for c in cells if "solution" in _tags(c) for text in _answer_outputs(c)), re.S)
    assert html
    for table in html:
        text = table if isinstance(table, str) else "".join(table)
        assert "kaztur-table" in text
        for noise in (">NaN<", "&lt;NA&gt;", ">True<", ">False<", "<th></th>", ".0<"):
            assert noise not in text, noise


def test_student_version_drops_solutions_and_sets_language():
    notebook = _load(SEMINAR_DIR / "seminar_03_intervals.ipynb")
    student = handouts.student_version(notebook, "en", origin="abc")
    assert not [c for c in student["cells"] if "solution" in _tags(c)]
    assert all(not c.get("outputs") for c in student["cells"] if c["cell_type"] == "code")
    parameters = [c for c in student["cells"] if "parameters" in _tags(c)][0]
    assert 'lang = "en"' in _source(parameters)
    assert "sample_size = 100" in _source(parameters)
    assert len(student["cells"]) < len(notebook["cells"])
    assert student["metadata"]["kaztur"] == {"handout_of": "abc", "lang": "en"}
    text = json.dumps(student, ensure_ascii=False)
    assert not any(call in text for call in SOLUTION_CALLS)
    assert "source_hidden" not in text
    with pytest.raises(ValueError, match="lang"):
        handouts.student_version(notebook, "ru")


@pytest.fixture(scope="module")
def kernel_template(tmp_path_factory):
    """A warmed kernel template (as ``kaztur run`` starts one per run) for this module's
    handouts: each still runs in a fresh kernel of its own, forked, without paying 3 s of
    imports again."""
    folder = tmp_path_factory.mktemp("template")
    with zygote.Server(kernel_env(None, None), str(SEMINAR_DIR),
                       folder / zygote.LOG_NAME) as server:
        yield server.address, folder / zygote.LOG_NAME


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_version_runs_in_english(path, tmp_path, kernel_template):
    """The handout (solutions removed) runs top to bottom in a fresh kernel, and English
    reaches the output."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.reads(json.dumps(handouts.student_version(_load(path), "en")),
                              as_version=4)
    template = zygote.Template(*kernel_template)
    try:
        NotebookClient(notebook, timeout=120,
                       resources={"metadata": {"path": str(path.parent)}},
                       **execute.forked_kernel(template, tmp_path / "kernel.json",
                                               kernel_env(None, None), "kaztur")).execute()
    finally:
        template.close()
    text = json.dumps([c.get("outputs", []) for c in notebook.cells], ensure_ascii=False)
    assert t("sem.feedback.empty", "en") in text
    assert t("sem.feedback.empty", "kk") not in text


# --- handouts on disk ---------------------------------------------------------------


def test_handouts_are_written_once_then_kept_with_the_students_answers(tmp_path):
    folder = tmp_path / "handouts" / "en"
    first = handouts.ensure(folder, "en")
    assert [p.name for p in first.written] == [p.name for p in NOTEBOOKS]
    assert first.kept == [] and first.outdated == []
    answered = folder / NOTEBOOKS[0].name
    nb = _load(answered)
    nb["cells"][6]["source"] = ["growth_2020 = -1.13\n"]
    answered.write_text(json.dumps(nb), encoding="utf-8")
    again = handouts.ensure(folder, "en")
    assert again.written == [] and len(again.kept) == len(NOTEBOOKS)
    assert again.outdated == []  # the student's edit is not a new teacher's version
    assert "growth_2020 = -1.13" in answered.read_text(encoding="utf-8")
    fresh = handouts.ensure(folder, "en", reset=True)
    assert len(fresh.written) == len(NOTEBOOKS)
    assert "growth_2020 = -1.13" not in answered.read_text(encoding="utf-8")


def test_a_handout_made_from_an_older_notebook_is_reported(tmp_path):
    source = tmp_path / "seminar"
    source.mkdir()
    (source / NOTEBOOKS[0].name).write_bytes(NOTEBOOKS[0].read_bytes())
    folder = tmp_path / "out"
    handouts.ensure(folder, "kk", source=source)
    changed = _load(source / NOTEBOOKS[0].name)
    changed["cells"][0]["source"] = ["# Changed · Өзгерді\n"]
    (source / NOTEBOOKS[0].name).write_text(json.dumps(changed), encoding="utf-8")
    again = handouts.ensure(folder, "kk", source=source)
    assert [p.name for p in again.outdated] == [NOTEBOOKS[0].name]
    with pytest.raises(FileNotFoundError):
        handouts.ensure(folder, "kk", source=tmp_path / "empty")


def test_handouts_command_writes_one_language_folder(tmp_path, capsys):
    assert handouts.main(["handouts", str(tmp_path / "x"), "--lang", "en"]) == 0
    written = sorted((tmp_path / "x").glob("*.ipynb"))
    assert [p.name for p in written] == [p.name for p in NOTEBOOKS]
    parameters = [c for c in _load(written[0])["cells"] if "parameters" in _tags(c)][0]
    assert 'lang = "en"' in _source(parameters)


def test_a_run_of_the_pipeline_keeps_the_handouts(tmp_path):
    """reports/handouts/ holds students' answers: `kaztur run` carries it over."""
    from analysis.run import pipeline
    from analysis.run import staging as staging_mod

    reports, staging = tmp_path / "reports", tmp_path / "staging"
    (reports / "handouts" / "kk").mkdir(parents=True)
    (reports / "handouts" / "kk" / "seminar_01_growth.ipynb").write_text("{}", encoding="utf-8")
    staging.mkdir()
    staging_mod.carry_over(reports, staging, pipeline.OWNED)  # what a run replaces
    assert (staging / "handouts" / "kk" / "seminar_01_growth.ipynb").is_file()


# --- figures --------------------------------------------------------------------------


def _figure_texts(fig) -> list[str]:
    """Every piece of text a reader sees in ``fig`` (ticks, annotations, legends, titles)."""
    fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return [text for text in texts if text]


@pytest.fixture(scope="module")
def seminar_figures_by_lang(trade, consortium, results, indicators):
    import matplotlib.pyplot as plt

    from analysis.present import style
    from analysis.present.figures import seminar as figures

    made = {}
    for lang in ("kk", "en"):
        style.setup(lang)
        intervals = seminar.question_intervals(results, 3, 1600)
        widths = seminar.width_by_n(float(intervals["percent"].iloc[0]),
                                    [*seminar.WIDTH_SIZES, 1600])
        with style.fail_on_missing_glyphs():
            made[lang] = {
                "growth": figures.plot_growth(seminar.growth_table(trade), lang),
                "shares": figures.plot_shares(consortium, lang),
                "intervals": figures.plot_intervals(intervals, widths, lang, 0.95),
                "exhibits": figures.plot_exhibits(
                    seminar.compare_exhibits(indicators, trade), lang),
            }
        made[lang] = {k: _figure_texts(f) for k, f in made[lang].items()}
    plt.close("all")
    return made


def test_figures_write_numbers_in_the_languages_notation(seminar_figures_by_lang):
    kk, en = seminar_figures_by_lang["kk"], seminar_figures_by_lang["en"]
    assert "3\u00a0000" in kk["growth"] and "3,000" in en["growth"]      # thousands
    assert "\u22121,13" in kk["growth"] and "\u22121.13" in en["growth"]  # decimal mark, minus
    assert "4\u00a0000" in kk["exhibits"] and "\u22121\u00a0100" in kk["exhibits"]
    assert "1\u00a0600" in kk["intervals"] and "1,600" in en["intervals"]
    assert any("(9,8%)" in text for text in kk["shares"])    # printed 9.8% in kk notation
    assert any("(9.8%)" in text for text in en["shares"])
    assert any("90,265%" in text and "95,395%" in text for text in kk["shares"])
    for name, texts in kk.items():
        mixed = [text for text in texts if re.search(r"\d\.\d", text)]
        assert mixed == [], f"{name}: a decimal point in a Kazakh figure: {mixed}"
        assert not [text for text in texts if re.search(r"\d,\d{3}\b", text)
                    and not re.search(r"\d,\d{3}%", text)], name


def test_the_exhibit_panels_share_one_scale(trade, indicators):
    import matplotlib.pyplot as plt

    from analysis.present.figures import seminar as figures

    fig = figures.plot_exhibits(seminar.compare_exhibits(indicators, trade), "en")
    limits = {ax.get_ylim() for ax in fig.axes}
    titles = [ax.get_title() for ax in fig.axes]
    plt.close(fig)
    assert len(limits) == 1
    low, high = limits.pop()
    assert low < -1100 and high > 4100  # the balance's deficit and Table 6's 2022 turnover
    assert titles == ["Exports", "Imports", "Trade turnover", "Balance (exports − imports)"]
