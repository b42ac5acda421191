"""Seminar 5 (vintages): the answer key against values worked out by hand from the files,
the feedback, and the notebook's shape."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from analysis import config
from analysis.analyses import official
from analysis.present.i18n import t
from analysis.present.tables import seminar_vintages as seminar_tables
from analysis.teaching import grading, seminar_vintages

NOTEBOOK = config.NOTEBOOKS_DIR / "seminar" / "seminar_05_vintages.ipynb"


@pytest.fixture(scope="module")
def vintages():
    return official.load("wdi"), official.load("wdi_gdp_earlier")


def test_answers_by_hand(vintages):
    current, earlier = vintages
    # data/external: TUR 2022 GDP 926 097 477 xxx (current) vs 907 118 436 xxx (earlier) USD
    tur = current.query("indicator == 'NY.GDP.MKTP.CD' and iso3 == 'TUR' and year == 2022")
    old = earlier.query("iso3 == 'TUR' and year == 2022")
    by_hand = 100 * (float(tur["value"].iloc[0]) / float(old["value"].iloc[0]) - 1)
    assert by_hand == pytest.approx(2.0922, abs=1e-4)
    assert seminar_vintages.revision_pct(current, earlier) == pytest.approx(by_hand)
    # TUR +2.09 %, UZB +16.2 %; AZE, KAZ, KGZ unchanged in 2022
    assert seminar_vintages.revised_more_than(current, earlier) == 2
    assert seminar_vintages.revised_more_than(current, earlier, threshold_pct=20) == 0
    # (926.097 − 907.118) + (94.286 − 81.141) ≈ 32.1 billion = 0.0321 trillion
    assert seminar_vintages.total_change(current, earlier) == pytest.approx(0.03212, abs=1e-4)
    assert seminar_vintages.rounding_half_width() == 0.05
    assert seminar_vintages.exceeds_rounding(current, earlier) is False


def test_a_tampered_vintage_changes_the_answers(vintages):
    current, earlier = vintages
    bumped = current.copy()
    rows = (bumped["indicator"] == "NY.GDP.MKTP.CD") & (bumped["year"] == 2022) & (
        bumped["iso3"] == "KAZ")
    bumped.loc[rows, "value"] *= 1.5
    assert seminar_vintages.revised_more_than(bumped, earlier) == 3
    assert seminar_vintages.exceeds_rounding(bumped, earlier) is True
    bumped.loc[rows, "value"] /= 3  # a downward revision (× 0.5) counts as well
    assert seminar_vintages.revised_more_than(bumped, earlier) == 3


def test_feedback_uses_the_answer_key():
    from analysis.present.notebook import Exhibits
    from analysis.present.tables import seminar as feedback

    expected = grading.expected("members_revised")
    for answer, lang, verdict in ((2, "en", "right"), (3, "en", "wrong"),
                                  (None, "kk", "empty"), ("2", "en", "not_number")):
        shown = feedback.check("members_revised", answer, Exhibits("S5", lang, {"lang": lang}))
        assert shown.data == t(f"sem.feedback.{verdict}", lang, answer=repr(answer))
    assert expected.value == 2 and expected.tolerance == 0
    assert set(seminar_vintages.ANSWERS) <= set(grading.answer_keys())
    with pytest.raises(KeyError):
        grading.expected("nope")


def test_answers_sentence_states_the_three_answers_in_each_language(vintages):
    current, earlier = vintages
    kk = seminar_tables.answers_sentence(current, earlier, "kk").data
    en = seminar_tables.answers_sentence(current, earlier, "en").data
    # TUR +2.09 %, 2 members above 1 %, total +0.032 trillion, within ±0.05
    assert "2,09%" in kk and ": 2." in kk and "0,032" in kk and "±0,05" in kk and "кіші" in kk
    assert "2.09%" in en and ": 2." in en and "0.032" in en and "less than ±0.05" in en
    assert re.search(r"\d\.\d", kk) is None


def test_verdicts_by_vintage_cover_both_vintages():
    table = seminar_tables.verdicts_by_vintage()
    assert set(table["vintage"]) == {official.data.vintage("wdi"),
                                     official.data.vintage("wdi_gdp_earlier")}
    assert isinstance(table, pd.DataFrame) and len(table) == 6   # 3 OTS GDP claims × 2


def test_notebook_shape():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    tags = [c.get("metadata", {}).get("tags", []) for c in nb["cells"]]
    assert sum("parameters" in t_ for t_ in tags) == 1
    sources = ["".join(c["source"]) for c in nb["cells"]]
    assert any("session import start" in s for s in sources)
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert sum("✏️" in s for s in code) == 3
    assert sum("seminar_tables.check(" in s for s in sources) >= 3
    solution = [s for s, t_ in zip(sources, tags, strict=True) if "solution" in t_]
    assert solution and any("seminar." in s for s in solution)
