"""data/external/: the build from snapshots, validation, `kaztur verify`, bad input.

The snapshots (../shared/external/) are not in the repository; tests that need the real
ones skip without them. Bad-snapshot tests use small snapshots written here in the
snapshots' formats, with the package's expected sha256 replaced by theirs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.data import official as ext
from analysis.data import official_trade as trade
from analysis.data import snapshots
from analysis.errors import DataError
from analysis.run import cli

COMMITTED = config.ROOT / "data" / "external"
REAL = snapshots.snapshot_dir()

WDI_HEAD = "indicator,country_name,iso3,year,value\n"
TRADE_HEAD = ("series,reporter,partner,flow,year,value_usd,unit_in_source,source_repo,"
              "source_path,source_commit\n")
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def trade_row(series: str, flow: str, year: int, value: float = 1e9,
              unit: str = "thousand USD", reporter: str = "KAZ",
              commit: str = COMMIT) -> str:
    return (f"{series},{reporter},TUR,{flow},{year},{value!r},{unit},owner/repo,"
            f"data/{flow}.csv,{commit}\n")


def small_trade(skip: tuple[str, str, int] | None = None, extra: str = "") -> str:
    """A trade snapshot with every declared row (made-up values), one row left out."""
    rows = [trade_row(s, f, y, 1e9 + y) for (s, f), (a, b) in trade.COVERAGE.items()
            for y in range(a, b + 1) if (s, f, y) != skip]
    return TRADE_HEAD + "".join(rows) + extra


SMALL = {
    "wdi": WDI_HEAD + "NY.GDP.MKTP.CD,Kazakhstan,KAZ,2022,225496329026.4\n"
                      "SP.POP.TOTL,Turkiye,TUR,2022,85341241.0\n",
    "wdi_gdp_earlier": WDI_HEAD + "NY.GDP.MKTP.CD,Kazakhstan,KAZ,2022,225496329026.4\n",
    "energy_institute": "table,unit,entity,year,value\n"
                        "Oil - Proved reserves history,Thousand million barrels,Kazakhstan,"
                        "2020,30.0\n",
    "kz_tr_official": "year,quantity,value_usd_million,qualifier,side,attributed_to,"
                      "source_url,note\n"
                      "2022,trade_turnover,6300,approx,KZ (official),Trend (2024-05-20),"
                      "https://example.org/a,\n"
                      "2022,exports_kz_to_tr,4700,approx,KZ (official),same,"
                      "https://example.org/a,\n"
                      "2007-2021,fdi_tr_to_kz_cumulative_15y,4350,approx,KZ (President),"
                      "EFE (2022-10-12),https://example.org/b,\n",
    "kz_tr_trade": small_trade(),
}


def write_small(folder: Path, monkeypatch, changes: dict[str, str] | None = None) -> Path:
    """Small snapshots in ``folder``; the registry expects their sha256 (before
    ``changes``, so a changed file is caught by its checksum unless re-registered)."""
    folder.mkdir(parents=True, exist_ok=True)
    registry = {}
    for name, snap in snapshots.SNAPSHOTS.items():
        text = SMALL[name]
        (folder / snap.file).write_text(text, encoding="utf-8")
        registry[name] = dataclasses.replace(
            snap, sha256=hashlib.sha256(text.encode()).hexdigest())
    monkeypatch.setattr(snapshots, "SNAPSHOTS", registry)
    for name, text in (changes or {}).items():
        snap = registry[name]
        (folder / snap.file).write_text(text, encoding="utf-8")
        registry[name] = dataclasses.replace(
            snap, sha256=hashlib.sha256(text.encode()).hexdigest())
    return folder


def problem_strings(exc: DataError) -> list[str]:
    return [str(p) for p in exc.problems]


# --- the committed files --------------------------------------------------------------


def test_committed_external_files_pass_verify():
    assert ext.problems() == []


def test_committed_files_load_typed_with_their_codes():
    wdi = ext.load("wdi")
    assert set(wdi["iso3"]) == set(ext.COUNTRIES)
    assert set(wdi["indicator"]) == set(ext.WDI_INDICATORS)
    assert wdi["year"].dtype == "int64" and wdi["value"].dtype == "float64"
    official = ext.load("kz_tr_official")
    assert list(official["figure_id"]) == [f"R{i:02d}" for i in range(1, 19)]
    assert set(official["side"]) == {"KZ", "TR"}
    # the 680 m record's year is inferred in the snapshot, and says so
    assert set(official.loc[official["year_basis"] == "inferred", "figure_id"]) == {"R17"}
    with pytest.raises(KeyError, match="unknown external dataset"):
        ext.load("nope")


def test_committed_trade_table_covers_exactly_the_declared_years():
    table = ext.load("kz_tr_trade")
    assert table["year"].dtype == "int64" and table["value_usd"].dtype == "float64"
    assert set(table["series"]) == set(trade.TRADE_SERIES)
    held = {key: sorted(g["year"]) for key, g in table.groupby(["series", "flow"])}
    assert held == {key: list(range(a, b + 1)) for key, (a, b) in trade.COVERAGE.items()}
    assert set(table["unit_in_source"]) <= set(trade.SOURCE_UNITS)
    # the editions as the snapshot's README states them, or "unknown"
    editions = dict(zip(table["series"], table["edition"], strict=True))
    assert editions == {trade.BNS: "final July edition", trade.WITS: "unknown",
                        trade.PREVIEW: "unknown"}
    entry = [e for e in ext.descriptor()["resources"] if e["name"] == "kz_tr_trade"][0]
    assert entry["sources"][0]["sha256"] == snapshots.SNAPSHOTS["kz_tr_trade"].sha256
    assert entry["units"] == {s: "USD" for s in sorted(trade.TRADE_SERIES)}


def test_the_one_call_loaders_read_the_committed_table():
    table = ext.load("kz_tr_trade").set_index(["series", "flow", "year"])["value_usd"]
    year = trade.COVERAGE[(trade.BNS, "export")][0]
    got = ext.trade_value(trade.BNS, "turnover", year)
    assert got is not None and got.edition == "final July edition"
    assert got.value_usd == pytest.approx(table[(trade.BNS, "export", year)]
                                          + table[(trade.BNS, "import", year)], abs=0.005)
    assert "@" in got.source and ";" in got.source  # two files, each with its commit
    before = trade.COVERAGE[(trade.WITS, "export")][0]
    ref = ext.trade_reference("export", before)
    assert ref is not None and (ref.series, ref.value_usd) == (
        trade.WITS, table[(trade.WITS, "export", before)])
    assert ext.trade_reference("export", year).series == trade.BNS  # type: ignore[union-attr]
    assert ext.trade_reference("import", 1990) is None


def crafted_trade() -> pd.DataFrame:
    rows = [(trade.BNS, "export", 2021, 100.25, "final July edition"),
            (trade.BNS, "import", 2021, 50.5, "final July edition"),
            (trade.BNS, "export", 2022, 7.0, "final July edition"),
            (trade.WITS, "export", 2019, 80.0, "unknown"),
            (trade.WITS, "import", 2019, 20.0, "2024 release"),
            (trade.WITS, "export", 2021, 60.0, "unknown")]
    return pd.DataFrame([{"series": s, "reporter": "KAZ", "partner": "TUR", "flow": f,
                          "year": y, "value_usd": v, "unit_in_source": "USD",
                          "source_table": f"table of {s}", "edition": e,
                          "source_repo": "" if s == trade.WITS else "o/r",
                          "source_path": "https://api.example/x" if s == trade.WITS
                          else f"{f}.csv", "source_commit": "" if s == trade.WITS else COMMIT}
                         for s, f, y, v, e in rows])


def test_trade_queries_by_hand():
    frame = crafted_trade()
    turnover = trade.value(frame, trade.BNS, "turnover", 2021)
    assert turnover is not None and turnover.value_usd == 150.75
    assert turnover.source == f"o/r@{COMMIT}:export.csv; o/r@{COMMIT}:import.csv"
    assert turnover.value_musd == 150.75 / 1e6 and turnover.role == "national"
    assert trade.value(frame, trade.BNS, "turnover", 2022) is None   # no imports in 2022
    wits = trade.value(frame, trade.WITS, "turnover", 2019)
    assert wits is not None and (wits.value_usd, wits.edition) == (100.0, "unknown; 2024 release")
    assert wits.source == "https://api.example/x"
    # BNS where it covers the year, else WITS; the preview never
    assert trade.reference(frame, "export", 2021).series == trade.BNS  # type: ignore[union-attr]
    assert trade.reference(frame, "export", 2019).value_usd == 80.0  # type: ignore[union-attr]
    assert trade.reference(frame, "import", 2022) is None
    with pytest.raises(KeyError, match="unknown flow"):
        trade.value(frame, trade.BNS, "re-export", 2021)
    with pytest.raises(KeyError, match="unknown trade series"):
        trade.value(frame, "IMF-DOTS", "export", 2021)
    long = trade.long(frame)
    assert long[long["flow"] == "turnover"][["series", "year"]].values.tolist() == [
        [trade.BNS, 2021], [trade.WITS, 2019]]


def test_a_changed_table_is_never_answered_from_an_earlier_one():
    """The values are looked up once per table content: a cell changed in place, or a copy
    that differs in one cell, gives the new value, never the one remembered."""
    frame = crafted_trade()
    assert trade.value(frame, trade.BNS, "turnover", 2021).value_usd == 150.75  # type: ignore[union-attr]
    frame.loc[0, "value_usd"] = 200.25  # the same object, changed
    assert trade.value(frame, trade.BNS, "export", 2021).value_usd == 200.25  # type: ignore[union-attr]
    assert trade.value(frame, trade.BNS, "turnover", 2021).value_usd == 250.75  # type: ignore[union-attr]
    other = frame.copy()
    other.loc[1, "edition"] = "preliminary"
    assert trade.value(other, trade.BNS, "import", 2021).edition == "preliminary"  # type: ignore[union-attr]
    assert trade.value(frame, trade.BNS, "import", 2021).edition == "final July edition"  # type: ignore[union-attr]


def test_every_source_states_its_provenance():
    for name in ext.RESOURCES:
        source = ext.source_of(name)
        assert all(str(source[k]).strip() for k in ext.SOURCE_KEYS), name


@pytest.mark.skipif(not REAL.is_dir(), reason="the snapshots are not beside the checkout")
def test_build_from_the_real_snapshots_reproduces_the_committed_files():
    files = snapshots.build(REAL)
    for name, text in files.items():
        assert (COMMITTED / name).read_text(encoding="utf-8") == text, name


def test_build_without_the_snapshots_fails_clearly(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(snapshots.SNAPSHOT_ENV, str(tmp_path / "absent"))
    assert cli.main(["external", "build"]) == 1
    err = capsys.readouterr().err
    assert "is not present" in err and "uses the committed data/external/" in err


def test_build_from_small_snapshots_writes_a_valid_folder(tmp_path, monkeypatch):
    src = write_small(tmp_path / "snap", monkeypatch)
    out = tmp_path / "out"
    snapshots.write(src, out)
    assert ext.problems(out) == []
    official = ext.load("kz_tr_official", out)
    # "same" is the speaker of the previous row from the same report; a span is two years
    assert official.loc[1, "attributed_to"] == "Trend (2024-05-20)"
    assert official.loc[1, "stated_on"] == "2024-05-20"
    cumulative = official[official["quantity"] == "fdi_tr_to_kz_cumulative"].iloc[0]
    assert (cumulative["year_from"], cumulative["year_to"]) == (2007, 2021)
    ei = ext.load("energy_institute", out)
    assert ei.loc[0, "series"] == "oil_proved_reserves" and ei.loc[0, "unit"] == "barrel billion"
    desc = ext.descriptor(out)
    wdi = [r for r in desc["resources"] if r["name"] == "wdi"][0]
    assert wdi["units"] == {"NY.GDP.MKTP.CD": "USD", "SP.POP.TOTL": "people"}
    assert wdi["sources"][0]["sha256"] == snapshots.SNAPSHOTS["wdi"].sha256


# --- bad snapshots: file, line and column named; nothing written ------------------------


@pytest.mark.parametrize("name, text, expected", [
    ("wdi", WDI_HEAD.replace("iso3", "iso") + "NY.GDP.MKTP.CD,Kazakhstan,KAZ,2022,1.0\n",
     "wdi_ots_2000_2025.csv, line 1, column 'iso3'"),
    ("wdi", WDI_HEAD + "NY.GDP.MKTP.CD,Kazakhstan,KZX,2022,1.0\n",
     "wdi_ots_2000_2025.csv, line 2, column 'iso3': expected a country code"),
    ("wdi", WDI_HEAD + "NY.GDP.MKTP.CD,Turkey,TUR,2022,1.0\n",
     "line 2, column 'country_name': expected 'Turkiye' for TUR"),
    ("wdi", WDI_HEAD + "NY.GDP.MKTP.XX,Kazakhstan,KAZ,2022,1.0\n",
     "line 2, column 'indicator'"),
    ("wdi", WDI_HEAD + "NY.GDP.MKTP.CD,Kazakhstan,KAZ,2022,lots\n",
     "line 2, column 'value': expected a number, got 'lots'"),
    ("wdi_gdp_earlier", WDI_HEAD + "SP.POP.TOTL,Kazakhstan,KAZ,2022,1.0\n",
     "datasets_gdp_vintage_2026-03.csv, line 2, column 'indicator': expected one of "
     "NY.GDP.MKTP.CD"),
    ("energy_institute", "table,unit,entity,year,value\nOil - Proved reserves history,"
     "Million barrels,Kazakhstan,2020,30.0\n",
     "ei_statreview_2026_extract.csv, line 2, column 'unit': expected 'Thousand million "
     "barrels'"),
    ("energy_institute", "table,unit,entity,year,value\nOil - Proved reserves history,"
     "Thousand million barrels,Kazakstan,2020,30.0\n", "line 2, column 'entity'"),
    ("kz_tr_official", SMALL["kz_tr_official"].replace("KZ (official),Trend", "KZ,Trend"),
     "kz_tr_official_figures_reported.csv, line 2, column 'side'"),
    ("kz_tr_official", SMALL["kz_tr_official"].replace("approx,KZ (President)",
                                                       "roughly,KZ (President)"),
     "line 4, column 'qualifier'"),
    ("kz_tr_official", SMALL["kz_tr_official"].replace("2022,exports", "2022,arms"),
     "line 3, column 'quantity'"),
    # the trade series: a truncated file is named as truncated, with the years it lacks
    ("kz_tr_trade", small_trade(skip=(trade.BNS, "import", 2025)),
     "kz_tr_trade_kz_reporter.csv, column 'year': expected every year 2020–2025 of "
     "BNS-312101 import (its declared coverage, analysis.data.official_trade.COVERAGE), got "
     "'no row for 2025: the file is truncated'"),
    ("kz_tr_trade", small_trade(extra=trade_row(trade.BNS, "export", 2027)),
     "column 'year': expected consecutive years of BNS-312101 export, got 'a gap at 2026'"),
    ("kz_tr_trade", small_trade(extra=trade_row("BNS-999", "export", 2020)),
     "kz_tr_trade_kz_reporter.csv, line 43, column 'series': expected one of BNS-312101"),
    ("kz_tr_trade", small_trade(extra=trade_row(trade.PREVIEW, "export", 2020)),
     "line 43, column 'flow': expected a declared series and flow"),
    ("kz_tr_trade", small_trade(extra=trade_row(trade.BNS, "export", 2020)),
     "line 43, column 'year': expected a unique (series, reporter, partner, flow, year)"),
    ("kz_tr_trade", small_trade().replace(",KAZ,", ",UZB,", 1),
     "line 2, column 'reporter': expected KAZ, got 'UZB'"),
    ("kz_tr_trade", small_trade().replace("thousand USD", "billion USD", 1),
     "line 2, column 'unit_in_source': expected one of USD, thousand USD, million USD"),
    ("kz_tr_trade", small_trade().replace(COMMIT, "4384ebd", 1),
     "line 2, column 'source_commit': expected a 40-hex commit"),
    ("kz_tr_trade", small_trade().replace("1000002020.0", "-1000002020.0", 1),
     "line 2, column 'value_usd': expected a positive number of US dollars"),
])
def test_a_bad_snapshot_is_named_and_nothing_is_written(tmp_path, monkeypatch, name, text,
                                                        expected):
    src = write_small(tmp_path / "snap", monkeypatch, {name: text})
    out = tmp_path / "out"
    out.mkdir()
    (out / "wdi.csv").write_text("old\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        snapshots.write(src, out)
    assert any(expected in s for s in problem_strings(info.value)), problem_strings(info.value)
    assert sorted(os.listdir(out)) == ["wdi.csv"]
    assert (out / "wdi.csv").read_text(encoding="utf-8") == "old\n"


def test_a_snapshot_with_another_checksum_is_refused(tmp_path, monkeypatch):
    src = write_small(tmp_path / "snap", monkeypatch)
    path = src / snapshots.SNAPSHOTS["wdi"].file
    path.write_text(path.read_text(encoding="utf-8") + "SP.POP.TOTL,Turkiye,TUR,2023,1.0\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"wdi_ots_2000_2025.csv: expected sha256 [0-9a-f]{64}"):
        snapshots.build(src)


def test_a_missing_snapshot_is_named(tmp_path, monkeypatch):
    src = write_small(tmp_path / "snap", monkeypatch)
    (src / snapshots.SNAPSHOTS["energy_institute"].file).unlink()
    with pytest.raises(DataError, match="ei_statreview_2026_extract.csv: expected this "
                                        "snapshot file, got 'missing'"):
        snapshots.build(src)


def test_replace_files_leaves_old_files_when_writing_fails(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_text("old a\n", encoding="utf-8")
    real = os.fdopen
    calls = []

    def failing(fd, *args, **kwargs):
        calls.append(fd)
        if len(calls) == 2:
            os.close(fd)
            raise OSError("disk full")
        return real(fd, *args, **kwargs)

    monkeypatch.setattr(snapshots.os, "fdopen", failing)
    with pytest.raises(OSError, match="disk full"):
        snapshots.replace_files(tmp_path, {"a.csv": "new a\n", "b.csv": "new b\n"})
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "old a\n"
    assert sorted(os.listdir(tmp_path)) == ["a.csv"]


# --- `kaztur verify` on data/external/ ---------------------------------------------------


@pytest.fixture
def copy(tmp_path):
    dest = tmp_path / "external"
    shutil.copytree(COMMITTED, dest)
    return dest


def rehash(folder: Path, name: str) -> None:
    """Update the descriptor's checksum of ``name`` (to isolate the other checks)."""
    desc = json.loads((folder / ext.DESCRIPTOR).read_text(encoding="utf-8"))
    path = folder / ext.RESOURCES[name].path
    for entry in desc["resources"]:
        if entry["name"] == name:
            entry["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / ext.DESCRIPTOR).write_text(json.dumps(desc), encoding="utf-8")


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / ext.RESOURCES[name].path
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_verify_catches_an_edited_file(copy):
    edit(copy, "wdi", ",KAZ,2022,", ",KAZ,2022,9")
    found = [str(p) for p in ext.problems(copy)]
    assert any("wdi.csv: expected checksum sha256:" in s and "never by hand" in s
               for s in found), found


def test_verify_catches_a_wrong_unit(copy):
    edit(copy, "wdi", "SP.POP.TOTL,AZE,2000,8048600.0,people",
         "SP.POP.TOTL,AZE,2000,8048600.0,percent")
    rehash(copy, "wdi")
    found = [str(p) for p in ext.problems(copy)]
    assert any("wdi.csv, line" in s and "column 'unit': expected 'people' (the unit of "
               "SP.POP.TOTL), got 'percent'" in s for s in found), found


def test_verify_catches_a_wrong_country_code(copy):
    edit(copy, "energy_institute", ",KAZ,2020,", ",KZK,2020,")
    rehash(copy, "energy_institute")
    found = [str(p) for p in ext.problems(copy)]
    assert any("energy_institute.csv, line" in s and "column 'iso3'" in s for s in found)


def test_verify_catches_missing_provenance_and_unknown_resources(copy):
    desc = json.loads((copy / ext.DESCRIPTOR).read_text(encoding="utf-8"))
    desc["resources"][0]["sources"][0]["vintage"] = ""
    desc["resources"].append({"name": "stray"})
    (copy / ext.DESCRIPTOR).write_text(json.dumps(desc), encoding="utf-8")
    found = [str(p) for p in ext.problems(copy)]
    assert any("column 'wdi': expected provenance with" in s and "no vintage" in s
               for s in found), found
    assert any("column 'stray'" in s and "unknown resource" in s for s in found)


def test_verify_catches_a_missing_file_and_a_broken_descriptor(copy):
    (copy / "kz_tr_official.csv").unlink()
    assert any("kz_tr_official.csv: expected this external data file, got 'missing'" in str(p)
               for p in ext.problems(copy))
    (copy / ext.DESCRIPTOR).write_text("{", encoding="utf-8")
    assert "expected valid JSON" in str(ext.problems(copy)[0])


def test_verify_names_a_truncated_trade_table(copy):
    path = copy / "kz_tr_trade.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    last = [i for i, line in enumerate(lines) if line.startswith("BNS-312101,KAZ,TUR,import,")]
    year = lines[last[-1]].split(",")[4]
    path.write_text("".join(lines[:last[-1]] + lines[last[-1] + 1:]), encoding="utf-8")
    rehash(copy, "kz_tr_trade")
    found = [str(p) for p in ext.problems(copy)]
    assert len(found) == 1, found
    assert "kz_tr_trade.csv, column 'year': expected every year" in found[0]
    assert f"no row for {year}: the file is truncated" in found[0]


def test_kaztur_verify_includes_data_external(monkeypatch, copy, capsys):
    edit(copy, "kz_tr_official", "R01,", "R00,")
    monkeypatch.setattr(ext, "external_dir", lambda: copy)
    assert cli.main(["verify"]) == 1
    assert "kz_tr_official.csv: expected checksum" in capsys.readouterr().err
