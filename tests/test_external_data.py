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

import pytest

from analysis import config
from analysis.data import official as ext
from analysis.data import snapshots
from analysis.errors import DataError
from analysis.run import cli

COMMITTED = config.ROOT / "data" / "external"
REAL = snapshots.snapshot_dir()

WDI_HEAD = "indicator,country_name,iso3,year,value\n"
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


def test_kaztur_verify_includes_data_external(monkeypatch, copy, capsys):
    edit(copy, "kz_tr_official", "R01,", "R00,")
    monkeypatch.setattr(ext, "external_dir", lambda: copy)
    assert cli.main(["verify"]) == 1
    assert "kz_tr_official.csv: expected checksum" in capsys.readouterr().err
