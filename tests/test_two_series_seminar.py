"""Seminar 6 (two official series of one flow): the answer key against values worked out by
hand from data/external/kz_tr_trade.csv and the printed tables, tampered copies that must
change the answers, the slips the checks name, the answer sentences in both languages, the
figure and the notebook's check keys.

The official values in the comments are the file's value_usd in USD million; the
arithmetic is written out so that a teacher can redo it with a calculator.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.data import official_trade
from analysis.present.i18n import t
from analysis.present.tables import seminar_two_series as sentences
from analysis.teaching import grading
from analysis.teaching import seminar_two_series as seminar

NOTEBOOK = config.NOTEBOOKS_DIR / "seminar" / "seminar_06_two_series.ipynb"
BNS, WITS = official_trade.BNS, official_trade.WITS


@pytest.fixture(scope="module")
def series():
    return seminar.load_series()


@pytest.fixture(scope="module")
def tables():
    return seminar.load_tables()


@pytest.fixture(scope="module")
def cells(tables, series):
    return seminar.nearest_both(*tables, series)


def _set(series: pd.DataFrame, code: str, flow: str, year: int, value: float) -> pd.DataFrame:
    """A copy of ``series`` with one value replaced (USD million)."""
    out = series.copy()
    rows = (out["series"] == code) & (out["flow"] == flow) & (out["year"] == year)
    assert rows.sum() == 1
    out.loc[rows, "value"] = value
    return out


# --- Exercise 1: the gap --------------------------------------------------------------


def test_the_gap_by_hand(series):
    # exports 2020: BNS 2 131.513784 88, WITS 1 425.327014 94:
    # 1425.32701494 / 2131.51378488 = 0.668692 → −33.1308 %
    assert seminar.gap_pct(series, "export", 2020) == pytest.approx(-33.1308, abs=1e-4)
    # exports 2023: BNS 3 943.304270 28, WITS 3 969.147175 16 → +0.6554 %
    assert seminar.gap_pct(series, "export", 2023) == pytest.approx(0.6554, abs=1e-4)
    # imports 2020: 495.24588198 / 950.91262853 − 1 = −47.9189 %
    assert seminar.gap_pct(series, "import", 2020) == pytest.approx(-47.9189, abs=1e-4)
    assert grading.expected("series_gap_2020").value == pytest.approx(-33.1308, abs=1e-4)
    assert grading.expected("series_gap_2023").value == pytest.approx(0.6554, abs=1e-4)


def test_the_gap_table_is_the_break_of_notebook_06(series):
    gap = seminar.gap_table(series)
    differ = gap[gap["differs"]]
    assert sorted(set(differ["year"])) == [2020, 2021, 2022]
    assert not gap[gap["year"] == 2023]["differs"].any()


# --- Exercise 2: nearer, within the printed rounding ----------------------------------


def test_the_distance_to_a_rounding_interval():
    # «1 750» at step 10 is [1745, 1755]: 1 920.57 lies 165.57 above it; 1 752 inside it
    assert seminar.distance(1920.57, 1750, 10) == pytest.approx(165.57)
    assert seminar.distance(1752.0, 1750, 10) == 0.0
    assert seminar.distance(1700.0, 1750, 10) == pytest.approx(45.0)


def test_table_7_by_hand(cells):
    k7 = cells[cells["source"] == "k7"].set_index(["flow", "year"])
    assert len(k7) == 12 and set(k7["step"]) == {10.0}   # 2020–2023 × 3 flows, multiples of 10
    # turnover 2020: «1 750» → [1745, 1755]; BNS 2 131.51 + 950.91 = 3 082.43 (1 327.43
    # away), WITS 1 425.33 + 495.25 = 1 920.57 (165.57 away): nearer WITS
    row = k7.loc[("turnover", 2020)]
    assert row["distance_bns"] == pytest.approx(1327.4264, abs=1e-3)
    assert row["distance_wits"] == pytest.approx(165.5729, abs=1e-3)
    assert row["verdict"] == "nearer_wits"
    # 1750 / 1920.5729 − 1 = −8.8814 %
    assert row["nearer_pct"] == pytest.approx(-8.8814, abs=1e-4)
    # 2021: 2 200 against 4 111.05 and 2 717.75; 2022: 2 750 against 6 348.10 and 4 676.03
    assert k7.loc[("turnover", 2021), "verdict"] == "nearer_wits"
    assert k7.loc[("turnover", 2022), "verdict"] == "nearer_wits"
    # 2023: 5 985.00 and 6 010.10 differ by 0.42 % < 1 %: nothing to choose between
    assert k7.loc[("turnover", 2023), "verdict"] == "series_agree"
    assert np.isnan(k7.loc[("turnover", 2023), "nearer_pct"])
    # no cell rounds to either series (the nearest, imports 2022: «950» vs WITS 1 019.42)
    assert not (k7["within_bns"] | k7["within_wits"]).any()
    assert seminar.nearer_years(cells[cells["source"] == "k7"]) == frozenset({2020, 2021, 2022})
    assert seminar.any_within(cells[cells["source"] == "k7"]) is False
    # a student who swaps the columns: BNS is closer in 2023 by 2 805.10 − 2 780.00
    assert seminar.closer_by_distance(cells[cells["source"] == "k7"], BNS) == frozenset({2023})


def test_table_6_by_hand(cells):
    k6 = cells[cells["source"] == "k6"].set_index(["flow", "year"])
    assert len(k6) == 9 and set(k6["step"]) == {100.0}
    # imports «1 200», «1 900», «2 600» against BNS 950.91, 1 146.38, 1 597.12 and WITS
    # 495.25, 661.56, 1 019.42: nearer BNS each year; exports and turnover nearer WITS
    assert set(k6[k6["verdict"] == "nearer_bns"].index.get_level_values("flow")) == {"import"}
    assert seminar.nearer_count(cells[cells["source"] == "k6"], BNS) == 3
    assert seminar.nearer_count(cells[cells["source"] == "k6"], WITS) == 6
    # turnover 2022 «4 100» vs BNS 2022 6 348.10: outside (it matches BNS 2021, 4 111.05,
    # the shift of notebook 06, which this same-year comparison does not test)
    assert not k6.loc[("turnover", 2022), "within_bns"]


def test_a_cell_within_a_series_follows_it(tables, series):
    """Tampered: WITS 2021 turnover set to 2 203 (inside «2 200» ± 5) makes the cell follow
    WITS, and the exercise's bool becomes True."""
    k7, _ = tables
    tampered = _set(series, WITS, "turnover", 2021, 2203.0)
    cells = seminar.nearest(k7, tampered)
    row = cells[(cells["flow"] == "turnover") & (cells["year"] == 2021)].iloc[0]
    assert row["verdict"] == "within_wits" and row["distance_wits"] == 0.0
    assert row["nearer_pct"] == pytest.approx(100 * (2200 / 2203 - 1))
    assert seminar.any_within(cells) is True
    assert seminar.nearer_years(cells) == frozenset({2020, 2021, 2022})
    # 2 206 is outside [2195, 2205): nearer, not within
    outside = seminar.nearest(k7, _set(series, WITS, "turnover", 2021, 2206.0))
    assert not seminar.any_within(outside)


