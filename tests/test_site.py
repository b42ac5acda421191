"""The replication site's parts without Sphinx: the ledger page, inputs, the front page's
facts (read as data, never from a translated table), replication classes, notebook pages in
one language, search terms, and the up-to-date check. The built site is tested in
test_site_build.py, in a browser in test_site_browser.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from site_run import GROWTH, ledger_frame, make_run, small_ledger_frame
from site_run import code as _code
from site_run import md as _md
from site_run import notebook as _notebook

from analysis.present import i18n
from analysis.run import exhibit_map as exhibit_map
from analysis.run.site import (
    bilingual,
    front_facts,
    inputs,
    ledger,
    make,
    notebooks,
    pages,
    replication,
)
from analysis.run.site.sphinx_ext import (
    SearchEnglish,
    SearchKazakh,
    canonical_number,
    searchtools_js,
    split_terms,
    switch_url,
)

REPO = Path(__file__).resolve().parents[1]
@pytest.fixture
def small_ledger() -> pd.DataFrame:
    return small_ledger_frame()


# ---------------------------------------------------------------------------------------
# the ledger page
# ---------------------------------------------------------------------------------------


def test_serious_first_puts_one_contradiction_of_each_kind_first(small_ledger):
    growth = ledger_frame([{"claim_id": "G1", "check_id": "growth.recompute",
                            "status": "contradicted", "exhibit": "text"}])
    order = list(ledger.serious_first(pd.concat([small_ledger, growth]))["claim_id"])
    # text.impossible ranks before cross.same_quantity before growth.recompute; the
    # second cross row comes after the first row of every kind; then the other verdicts
    assert order[:4] == ["C1", "B1", "G1", "B2"]
    assert set(order[4:]) == {"A1", "D1", "E1", "S1"}


def test_serious_first_follows_the_ledgers_own_severity(small_ledger):
    ranked = small_ledger.assign(severity=["1", "2", "9", "5", "0", "0", "0"])
    assert list(ledger.serious_first(ranked)["claim_id"])[:3] == ["B2", "C1", "B1"]


def test_fragment_rows_have_anchor_filters_data_and_arithmetic(small_ledger):
    html = ledger.fragment(small_ledger, "en", {"Кесте 7": "Table 7"})
    anchor = ledger.row_anchor("B1", "cross.same_quantity")
    row = re.search(rf'<tr id="{re.escape(anchor)}"[^>]*>.*?</tr>', html, re.S).group(0)
    assert 'data-status="contradicted"' in row and 'data-kind="cross"' in row
    assert 'data-exhibits="Кесте 6|Кесте 7"' in row and 'data-lines="949 1019"' in row
    assert "→ 1050 [1049.5, 1050.5]" in row and "tolerance: ±0.5" in row
    assert "Table 7" in row  # exhibit shown in the page's language
    assert '<td class="kl-printed" lang="kk">900</td>' in row  # a quotation of the source
    for name in ("q", "kind", "exhibit", "from", "to", "status"):
        assert f'name="{name}"' in html
    # wraps between words only; a wide table scrolls in its own box
    assert "overflow-wrap: anywhere" not in html and "overflow-wrap: normal" in html
    assert 'class="kl-scroll"' in html and "overflow-x: auto" in html
    assert "cross.<wbr>same_<wbr>quantity" in row  # identifiers break after . and _


def test_the_ledger_page_shows_the_ledger_of_its_language(small_ledger):
    """Texts, kinds and verdicts as the ledger of the page's language gives them; statuses,
    which stay keys, by their label."""
    rich = small_ledger.assign(
        kind=["", "кестелер арасы", "кестелер арасы", "", "", "", ""],
        diagnosis_kk=["", "қазақша түсіндірме", "", "", "", "", ""],
        external_verdict=["", "сәйкес", "", "сәйкес емес", "", "", ""],
        external_source=["", "UN Comtrade", "", "", "", "", ""])
    kk = ledger.fragment(rich, "kk")
    assert 'data-kind="кестелер арасы"' in kk and "қазақша түсіндірме" in kk
    assert '<option value="сәйкес">сәйкес</option>' in kk and "<b>сәйкес емес</b>" in kk
    assert "дәл қайталанды (1)" in kk and '<td class="kl-status">қайшы' in kk
    # the official-record fields named in the page's language, never by their column name
    assert 'name="external"' in kk and "Ресми дереккөз: UN Comtrade" in kk
    assert "source:" not in kk
    en = ledger.fragment(rich, "en")
    assert "Official source: UN Comtrade" in en
    assert 'name="external"' not in ledger.fragment(small_ledger, "kk")


def test_ledger_search_reads_numbers_in_either_notation(small_ledger):
    """The filter's script normalises row text and query alike: no thousands separator,
    a decimal point (kk: comma is decimal; en: a comma before three digits groups)."""
    for lang in ("kk", "en"):
        html = ledger.fragment(small_ledger, lang)
        assert f'data-lang="{lang}"' in html
    script = ledger.SCRIPT
    assert "function norm(s)" in script and "norm(field('q').value" in script
    assert "return norm(tr.textContent)" in script


def test_lines_and_exhibits_parse():
    assert ledger.lines_of("949;1019") == [949, 1019]
    assert ledger.lines_of(float("nan")) == []
    assert ledger.exhibits_of("text; Кесте 7") == ["text", "Кесте 7"]


# ---------------------------------------------------------------------------------------
# a synthetic run: reports/<lang>/ with published results, sidecars and the ledger
# ---------------------------------------------------------------------------------------


def test_discover_reads_manifest_sidecars_and_results(tmp_path, small_ledger):
    run = inputs.discover(make_run(tmp_path / "reports", small_ledger), "en")
    assert run.root == tmp_path / "reports" / "en" and run.ledger_csv.name == "ledger.csv"
    nb = run.notebook("01_trade")
    assert nb.results == (GROWTH,) and nb.cell_id(2) == "c2" and nb.cell_id(9) is None
    table = run.output("01_trade", "table", "t")
    assert table.file(".csv").name == "t.csv" and table.data.name == "t.data.csv"
    assert table.shown.printed == (False, False, True) and table.cell == 2
    assert run.output("01_trade", "figure", "f").front
    assert not run.output("04_survey", "figure", "f").front


def test_discover_says_what_to_run(tmp_path):
    with pytest.raises(inputs.SiteInputError, match="kaztur run"):
        inputs.discover(tmp_path, "kk")
    (tmp_path / "kk").mkdir()
    (tmp_path / "kk" / "manifest.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(inputs.SiteInputError, match="manifest.json"):
        inputs.discover(tmp_path, "kk")


def test_front_facts_are_the_published_results_and_the_ledger(tmp_path, small_ledger):
    run = inputs.discover(make_run(tmp_path / "reports", small_ledger), "kk")
    f = front_facts.collect(run, small_ledger)
    # a run without findings.json: no findings, no headline (nothing invented)
    assert f.findings == [] and f.headline is None
    growth, = f.sections["result.section.growth"]
    assert growth.result == GROWTH and growth.source.cell_id == "c2"
    survey, = f.sections["result.section.survey"]
    assert survey.source.ledger_anchor == ledger.row_anchor("S1", "survey.joint_n")
    assert [o.notebook for o in f.figures] == ["01_trade"]
    assert front_facts.missing_outputs(run, ["01_trade", "04_survey"]) == []
    assert front_facts.missing_outputs(run, ["01_trade", "02_investment"]) == ["02_investment"]


def test_front_page_states_each_result_in_the_pages_language(tmp_path, small_ledger):
    reports = make_run(tmp_path / "reports", small_ledger)
    for lang, want in (("kk", ["15,6%", "8,3%", "N = 573", "1–5\u00a0000"]),
                       ("en", ["15.6%", "8.3%", "N = 573", "1–5,000"])):
        run = inputs.discover(reports, lang)
        text, assets = pages.front_page(run, front_facts.collect(run, small_ledger), "", "")
        for piece in want:
            assert piece in text, (lang, piece)
        assert 'href="notebooks/04_survey.html#cell-c3"' in text
        assert f'href="ledger.html#{ledger.row_anchor("S1", "survey.joint_n")}"' in text
        assert i18n.t("site.f.no_findings", lang) in text  # no findings.json: said so
        assert [a.target for a in assets] == ["_files/01_trade/f.svg"]
        assert i18n.t("result.section.growth.note", lang) in text
        # the exhibit map's other notebooks did not run: "partial", and which
        missing = front_facts.missing_outputs(run)
        assert "00_overview" in missing and "01_trade" not in missing
        assert i18n.t("site.run.partial", lang, notebooks=", ".join(missing)) in text


def test_renamed_labels_lose_no_front_page_result(tmp_path, monkeypatch, small_ledger):
    """Rename every column header and table title of the notebooks (a scratch copy of the
    labels): the front page states the same results, because it reads them as data."""
    reports = make_run(tmp_path / "reports", small_ledger)

    def front(lang: str) -> list[tuple[str, dict]]:
        run = inputs.discover(reports, lang)
        f = front_facts.collect(run, small_ledger)
        return [(s.result.key, s.result.values) for v in f.sections.values() for s in v]

    before = {lang: front(lang) for lang in ("kk", "en")}
    scratch = tmp_path / "labels"
    shutil.copytree(Path(i18n.__file__).parent / "labels", scratch)
    for path in scratch.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'^((?:\w+\.)+(?:col|tab)\.\w+: \{kk: ")', r"\1ӨЗГЕРТІЛГЕН ", text,
                      flags=re.M)
        path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(i18n, "_LABEL_DIR", scratch)
    i18n.labels.cache_clear()
    try:
        assert i18n.t("trade.col.rate", "kk").startswith("ӨЗГЕРТІЛГЕН")  # renamed
        after = {lang: front(lang) for lang in ("kk", "en")}
    finally:
        i18n.labels.cache_clear()
    assert after == before and len(before["kk"]) == 2


def test_a_table_is_printed_as_its_notebook_showed_it(tmp_path, small_ledger):
    run = inputs.discover(make_run(tmp_path / "reports", small_ledger), "kk")
    assets: list[pages.Asset] = []
    block = pages.table_block("exhibits/k7", run.output("01_trade", "table", "t"), "kk",
                              assets)
    assert "<caption>Кесте 1.1. Сауда</caption>" in block
    assert "<td>1 770</td>" in block  # the notebook's own text, not re-parsed
    assert '<td class="kaztur-printed">+12.0%</td>' in block
    assert "{download}`кестенің CSV файлы <../_files/01_trade/t.csv>`" in block


# ---------------------------------------------------------------------------------------
# replication classes
# ---------------------------------------------------------------------------------------


def _exhibit(ex_id: str, label: str, stem: str, tables: tuple[str, ...]):
    return exhibit_map.Exhibit(id=ex_id, label_kk=label, label_en=label, title_kk="t",
                               title_en="t", lines="1–2",
                               sources=(exhibit_map.Source(stem, tables=tables),))


def test_replication_classes(tmp_path, small_ledger):
    """Axis 1 (AEA sense): reproduced when every listed output was rebuilt and the
    exhibit's own arithmetic holds; a contradiction between Кесте 6 and Кесте 7 is axis 2
    (consistency), not a failure to reproduce either table."""
    run = inputs.discover(make_run(tmp_path / "reports", small_ledger), "en")
    k7 = replication.classify(_exhibit("k7", "Кесте 7", "01_trade", ("t",)), run,
                              small_ledger)
    assert k7.cls == replication.FULLY  # outputs there; its own total reproduces
    assert k7.counts["contradicted"] == 2 and k7.ledger_name == "Кесте 7"
    assert k7.own == {"reproduced": 1, "within rounding": 1}
    broken = small_ledger.copy()
    broken.loc[broken["claim_id"] == "E1", "status"] = "contradicted"
    own_bad = replication.classify(_exhibit("k7", "Кесте 7", "01_trade", ("t",)), run, broken)
    assert own_bad.cls == replication.PARTIALLY  # its own total does not add up
    assert "1019" in own_bad.reason("en")
    missing = replication.classify(_exhibit("k9", "Кесте 9", "01_trade", ("nothing",)), run,
                                   small_ledger)
    assert missing.cls == replication.NOT and "0 of 1 outputs" in missing.reason("en")


# ---------------------------------------------------------------------------------------
# notebook pages: one language, tags, teacher and student
# ---------------------------------------------------------------------------------------


@pytest.fixture
def seminar_nb() -> dict:
    return _notebook([
        _md("m0", "# Семинар 1 · Seminar 1"),
        _code("p1", 'lang = "kk"', ("parameters",)),
        _code("p2", 'lang = "en"', ("injected-parameters",)),
        _code("c1", "growth_2020 = None"),
        _md("s1", "### Шешімі · Solution", ("solution",)),
        _code("s2", "seminar.growth_table(trade)", ("solution",)),
    ])


def test_teacher_page_collapses_solutions(seminar_nb):
    page = notebooks.prepare(seminar_nb, notebooks.TEACHER, "en")
    ids = [c["id"] for c in page["cells"]]
    assert "p1" not in ids and "p2" not in ids
    md, code = (c for c in page["cells"] if c["id"] in ("s1", "s2"))
    assert md["source"].startswith('<details class="kaztur-solution">')
    assert "**Solution**" in md["source"] and "Шешімі" not in md["source"]
    assert "hide-cell" in code["metadata"]["tags"]
    assert code["metadata"]["mystnb"]["code_prompt_show"].startswith("Solution")
    assert ids.index("anchor-c1") == ids.index("c1") - 1
    assert seminar_nb["cells"][5]["metadata"]["tags"] == ["solution"]  # original untouched


def test_student_page_has_no_solutions(seminar_nb):
    page = notebooks.prepare(seminar_nb, notebooks.STUDENT, "kk")
    text = json.dumps(page, ensure_ascii=False)
    assert "growth_table" not in text and "Шешімі" not in text
    assert page["cells"][0]["source"] == "# Семинар 1 — студент нұсқасы"
    with pytest.raises(ValueError, match="mode"):
        notebooks.prepare(seminar_nb, "reader", "kk")


BILINGUAL = """## 3. Өсу қарқыны / Growth

