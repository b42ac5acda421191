"""The exhibit map has one source, rendered into README.md and reports/index.html."""

from __future__ import annotations

import pytest
from conftest import REPO
from helpers import link_targets

from analysis.present import parameters
from analysis.run import exhibit_map


def test_readme_exhibit_map_is_generated_from_exhibits_yaml():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    expected = exhibit_map.render_markdown(notebooks_dir=REPO / "notebooks")
    assert exhibit_map.readme_region(text) == expected, (
        "README's exhibit map is stale: run `python -m analysis.run.exhibit_map --write-readme`")


def test_check_command_detects_a_stale_readme(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{exhibit_map.START}\nold\n{exhibit_map.END}\n\nrest\n",
                      encoding="utf-8")
    assert exhibit_map.main(["--readme", str(readme), "--check"]) == 1
    assert exhibit_map.main(["--readme", str(readme), "--write-readme"]) == 0
    assert exhibit_map.main(["--readme", str(readme), "--check"]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# x\n") and text.endswith(f"{exhibit_map.END}\n\nrest\n")
    assert "| **Кесте 7** (Table 7)" in text and "[`01_trade`](notebooks/01_trade.ipynb)" in text


def test_every_exhibit_names_a_notebook_with_a_schema():
    found = exhibit_map.load()
    assert {ex.label_kk for ex in found} >= {f"Кесте {i}" for i in range(1, 9)}
    for ex in found:
        for src in ex.sources:
            assert src.notebook in parameters.NOTEBOOKS, (ex.id, src.notebook)
        assert ex.outputs(), ex.id


def test_map_outputs_are_what_the_notebooks_write(real_run):
    produced = {(nb["stem"], out["kind"], out["name"])
                for nb in real_run.manifest["notebooks"] for out in nb["outputs"]}
    stems = {nb["stem"] for nb in real_run.manifest["notebooks"]}
    mapped = {out for ex in exhibit_map.load() for out in ex.outputs()}
    missing = sorted(mapped - produced)
    assert missing == [], "exhibit_map.yaml names outputs no notebook writes"
    analyses = {s for s in stems if s[:2].isdigit()}
    unmapped = sorted(p for p in produced - mapped if p[0] in analyses)
    assert unmapped == [], "outputs of the analysis notebooks missing from exhibit_map.yaml"


def test_index_links_every_exhibit_output(real_run):
    index = (real_run.root / "reports" / "kk" / "index.html").read_text(encoding="utf-8")
    folders = {nb["stem"]: nb["folder"] for nb in real_run.manifest["notebooks"]}
    for ex in exhibit_map.load():
        for src in ex.sources:
            for rel in src.files():
                href = f"{folders[src.notebook]}/{rel}"
                assert f'href="{href}"' in index, href
                assert (real_run.root / "reports" / "kk" / href).is_file(), href
    assert 'class="missing"' not in index


@pytest.mark.parametrize("lang, word", [("kk", "Экспонаттар картасы"), ("en", "Exhibit map")])
def test_index_language(lang, word):
    from analysis.run import report

    manifest = {"run": {"status": "ok", "start": "t", "duration": 1.0, "partial": False,
                        "notebooks": 0, "executed": 0, "cached": 0},
                "notebooks": [], "environment": {"versions": {
                    "python": "3", "pandas": "x", "statsmodels": "x", "matplotlib": "x",
                    "nbclient": "x"}}}
    html = report.render_index(manifest, lang=lang)
    assert word in html and f'<html lang="{lang}">' in html


def test_both_languages_are_reported_side_by_side(real_run):
    for lang in ("kk", "en"):
        manifest = real_run.language_manifest(lang)
        assert {nb["parameters"].get("lang") for nb in manifest["notebooks"]} == {lang}
        assert (real_run.root / "reports" / lang / "ledger.html").is_file()
        index = (real_run.root / "reports" / lang / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in index and 'href="ledger.html"' in index


def test_every_link_of_the_real_index_resolves(real_run):
    html = (real_run.root / "reports" / "kk" / "index.html").read_text(encoding="utf-8")
    local = [h for h in link_targets(html) if "://" not in h]
    assert len(local) > 100
    folder = real_run.root / "reports" / "kk"
    assert [h for h in local if not (folder / h).resolve().is_file()] == []
    for nb in real_run.manifest["notebooks"]:
        assert f'href="{nb["files"]["reader"]}"' in "".join(f'href="{h}"' for h in local)