def test_where_the_series_agree_nearer_is_not_said(tables, series):
    """Tampered: BNS 2020 turnover moved within 1 % of WITS (1 920.57 × 1.005) takes 2020
    out of the years nearer WITS; a BNS far below both makes the year nearer BNS."""
    k7, _ = tables
    agree = seminar.nearest(k7, _set(series, BNS, "turnover", 2020, 1920.5729 * 1.005))
    assert seminar.nearer_years(agree) == frozenset({2021, 2022})
    low = seminar.nearest(k7, _set(series, BNS, "turnover", 2020, 1700.0))
    assert seminar.nearer_years(low, BNS) == frozenset({2020})
    assert seminar.nearer_years(low) == frozenset({2021, 2022})


# --- Exercise 3: the splice -----------------------------------------------------------


def test_the_splice_by_hand(series):
    # turnover 2019 from WITS: 2 420.49213904 + 817.11412153 = 3 237.60626057;
    # 2020 from BNS: 3 082.42641341 → 100 · (3082.42641341 / 3237.60626057 − 1) = −4.7930 %
    assert seminar.reference_value(series, "turnover", 2019) == (WITS, pytest.approx(
        3237.60626057, abs=1e-6))
    assert seminar.reference_value(series, "turnover", 2020)[0] == BNS
    assert seminar.growth_pct(series) == pytest.approx(-4.7930, abs=1e-4)
    # within WITS: 1 920.57289692 / 3 237.60626057 − 1 = −40.6792 %
    assert seminar.growth_pct(series, order=(WITS,)) == pytest.approx(-40.6792, abs=1e-4)
    assert grading.expected("series_spliced_growth").value == pytest.approx(-4.7930, abs=1e-4)
    assert grading.expected("series_wits_growth").value == pytest.approx(-40.6792, abs=1e-4)


def test_the_splice_table(series):
    table = seminar.splice_table(series, range(2018, 2024)).set_index("year")
    assert list(table["spliced_series"]) == [WITS, WITS, BNS, BNS, BNS, BNS]
    assert np.isnan(table.loc[2020, "growth_bns"])          # BNS has no 2019
    # 2023 in BNS: 5 985.00 / 6 348.10 − 1 = −5.72 %; in WITS 6 010.10 / 4 676.03 − 1 = +28.53 %
    assert table.loc[2023, "growth_bns"] == pytest.approx(-5.7199, abs=1e-3)
    assert table.loc[2023, "growth_wits"] == pytest.approx(28.5299, abs=1e-3)
    # a splice differs from the national series only where it changes series
    same = table.loc[2021:, "growth_spliced"] == table.loc[2021:, "growth_bns"]
    assert same.all()


