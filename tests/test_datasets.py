"""The public data API and the raw → processed round trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers import point_config_at

from analysis.data import datasets
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
