"""Faults of the environment end a command with one paragraph (what, where, what to do), a
non-zero exit and nothing lost: a full disk, an unwritable folder, no kernel, a kernel that
dies, no source text; and raw files in a foreign encoding or with a broken quote are
diagnosed as such, at the right line."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, kaztur, make_fixture_project
from helpers import point_config_at
from test_pipeline import _tree

from analysis.data import io as data_io
from analysis.data import manifest
from analysis.run import cli, pipeline, staging

K7 = "k7_trade_2018_2023.csv"


def _disk_full_under(marker: str):
    real = data_io.write_file

    def write_file(path: Path, data: bytes) -> None:
        if marker in str(path):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data)

    return write_file


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = make_fixture_project(tmp_path / "p")
    point_config_at(monkeypatch, root)
    monkeypatch.setattr("analysis.config.REPORTS_DIR", root / "reports")
    monkeypatch.setenv("KAZTUR_CACHE_DIR", str(root / ".kaztur-cache"))
    monkeypatch.setenv("KAZTUR_ROOT", str(root))
    assert cli.main(["data"]) == 0
    return root


def _one_paragraph(err: str, command: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.strip().splitlines() if line.startswith(f"kaztur {command}:")]
    assert lines, err
    return lines[-1]


def test_full_disk_during_data(project, monkeypatch, capsys):
    before = _tree(project / "data" / "processed")
    monkeypatch.setattr(data_io, "write_file", _disk_full_under(".processed-staging"))
    assert cli.main(["data"]) == 1
    message = _one_paragraph(capsys.readouterr().err, "data")
    assert "no space left on the device" in message and "data/processed/ is as it was" in message
    assert _tree(project / "data" / "processed") == before
    assert not list((project / "data").glob(".processed-*"))


def test_full_disk_during_run(project, monkeypatch, capsys):
    assert cli.main(["run", "--lang", "kk"]) == 0
    before = _tree(project / "reports")
    capsys.readouterr()
    # the forked workers inherit the fault: the executed notebook cannot be written
    monkeypatch.setattr(data_io, "write_file", _disk_full_under(".reports-staging"))
    assert cli.main(["run", "--lang", "kk", "--force"]) == 1
    message = _one_paragraph(capsys.readouterr().err, "run")
    assert "no space left on the device while writing" in message
    assert "reports/ is as it was" in message and "Free some space" in message
    assert _tree(project / "reports") == before
    assert not list(project.glob(".reports-*"))


def test_unwritable_reports(project, monkeypatch, capsys):
    assert cli.main(["run", "--lang", "kk"]) == 0
    before = _tree(project / "reports")
    capsys.readouterr()

    def refuse(staged: Path, target: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(staging, "swap_in", refuse)
    assert cli.main(["run", "--lang", "kk"]) == 1
    message = _one_paragraph(capsys.readouterr().err, "run")
    assert f"cannot write {project / 'reports'}: permission denied" in message
    assert "Make that folder writable" in message
    assert _tree(project / "reports") == before
    assert not list(project.glob(".reports-*"))


def test_missing_kernel(project, monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "KERNEL", "no-such-kernel-kaztur")
    assert cli.main(["run", "--lang", "kk", "--force"]) == 1
    message = _one_paragraph(capsys.readouterr().err, "run")
    assert "the Jupyter kernel 'no-such-kernel-kaztur' is not installed" in message
    assert "make env" in message and "reports/ was left as it was" in message


def test_a_kernel_killed_by_a_cell_is_reported_at_that_cell(tmp_path):
    root = make_fixture_project(tmp_path / "p", {"03_energy.ipynb": "dying.ipynb"})
    result = kaztur(root, "run", "--lang", "kk")
    assert result.returncode == 1
    assert "notebooks/03_energy.ipynb" in result.stderr
    assert "failed at: cell 2 (0-based" in result.stderr
    assert "this cell kills its own kernel" in result.stderr
    assert "the kernel died while running this cell" in result.stderr
    assert not (root / "reports").exists()


def test_without_the_source_text_verify_says_what_did_not_run(tmp_path):
    root = make_fixture_project(tmp_path / "p")
    import os
    import subprocess
    import sys

    env = dict(os.environ, KAZTUR_ROOT=str(root), KAZTUR_SOURCE_DIR=str(tmp_path / "none"))
    done = subprocess.run([sys.executable, "-m", "analysis.run.cli", "verify"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "did NOT run" in done.stdout and "KAZTUR_SOURCE_DIR" in done.stdout


@pytest.mark.parametrize("codec, name", [("utf-16", "UTF-16 (little-endian)"),
                                         ("utf-16-be", None), ("utf-32", "UTF-32 (little-endian)")])
def test_utf16_and_utf32_are_named_as_such(tmp_path, monkeypatch, capsys, codec, name):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)
    text = (raw / K7).read_text(encoding="utf-8")
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
        name = "UTF-16 (big-endian)"
    (raw / K7).write_bytes(data)
    monkeypatch.setattr("analysis.config.RAW_DIR", raw)
    assert cli.main(["verify"]) == 1
    err = capsys.readouterr().err
    assert f"{K7}, line 1: expected UTF-8 text" in err
    assert f"{name}, by its byte-order mark" in err and "CP1251" not in err


def test_an_unbalanced_quote_is_reported_at_its_line(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)
    lines = (raw / K7).read_text(encoding="utf-8").split("\n")
    target = 10
    fields = lines[target - 1].split(",")
    fields[13] = '"' + fields[13]  # an opening quote that is never closed
    lines[target - 1] = ",".join(fields)
    (raw / K7).write_text("\n".join(lines), encoding="utf-8")
    manifest.write(raw)
    monkeypatch.setattr("analysis.config.RAW_DIR", raw)
    assert cli.main(["verify"]) == 1
    err = capsys.readouterr().err
    assert f"{K7}, line {target}" in err and "double quote" in err
    assert err.count(K7) == 1, err


def test_one_message_per_problem(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)
    text = (raw / K7).read_text(encoding="utf-8")
    (raw / K7).write_text(text.replace(",1 400,1400,", ",-1 400,-1400,", 1), encoding="utf-8")
    manifest.write(raw)
    monkeypatch.setattr("analysis.config.RAW_DIR", raw)
    assert cli.main(["verify"]) == 1
    err = capsys.readouterr().err
    problems = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(problems) == len(set(problems)) == 1, err


def test_broken_fixture_is_still_a_cell_failure():
    assert (FIXTURES / "notebooks" / "broken.ipynb").is_file()


def test_data_error_reports_each_problem_once():
    """Guard: DataError deduplicates (a row-wise rule is reported by pandera once per
    column it looks at: 19 identical problems for one negative value in Кесте 7)."""
    from analysis.errors import DataError, Problem

    same = Problem("data/raw/x.csv", 3, "value", "a non-negative value", "-1")
    other = Problem("data/raw/x.csv", 4, "value", "a non-negative value", "-2")
    error = DataError([same, same, other, same])
    assert error.problems == [same, other]
    assert str(error).count("line 3") == 1 and str(error).startswith("2 problems")