Екі өлшем / Two measures:

* **Кіріс** — Түркиядан (4,2 / 4,5 млрд $, 1212-жол). / **Inflow**: from Türkiye
  (4.2 / 4.5 billion USD, line 1212).
* **Бір жобаға** = кіріс / жобалар саны. /
  **Per project** = inflow / projects.

**1.** 6,75 / 92,83 × 100 ≈ 7,27 %. Бірақ мұны білмейміз. / 6.75 / 92.83 × 100 ≈ 7.27%. But
we do not know that.

> **Ескерту / Caution.** Алты нүкте ғана. / Six points only.

Тек қазақша абзац.

*Only an English paragraph.*
"""


def test_bilingual_cells_split_into_their_languages():
    kk = bilingual.part(BILINGUAL, "kk")
    en = bilingual.part(BILINGUAL, "en")
    assert kk == ("## 3. Өсу қарқыны\n\nЕкі өлшем:\n\n"
                  "* **Кіріс** — Түркиядан (4,2 / 4,5 млрд $, 1212-жол).\n"
                  "* **Бір жобаға** = кіріс / жобалар саны.\n\n"
                  "**1.** 6,75 / 92,83 × 100 ≈ 7,27 %. Бірақ мұны білмейміз.\n\n"
                  "> **Ескерту.** Алты нүкте ғана.\n\nТек қазақша абзац.\n")
    assert en == ("## 3. Growth\n\nTwo measures:\n\n"
                  "* **Inflow**: from Türkiye\n  (4.2 / 4.5 billion USD, line 1212).\n"
                  "* **Per project** = inflow / projects.\n\n"
                  "**1.** 6.75 / 92.83 × 100 ≈ 7.27%. But\nwe do not know that.\n\n"
                  "> **Caution.** Six points only.\n\n*Only an English paragraph.*\n")
    one = "Тек қазақша ұяшық: $x / y$ формуласы."
    assert bilingual.part(one, "en") == one  # nothing in English: shown whole
    formula = "Есептеңіз: $g = (X_t / X_{t-1} - 1)$ / Compute $g = (X_t / X_{t-1} - 1)$"
    assert bilingual.part(formula, "kk") == "Есептеңіз: $g = (X_t / X_{t-1} - 1)$"
    assert bilingual.part(formula, "en") == "Compute $g = (X_t / X_{t-1} - 1)$"
    assert bilingual.language("`code` «дәйексөз» 2021") == bilingual.BOTH


def _markdown_cells():
    for path in sorted((REPO / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                yield path.relative_to(REPO).as_posix(), cell


def test_every_notebook_keeps_the_bilingual_convention():
    """Every Markdown cell of every notebook splits into a Kazakh part without an English
    sentence and an English part without a Kazakh paragraph (what the site shows)."""
    from site_text import english_sentences

    code = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$|\]\([^)]*\)|https?://\S+", re.S)
    problems = []
    for name, cell in _markdown_cells():
        source = "".join(cell["source"])
        kk, en = bilingual.part(source, "kk"), bilingual.part(source, "en")
        problems += [(name, cell.get("id"), "kk", s) for s in
                     english_sentences(code.sub(" ", kk))]
        problems += [(name, cell.get("id"), "en", p[:60]) for p in re.split(r"\n\s*\n", en)
                     if bilingual.language(p) == bilingual.KK and bilingual.language(source)
                     != bilingual.KK]
    assert problems == []


# ---------------------------------------------------------------------------------------
# search, switch, links
# ---------------------------------------------------------------------------------------


def test_search_terms_keep_numbers_in_one_notation_and_kazakh_words():
    assert split_terms("Қазақстан: сауданың 1 332 млн, 92,83 %; 1332-жол", "kk") == [
        "Қазақстан", "сауданың", "1332", "млн", "92.83", "1332", "жол"]
    assert split_terms("turnover 1,332 in 2021; 92.83% and 92,83", "en") == [
        "turnover", "1332", "in", "2021", "92.83", "and", "92.83"]
    assert canonical_number("1\u00a0580,5", "kk") == "1580.5"
    kk = SearchKazakh({})
    assert kk.stem("САУДАНЫҢ") == "сауданың"  # lower case, no suffix stripped
    assert kk.word_filter("1332") and not kk.word_filter("мен") and kk.word_filter("сауда")
    en = SearchEnglish({})
    assert en.word_filter("1332") and not en.word_filter("the") and en.lang == "en"
    assert "function splitQuery" in kk.js_splitter_code
    assert "replace(/,(?=\\d{3}(?!\\d))/g, '')" in en.js_splitter_code  # en groups by comma
    assert "(?=\\d{3}" not in kk.js_splitter_code.split("var m;")[1]  # kk: comma is decimal


def test_searchtools_no_longer_drops_digit_only_terms():
    script = searchtools_js()
    assert "queryTerm.match(/^\\d+$/)" not in script
    assert "if (stopwords.has(queryTermLower)) return;" in script


def test_hrefs_between_pages():
    assert pages.href("index", "ledger", "L-x") == "ledger.html#L-x"
    assert pages.href("exhibits/k7", "notebooks/01_trade", "cell-c1") == \
        "../notebooks/01_trade.html#cell-c1"
    assert pages.notebook_doc("seminar/seminar_01_growth") == \
        "notebooks/seminar/seminar_01_growth"
    assert switch_url("notebooks/seminar/s1", "en") == "../../../en/notebooks/seminar/s1.html"
    assert switch_url("index", "kk") == "../kk/index.html"


# ---------------------------------------------------------------------------------------
# make site: up to date
# ---------------------------------------------------------------------------------------


def test_fingerprint_follows_content_not_timings(tmp_path, small_ledger):
    reports = make_run(tmp_path / "reports", small_ledger)
    code = make.code_fingerprint()
    first, files = make.fingerprint(reports, "kk", code)
    assert make.fingerprint(reports, "en", code)[0] != first
    # a run that executed nothing: the same files copied anew, other timings
    copy = tmp_path / "copy"
    shutil.copytree(reports, copy / "reports")
    shutil.rmtree(reports)
    shutil.copytree(copy / "reports", reports)
    manifest = reports / "kk" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["run"] = {"start": "later", "duration": 9.9, "executed": 0, "cached": 2}
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert make.fingerprint(reports, "kk", code, files)[0] == first
    (reports / "kk" / "ledger.csv").write_text("claim_id\n", encoding="utf-8")
    assert make.fingerprint(reports, "kk", code)[0] != first
    assert not make.up_to_date(reports, "kk", first)  # never built
