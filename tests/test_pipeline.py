"""``kaztur run`` on small fixture notebooks: parameters, reports/, cache, failure, swap.

The fixture projects carry the real data package (every run verifies it first) and run
both languages unless a test says otherwise; reports land in ``reports/<lang>/``. Tests that
need a prior run start from a copy of the warm project of :mod:`run_fixtures` (built once
per test run); those that do not look at the ledger run without it (``no_ledger``)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, kaztur, make_fixture_project
from run_fixtures import FIRST_RUN_LOG, run_env

from analysis.present.parameters import ParameterError
from analysis.run import cache as cache_mod
from analysis.run import pipeline, staging


def _nb(root: Path, stem: str, rel: str | None = None) -> pipeline.Notebook:
    rel = rel or stem
    return pipeline.Notebook(stem, root / "notebooks" / f"{rel}.ipynb", rel)


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _manifest(root: Path, lang: str = "kk") -> dict:
    return json.loads((root / "reports" / lang / "manifest.json").read_text(encoding="utf-8"))


def _sources(root: Path, lang: str = "kk") -> dict[str, str]:
    return {nb["stem"]: nb["source"] for nb in _manifest(root, lang)["notebooks"]}


def edit_raw_label(root: Path, text: str = "Exports (changed)") -> None:
    """A deliberate raw change (an English label of Кесте 7), with the manifest regenerated."""
    path = root / "data" / "raw" / "k7_trade_2018_2023.csv"
    data = path.read_text(encoding="utf-8")
    assert "Exports (USD million)" in data
    path.write_text(data.replace("Exports (USD million)", text, 1), encoding="utf-8")
    assert kaztur(root, "manifest").returncode == 0



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


def test_cache_key_follows_code_parameters_library_and_data(tmp_path, monkeypatch):
    root = make_fixture_project(tmp_path / "p")
    nb_path = root / "notebooks" / "01_trade.ipynb"
    lib = tmp_path / "lib"
    shutil.copytree(cache_mod.library_dir(), lib, ignore=shutil.ignore_patterns("__pycache__"))
    versions = {"python": "3"}
    monkeypatch.setenv("KAZTUR_SOURCE_DIR", str(tmp_path / "source"))

    def key(params=None):
        return cache_mod.cache_key(cache_mod.notebook_code_hash(json.loads(nb_path.read_text())),
                                   params or {"ci_level": 0.95}, cache_mod.library_hashes(lib),
                                   cache_mod.input_hashes(root), versions)

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
    # markdown is part of every report: it is code for the cache
    nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": "# new words"})
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    markdown_changed = key()
    assert markdown_changed != code_changed

    # any library file, including one no notebook imports directly
    (lib / "data" / "units.py").write_text((lib / "data" / "units.py").read_text() + "\n# edit\n")
    lib_changed = key()
    assert lib_changed != markdown_changed
    (lib / "present" / "labels" / "common.yaml").write_text("changed: {kk: a, en: b}\n")
    assert key() != lib_changed
    lib_changed = key()
    # ... but not the index-only files, which never reach a kernel
    (lib / "run" / "exhibit_map.yaml").write_text("exhibits: []\n")
    assert key() == lib_changed

    # a file of the data package changes the key; a file outside it does not
    (root / "data" / "raw" / "sample.csv").write_text("a,b\n1,3\n")
    (root / "data" / "raw" / "unknown.csv").write_text("x\n1\n")
    assert key() == lib_changed
    edit_raw_label(root)
    raw_changed = key()
    assert raw_changed != lib_changed
    (root / "data" / "processed" / "trade.csv").write_text("year\n2018\n")
    processed_changed = key()
    assert processed_changed != raw_changed
    # the source text, when present, is an input of the checks the notebooks print
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "dissertation_kk.txt").write_text("line one\n", encoding="utf-8")
    with_source = key()
    assert with_source != processed_changed
    (tmp_path / "source" / "dissertation_kk.txt").write_text("line one, edited\n",
                                                             encoding="utf-8")
    assert key() != with_source


# --------------------------------------------------------------------------- swap


def test_swap_replaces_the_whole_folder(tmp_path):
    reports = tmp_path / "reports"
    (reports / "kk" / "00_overview").mkdir(parents=True)
    (reports / "kk" / "00_overview" / "old.html").write_text("old")
    (reports / "index.html").write_text("the site's language choice")
    (reports / "screenshots").mkdir()
    (reports / "screenshots" / "lab.png").write_bytes(b"png")
    stage = staging.staging_dir(reports)
    (stage / "kk" / "00_overview").mkdir(parents=True)
    (stage / "kk" / "00_overview" / "new.html").write_text("new")

    kept = staging.carry_over(reports, stage, pipeline.OWNED)
    staging.swap_in(stage, reports)

    assert kept == ["index.html", "screenshots"]  # what `kaztur site` wrote is kept
    assert sorted(_tree(reports)) == ["index.html", "kk/00_overview/new.html",
                                      "screenshots/lab.png"]
    assert (reports / "index.html").read_text() == "the site's language choice"
    assert not stage.exists()
    assert not list(tmp_path.glob(".reports-*"))


def test_leftovers_of_a_killed_swap_are_cleaned_or_restored(tmp_path):
    target = tmp_path / "processed"
    dead = 2 ** 22 + 12345  # above any pid_max default: no such process
    (tmp_path / f".processed-staging-{dead}").mkdir()
    (tmp_path / f".processed-old-{dead}").mkdir()
    (tmp_path / f".processed-old-{dead}" / "trade.csv").write_text("old\n")
    removed = staging.clean_leftovers(target)
    # caught between its two renames: the old folder is put back
    assert (target / "trade.csv").read_text() == "old\n"
    assert len(removed) == 2 and not list(tmp_path.glob(".processed-*"))
    (target / ".trade.csv.abc.tmp").write_text("half")
    assert staging.clean_leftovers(target) == ["processed/.trade.csv.abc.tmp"]
    assert sorted(p.name for p in target.iterdir()) == ["trade.csv"]


# --------------------------------------------------------------------------- full runs


def test_run_builds_complete_reports(warm_standard):
    # the shared project's first run (--jobs 2, after kaztur data and check): every
    # notebook executed, and the ledger; read only
    root = warm_standard
    stderr = (root.parent / FIRST_RUN_LOG).read_text(encoding="utf-8")
    reports = root / "reports"

    # concise lines when not on a terminal: one per notebook, no per-cell noise
    assert re.search(r"\[\s*[\d.]+s\] kk/01_trade: done in [\d.]+s \(\d/5\)", stderr)
    assert "cell 1/" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("kaztur run: done")
    # the last line is the headline: distinct findings, then the ledger rows they rest on
    last = stderr.strip().splitlines()[-1]
    assert "findings: " in last and "distinct problems" in last and "ledger rows" in last
    assert "✗" not in stderr

    for lang in ("kk", "en"):
        for stem in ("00_overview", "01_trade"):
            folder = reports / lang / stem
            assert (folder / f"{stem}.ipynb").is_file(), f"{lang}/{stem}.ipynb"
            assert not list(folder.glob("*.html"))  # a run writes data; `kaztur site` pages
        for name in ("manifest.json", "ledger.csv"):
            assert (reports / lang / name).is_file(), f"{lang}/{name}"
    overview = reports / "kk" / "00_overview"
    assert (overview / "figures" / "fixture_line.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (overview / "figures" / "fixture_line.svg").read_bytes()
    assert (overview / "tables" / "fixture_table.csv").read_text() == (
        "year,value\n2018,1.5\n2019,2.25\n2020,3.0\n")
    assert "lang = en" in (reports / "en" / "00_overview" / "00_overview.ipynb"
                           ).read_text(encoding="utf-8")
    assert "root is the project: True" in (reports / "kk" / "01_trade" / "01_trade.ipynb"
                                           ).read_text(encoding="utf-8")

    # no execution timestamps in the executed notebook
    executed = json.loads((reports / "kk" / "01_trade" / "01_trade.ipynb").read_text())
    assert all("execution" not in c["metadata"] for c in executed["cells"])
    assert executed["metadata"]["kaztur"]["parameters"]["lang"] == "kk"
    injected = [c for c in executed["cells"]
                if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and "ci_level = 0.95" in "".join(injected[0]["source"])

    manifest = _manifest(root)
    assert manifest["run"]["status"] == "ok" and manifest["lang"] == "kk"
    assert [nb["stem"] for nb in manifest["notebooks"]] == ["00_overview", "01_trade"]
    trade = manifest["notebooks"][1]
    assert trade["status"] == "ok" and trade["source"] == "executed"
    assert trade["parameters"] == {"start_year": 2018, "end_year": 2023, "ci_level": 0.95,
                                   "lang": "kk"}
    assert trade["sha256"]["notebook"] == hashlib.sha256(
        (root / "notebooks" / "01_trade.ipynb").read_bytes()).hexdigest()
    inputs = set(trade["sha256"]["inputs"])
    assert "data/raw/datapackage.json" in inputs and "data/raw/k7_trade_2018_2023.csv" in inputs
    assert "data/raw/sample.csv" not in inputs  # not part of the data package
    assert len(trade["sha256"]["library"]) == 64
    assert "run/pipeline.py" in manifest["library"]["files"]
    for package in ("pandas", "statsmodels", "matplotlib", "seaborn", "nbclient", "nbval"):
        assert trade["versions"][package]
    assert trade["duration"] > 0 and trade["start"] <= trade["end"]
    assert trade["outputs"] == [{"name": "fixture_ci", "kind": "table",
                                 "caption": "CI level (fixture)",
                                 "files": ["01_trade/tables/fixture_ci.csv"]}]
    assert manifest["ledger"]["rows"] > 0
    top = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert top["languages"] == ["kk", "en"] and top["run"]["notebooks"] == 4

    assert not (reports / "index.html").exists()  # the site's (`kaztur site`)
    assert not list(root.glob(".reports-*"))


def test_cache_reuses_and_reruns_exactly_what_changed(warm_project, no_ledger):
    root = warm_project
    assert kaztur(root, "run", "--lang", "kk").returncode == 0
    previous = [_manifest(root)]

    def run_and_expect(*args: str, **expected: str) -> None:
        """Run and compare where each notebook came from. Other people may edit
        src/analysis while this runs; then the rule says everything re-executes."""
        result = kaztur(root, "run", "--lang", "kk", *args)
        assert result.returncode == 0, result.stderr
        manifest = _manifest(root)
        if manifest["library"]["sha256"] != previous[0]["library"]["sha256"]:
            expected = {stem: "executed" for stem in expected}
        previous[0] = manifest
        assert _sources(root) == expected
        if all(v == "cache" for v in expected.values()):
            assert "executing" not in result.stderr  # no kernel, no worker

    run_and_expect(**{"00_overview": "cache", "01_trade": "cache"})
    assert (root / "reports" / "kk" / "01_trade" / "01_trade.ipynb").is_file()
    assert (root / "reports" / "kk" / "00_overview" / "figures" / "fixture_line.png").is_file()

    # new stored outputs (what refresh-notebooks changes) are not a reason to re-run
    path = root / "notebooks" / "00_overview.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][5]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "lang = kk\n"}]
    nb["cells"][5]["execution_count"] = 5
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    run_and_expect(**{"00_overview": "cache", "01_trade": "cache"})

    # a file in data/raw/ that is not part of the data package changes nothing
    (root / "data" / "raw" / "notes.csv").write_text("x\n1\n", encoding="utf-8")
    run_and_expect(**{"00_overview": "cache", "01_trade": "cache"})

    # a code change re-runs that notebook only
    nb["cells"][5]["source"] = "print('lang is', lang)"
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    run_and_expect(**{"00_overview": "executed", "01_trade": "cache"})

    # a parameter re-runs the notebooks that take it
    yaml_file = root / "p.yaml"
    yaml_file.write_text("01_trade:\n  ci_level: 0.9\n", encoding="utf-8")
    run_and_expect("-f", str(yaml_file), **{"00_overview": "cache", "01_trade": "executed"})
    assert (root / "reports" / "kk" / "01_trade" / "tables" / "fixture_ci.csv").read_text() == (
        "ci_level,span\n0.9,5\n")

    # input data re-runs everything
    edit_raw_label(root)
    run_and_expect(**{"00_overview": "executed", "01_trade": "executed"})

    # back to the defaults: the previous result is still in the cache
    run_and_expect(**{"00_overview": "cache", "01_trade": "cache"})


def test_a_global_lang_builds_that_language_only(cached_project):
    root = cached_project  # no reports/ yet; every result in the cache
    result = kaztur(root, "run", "-p", "lang=en")
    assert result.returncode == 0, result.stderr
    assert (root / "reports" / "en" / "manifest.json").is_file()
    assert not (root / "reports" / "kk").exists()
    assert [nb["parameters"]["lang"] for nb in _manifest(root, "en")["notebooks"]] == ["en", "en"]
    # a Kazakh run afterwards adds reports/kk/ and keeps the English report
    english = _tree(root / "reports" / "en")
    assert kaztur(root, "run", "--lang", "kk").returncode == 0
    assert (root / "reports" / "kk" / "manifest.json").is_file()
    kept = _tree(root / "reports" / "en")
    assert {k: v for k, v in kept.items() if not k.endswith("manifest.json")} \
        == {k: v for k, v in english.items() if not k.endswith("manifest.json")}
    assert _sources(root, "en") == {"00_overview": "previous run", "01_trade": "previous run"}


def test_partial_run_updates_those_notebooks_and_keeps_the_rest(warm_project, no_ledger):
    root = warm_project
    assert kaztur(root, "run").returncode == 0
    kept = {lang: _tree(root / "reports" / lang / "00_overview") for lang in ("kk", "en")}
    yaml_file = root / "p.yaml"
    yaml_file.write_text("01_trade:\n  ci_level: 0.9\n", encoding="utf-8")
    result = kaztur(root, "run", "01_trade", "-f", str(yaml_file))
    assert result.returncode == 0, result.stderr
    for lang in ("kk", "en"):
        assert _tree(root / "reports" / lang / "00_overview") == kept[lang]
        manifest = _manifest(root, lang)
        assert [nb["stem"] for nb in manifest["notebooks"]] == ["00_overview", "01_trade"]
        assert _sources(root, lang) == {"00_overview": "previous run", "01_trade": "executed"}
        assert not any(nb["stale"] for nb in manifest["notebooks"])
        assert (root / "reports" / lang / "01_trade" / "tables" / "fixture_ci.csv").read_text(
            ) == "ci_level,span\n0.9,5\n"
    # after a data change, the notebooks a partial run did not touch are marked stale
    edit_raw_label(root)
    assert kaztur(root, "run", "01_trade", "--lang", "kk").returncode == 0
    stale = {nb["stem"]: nb["stale"] for nb in _manifest(root)["notebooks"]}
    assert stale == {"00_overview": True, "01_trade": False}


def test_failure_leaves_previous_reports_untouched(warm_project, no_ledger):
    root = warm_project
    assert kaztur(root, "run", "--lang", "kk").returncode == 0
    (root / "reports" / "screenshots").mkdir()
    (root / "reports" / "screenshots" / "x.png").write_bytes(b"png")
    before = _tree(root / "reports")

    shutil.copy(FIXTURES / "notebooks" / "broken.ipynb", root / "notebooks" / "02_investment.ipynb")
    result = kaztur(root, "run", "--lang", "kk")
    assert result.returncode == 1
    err = result.stderr
    assert "Traceback" not in err and "kaztur run: FAILED; reports/ was left as it was." in err
    assert "kaztur run: done" not in err
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
    # papermill executed it: its banner at the top and its anchor before the failed cell
    tagged = [c["metadata"].get("tags", []) for c in partial_nb["cells"]]
    banner = [i for i, tags in enumerate(tagged) if "papermill-error-cell-tag" in tags]
    assert banner[0] == 0 and len(banner) == 2
    assert [partial_nb["cells"][i]["id"] for i in banner] == [  # fixed, not random, ids
        "papermill-error-message", "papermill-error-anchor"]
    assert "ValueError" in "".join(
        o.get("ename", "") for o in partial_nb["cells"][banner[1] + 1].get("outputs", []))

    assert _tree(root / "reports") == before
    assert not list(root.glob(".reports-*"))

    # the notebooks that succeeded were cached: removing the failure re-runs nothing, and
    # the record of the failure goes with it
    library = _manifest(root)["library"]["sha256"]
    (root / "notebooks" / "02_investment.ipynb").unlink()
    assert kaztur(root, "run", "--lang", "kk").returncode == 0
    if _manifest(root)["library"]["sha256"] == library:  # unless src/analysis was edited
        assert _sources(root) == {"00_overview": "cache", "01_trade": "cache"}
    assert not list((root / ".kaztur-cache" / "failed").rglob("*.ipynb"))


def test_successful_run_keeps_files_it_does_not_own(warm_project):
    root = warm_project
    assert kaztur(root, "run", "00_overview", "--lang", "kk").returncode == 0
    (root / "reports" / "screenshots").mkdir()
    (root / "reports" / "screenshots" / "lab.png").write_bytes(b"png")
    (root / "reports" / "handouts").mkdir()
    (root / "reports" / "handouts" / "a.ipynb").write_text("{}")
    assert kaztur(root, "run", "--lang", "kk").returncode == 0
    reports = root / "reports"
    assert (reports / "screenshots" / "lab.png").read_bytes() == b"png"
    assert (reports / "handouts" / "a.ipynb").read_text() == "{}"
    assert _manifest(root)["run"]["partial"] is False


#: what a run's parent never imports when it has nothing to execute
HEAVY = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "analysis.findings")


def test_a_run_with_nothing_to_do_ends_without_the_heavy_libraries(warm_project):
    """Everything cached, the ledger included: the run says its headline (worded by the
    ledger task, kept with the cached ledger) without importing pandas, statsmodels or the
    findings' words in the parent (they cost 3 s of a 3.5 s run before)."""
    root = warm_project
    command = ("import sys; from analysis.run import cli; code = cli.main(['run']); "
               "print(' '.join(sorted(sys.modules))); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", command], cwd=root, env=run_env(root),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert "0 executed, 4 from cache; findings: " in last, last
    imported = done.stdout.split()
    assert "analysis.run.pipeline" in imported  # the run happened in this process
    assert not [m for m in imported if m.split(".")[0] in HEAVY or m.startswith(HEAVY)]


def test_order_of_reports_does_not_depend_on_completion(warm_standard, cold_project,
                                                       no_ledger):
    root = cold_project
    assert kaztur(root, "run", "-j", "1").returncode == 0
    serial = _manifest(root)
    parallel = _manifest(warm_standard)  # its first run: two jobs
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
