"""Every way a raw file can be wrong gets a clear error: file, line, column, expectation.

Each case copies ``data/raw`` (and ``data/external``) into a temporary project, damages
one file, and runs the real command line (in-process, with the project paths pointed at
the copy). It checks the message, the non-zero exit status, and that ``data/processed``
written before is left untouched ("nothing is lost").
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from helpers import point_config_at
from shared import once

from analysis.data import manifest
from analysis.run import cli

REPO_RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
K7 = "k7_trade_2018_2023.csv"
SURVEY = "survey_results.csv"


def _good_project(folder: Path) -> str:
    """A copy of the raw and external data and the processed/ that ``kaztur data`` built
    from it (once per test run: every case starts from a copy of it)."""
    root = folder / "proj"
    shutil.copytree(REPO_RAW, root / "data" / "raw")
    shutil.copytree(REPO_RAW.parent / "external", root / "data" / "external")
    with pytest.MonkeyPatch.context() as patch:
        point_config_at(patch, root)
        assert cli.main(["data"]) == 0
    return str(root)


@pytest.fixture(scope="session")
def good_project(tmp_path_factory) -> Path:
    return Path(once(tmp_path_factory, "bad-input-good-project", _good_project))


@pytest.fixture()
def project(good_project, tmp_path, monkeypatch):
    """A copy of the raw and external data with config pointed at it (every command that
    writes verifies both), and a good processed/ built by ``kaztur data`` (copied)."""
    root = shutil.copytree(good_project, tmp_path / "proj")
    point_config_at(monkeypatch, root)
    return root


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write_rows(path: Path, rows: list[dict[str, str]], fields: list[str] | None = None) -> None:
    fields = fields or list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _edit(project: Path, name: str, edit, refresh_manifest: bool = True) -> Path:
    path = project / "data" / "raw" / name
    rows = _rows(path)
    fields = list(rows[0])
    result = edit(rows, fields)
    _write_rows(path, rows if result is None else result, fields)
    if refresh_manifest:  # isolate the schema error from the checksum error
        manifest.write(project / "data" / "raw")
    return path


def _k7_cell(rows, year: str, key: str) -> dict[str, str]:
    return next(r for r in rows if r["year"] == year and r["column_key"] == key)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _fails(project: Path, capsys, *needles: str) -> str:
    before = _snapshot(project / "data" / "processed")
    assert cli.main(["data"]) == 1
    err = capsys.readouterr().err
    for needle in needles:
        assert needle in err, err
    assert _snapshot(project / "data" / "processed") == before, "processed output was replaced"
    return err


def test_shipped_raw_data_verifies(capsys):
    assert cli.main(["verify"]) == 0, capsys.readouterr().err


def test_non_numeric_value(project, capsys):
    def edit(rows, _):
        _k7_cell(rows, "2019", "exports")["value"] = "abc"

    _edit(project, K7, edit)
    _fails(project, capsys, K7, "line 9", "column 'value'", "a plain number", "'abc'")


def test_printed_text_that_is_not_a_number(project, capsys):
    def edit(rows, _):
        cell = _k7_cell(rows, "2019", "exports")
        cell["number_printed"] = "1 12O"  # letter O for zero

    _edit(project, K7, edit)
    _fails(project, capsys, K7, "column 'number_printed'", "'1 12O'")


def test_value_disagreeing_with_printed_text(project, capsys):
    _edit(project, K7, lambda rows, _: _k7_cell(rows, "2019", "exports").update(value="1210"))
    _fails(project, capsys, K7, "column 'value'", "1120", "'1210'")


def test_missing_column(project, capsys):
    def edit(rows, fields):
        fields.remove("unit")
        for r in rows:
            del r["unit"]

    _edit(project, K7, edit)
    _fails(project, capsys, K7, "line 1", "column 'unit'", "no such column")


def test_unknown_extra_column(project, capsys):
    def edit(rows, fields):
        fields.append("remarks")
        for r in rows:
            r["remarks"] = ""

    _edit(project, K7, edit)
    _fails(project, capsys, K7, "column 'remarks'", "unknown column")


def test_duplicate_year(project, capsys):
    def edit(rows, _):
        # the 2020 export cell now claims to be 2019's: two export values for one year
        _k7_cell(rows, "2020", "exports")["year"] = "2019"

    _edit(project, K7, edit)
    _fails(project, capsys, K7, "column_key, year", "year=2019")


def test_duplicate_question_and_option(project, capsys):
    def edit(rows, _):
        rows[1]["option_order"] = rows[0]["option_order"]

    _edit(project, SURVEY, edit)
    _fails(project, capsys, SURVEY, "question, option_order", "line 3")


def test_negative_trade_value(project, capsys):
    def edit(rows, _):
        _k7_cell(rows, "2021", "imports").update(printed="-800", number_printed="-800",
                                                 value="-800")

    _edit(project, K7, edit)
    _fails(project, capsys, K7, "column 'value'", "non-negative", "'-800'")


def test_percentage_over_100(project, capsys):
    def edit(rows, _):
        rows[0].update(printed="125%", value="125")

    _edit(project, SURVEY, edit)
    _fails(project, capsys, SURVEY, "line 2", "between 0 and 100")


def test_unknown_unit(project, capsys):
    _edit(project, K7, lambda rows, _: _k7_cell(rows, "2018", "exports").update(unit="USD mln"))
    _fails(project, capsys, K7, "column 'unit'", "'USD mln'")


def test_cp1251_file(project, capsys):
    path = project / "data" / "raw" / K7
    # CP1251 has no Kazakh-specific letters (Қ, ә, ...): a Windows save replaces them
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251", errors="replace"))
    manifest_before = (project / "data" / "raw" / "datapackage.json").read_bytes()
    _fails(project, capsys, K7, "UTF-8", "CP1251")
    assert (project / "data" / "raw" / "datapackage.json").read_bytes() == manifest_before


def test_empty_file(project, capsys):
    (project / "data" / "raw" / K7).write_bytes(b"")
    _fails(project, capsys, K7, "empty file")


def test_bom_and_crlf_are_read(project, capsys):
    path = project / "data" / "raw" / K7
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    manifest.write(project / "data" / "raw")
    assert cli.main(["data"]) == 0, capsys.readouterr().err
    processed = (project / "data" / "processed" / "trade.csv").read_text(encoding="utf-8")
    assert "1 580" in processed and "\r" not in processed


def test_checksum_mismatch(project, capsys):
    path = project / "data" / "raw" / K7
    path.write_text(path.read_text(encoding="utf-8").replace("1 400,,1 400,1400",
                                                             "1 500,,1 500,1500"),
                    encoding="utf-8")
    assert cli.main(["verify"]) == 1
    err = capsys.readouterr().err
    assert K7 in err and "checksum" in err


def test_verify_lists_every_problem(project, capsys):
    def edit(rows, _):
        _k7_cell(rows, "2018", "exports")["value"] = "x"
        _k7_cell(rows, "2019", "imports")["value"] = "y"

    _edit(project, K7, edit, refresh_manifest=False)
    assert cli.main(["verify"]) == 1
    err = capsys.readouterr().err
    assert "'x'" in err and "'y'" in err and "checksum" in err


def test_shell_exit_status_is_non_zero(project, tmp_path):
    """The installed console script, as a user runs it, exits non-zero on bad data."""
    import os
    import subprocess
    import sys

    _edit(project, K7, lambda rows, _: _k7_cell(rows, "2019", "exports").update(value="abc"))
    env = dict(os.environ, KAZTUR_ROOT=str(project))
    done = subprocess.run([sys.executable, "-m", "analysis.run.cli", "data"], env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "column 'value'" in done.stderr


def test_a_file_cut_at_a_row_boundary_then_manifested_is_named_truncated(project, capsys):
    """Guard: completeness is declared in code (schemas.ROWS), where `kaztur manifest` does
    not regenerate it. Cut at a row boundary and given a new checksum, Кесте 7 lost its
    2023 rows silently: verify blamed text_claims.csv 24 times (the digits those rows
    cited, now uncited) and never named the file; now it names the file, once."""
    path = project / "data" / "raw" / K7
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-6]), encoding="utf-8")  # the six cells of 2023
    assert cli.main(["manifest"]) == 0
    capsys.readouterr()
    assert cli.main(["verify"]) == 1
    err = capsys.readouterr().err
    problems = [line for line in err.splitlines() if line.startswith("  - ")]
    assert problems == [
        f"  - data/raw/{K7}: expected 36 data rows, as declared for Кесте 7 (lines "
        "995–1044) in analysis.data.schemas (a deliberate transcription change updates "
        "the count there), got '30: the file ends early (truncated?)'"], err
    assert "text_claims.csv" not in err
    _fails(project, capsys, K7, "the file ends early")  # kaztur data refuses it too


def test_a_cell_with_a_space_at_its_end_is_refused(project, capsys):
    """Guard: io.padded_cells. '1 580 ' passed every rule (numbers are parsed after
    stripping) and reached data/processed/trade.csv as it was."""
    def edit(rows, _):
        cell = _k7_cell(rows, "2018", "trade_total")
        assert cell["number_printed"] == "1 580"
        cell["number_printed"] = "1 580 "

    _edit(project, K7, edit)
    err = _fails(project, capsys, K7, "line 5, column 'number_printed': expected no space at "
                 "the start or end of the cell (the text exactly as printed), got '1 580 '")
    assert err.count("no space at the start or end") == 1
    assert cli.main(["verify"]) == 1
    assert "got '1 580 '" in capsys.readouterr().err


def test_a_descriptor_in_another_encoding_is_one_problem(project, capsys):
    """Guard: io.read_json_object. A datapackage.json saved as UTF-16 was a traceback."""
    path = project / "data" / "raw" / "datapackage.json"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert cli.main(["verify"]) == 1
    err = capsys.readouterr().err
    assert "data/raw/datapackage.json, line 1: expected UTF-8 JSON (the checksum manifest), " \
           "got 'text encoded as UTF-16 (little-endian), by its byte-order mark'" in err
    assert "Traceback" not in err
    _fails(project, capsys, "datapackage.json", "expected UTF-8 JSON")
