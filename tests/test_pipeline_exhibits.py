"""The exhibit map has one source, rendered into README.md and the site's exhibit pages."""

from __future__ import annotations

from conftest import REPO

from analysis.present import parameters
from analysis.run import exhibit_map, readme_regions


def test_readme_exhibit_map_is_generated_from_exhibits_yaml():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    expected = exhibit_map.render_markdown(notebooks_dir=REPO / "notebooks")
    assert exhibit_map.readme_region(text) == expected, (
        "README's exhibit map is stale: run `python -m analysis.run.exhibit_map --write-readme`")


def test_check_command_detects_a_stale_readme(tmp_path):
    start, end = readme_regions.markers(exhibit_map.REGION)
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{start}\nold\n{end}\n\nrest\n",
                      encoding="utf-8")
    assert exhibit_map.main(["--readme", str(readme), "--check"]) == 1
    assert exhibit_map.main(["--readme", str(readme), "--write-readme"]) == 0
    assert exhibit_map.main(["--readme", str(readme), "--check"]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# x\n") and text.endswith(f"{end}\n\nrest\n")
    assert "| **Кесте 7** (Table 7)" in text and "[`01_trade`](notebooks/01_trade.ipynb)" in text


def test_every_exhibit_names_a_notebook_with_a_schema():
    found = exhibit_map.load()
    assert {ex.label_kk for ex in found} >= {f"Кесте {i}" for i in range(1, 9)}
    for ex in found:
        for src in ex.sources:
            assert src.notebook in parameters.NOTEBOOKS, (ex.id, src.notebook)
        assert ex.outputs(), ex.id


def test_the_ledger_is_built_once_and_the_notebooks_show_that_one(real_run):
    """Guard (each thing built once per run): in the shared cold run the notebooks that show
    the ledger (05_checks, 06_external: ``ledger.current``) were handed the run's ledger,
    in both languages, and no other notebook was. That what they show from it equals a
    ledger built in the notebook is nbval's comparison (test_nbval) of the run's notebooks
    with the committed ones, which ``kaztur refresh-notebooks`` builds without a run."""
    for lang in ("kk", "en"):
        shown = {nb["stem"] for nb in real_run.language_manifest(lang)["notebooks"]
                 if nb["reads_run_ledger"]}
        assert shown == {"05_checks", "06_external"}, lang


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


def test_both_languages_are_reported_side_by_side(real_run):
    for lang in ("kk", "en"):
        manifest = real_run.language_manifest(lang)
        assert {nb["parameters"].get("lang") for nb in manifest["notebooks"]} == {lang}
        assert (real_run.root / "reports" / lang / "ledger.csv").is_file()