# --- the checks: types and slips ------------------------------------------------------


@pytest.mark.parametrize("key,answer,hint", [
    ("series_gap_2020", -0.3313, "fraction"),     # a fraction for −33.13 %
    ("series_gap_2020", 33.13, "sign"),           # BNS − WITS over BNS
    ("series_gap_2020", -49.55, "base"),          # divided by WITS: 1 − 2131.51 / 1425.33
    ("series_gap_2020", 49.55, "base"),           # BNS / WITS − 1
    ("series_gap_2023", 0.0066, "fraction"),
    ("series_spliced_growth", -40.68, "series"),  # WITS for both years
    ("series_spliced_growth", 5.03, "base_year"),  # 3237.61 / 3082.43 − 1
    ("series_spliced_growth", -0.0479, "fraction"),
    ("series_wits_growth", -4.79, "series"),      # the splice
    ("series_wits_growth", 68.58, "base_year"),   # 3237.61 / 1920.57 − 1
    ("series_k6_nearer_bns", 6, "series"),        # the cells nearer WITS
    ("series_k7_nearer_years", [2023], "series"),  # the years nearer BNS
])
def test_a_common_slip_gets_its_hint(key, answer, hint):
    assert grading.check(key, answer) == grading.Verdict("wrong", hint)


@pytest.mark.parametrize("key,answer,status", [
    ("series_gap_2020", -33.13, "right"), ("series_gap_2020", -33.1, "right"),
    ("series_gap_2020", -33.2, "wrong"), ("series_gap_2020", "-33.13", "not_number"),
    ("series_gap_2023", 0.66, "right"),
    ("series_k7_nearer_years", [2020, 2021, 2022], "right"),
    ("series_k7_nearer_years", (np.int64(2022), 2021, 2020), "right"),
    ("series_k7_nearer_years", [2020, 2021], "wrong"),
    ("series_k7_nearer_years", "2020, 2021, 2022", "not_set"),
    ("series_k7_within", False, "right"), ("series_k7_within", "False", "not_bool"),
    ("series_k6_nearer_bns", 3, "right"), ("series_k6_nearer_bns", 4, "wrong"),
    ("series_spliced_growth", -4.79, "right"), ("series_wits_growth", -40.68, "right"),
])
def test_the_checks_grade_type_strictly_and_hint_only_at_a_slip(key, answer, status):
    assert grading.check(key, answer) == grading.Verdict(status)


def test_a_set_slip_equal_to_the_answer_is_dropped():
    expected = grading.whole_numbers({2020}, series={2020})
    assert expected.slips == ()
    with pytest.raises(ValueError, match="unknown hint"):
        grading.whole_numbers({2020}, serie={2021})
    expected = grading.whole_numbers([6, 7], series=[8])
    assert grading.grade([8], expected) == grading.Verdict("wrong", "series")
    assert grading.grade([9], expected) == grading.Verdict("wrong")


def test_the_new_hints_are_labelled_and_never_state_an_answer():
    for lang in ("kk", "en"):
        for hint in ("base", "series"):
            text = t(f"sem.hint.{hint}", lang)
            assert text.startswith("💡") and not re.search(r"\d", text.replace("312101", ""))


# --- the answers as sentences ---------------------------------------------------------


def test_sentences_state_the_answers_in_each_language(tables, series, cells):
    k7, k6 = tables
    kk = {name: f(lang="kk").data for name, f in _sentences(k7, k6, series, cells).items()}
    en = {name: f(lang="en").data for name, f in _sentences(k7, k6, series, cells).items()}
    assert "23,0–33,1%" in kk["break"] and "23.0–33.1%" in en["break"]
    assert "2020–2022" in kk["break"] and "2023" in en["break"]
    # Кесте 7: 0 of 12 within; 9 of 9 nearer WITS, 0 nearer BNS, 6.8–50.8 % from the nearer
    assert "— 0;" in kk["nearest"] and t("two.say.follows_none", "kk") in kk["nearest"]
    assert "жақыны: 9" in kk["nearest"] and "6,8–50,8%" in kk["nearest"]
    assert "9 are nearer WITS/Comtrade and 0 nearer BNS" in en["nearest"]
    assert "6.8–50.8%" in en["nearest"] and "(2023)" in en["nearest"]
    assert "3 nearer BNS (Imports (TR → KZ))" in en["nearest"]
    assert "−4,79%" in kk["splice"] and "−40,68%" in kk["splice"] and "35,9" in kk["splice"]
    assert "−4.79%" in en["splice"] and "28.5%" in en["splice"] and "−5.7%" in en["splice"]
    for text in kk.values():
        assert re.search(r"\d\.\d", text) is None, text


