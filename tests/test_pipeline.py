"""``kaztur run`` on small fixture notebooks: parameters, reports/, cache, failure, swap."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, kaztur, make_fixture_project
from helpers import link_targets

from analysis.run import pipeline
from analysis.run.params import ParameterError


def _nb(root: Path, stem: str, rel: str | None = None) -> pipeline.Notebook:
    rel = rel or stem
    return pipeline.Notebook(stem, root / "notebooks" / f"{rel}.ipynb", rel)


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _manifest(root: Path) -> dict:
    return json.loads((root / "reports" / "manifest.json").read_text(encoding="utf-8"))


def _sources(root: Path) -> dict[str, str]:
    return {nb["stem"]: nb["source"] for nb in _manifest(root)["notebooks"]}




# --------------------------------------------------------------------------- parameters


def test_parameters_merge_defaults_file_and_command_line(tmp_path):
    root = make_fixture_project(tmp_path / "p")
    selected = pipeline.discover(root / "notebooks")
    yaml_file = tmp_path / "params.yaml"
    yaml_file.write_text(
        "lang: en\nci_level: 0.8\n01_trade:\n  ci_level: 0.85\n  start_year: 2019\n",
        encoding="utf-8")
    got = pipeline.resolve_parameters(selected, ["ci_level=0.9"], yaml_file)
    assert got["00_overview"] == {"lang": "en"}
    # -p beats the per-notebook section, which beats the file's global value
    assert got["01_trade"] == {"start_year": 2019, "end_year": 2023, "ci_level": 0.9,
                               "lang": "en"}
    assert pipeline.resolve_parameters(selected)["01_trade"]["ci_level"] == 0.95


@pytest.mark.parametrize("assignments, yaml_text, message", [
    (["colour=red"], None, "'colour' is declared by none"),
    (["ci_level=high"], None, "expected float, got str"),
    (["start_year=2.5"], None, "expected int"),
    (["lang=ru"], None, "expected one of"),
    (["novalue"], None, "expected NAME=VALUE"),
    ([], "02_nothing:\n  lang: en\n", "is not a notebook"),
    ([], "00_overview:\n  ci_level: 0.9\n", "has no parameter(s) 'ci_level'"),
    ([], "- just\n- a list\n", "expected a mapping"),
])
def test_bad_parameters_are_errors(tmp_path, assignments, yaml_text, message):
    root = make_fixture_project(tmp_path / "p")
    selected = pipeline.discover(root / "notebooks")
    yaml_file = None
    if yaml_text is not None:
        yaml_file = tmp_path / "params.yaml"
        yaml_file.write_text(yaml_text, encoding="utf-8")
    with pytest.raises((pipeline.PipelineError, ParameterError), match=re.escape(message)):
        pipeline.resolve_parameters(selected, assignments, yaml_file)


def test_a_name_needs_only_one_selected_notebook_declaring_it(tmp_path):
    root = make_fixture_project(tmp_path / "p")
    everything = pipeline.discover(root / "notebooks")
    only_overview = pipeline.select(everything, ["00_overview"])
    with pytest.raises(pipeline.PipelineError, match="declared by none"):
        pipeline.resolve_parameters(only_overview, ["ci_level=0.9"])
    assert pipeline.resolve_parameters(everything, ["ci_level=0.9"])["01_trade"]["ci_level"] == 0.9


def test_invalid_parameters_execute_nothing(fixture_project):
    result = kaztur(fixture_project, "run", "-p", "ci_level=abc", "-p", "colour=red")
    assert result.returncode == 1
    assert "nothing was executed" in result.stderr
    assert "'colour' is declared by none" in result.stderr
    assert "expected float, got str 'abc'" in result.stderr
    assert "started" not in result.stderr
    assert not (fixture_project / "reports").exists()
    assert not (fixture_project / ".kaztur-cache").exists()


def test_a_notebook_needs_exactly_one_parameters_cell(fixture_project):
    path = fixture_project / "notebooks" / "01_trade.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][0]["metadata"]["tags"] = []
    path.write_text(json.dumps(nb), encoding="utf-8")
    result = kaztur(fixture_project, "run")
    assert result.returncode == 1
    assert "01_trade.ipynb: expected exactly one cell tagged 'parameters', found 0" in result.stderr
    assert not (fixture_project / "reports").exists()


def test_unknown_notebook_is_an_error(fixture_project):
    result = kaztur(fixture_project, "run", "07_nothing")
    assert result.returncode == 1
    assert "no such notebook" in result.stderr


# --------------------------------------------------------------------------- discovery


def test_discovery_order_and_seminar_folder(tmp_path):
    root = make_fixture_project(tmp_path / "p", {
        "01_trade.ipynb": "01_trade.ipynb", "00_overview.ipynb": "00_overview.ipynb",
        "seminar/b_second.ipynb": "00_overview.ipynb", "seminar/a_first.ipynb": "00_overview.ipynb",
        "scratch.ipynb": "00_overview.ipynb"})
    found = pipeline.discover(root / "notebooks")
    assert [nb.rel for nb in found] == ["00_overview", "01_trade", "seminar/a_first",
                                        "seminar/b_second"]


# --------------------------------------------------------------------------- cache keys


def test_cache_key_follows_code_parameters_library_and_data(tmp_path):
    root = make_fixture_project(tmp_path / "p")
    nb_path = root / "notebooks" / "01_trade.ipynb"
    lib = tmp_path / "lib"
    shutil.copytree(pipeline.library_dir(), lib, ignore=shutil.ignore_patterns("__pycache__"))
    versions = {"python": "3"}

    def key(params=None):
        return pipeline.cache_key(pipeline.notebook_code_hash(nb_path),
                                  params or {"ci_level": 0.95}, pipeline.library_hashes(lib),
                                  pipeline.input_hashes(root), versions)

    base = key()
    assert key() == base
    assert key({"ci_level": 0.9}) != base

    # stored outputs and execution counts are not code
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x\n"}]
    nb["cells"][2]["execution_count"] = 7
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    assert key() == base
    nb["cells"][2]["source"] = "print('changed')"
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    code_changed = key()
    assert code_changed != base

    # any library file, including one no notebook imports directly
    (lib / "data" / "units.py").write_text((lib / "data" / "units.py").read_text() + "\n# edit\n")
    lib_changed = key()
    assert lib_changed != code_changed
    (lib / "present" / "labels" / "common.yaml").write_text("changed: {kk: a, en: b}\n")
    assert key() != lib_changed
    lib_changed = key()
    # ... but not the index-only files, which never reach a kernel
    (lib / "run" / "exhibits.yaml").write_text("exhibits: []\n")
    assert key() == lib_changed

    (root / "data" / "raw" / "sample.csv").write_text("a,b\n1,3\n")
    raw_changed = key()
    assert raw_changed != lib_changed
    (root / "data" / "processed" / "trade.csv").write_text("year\n2018\n")
    assert key() != raw_changed


# --------------------------------------------------------------------------- swap


def test_swap_replaces_owned_entries_and_keeps_the_rest(tmp_path):
    reports = tmp_path / "reports"
    (reports / "00_overview").mkdir(parents=True)
    (reports / "00_overview" / "old.html").write_text("old")
    (reports / "gone_notebook").mkdir()
    (reports / "index.html").write_text("old index")
    (reports / "manifest.json").write_text(json.dumps({"owned": ["gone_notebook"]}))
    (reports / "ledger.csv").write_text("claim,status\n")
    (reports / "screenshots").mkdir()
    (reports / "screenshots" / "lab.png").write_bytes(b"png")
    staging = tmp_path / ".reports-staging-1"
    (staging / "00_overview").mkdir(parents=True)
    (staging / "00_overview" / "new.html").write_text("new")
    (staging / "index.html").write_text("new index")

    owned = pipeline.owned_entries([_nb(tmp_path, "00_overview")], reports / "manifest.json")
    kept = pipeline.carry_over(reports, staging, owned)
    pipeline.swap_in(staging, reports)

    assert kept == ["ledger.csv", "screenshots"]
    assert _tree(reports) == _tree(reports) and sorted(_tree(reports)) == [
        "00_overview/new.html", "index.html", "ledger.csv", "screenshots/lab.png"]
    assert (reports / "index.html").read_text() == "new index"
    assert not staging.exists()
    assert not list(tmp_path.glob(".reports-old-*"))


# --------------------------------------------------------------------------- full runs


def test_run_builds_complete_reports(fixture_project):
    root = fixture_project
    result = kaztur(root, "run", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    reports = root / "reports"

    # progress: notebook, cell i/n and elapsed time, one line per event
    assert re.search(r"\[\s*[\d.]+s\] 00_overview: cell 1/\d+", result.stderr)
    assert re.search(r"01_trade: done in [\d.]+s", result.stderr)

    for stem in ("00_overview", "01_trade"):
        folder = reports / stem
        for suffix in (".ipynb", ".html", ".reader.html"):
            assert (folder / f"{stem}{suffix}").is_file(), f"{stem}{suffix}"
    assert (reports / "00_overview" / "figures" / "fixture_line.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (reports / "00_overview" / "figures" / "fixture_line.svg").read_bytes()
    assert (reports / "00_overview" / "tables" / "fixture_table.csv").read_text() == (
        "year,value\n2018,1.5\n2019,2.25\n2020,3.0\n")

    # the reader's version has outputs but no code; the full one has both
    full = (reports / "01_trade" / "01_trade.html").read_text(encoding="utf-8")
    reader = (reports / "01_trade" / "01_trade.reader.html").read_text(encoding="utf-8")
    assert "save_table" in full and "save_table" not in reader
    assert "root is the project: True" in reader
    assert "cdnjs" not in full  # nothing loads from the network

    manifest = _manifest(root)
    assert manifest["run"]["status"] == "ok"
    assert [nb["stem"] for nb in manifest["notebooks"]] == ["00_overview", "01_trade"]
    trade = manifest["notebooks"][1]
    assert trade["status"] == "ok" and trade["source"] == "executed"
    assert trade["parameters"] == {"start_year": 2018, "end_year": 2023, "ci_level": 0.95,
                                   "lang": "kk"}
    assert trade["sha256"]["notebook"] == hashlib.sha256(
        (root / "notebooks" / "01_trade.ipynb").read_bytes()).hexdigest()
    assert set(trade["sha256"]["inputs"]) == {"data/raw/datapackage.json", "data/raw/sample.csv"}
    assert len(trade["sha256"]["library"]) == 64
    assert "run/pipeline.py" in manifest["library"]["files"]
    for package in ("pandas", "statsmodels", "matplotlib", "seaborn", "papermill", "nbval"):
        assert trade["versions"][package]
    assert trade["duration"] > 0 and trade["start"] <= trade["end"]
    assert trade["outputs"] == [{"name": "fixture_ci", "kind": "table",
                                 "caption": "CI level (fixture)",
                                 "files": ["01_trade/tables/fixture_ci.csv"]}]

    # every link of the index resolves to a file of the report
    index = (reports / "index.html").read_text(encoding="utf-8")
    local = [h for h in link_targets(index) if "://" not in h]
    assert "manifest.json" in local and "00_overview/00_overview.reader.html" in local
    assert "00_overview/figures/fixture_line.svg" in local
    for href in local:
        assert (reports / href).is_file(), href
    assert '<html lang="kk">' in index
    assert not list(root.glob(".reports-*"))


def test_cache_reuses_and_reruns_exactly_what_changed(fixture_project):
    root = fixture_project
    assert kaztur(root, "run").returncode == 0
    previous = [_manifest(root)]

    def run_and_expect(*args: str, **expected: str) -> None:
        """Run and compare where each notebook came from. Other people may edit
        src/analysis while this runs; then the rule says everything re-executes."""
        result = kaztur(root, "run", *args)
        assert result.returncode == 0, result.stderr
        manifest = _manifest(root)
        if manifest["library"]["sha256"] != previous[0]["library"]["sha256"]:
            expected = {stem: "executed" for stem in expected}
        previous[0] = manifest
        assert _sources(root) == expected
        if all(v == "cache" for v in expected.values()):
            assert "started" not in result.stderr  # no kernel, no papermill

    run_and_expect(**{"00_overview": "cache", "01_trade": "cache"})
    assert (root / "reports" / "01_trade" / "01_trade.html").is_file()
    assert (root / "reports" / "00_overview" / "figures" / "fixture_line.png").is_file()

    # new stored outputs (what refresh-notebooks changes) are not a reason to re-run
    path = root / "notebooks" / "00_overview.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][5]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "lang = kk\n"}]
    nb["cells"][5]["execution_count"] = 5
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    run_and_expect(**{"00_overview": "cache", "01_trade": "cache"})

    # a code change re-runs that notebook only
    nb["cells"][5]["source"] = "print('lang is', lang)"
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    run_and_expect(**{"00_overview": "executed", "01_trade": "cache"})

    # a parameter re-runs the notebooks that take it
    yaml_file = root / "p.yaml"
    yaml_file.write_text("01_trade:\n  ci_level: 0.9\n", encoding="utf-8")
    run_and_expect("-f", str(yaml_file), **{"00_overview": "cache", "01_trade": "executed"})
    assert (root / "reports" / "01_trade" / "tables" / "fixture_ci.csv").read_text() == (
        "ci_level,span\n0.9,5\n")

    # input data re-runs everything
    (root / "data" / "raw" / "sample.csv").write_text("a,b\n1,5\n", encoding="utf-8")
    run_and_expect(**{"00_overview": "executed", "01_trade": "executed"})
    assert "1,5" in (root / "reports" / "01_trade" / "01_trade.reader.html").read_text()

    # back to the defaults: the previous result is still in the cache
    run_and_expect(**{"00_overview": "cache", "01_trade": "cache"})

    run_and_expect("--force", "-p", "lang=en", **{"00_overview": "executed",
                                                  "01_trade": "executed"})
    assert '<html lang="en">' in (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert [nb["parameters"]["lang"] for nb in _manifest(root)["notebooks"]] == ["en", "en"]


def test_failure_leaves_previous_reports_untouched(tmp_path):
    root = make_fixture_project(tmp_path / "p")
    assert kaztur(root, "run").returncode == 0
    (root / "reports" / "ledger.csv").write_text("claim,status\nx,ok\n", encoding="utf-8")
    before = _tree(root / "reports")

    shutil.copy(FIXTURES / "notebooks" / "broken.ipynb", root / "notebooks" / "02_investment.ipynb")
    result = kaztur(root, "run")
    assert result.returncode == 1
    err = result.stderr
    assert "notebooks/02_investment.ipynb" in err
    assert "cell 2" in err
    assert "# this cell fails on purpose" in err
    assert "ValueError: deliberate failure in fixture" in err
    partial = re.search(r"partly executed notebook: (\S+)", err)
    assert partial, err
    partial_nb = json.loads(Path(partial.group(1)).read_text(encoding="utf-8"))
    printed = ["".join(o.get("text", "")) for c in partial_nb["cells"]
               for o in c.get("outputs", [])]
    assert "before the failure\n" in printed

    assert _tree(root / "reports") == before
    assert not list(root.glob(".reports-*"))

    # the notebooks that succeeded were cached: removing the failure re-runs nothing
    library = _manifest(root)["library"]["sha256"]
    (root / "notebooks" / "02_investment.ipynb").unlink()
    assert kaztur(root, "run").returncode == 0
    if _manifest(root)["library"]["sha256"] == library:  # unless src/analysis was edited
        assert _sources(root) == {"00_overview": "cache", "01_trade": "cache"}


def test_successful_run_keeps_files_it_does_not_own(fixture_project):
    root = fixture_project
    assert kaztur(root, "run", "00_overview").returncode == 0
    (root / "reports" / "ledger.csv").write_text("claim,status\n", encoding="utf-8")
    (root / "reports" / "ledger.html").write_text("<p>ledger</p>", encoding="utf-8")
    (root / "reports" / "screenshots").mkdir()
    (root / "reports" / "screenshots" / "lab.png").write_bytes(b"png")
    assert kaztur(root, "run").returncode == 0
    reports = root / "reports"
    assert (reports / "ledger.csv").read_text() == "claim,status\n"
    assert (reports / "screenshots" / "lab.png").read_bytes() == b"png"
    assert 'href="ledger.html"' in (reports / "index.html").read_text(encoding="utf-8")
    assert _manifest(root)["run"]["partial"] is False


def test_order_of_reports_does_not_depend_on_completion(tmp_path):
    root = make_fixture_project(tmp_path / "p")
    assert kaztur(root, "run", "-j", "1").returncode == 0
    serial = _manifest(root)
    shutil.rmtree(root / "reports")
    assert kaztur(root, "run", "-j", "2", "--force").returncode == 0
    parallel = _manifest(root)
    stems = [nb["stem"] for nb in serial["notebooks"]]
    assert stems == [nb["stem"] for nb in parallel["notebooks"]]
    for a, b in zip(serial["notebooks"], parallel["notebooks"], strict=True):
        assert a["outputs"] == b["outputs"] and a["parameters"] == b["parameters"]


def test_refresh_notebooks_updates_stored_outputs_in_place(fixture_project):
    root = fixture_project
    path = root / "notebooks" / "01_trade.ipynb"
    before = json.loads(path.read_text(encoding="utf-8"))
    assert not any(c.get("outputs") for c in before["cells"])
    result = kaztur(root, "refresh-notebooks", "01_trade")
    assert result.returncode == 0, result.stderr
    after = json.loads(path.read_text(encoding="utf-8"))
    assert [c["source"] for c in after["cells"]] == [c["source"] for c in before["cells"]]
    assert [c["execution_count"] for c in after["cells"]] == [1, 2, 3, 4]
    assert any("root is the project" in "".join(o.get("text", "")) for c in after["cells"]
               for o in c["outputs"])
    assert "papermill" not in after["metadata"]
    assert all("execution" not in c["metadata"] for c in after["cells"])
    assert not (root / "reports").exists()
