"""Each schema rule, on the shipped files with one cell changed in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config
from analysis.data import provenance
from analysis.data.io import read_csv_text
from analysis.data.schemas import RESOURCES, validate
from analysis.errors import DataError

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def _frame(name: str):
    res = RESOURCES[name]
    return read_csv_text(RAW / res.path, res.columns), res


def _first(frame, **where):
    mask = True
    for column, value in where.items():
        mask = mask & (frame[column] == value)
    return frame.index[mask][0]


# (resource, row selector, column, new text, expected words in the error)
CASES = [
    ("k7_trade_2018_2023", {"column_key": "exports", "year": "2019"}, "source_line", "2000",
     "a line of Кесте 7"),
    ("k7_trade_2018_2023", {"column_key": "exports", "year": "2019"}, "exhibit", "Кесте 9",
     "'Кесте 7'"),
    ("k7_trade_2018_2023", {"column_key": "exports", "year": "2019"}, "year", "2019.5",
     "an integer"),
    ("k7_trade_2018_2023", {"column_key": "comment", "year": "2019"}, "printed", "",
     "a non-empty value"),
    ("k7_trade_2018_2023", {"column_key": "comment", "year": "2019"}, "value", "5",
     "empty, since number_printed is empty"),
    ("k3_consortium_1994", {"row_key": "bp", "column_key": "share"}, "value", "117",
     "117"),
    ("k8_investment_2018_2023", {"column_key": "projects", "year": "2019"}, "value", "25.5",
     "25.5"),
    ("survey_results", {"question": "1", "option_order": "1"}, "unit", "count", "'percent'"),
    ("survey_results", {"question": "1", "option_order": "1"}, "question", "14",
     "a question number from 1 to 13"),
    ("survey_questionnaire", {"question": "1", "option_letter": "a"}, "option_letter", "f",
     "one of a, b, c, d, e"),
]


@pytest.mark.parametrize(("name", "where", "column", "text", "expected"), CASES)
def test_rule(name, where, column, text, expected):
    frame, res = _frame(name)
    idx = _first(frame, **where)
    frame.at[idx, column] = text
    with pytest.raises(DataError) as info:
        validate(frame, res, RAW / res.path)
    message = str(info.value)
    assert expected in message, message
    assert f"line {int(frame.at[idx, '_line'])}" in message, message


def test_k3_share_over_100_is_refused():
    frame, res = _frame("k3_consortium_1994")
    idx = _first(frame, row_key="bp", column_key="share")
    frame.loc[idx, ["printed", "number_printed", "value"]] = ["117%", "117%", "117"]
    with pytest.raises(DataError, match="a percentage between 0 and 100"):
        validate(frame, res, RAW / res.path)


def test_whole_numbers_for_project_counts():
    frame, res = _frame("k8_investment_2018_2023")
    idx = _first(frame, column_key="projects", year="2019")
    frame.loc[idx, ["printed", "number_printed", "value"]] = ["25,5", "25,5", "25.5"]
    with pytest.raises(DataError, match="a whole number for projects"):
        validate(frame, res, RAW / res.path)


@pytest.mark.skipif(not config.source_available(),
                    reason="dissertation text not beside the checkout")
def test_provenance_catches_a_retyped_cell():
    frame, res = _frame("k7_trade_2018_2023")
    typed = validate(frame, res, RAW / res.path)
    assert provenance.problems("k7_trade_2018_2023", typed, RAW / res.path) == []
    idx = _first(frame, column_key="exports", year="2019")
    frame.loc[idx, ["printed", "number_printed", "value"]] = ["1 130", "1 130", "1130"]
    typed = validate(frame, res, RAW / res.path)
    found = provenance.problems("k7_trade_2018_2023", typed, RAW / res.path)
    assert len(found) == 1 and "line 1012" in str(found[0])
