"""The public data API and the raw → processed round trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers import point_config_at

from analysis.data import datasets, processed
from analysis.data.schemas import RESOURCES
from analysis.run import cli

REPO_RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_names_lists_raw_and_derived():
    names = datasets.names()
    assert set(RESOURCES) <= set(names)
    assert {"trade", "investment", "indicators_2020_2022", "consortium_1994"} <= set(names)
    assert names == sorted(RESOURCES) + sorted(datasets.DERIVED)


def test_unknown_name_is_a_key_error():
    with pytest.raises(KeyError, match="unknown dataset 'nope'"):
        datasets.load("nope")


def test_trade_is_typed_and_keeps_printed_text():
    trade = datasets.load("trade")
    assert list(trade["year"]) == [2018, 2019, 2020, 2021, 2022, 2023]
    assert str(trade["exports_musd"].dtype) == "Float64"
    row = trade.set_index("year").loc[2018]
    assert row["trade_total_musd"] == 1580 and row["trade_total_musd_printed"] == "1 580"
    assert pd.isna(row["growth_pct"]) and row["growth_pct_printed"] == "–"
    assert row["trade_total_musd_line"] == 1007
    assert trade.set_index("year").loc[2020, "growth_pct"] == -1.1


def test_investment_rows_per_year():
    inv = datasets.load("investment").set_index("year")
    assert inv.loc[2023, "tr_to_kz_musd"] == 750 and inv.loc[2018, "projects"] == 20
    assert inv.loc[2023, "sectors_kk"] == "IT, Жасыл энергетика"


def test_every_dataset_loads_and_has_kazakh_and_english():
    for name in datasets.names():
        frame = datasets.load(name)
        assert len(frame) > 0, name
        kk = [c for c in frame.columns if c.endswith("_kk")]
        en = [c for c in frame.columns if c.endswith("_en")]
        assert len(kk) == 0 or len(en) > 0, f"{name} has Kazakh labels without English"


def test_loader_returns_a_copy():
    first = datasets.load("k7_trade_2018_2023")
    first.loc[0, "printed"] = "changed"
    assert datasets.load("k7_trade_2018_2023").loc[0, "printed"] != "changed"


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    shutil.copytree(REPO_RAW, root / "data" / "raw")
    # kaztur data verifies data/external/ too (issue 20)
    shutil.copytree(REPO_RAW.parent / "external", root / "data" / "external")
    point_config_at(monkeypatch, root)
    return root


def test_round_trip_raw_to_processed(project):
    assert cli.main(["data"]) == 0
    out = project / "data" / "processed"
    for name in datasets.names():
        expected = datasets.load(name)
        from_parquet = pd.read_parquet(out / f"{name}.parquet")
        pd.testing.assert_frame_equal(from_parquet, expected, check_dtype=False)
        from_csv = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(from_csv.columns) == list(expected.columns)
        assert len(from_csv) == len(expected)
    trade_csv = pd.read_csv(out / "trade.csv", dtype=str, keep_default_na=False)
    assert trade_csv.loc[0, "trade_total_musd_printed"] == "1 580"


def test_load_reads_a_current_processed_folder_and_validates_nothing(project, monkeypatch):
    """Guard (data/processed/ is what analyses read): after ``kaztur data`` every dataset
    ``load`` gives is read from data/processed/ (no raw file is read or validated again)
    and equals, column types and cell types included, what ``build`` makes from data/raw/."""
    assert cli.main(["data"]) == 0
    assert processed.problem() is None
    built = {name: datasets.build(name) for name in datasets.names()}

    def no_raw(*_: object) -> None:
        raise AssertionError("a raw file was read and validated again")

    monkeypatch.setattr(datasets, "_load_raw_cached", no_raw)
    for name, expected in built.items():
        frame = datasets.load(name)
        pd.testing.assert_frame_equal(frame, expected, check_exact=True)
        assert list(frame.dtypes) == list(expected.dtypes), name
        for column in frame.columns:
            assert [type(x) for x in frame[column]] == [type(x) for x in expected[column]], \
                (name, column)


def test_a_stale_processed_folder_is_never_read(project):
    """Guard: data/processed/ is read only while it is a current build: after a raw file
    changes, or a processed file is edited by hand, ``load`` builds from data/raw/ and
    ``problem`` says why (``kaztur run`` then rebuilds it)."""
    assert cli.main(["data"]) == 0
    out = project / "data" / "processed"
    k7 = project / "data" / "raw" / "k7_trade_2018_2023.csv"
    lines = k7.read_text(encoding="utf-8").split("\n")
    assert ",Total trade turnover,1 580," in lines[4]
    lines[4] = lines[4].replace(",Total trade turnover,", ",Trade turnover (edited),")
    k7.write_text("\n".join(lines), encoding="utf-8")
    assert "k7_trade_2018_2023.csv has changed" in (processed.problem() or "")

    def label_2018() -> str:
        cells = datasets.load("k7_trade_2018_2023")
        return str(cells[(cells["year"] == 2018)
                         & (cells["column_key"] == "trade_total")]["column_label_en"].iloc[0])

    assert label_2018() == "Trade turnover (edited)"
    assert cli.main(["manifest"]) == 0  # the deliberate step after a transcription change
    assert cli.main(["data"]) == 0 and processed.problem() is None
    trade = out / "trade.parquet"
    frame = pd.read_parquet(trade)
    frame.loc[0, "trade_total_musd_printed"] = "9 999"
    frame.to_parquet(trade, index=False)
    assert processed.problem() == "data/processed/trade.parquet was changed or removed " \
                                  "after it was built"
    assert datasets.load("trade").loc[0, "trade_total_musd_printed"] == "1 580"
    (out / processed.STAMP).unlink()
    assert "has not been built" in (processed.problem() or "")


def test_processed_output_is_byte_identical_across_runs(project):
    out = project / "data" / "processed"
    assert cli.main(["data"]) == 0
    first = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert cli.main(["data"]) == 0
    second = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert first == second
    assert not [n for n in second if n.endswith(".tmp")], "temporary files left behind"


def test_raw_files_are_not_written_by_the_build(project):
    raw = project / "data" / "raw"
    before = {p.name: p.read_bytes() for p in sorted(raw.iterdir())}
    assert cli.main(["data"]) == 0
    assert {p.name: p.read_bytes() for p in sorted(raw.iterdir())} == before


# --------------------------------------------------------------------------- the dictionary


@pytest.mark.parametrize("name", datasets.names())
def test_the_dictionary_describes_exactly_the_columns_load_returns(name):
    """Guard: the data dictionary (describe, help(load), docs/DATA_DICTIONARY.md) is the
    declaration the data is built from; a column added or dropped without its description
    fails here."""
    frame = datasets.load(name)
    described = datasets.describe(name)
    assert list(described["column"]) == list(frame.columns)
    assert described["description"].str.len().gt(0).all()
    numbers = described[described["type"] == "number"]
    assert numbers["unit"].str.len().gt(0).all(), "every number says its unit"


def test_help_of_load_lists_every_dataset():
    doc = datasets.load.__doc__ or ""
    assert all(f"``{name}``" in doc for name in datasets.names())
    assert "describe(name)" in doc
    # each with its columns and their units (the data dictionary's first columns)
    assert "exports_musd [USD million]" in doc and "trade_total_musd_printed" in doc


def test_the_dictionary_document_is_current():
    from analysis.run import data_dictionary

    assert data_dictionary.main(["--check"]) == 0


def test_the_dictionary_documents_every_published_table():
    """Guard: the tables the notebooks publish (their language-neutral ``.data.csv``) are
    in the data dictionary, each declared column with its English header, percentages
    said to be fractions of 1."""
    from analysis.present import tablespec
    from analysis.run import data_dictionary

    text = data_dictionary.render()
    assert all(f"### `{name}`" in text for name in tablespec.specs())
    assert "| `export_share` | Export share, % | fraction of 1" in text
    assert "| `total_printed` | Turnover (printed) | the source's text, as printed |" in text


def test_stale_dictionary_document_is_detected(tmp_path):
    from analysis.run import data_dictionary

    doc = tmp_path / "DATA_DICTIONARY.md"
    doc.write_text(data_dictionary.render().replace("USD million", "USD"), encoding="utf-8")
    assert data_dictionary.main(["--check", "--doc", str(doc)]) == 1


def test_a_load_outside_a_project_names_the_folder_and_kaztur_root(tmp_path):
    """Guard: outside a project a load says where it looked and how to point at a project,
    instead of 'expected this raw file, got missing'."""
    import subprocess
    import sys

    env = {k: v for k, v in __import__("os").environ.items() if k != "KAZTUR_ROOT"}
    proc = subprocess.run(
        [sys.executable, "-c", "from analysis.data import datasets; datasets.load('trade')"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert "EnvironmentProblem" in last and str(tmp_path) in last and "KAZTUR_ROOT" in last
    assert "got 'missing'" not in proc.stderr
    # KAZTUR_ROOT pointing at no project: that folder is named, and no search is claimed
    proc = subprocess.run(
        [sys.executable, "-c", "from analysis.data import datasets; datasets.load('trade')"],
        cwd=tmp_path, env={**env, "KAZTUR_ROOT": str(tmp_path / "nowhere")},
        capture_output=True, text=True, timeout=120)
    last = proc.stderr.strip().splitlines()[-1]
    assert f"no project at {tmp_path / 'nowhere'} (KAZTUR_ROOT)" in last, last
    assert "any folder above" not in last
