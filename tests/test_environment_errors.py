"""Faults of the environment end a command with one paragraph (what, where, what to do), a
non-zero exit and nothing lost: a full disk, an unwritable folder (found before any work),
a bad option, no kernel, a kernel or a worker that dies, no source text; and raw or
external files in a foreign encoding, with a broken quote, cut short or out of range are
diagnosed as such, at the right line, by every command that reads them."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, kaztur, make_fixture_project
from helpers import point_config_at
from run_fixtures import alive, descendants, read_only, warm_copy
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
def project(warm_standard, tmp_path, monkeypatch):
    root = warm_copy(warm_standard, tmp_path / "p")  # after a run: its cache, its reports/
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


def test_full_disk_during_run(project, monkeypatch, capsys, no_ledger):
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


@pytest.mark.waits
def test_missing_kernel(project, monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "KERNEL", "no-such-kernel-kaztur")
    assert cli.main(["run", "--lang", "kk", "--force"]) == 1
    message = _one_paragraph(capsys.readouterr().err, "run")
    assert "the Jupyter kernel 'no-such-kernel-kaztur' is not installed" in message
    assert "make env" in message and "reports/ was left as it was" in message


@pytest.mark.waits
def test_a_kernel_killed_by_a_cell_is_reported_at_that_cell(tmp_path, no_ledger):
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
    env = dict(os.environ, KAZTUR_ROOT=str(root), KAZTUR_SOURCE_DIR=str(tmp_path / "none"))
    done = subprocess.run([sys.executable, "-m", "analysis.run.cli", "verify"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "did NOT run" in done.stdout and "KAZTUR_SOURCE_DIR" in done.stdout
    # --require-source makes it fatal (the text is not shipped: a warning by default)
    strict = subprocess.run([sys.executable, "-m", "analysis.run.cli", "verify",
                             "--require-source"], env=env, capture_output=True, text=True,
                            timeout=300)
    assert strict.returncode == 1, strict.stdout
    assert "did NOT run" in strict.stderr and "--require-source" in strict.stderr
    assert "match their checksums" not in strict.stdout


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


# --------------------------------------------------------------------------- a dying worker


def test_a_worker_killed_mid_notebook_fails_that_notebook_and_the_run_ends(tmp_path,
                                                                           no_ledger):
    """Guard: the pool watches its workers' sentinels. A notebook whose worker is killed
    (here by the notebook itself) is reported failed, naming it and the signal; the
    other notebook runs on a fresh worker and is kept in the cache; the run exits 1 (the
    ``timeout`` is a hang detector) and leaves no process behind."""
    root = make_fixture_project(tmp_path / "p", {
        "00_overview.ipynb": "00_overview.ipynb", "03_energy.ipynb": "killing_its_worker.ipynb"})
    proc = subprocess.Popen([sys.executable, "-m", "analysis.run.cli", "run", "--lang", "kk",
                             "-j", "1", "-v"], cwd=root, env=dict(
        os.environ, KAZTUR_ROOT=str(root), KAZTUR_CACHE_DIR=str(root / ".kaztur-cache")),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, err = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        below = descendants(proc.pid)
        proc.kill()
        proc.communicate()
        alive(below, timeout=10)
        pytest.fail("kaztur run did not end after its worker was killed: it hangs")
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "kaztur run: FAILED; reports/ was left as it was." in err
    assert "notebooks/03_energy.ipynb (lang=kk)" in err
    assert "failed at: cell 3 (0-based; cell number 4 in JupyterLab's order), the last one " \
        "started: its worker was killed" in err
    assert "the worker process running notebooks/03_energy.ipynb (kk) was killed by SIGKILL " \
        "while cell 3 ran" in err
    assert "| # this cell kills the worker process that runs it" in err
    assert "kk/00_overview: done" in err  # on the worker that replaced the killed one
    assert list((root / ".kaztur-cache" / "runs" / "00_overview").glob("*/run.json"))
    assert not (root / "reports").exists()


# --------------------------------------------------------------------------- fast refusal


@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_a_bad_jobs_value_is_a_usage_error(fixture_project, value):
    """Guard: --jobs is a whole number of 1 or more (0 and -3 were accepted silently)."""
    result = kaztur(fixture_project, "run", "--jobs", value)
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert errors == [errors[0]] and "argument --jobs/-j: expected" in errors[0]
    assert not (fixture_project / ".kaztur-cache").exists()
    with pytest.raises(pipeline.PipelineError, match="1 or more"):
        pipeline.jobs_count(0)


def test_a_read_only_reports_is_found_before_anything_runs(warm_standard, tmp_path):
    """Guard: staging.require_writable. A --force run used to execute every notebook and
    only then fail at the swap; now it stops at once, with one paragraph, exit 1."""
    root = warm_copy(warm_standard, tmp_path / "p")
    before = _tree(root / "reports")
    with read_only(root / "reports"):
        result = kaztur(root, "run", "--force", "--lang", "kk", timeout=120)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kaztur run: cannot write {root / 'reports'}")
    assert "Nothing was replaced: reports/ is as it was" in lines[0]
    assert "executing" not in result.stderr
    assert _tree(root / "reports") == before


def test_check_to_an_unwritable_folder_is_refused_at_once(warm_standard, tmp_path):
    """Guard: kaztur check --out finds an unwritable folder before it verifies or builds
    anything (it failed after the ledger, with a garbled sentence)."""
    root = warm_copy(warm_standard, tmp_path / "p")
    out = tmp_path / "out"
    out.mkdir()
    with read_only(out):
        result = kaztur(root, "check", "-v", "--out", str(out / "ledger"), timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("kaztur check:") == 1, result.stderr
    assert f"kaztur check: cannot write {out}" in result.stderr
    assert "Nothing was replaced: the ledger files are as they were." in result.stderr
    assert "inputs verified" not in result.stderr and "ledger built" not in result.stderr
    assert not (out / "ledger").exists()


# --------------------------------------------------------------------------- data/external


def _truncate_rows(path: Path, keep: int) -> None:
    """Keep the header and the first ``keep`` records (cut at a row boundary)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:1 + keep]), encoding="utf-8")


