"""The replication site's parts without Sphinx: ledger page, inputs, findings, replication
classes, notebook tags, pages, Kazakh search, the nbconvert template and the up-to-date
check. The built site is tested in test_site_build.py, in a browser in test_site_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.present import ledger_page
from analysis.run import exhibit_map as exhibit_map
from analysis.run.execute import export_html
from analysis.run.site import findings, inputs, make, notebooks, pages, replication
from analysis.run.site.sphinx_ext import SearchKazakh, switch_url

COLS = ["claim_id", "check_id", "status", "exhibit", "source_lines", "value_printed",
        "inputs", "recomputed", "tolerance", "diagnosis"]


def ledger_frame(rows: list[dict]) -> pd.DataFrame:
    base = dict.fromkeys(COLS, "")
    return pd.DataFrame([{**base, **r} for r in rows], columns=list(
        dict.fromkeys(COLS + [k for r in rows for k in r])))


@pytest.fixture
def small_ledger() -> pd.DataFrame:
    return ledger_frame([
        {"claim_id": "A1", "check_id": "coverage.none", "status": "untestable",
         "exhibit": "text", "source_lines": "100"},
        {"claim_id": "B1", "check_id": "cross.same_quantity", "status": "contradicted",
         "exhibit": "Кесте 6; Кесте 7", "source_lines": "949;1019", "value_printed": "900",
         "inputs": "Кесте 7 2020 exports 1 050", "recomputed": "1050 [1049.5, 1050.5]",
         "tolerance": "±0.5", "diagnosis": "900 − 1050 = −150"},
        {"claim_id": "B2", "check_id": "cross.same_quantity", "status": "contradicted",
         "exhibit": "Кесте 6; Кесте 7", "source_lines": "955;1020"},
        {"claim_id": "C1", "check_id": "text.impossible", "status": "contradicted",
         "exhibit": "text", "source_lines": "1332", "value_printed": "407 пайыз"},
        {"claim_id": "D1", "check_id": "growth.recompute", "status": "within rounding",
         "exhibit": "Кесте 7", "source_lines": "1014;1021"},
        {"claim_id": "E1", "check_id": "identity.total", "status": "reproduced",
         "exhibit": "Кесте 7", "source_lines": "1019;1020;1021"},
    ])


# ---------------------------------------------------------------------------------------
# the ledger page
# ---------------------------------------------------------------------------------------


def test_serious_first_puts_one_contradiction_of_each_kind_first(small_ledger):
    growth = ledger_frame([{"claim_id": "G1", "check_id": "growth.recompute",
                            "status": "contradicted", "exhibit": "text"}])
    order = list(ledger_page.serious_first(pd.concat([small_ledger, growth]))["claim_id"])
    # text.impossible ranks before cross.same_quantity before growth.recompute; the
    # second cross row comes after the first row of every kind; then the other verdicts
    assert order[:4] == ["C1", "B1", "G1", "B2"]
    assert set(order[4:]) == {"A1", "D1", "E1"}


def test_serious_first_follows_the_ledgers_own_severity(small_ledger):
    ranked = small_ledger.assign(severity=["1", "2", "9", "5", "0", "0"])
    assert list(ledger_page.serious_first(ranked)["claim_id"])[:3] == ["B2", "C1", "B1"]
    ordered = small_ledger.assign(order=["6", "5", "4", "3", "2", "1"])
    assert list(ledger_page.serious_first(ordered)["claim_id"])[0] == "E1"


def test_fragment_rows_have_anchor_filters_data_and_arithmetic(small_ledger):
    html = ledger_page.fragment(small_ledger, "en", {"Кесте 7": "Table 7"})
    anchor = ledger_page.row_anchor("B1", "cross.same_quantity")
    row = re.search(rf'<tr id="{re.escape(anchor)}"[^>]*>.*?</tr>', html, re.S).group(0)
    assert 'data-status="contradicted"' in row and 'data-kind="cross"' in row
    assert 'data-exhibits="Кесте 6|Кесте 7"' in row and 'data-lines="949 1019"' in row
    assert "→ 1050 [1049.5, 1050.5]" in row and "tolerance: ±0.5" in row
    assert "Table 7" in row  # exhibit shown in the page's language
    for name in ("q", "kind", "exhibit", "from", "to", "status"):
        assert f'name="{name}"' in html
    assert "table-layout: fixed" in html and "overflow-wrap: anywhere" in html
    assert "949, 1019" in row  # a list of lines that can wrap


def test_page_is_offline_and_bilingual(small_ledger):
    for lang, word in (("kk", "Іздеу"), ("en", "Search")):
        page = ledger_page.to_html(small_ledger, lang)
        assert "http://" not in page and "https://" not in page
        assert "<script src" not in page and "<link" not in page
        assert word in page and f'<html lang="{lang}">' in page


def test_new_ledger_columns_are_used_when_present(small_ledger):
    rich = small_ledger.assign(
        kind=["coverage", "cross-table", "cross-table", "plausibility", "time series",
              "identity"],
        diagnosis_kk=["", "қазақша түсіндірме", "", "", "", ""],
        external_verdict=["", "agrees", "", "disagrees", "", ""],
        external_source=["", "UN Comtrade", "", "", "", ""])
    kk = ledger_page.fragment(rich, "kk")
    assert 'data-kind="cross-table"' in kk and "қазақша түсіндірме" in kk
    assert 'name="external"' in kk and "source: UN Comtrade" in kk
    assert 'name="external"' not in ledger_page.fragment(small_ledger, "kk")


def test_lines_and_exhibits_parse():
    assert ledger_page.lines_of("949;1019") == [949, 1019]
    assert ledger_page.lines_of(float("nan")) == []
    assert ledger_page.exhibits_of("text; Кесте 7") == ["text", "Кесте 7"]


# ---------------------------------------------------------------------------------------
# a synthetic run (today's layout: reports/manifest.json)
# ---------------------------------------------------------------------------------------

TREND_KK = ("Қатар,Әдіс,Стандартты қате,n,\"Жылдық өсу, %\",Аралық: төмен,Аралық: жоғары\n"
            "Сауда айналымы,CAGR (шеткі нүктелер),,6,15.159,,\n"
            "Сауда айналымы,ЕКК: log(мән) ~ жыл,кәдімгі,6,15.618,9.651,21.91\n"
            "Сауда айналымы,ЕКК: log(мән) ~ жыл,HC3,6,15.618,8.308,23.422\n")
JOINT_KK = "Шарт,Ең кіші ортақ N,Ортақ N саны\nәр нұсқа жеке,573,48\n"


def _notebook(cells: list[dict]) -> dict:
    return {"cells": cells, "metadata": {"kernelspec": {"name": "kaztur", "language": "python",
                                                        "display_name": "k"}},
            "nbformat": 4, "nbformat_minor": 5}


def _code(cid: str, source: str, tags: tuple[str, ...] = (), outputs=None) -> dict:
    return {"cell_type": "code", "id": cid, "metadata": {"tags": list(tags)},
            "source": source, "execution_count": 1, "outputs": outputs or []}


def _md(cid: str, source: str, tags: tuple[str, ...] = ()) -> dict:
    return {"cell_type": "markdown", "id": cid, "metadata": {"tags": list(tags)},
            "source": source}


def make_run(root: Path, ledger: pd.DataFrame | None, lang: str = "kk") -> Path:
    """A run folder with 01_trade (a trend table) and 04_survey (the joint-N table)."""
    entries = []
    for stem, name, text in (("01_trade", "k7_trade_trend", TREND_KK),
                             ("04_survey", "survey_joint_n", JOINT_KK)):
        folder = root / stem
        (folder / "tables").mkdir(parents=True)
        (folder / "tables" / f"{name}.csv").write_text(text, encoding="utf-8")
        nb = _notebook([_md("m1", f"# {stem}"),
                        _code("c1", "x = 1"),
                        _code("c2", f'ex.table("{name}", frame)')])
        (folder / f"{stem}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        entries.append({"stem": stem, "folder": stem, "status": "ok",
                        "parameters": {"lang": lang},
                        "files": {"notebook": f"{stem}/{stem}.ipynb"},
                        "outputs": [{"name": name, "kind": "table",
                                     "caption": "Кесте 1.4. өсу (95 % аралықтар)",
                                     "files": [f"{stem}/tables/{name}.csv"]}]})
    (root / "manifest.json").write_text(json.dumps({"notebooks": entries}), encoding="utf-8")
    if ledger is not None:
        ledger.to_csv(root / "ledger.csv", index=False)
    return root


def test_discover_today_and_side_by_side_layouts(tmp_path, small_ledger):
    reports = tmp_path / "reports"
    make_run(reports, small_ledger)
    today = inputs.discover(reports, "en")
    assert today.root == reports and today.run_lang == "kk" and today.lang == "en"
    assert today.ledger_csv == reports / "ledger.csv"
    assert today.notebook("01_trade").ipynb == reports / "01_trade" / "01_trade.ipynb"
    make_run(reports / "en", None, lang="en")
    side = inputs.discover(reports, "en")
    assert side.root == reports / "en" and side.run_lang == "en"
    assert side.ledger_csv == reports / "ledger.csv"  # the shared ledger when none beside


def test_discover_says_what_to_run(tmp_path):
    with pytest.raises(inputs.SiteInputError, match="kaztur run"):
        inputs.discover(tmp_path, "kk")
    (tmp_path / "manifest.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(inputs.SiteInputError, match="manifest.json"):
        inputs.discover(tmp_path, "kk")


def test_findings_read_the_runs_tables_and_ledger(tmp_path, small_ledger):
    with_n = pd.concat([small_ledger, ledger_frame([
        {"claim_id": "S.joint.granularity", "check_id": "survey.joint_n",
         "status": "within rounding", "exhibit": "Қосымша Б"}])], ignore_index=True)
    run = inputs.discover(make_run(tmp_path / "reports", with_n), "kk")
    f = findings.collect(run)
    assert f.warnings == ["02_investment: table k8_investment_trend was not saved by this run"]
    assert f.total == 7 and f.counts["contradicted"] == 3
    assert [c.claim_id for c in f.contradictions] == ["C1", "B1", "B2"]
    assert f.survey.smallest == 573 and f.survey.count == 48
    assert f.survey.source.cell_id == "c2"
    assert f.survey.source.ledger_anchor == ledger_page.row_anchor("S.joint.granularity",
                                                                   "survey.joint_n")
    cagr, hc3 = f.growth  # the ordinary-error row is left out: HC3 only
    assert (cagr.rate, cagr.low, cagr.level) == (15.159, None, "")
    assert (hc3.rate, hc3.low, hc3.high, hc3.level) == (15.618, 8.308, 23.422, "95")
    assert hc3.source.notebook == "01_trade" and hc3.source.cell_id == "c2"


def test_findings_warn_instead_of_guessing(tmp_path, small_ledger):
    reports = make_run(tmp_path / "reports", small_ledger)
    path = reports / "01_trade" / "tables" / "k7_trade_trend.csv"
    path.write_text(TREND_KK.replace("Аралық: төмен", "Төмен"), encoding="utf-8")
    f = findings.collect(inputs.discover(reports, "kk"))
    assert f.growth == [] and any("ci_low" in w for w in f.warnings)


def test_front_page_links_every_number_to_its_cell_and_row(tmp_path, small_ledger):
    run = inputs.discover(make_run(tmp_path / "reports", small_ledger), "en")
    text, _ = pages.front_page(run, findings.collect(run), "en", {}, "")
    assert "checks 6 numbers" in text and "2 contradicted" not in text
    assert 'href="notebooks/04_survey.html#cell-c2"' in text
    anchor = ledger_page.row_anchor("C1", "text.impossible")
    assert f'href="ledger.html#{anchor}"' in text
    # an English page from a Kazakh run: labels relabelled, numbers in English notation
    assert "Trade turnover" in text and "15.6%" in text and "8.3%" in text
    assert "ran in Kazakh" in text


# ---------------------------------------------------------------------------------------
# replication classes
# ---------------------------------------------------------------------------------------


def _exhibit(ex_id: str, label: str, stem: str, tables: tuple[str, ...]):
    return exhibit_map.Exhibit(id=ex_id, label_kk=label, label_en=label, title_kk="t",
                               title_en="t", lines="1–2",
                               sources=(exhibit_map.Source(stem, tables=tables),))


def test_replication_classes(tmp_path, small_ledger):
    run = inputs.discover(make_run(tmp_path / "reports", small_ledger), "en")
    trend = ("k7_trade_trend",)
    k7 = replication.classify(_exhibit("k7", "Кесте 7", "01_trade", trend), run, small_ledger)
    assert k7.cls == replication.PARTIALLY  # outputs there, 2 contradicted rows
    assert k7.counts["contradicted"] == 2 and k7.ledger_name == "Кесте 7"
    assert "949" in k7.reason("en") and "2 of 4 checked numbers agree" in k7.reason("en")
    agree = small_ledger[small_ledger["status"] != "contradicted"]
    full = replication.classify(_exhibit("k7", "Кесте 7", "01_trade", trend), run, agree)
    assert full.cls == replication.FULLY
    missing = replication.classify(_exhibit("k9", "Кесте 9", "01_trade", ("nothing",)), run,
                                   small_ledger)
    assert missing.cls == replication.NOT and "0 of 1 outputs" in missing.reason("en")
    only_bad = replication.classify(_exhibit("x", "text", "01_trade", trend), run,
                                    small_ledger[small_ledger["claim_id"] == "C1"])
    assert only_bad.cls == replication.NOT
    md = replication.markdown([k7, full, missing], "en")
    assert "3 exhibits: 1 fully, 1 partially, 1 not reproducible." in md
    assert md.count("\n| Кесте") == 3


# ---------------------------------------------------------------------------------------
# notebook pages: tags, teacher and student
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
    assert "**Шешімі · Solution**" in md["source"] and "###" not in md["source"]
    assert "hide-cell" in code["metadata"]["tags"]
    assert code["metadata"]["mystnb"]["code_prompt_show"].startswith("Solution")
    assert ids.index("anchor-c1") == ids.index("c1") - 1
    assert seminar_nb["cells"][5]["metadata"]["tags"] == ["solution"]  # original untouched


def test_student_page_has_no_solutions(seminar_nb):
    page = notebooks.prepare(seminar_nb, notebooks.STUDENT, "kk")
    text = json.dumps(page, ensure_ascii=False)
    assert "growth_table" not in text and "Шешімі" not in text
    assert page["cells"][0]["source"].endswith("студент нұсқасы")
    with pytest.raises(ValueError, match="mode"):
        notebooks.prepare(seminar_nb, "reader", "kk")


# ---------------------------------------------------------------------------------------
# pages, search, switch
# ---------------------------------------------------------------------------------------


def test_relabel_prefers_column_headers(monkeypatch):
    table = {"a.title": {"kk": "Өсу", "en": "Growth (title)"},
             "b.col.rate": {"kk": "Өсу", "en": "Growth, %"}}
    monkeypatch.setattr(pages, "labels", lambda: table)
    monkeypatch.setattr(pages, "t", lambda key, lang: table[key][lang])
    assert pages.relabel("Өсу", "kk", "en") == "Growth, %"


def test_relabel_and_number_notation():
    assert pages.relabel("Сауда айналымы", "kk", "en") == "Trade turnover"
    assert pages.relabel("Аралық: төмен", "kk", "en") == "Interval: low"
    assert pages.relabel("no such label", "kk", "en") == "no such label"
    assert pages.localise_cell("Жылдық өсу, %", "15.618", "kk") == "15,618"
    assert pages.localise_cell("Trade", "3200", "en") == "3,200"
    assert pages.localise_cell("Year", "2018", "kk") == "2018"
    assert pages.localise_cell("x", "2021", "en") == "2021"  # a year is never grouped
    assert pages.localise_cell("x", "-1.1", "kk") == "\u22121,1"


def test_hrefs_between_pages():
    assert pages.href("index", "ledger", "L-x") == "ledger.html#L-x"
    assert pages.href("exhibits/k7", "notebooks/01_trade", "cell-c1") == \
        "../notebooks/01_trade.html#cell-c1"
    assert pages.notebook_doc("seminar/seminar_01_growth") == \
        "notebooks/seminar/seminar_01_growth"
    assert switch_url("notebooks/seminar/s1", "en") == "../../../en/notebooks/seminar/s1.html"
    assert switch_url("index", "kk") == "../kk/index.html"


def test_kazakh_search_keeps_kazakh_letters_and_does_not_stem():
    lang = SearchKazakh({})
    words = lang.split("Қазақстан мен Түркия: сауданың өсуі, 2021 ж.")
    assert words[:4] == ["Қазақстан", "мен", "Түркия", "сауданың"]
    assert lang.stem("САУДАНЫҢ") == "сауданың"  # lower case, no suffix stripped
    assert not lang.word_filter("мен") and lang.word_filter("сауда")


# ---------------------------------------------------------------------------------------
# the pipeline's notebook pages (nbconvert template)
# ---------------------------------------------------------------------------------------


def test_template_honours_tags_and_loads_local_mathjax(tmp_path, seminar_nb):
    folder = tmp_path / "reports" / "seminar" / "s1"
    folder.mkdir(parents=True)
    nb = json.loads(json.dumps(seminar_nb))
    nb["metadata"]["papermill"] = {"output_path": "reports/seminar/s1/s1.ipynb",
                                   "parameters": {"lang": "en"}}
    nb["cells"] += [_md("f1", "Growth: $g_t = X_t / X_{t-1} - 1$"),
                    _code("r1", "REMOVED_CELL", ("remove-cell",)),
                    _code("h1", "HIDDEN_INPUT", ("hide-input",)),
                    _code("o1", "x", ("remove-output",), [
                        {"output_type": "stream", "name": "stdout", "text": "NO_ANSWER"}])]
    path = folder / "s1.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    full, reader = (p.read_text(encoding="utf-8") for p in export_html(path))
    assert "REMOVED_CELL" not in full and "NO_ANSWER" not in full
    assert re.search(r"<details[^>]*><summary>Code \(click to open\)</summary>\s*"
                     r'<div class="jp-Cell-inputWrapper"', full)
    solution = re.search(r'<details class="kaztur-hidden kaztur-solution">.*?</details>',
                         full, re.S).group(0)
    assert "growth_table" in solution and "Solution" in solution  # both cells, one block
    assert "growth_table" not in reader and "kaztur-solution\"><summary" not in reader
    assert "lang = &quot;kk&quot;" not in reader and 'lang = "kk"' not in reader
    assert '<script defer src="../../_assets/mathjax/tex-svg.js"></script>' in full
    assert not re.search(r'<script[^>]+src="(https?:)?//', full)
    nb["cells"] = nb["cells"][:3]  # no formula: no MathJax
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert "tex-svg.js" not in export_html(path)[0].read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# make site: up to date
# ---------------------------------------------------------------------------------------


def test_fingerprint_follows_the_runs_files(tmp_path, small_ledger):
    reports = make_run(tmp_path / "reports", small_ledger)
    first = make.fingerprint(reports, "kk")
    assert make.fingerprint(reports, "kk") == first
    assert make.fingerprint(reports, "en") != first
    (reports / "ledger.csv").write_text("claim_id\n", encoding="utf-8")
    assert make.fingerprint(reports, "kk") != first
    assert not make.up_to_date(reports, "kk", first)  # never built
