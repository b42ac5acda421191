"""The one number formatter, declarative table specs, and the notebook start idiom."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.present import numbers, tablespec
from analysis.present.tablespec import TableSpec
from analysis.run import session
from analysis.run.params import ParameterError


@pytest.mark.parametrize(("value", "lang", "decimals", "expected"), [
    (12000, "kk", 0, "12\u00a0000"),
    (12000, "en", 0, "12,000"),
    (1234.567, "kk", 2, "1\u00a0234,57"),
    (1234.567, "en", 2, "1,234.57"),
    (-1.13, "kk", 2, "\u22121,13"),
    (-0.0001, "en", 2, "0.00"),          # no "−0.00"
    (float("nan"), "kk", 1, "–"),
    (None, "en", 1, "–"),
    (pd.NA, "en", 1, "–"),
    (float("inf"), "en", 1, "∞"),
])
def test_number_in_each_language(value, lang, decimals, expected):
    assert numbers.number(value, lang, decimals) == expected


def test_percent_of_a_fraction_and_of_a_hundred():
    assert numbers.percent(0.1516, "kk", 1, fraction=True) == "15,2%"
    assert numbers.percent(31.94, "en", 2) == "31.94%"
    with pytest.raises(ValueError, match="lang"):
        numbers.number(1, "ru")


FRAME = pd.DataFrame({
    "year": pd.array([2020, 2021], dtype="Int64"),
    "value": [980.0, 1234.567],
    "recomputed": [True, False],
    "source_line": pd.array([1320, None], dtype="Int64"),
    "difference": [0.25, 0.5],
})


def test_display_text_reads_like_print_not_like_pandas():
    spec = TableSpec(labels="trade", columns=("year", "value", "recomputed", "source_line",
                                              "difference"), percent=("difference",), digits=2)
    kk = tablespec.display_text(FRAME, spec, "kk")
    assert list(kk.iloc[0]) == ["2020", "980", "иә", "1320", "25"]
    assert list(kk.iloc[1]) == ["2021", "1\u00a0234,57", "жоқ", "–", "50"]
    en = tablespec.display_text(FRAME, spec, "en")
    assert list(en.columns) == ["Year", "Value", "Recomputed", "Source line", "Difference"]
    assert list(en.iloc[1])[:3] == ["2021", "1,234.57", "no"]
    html = en.to_html(index=False)
    for noise in ("NaN", "<NA>", "True", "980.0", "<th></th>"):
        assert noise not in html


def test_a_spec_naming_a_missing_column_is_an_error():
    spec = TableSpec(name="t", labels="trade", columns=("year", "nope"))
    with pytest.raises(KeyError, match="nope"):
        tablespec.localize(FRAME, spec, "en")


def test_language_picked_columns_take_the_base_header():
    frame = pd.DataFrame({"year": [2020], "printed_kk": ["Пандемия"], "printed_en": ["Pandemic"]})
    spec = TableSpec(labels="trade", columns=("year", "printed_{lang}"))
    assert tablespec.localize(frame, spec, "en").iloc[0, 1] == "Pandemic"
    assert tablespec.localize(frame, spec, "kk").iloc[0, 1] == "Пандемия"


def test_spec_files_are_checked(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("t1: {title: x, labels: trade, colums: [year]}\n",
                                     encoding="utf-8")
    monkeypatch.setattr(tablespec, "SPEC_DIR", tmp_path)
    tablespec.specs.cache_clear()
    try:
        with pytest.raises(ValueError, match="unknown key.*colums"):
            tablespec.specs()
        (tmp_path / "a.yaml").write_text("t1: {title: x, labels: trade}\n", encoding="utf-8")
        (tmp_path / "b.yaml").write_text("t1: {title: y, labels: trade}\n", encoding="utf-8")
        tablespec.specs.cache_clear()
        with pytest.raises(ValueError, match="defined twice"):
            tablespec.specs()
        (tmp_path / "b.yaml").unlink()
        tablespec.specs.cache_clear()
        assert tablespec.spec("t1").labels == "trade"
        with pytest.raises(KeyError, match="no table spec 'zz'"):
            tablespec.spec("zz")
    finally:
        tablespec.specs.cache_clear()


def test_every_shipped_spec_is_valid_and_titled():
    for name, spec in tablespec.specs().items():
        assert spec.name == name and spec.title and spec.labels


def test_start_validates_and_writes_back_parameters():
    namespace = {"start_year": 2018, "end_year": 2023, "ci_level": 1, "lang": "en"}
    with pytest.raises(ParameterError, match="at most"):
        session.start("01_trade", namespace)
    namespace["ci_level"] = 0
    with pytest.raises(ParameterError):
        session.start("01_trade", namespace)
    namespace["ci_level"] = 0.9
    ex = session.start("01_trade", namespace)
    assert ex.lang == "en" and ex.nb == "1" and ex.params["ci_level"] == 0.9
    namespace["lang"] = "ru"
    with pytest.raises(ParameterError, match="lang"):
        session.start("01_trade", namespace)


def test_exhibit_numbers_follow_the_notebook_name():
    assert session.exhibit_number("04_survey") == "4"
    assert session.exhibit_number("seminar_03_intervals") == "S3"
    with pytest.raises(ValueError):
        session.exhibit_number("scratch")
