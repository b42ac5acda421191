"""The one number formatter, declarative table specs, and the notebook start idiom."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.present import numbers, session, tablespec
from analysis.present.parameters import ParameterError
from analysis.present.tablespec import TableSpec


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


# --------------------------------------------------------------------------- published tables

NOISE = ("NaN", "<NA>", "&lt;NA&gt;", "True", "False", "980.0", "<th></th>", "None")


def _shown(monkeypatch) -> list[object]:
    from analysis.present import notebook

    shown: list[object] = []
    monkeypatch.setattr(notebook, "display", shown.append)
    return shown


def test_exhibit_tables_show_text_once_and_return_nothing(monkeypatch, tmp_path):
    from analysis.present.notebook import Exhibits

    shown = _shown(monkeypatch)
    monkeypatch.setenv("KAZTUR_OUTPUT_DIR", str(tmp_path))
    spec = TableSpec(name="k7_recomputed_test", title="trade.tab.k7_recomputed", labels="trade",
                     columns=("year", "exports", "total_printed", "growth_consistent",
                              "growth_line"))
    monkeypatch.setattr(tablespec, "spec", lambda name: spec)
    frame = pd.DataFrame({"year": pd.array([2018, 2019], dtype="Int64"),
                          "exports": [980.0, float("nan")],
                          "total_printed": [1580.0, 12000.0],
                          "growth_consistent": pd.array([True, None], dtype="boolean"),
                          "growth_line": pd.array([1008, None], dtype="Int64")})
    # a cell ending with ex.table must not show a second, pandas-formatted copy
    assert Exhibits(1, "kk").table("k7_recomputed_test", frame) is None
    html = shown[1].data  # [0] is the caption
    for noise in NOISE:
        assert noise not in html
    assert "12\u00a0000" in html and ">980<" in html and ">иә<" in html and ">–<" in html
    csv = (tmp_path / "tables" / "k7_recomputed_test.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0] == "Жыл,Экспорт,Айналым (басылған),Үйлесімді ме,Өсу жолы"


def test_lists_of_keys_printed_tables_and_exact_decimals(monkeypatch):
    from decimal import Decimal

    frame = pd.DataFrame({"conflict": ["year, month", ""], "sum": [Decimal("99.5"),
                                                                   Decimal("100")]})
    spec = TableSpec(labels="overview", columns=("conflict", "sum"),
                     lists={"conflict": "overview.component"})
    monkeypatch.setattr(tablespec, "header", lambda c, p, lang: c)
    kk = tablespec.display_text(frame, spec, "kk")
    assert list(kk["conflict"]) == ["жылы, айы", ""]
    assert list(kk["sum"]) == ["99,5", "100"]
    assert list(tablespec.display_text(frame, spec, "en")["sum"]) == ["99.5", "100"]
    printed = pd.DataFrame({"Экспорт / Exports": ["1 580", "–"]})
    as_printed = TableSpec(labels="trade", as_printed=True)
    assert list(tablespec.localize(printed, as_printed, "en").columns) == ["Экспорт / Exports"]


@pytest.mark.parametrize(("text", "kk", "en"), [
    ("19.5%", "19,5%", "19.5%"), ("31,94%", "31,94%", "31.94%"), ("≈80%", "≈80%", "≈80%"),
    ("+12.0%", "+12,0%", "+12.0%"), ("-1.1%", "\u22121,1%", "\u22121.1%"),
    ("1 580", "1\u00a0580", "1,580"), ("Аз үлес", "Аз үлес", "Аз үлес"), ("–", "–", "–"),
])
def test_printed_numbers_in_the_readers_notation(text, kk, en):
    assert numbers.as_printed(text, "kk") == kk
    assert numbers.as_printed(text, "en") == en


def test_levels_and_tick_decimals():
    assert numbers.level(0.95, "kk") == "95" and numbers.level(0.975, "kk") == "97,5"
    assert numbers.tick_decimals([0, 2.5, 5]) == 1
    assert numbers.tick_decimals([0, 0.25, 0.5]) == 2
    assert numbers.tick_decimals([0, 500, 1000]) == 0


def test_every_notebook_table_name_has_a_spec():
    import json
    import re
    from pathlib import Path

    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    every = sorted(notebooks.glob("[0-9][0-9]_*.ipynb")) + sorted(notebooks.glob("seminar/*.ipynb"))
    assert len(every) >= 13
    for path in every:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        names = re.findall(r"ex\.(?:table|show)\(\s*\"([a-z0-9_]+)\"", code)
        for name in names:
            assert name in tablespec.specs(), f"{path.name}: no spec for {name}"
        assert names or "seminar" in path.parts, path.name
        # thin notebooks: no table built by hand, no list of column names in a code cell
        assert "localize(" not in code and "localise(" not in code
        assert not re.search(r"\[\s*(\"[a-z_{}]+\",\s*){2,}", code), path.name