def _record_external(root: Path, name: str) -> None:
    """Record a hand-edited external file's checksum in the descriptor (as a careless
    edit would), so that only the file's content is left to refuse it."""
    desc_path = root / "data" / "external" / "datapackage.json"
    desc = json.loads(desc_path.read_text(encoding="utf-8"))
    entry = next(e for e in desc["resources"] if e["name"] == name)
    entry["hash"] = f"sha256:{data_io.sha256_file(root / 'data' / 'external' / entry['path'])}"
    desc_path.write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n",
                         encoding="utf-8")


def _damage_external(folder: Path, damage: str) -> tuple[str, str]:
    """Damage one external file; (its resource, the problem verify must list)."""
    if damage == "truncated":
        _truncate_rows(folder / "kz_tr_official.csv", 10)
        return "kz_tr_official", ("kz_tr_official.csv: expected 18 data rows, all those "
                                  "derived from kz_tr_official_figures_reported.csv")
    if damage == "negative GDP":
        rows = (folder / "wdi.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        at = next(i for i, row in enumerate(rows) if row.startswith("NY.GDP.MKTP.CD,"))
        indicator, iso3, year, value, unit = rows[at].rstrip("\n").split(",")
        rows[at] = ",".join([indicator, iso3, year, f"-{value}", unit]) + "\n"
        (folder / "wdi.csv").write_text("".join(rows), encoding="utf-8")
        return "wdi", (f"wdi.csv, line {at + 1}, column 'value': expected a non-negative "
                       f"number (a level or a share), got '-{value}'")
    rows = (folder / "kz_tr_official.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = rows[0].rstrip("\n").split(",")
    fields = rows[1].split(",")
    fields[header.index("reporter")] += " "
    rows[1] = ",".join(fields)
    (folder / "kz_tr_official.csv").write_text("".join(rows), encoding="utf-8")
    return "kz_tr_official", ("kz_tr_official.csv, line 2, column 'reporter': expected no "
                              "space at the start or end of the cell")


@pytest.mark.parametrize("damage", ["truncated", "negative GDP", "padded"])
def test_check_refuses_external_files_that_verify_rejects(project, capsys, damage):
    """Guard: the one pre-check covers data/external/ in kaztur check (which built and
    published a ledger 34 rows shorter from a truncated kz_tr_official.csv, exit 0),
    kaztur data and kaztur run; the checksum is re-recorded here so that the content
    rules alone must refuse the file."""
    name, needle = _damage_external(project / "data" / "external", damage)
    _record_external(project, name)
    before = _tree(project / "reports")
    capsys.readouterr()
    for command in ("verify", "check", "data", "run"):
        assert cli.main([command]) == 1, command
        err = capsys.readouterr().err
        assert needle in err, (command, err)
        assert err.count(needle) == 1, (command, err)  # listed once
        assert "Traceback" not in err and "executing" not in err
    assert _tree(project / "reports") == before


# --------------------------------------------------------------------------- the fault script


def test_the_fault_scripts_quick_cases_pass(tmp_path):
    """Guard: the cheap cases of benchmarks/faults.py (refusals that need no run: an empty
    external file, a raw file cut short then re-manifested, a padded cell, --jobs 0 and
    -3, check --out a read-only folder, verify --require-source), each judged on its exit
    status, its message and the project tree hashed before and after."""
    report = tmp_path / "faults.json"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "faults.py"), "--quick",
                           "--json", str(report)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    outcomes = json.loads(report.read_text(encoding="utf-8"))
    assert len(outcomes) >= 7 and all(o["verdict"] == "ok" for o in outcomes), outcomes
    assert f"{len(outcomes)} of {len(outcomes)} cases ok" in done.stdout