def _sentences(k7, k6, series, cells):
    return {"break": lambda lang: sentences.break_sentence(k7, k6, series, lang),
            "nearest": lambda lang: sentences.nearest_sentence(cells, lang),
            "splice": lambda lang: sentences.splice_sentence(series, lang)}


def test_the_sentence_follows_the_data(tables, series):
    """Tampered: a Кесте 7 cell within WITS changes the sentence's verdict; no break after
    2022 (WITS 2023 removed) drops the sentence on the jump inside WITS."""
    k7, k6 = tables
    tampered = _set(series, WITS, "turnover", 2021, 2203.0)
    text = sentences.nearest_sentence(seminar.nearest_both(k7, k6, tampered), "en").data
    assert t("two.say.follows_some", "en") in text and "— 0;" not in text
    cut = series[~((series["series"] == WITS) & (series["year"] == 2023))]
    assert "from 2022 to 2023" not in sentences.splice_sentence(cut, "en").data
    assert "from 2022 to 2023" in sentences.splice_sentence(series, "en").data


# --- the figure and the notebook ------------------------------------------------------


def _x_span(patch) -> tuple[float, float]:
    """The years a shaded span covers (axvspan draws a Rectangle or, in older matplotlib,
    a Polygon)."""
    from matplotlib.patches import Rectangle

    if isinstance(patch, Rectangle):
        return (round(patch.get_x(), 1), round(patch.get_x() + patch.get_width(), 1))
    xs = [x for x, _ in patch.get_xy()]
    return (round(min(xs), 1), round(max(xs), 1))


def test_the_figure_marks_the_break_in_every_panel(tables, series):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon, Rectangle

    from analysis.present import style
    from analysis.present.figures import seminar as figures

    k7, k6 = tables
    style.setup("kk")
    fig = figures.plot_two_series(*seminar.chart_data(k7, k6, series), "kk")
    fig.canvas.draw()
    try:
        assert len(fig.axes) == 3 and len(fig.legends) == 1
        assert all(ax.get_legend() is None for ax in fig.axes)
        for ax in fig.axes:
            shaded = [p for p in ax.patches if isinstance(p, Polygon | Rectangle)]
            assert len(shaded) == 1                                 # 2020–2022, once
            assert _x_span(shaded[0]) == (2019.5, 2022.5)
            # BNS and WITS drawn as two lines, Кесте 7 and Кесте 6 as two more
            assert len(ax.get_lines()) == 4
        legend = [text.get_text() for text in fig.legends[0].get_texts()]
        assert legend[0].startswith("2020–2022") and t("external.legend.k7", "kk") in legend
        ticks = [label.get_text() for label in fig.axes[2].get_yticklabels()]
        assert "6\u00a0000" in ticks
    finally:
        plt.close(fig)


def test_the_notebook_checks_every_answer_of_its_key():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"]]
    checked = {k for s in sources for k in re.findall(r"""check\(\s*["'](\w+)["']""", s)}
    assert checked == set(seminar.ANSWERS)
    assert set(seminar.ANSWERS) <= set(grading.answer_keys())
    solutions = "\n".join(s for s, c in zip(sources, nb["cells"], strict=True)
                          if "solution" in c["metadata"].get("tags", []))
    for call in ("seminar.gap_table(", "seminar.nearest_both(", "seminar.splice_table(",
                 "seminar_figures.plot_two_series("):
        assert call in solutions, call


def test_the_teachers_guide_states_the_answer_keys_values():
    """docs/TEACHING.md's row for this seminar gives the answers a teacher reads out; they
    are the answer key's (rounded as the checks accept them), so the guide cannot drift
    from the data unnoticed."""
    from analysis.present.numbers import number

    guide = (config.ROOT / "docs" / "TEACHING.md").read_text(encoding="utf-8")
    row = next(line for line in guide.splitlines() if line.startswith(f"| `{NOTEBOOK.stem}` |"))
    for key in ("series_gap_2020", "series_gap_2023", "series_spliced_growth",
                "series_wits_growth"):
        value = float(grading.expected(key).value)
        written = ("+" if value > 0 else "") + number(value, "en", 2)
        assert f"{written} %" in row, (key, written)
    years = sorted(grading.expected("series_k7_nearer_years").value)
    assert ", ".join(str(y) for y in years[:-1]) + f" and {years[-1]}" in row
    assert f"{int(grading.expected('series_k6_nearer_bns').value)} of Кесте 6's" in row
    assert grading.expected("series_k7_within").value is False and "follows neither" in row
