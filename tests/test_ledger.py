"""The claims ledger as a whole: assembly on crafted data, coverage, the golden file of the
shipped data, and ``kaztur check`` (exit codes, output files, bad data).

Golden file
-----------
``tests/golden/ledger.csv`` is the language-neutral ledger of the shipped ``data/raw/``
(:func:`analysis.checks.ledger.build`: ids, statuses, lines, printed values, numbers, and
each text as a phrase — a template key and its fields as data). :func:`test_golden_ledger`
regenerates the ledger and fails with a diff when anything changed: a new or changed check,
a changed diagnosis, or changed data; the wording of a language is tested in
``test_checks_present.py``. When the change is deliberate (new transcriptions, an improved
check), review the printed diff and update the file on purpose::

    KAZTUR_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_ledger.py -k golden

then inspect ``git diff tests/golden/ledger.csv`` before committing it.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis import config
from analysis.checks import compare, ledger, tables, text
from analysis.checks import core as checks
from analysis.checks.context import Context
from analysis.checks.official import Context as ExternalContext
from analysis.data import datasets
from analysis.data.io import table_to_csv_text
from analysis.data.parse import parse_number
from analysis.data.schemas import CELL_FIELDS
from analysis.present import ledger_text
from analysis.run import cli, ledger_files

GOLDEN = Path(__file__).parent / "golden" / "ledger.csv"
REPO_RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


# ---------------------------------------------------------------------------------------
# crafted data
# ---------------------------------------------------------------------------------------


def cell(exhibit: str, row_key: str, column_key: str, year: int | None, printed: str,
         line: int, **kw: Any) -> dict:
    """A table cell; keyword overrides: unit ("USD million"), row, column (1)."""
    unit, row, column = kw.get("unit", "USD million"), kw.get("row", 1), kw.get("column", 1)
    value = parse_number(printed).value if printed else None
    return {"exhibit": exhibit, "part": 1, "row": row, "column": column, "token": 1,
            "row_key": row_key, "column_key": column_key, "year": year,
            "row_label_kk": row_key, "row_label_en": row_key,
            "column_label_kk": column_key, "column_label_en": column_key,
            "printed": printed, "printed_en": "", "number_printed": printed,
            "value": None if value is None else float(value), "unit": unit if printed else "",
            "source_line": line}


def claim(cid: str, key: str, printed: str, unit: str, year: int | None, line: int,
          **kw: Any) -> dict:
    """A text claim; keyword overrides: qualifier ("exact"), label, period."""
    qualifier, label, period = kw.get("qualifier", "exact"), kw.get("label", ""), \
        kw.get("period", "")
    value = parse_number(printed).value
    return {"claim_id": cid, "source_doc": "dissertation_kk.txt", "section": "3.2",
            "source_line": line, "topic": "trade", "quantity_key": key, "entity": "KZ-TR",
            "quote_kk": printed, "label_kk": "", "label_en": label or key,
            "number_printed": printed, "value": float(value), "unit": unit, "year": year,
            "period": period, "qualifier": qualifier, "note_en": ""}


@pytest.fixture()
def crafted() -> pd.DataFrame:
    """Кесте 6 and 7 for 2020 (with the source's reversed balance), a growth row, and
    text claims: one matching, one contradicting, one restated, one impossible, one
    untestable."""
    k7 = pd.DataFrame([
        cell("Кесте 7", "2019", "trade_total", 2019, "1 770", 1014),
        cell("Кесте 7", "2020", "exports", 2020, "1 050", 1019),
        cell("Кесте 7", "2020", "imports", 2020, "700", 1020),
        cell("Кесте 7", "2020", "trade_total", 2020, "1 750", 1021),
        cell("Кесте 7", "2020", "growth_pct", 2020, "-1.1%", 1022, unit="percent"),
    ])
    k6 = pd.DataFrame([
        cell("Кесте 6", "trade_total", "y2020", 2020, "2 100", 933),
        cell("Кесте 6", "exports_to_tr", "y2020", 2020, "900", 949),
        cell("Кесте 6", "imports_from_tr", "y2020", 2020, "1 200", 955),
        cell("Кесте 6", "joint_projects", "y2020", 2020, "30", 974, unit="count"),
    ])
    claims = pd.DataFrame([
        claim("T001", "kz_tr_trade_total", "1,75 млрд", "USD", 2020, 1300),
        claim("T002", "kz_tr_trade_total", "2,1 миллиард", "USD", 2020, 1310),
        claim("T003", "tr_share_of_kz_foreign_trade", "407 пайыз", "percent", 2020, 1332),
        claim("T004", "ots_population", "173 миллион", "people", None, 875),
    ])
    figures = tables.table_figures(k7) + tables.table_figures(k6)
    return ledger.assemble(Context(figures, text.text_figures(claims), claims))


def en(cell: object) -> str:
    """A phrase cell of the neutral ledger written in English."""
    return ledger_text.value(cell, "en")


def _row(frame: pd.DataFrame, claim_id: str) -> pd.Series:
    rows = frame[frame["claim_id"] == claim_id]
    assert len(rows) == 1, f"{claim_id} not in {list(frame['claim_id'])}"
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------
# assembly on crafted data
# ---------------------------------------------------------------------------------------


def test_crafted_ledger_rows_and_statuses(crafted):
    assert _row(crafted, "K7.2020.trade_total.identity")["status"] == checks.REPRODUCED
    assert _row(crafted, "K6.2020.trade_total.identity")["status"] == checks.REPRODUCED
    assert _row(crafted, "K7.2020.growth_pct.growth")["status"] == checks.WITHIN
    ex = _row(crafted, "K6.2020.exports_to_tr.cross.k7")
    assert ex["status"] == checks.CONTRADICTED
    assert "balance is reversed" in en(ex["diagnosis"])
    assert ex["source_lines"] == "949;1019"
    assert _row(crafted, "T001.cross.k7")["status"] == checks.REPRODUCED   # 1,75 bn = 1 750
    assert _row(crafted, "T001.cross.k6")["status"] == checks.CONTRADICTED  # vs 2 100
    assert _row(crafted, "T002.restated.T001")["status"] == checks.CONTRADICTED
    assert _row(crafted, "T003.impossible")["status"] == checks.CONTRADICTED
    k6_id = en(_row(crafted, "K6.2020.trade_total.identity")["diagnosis"])
    assert "but Кесте 7 (lines 1019, 1020, 1021) gives 1,050 + 700 = 1,750 for 2020" in k6_id


def test_crafted_ledger_covers_every_figure(crafted):
    # nothing tests the population or the joint projects: untestable rows say why
    pop = _row(crafted, "T004.none")
    assert pop["status"] == checks.UNTESTABLE
    assert en(pop["diagnosis"]) == "no other figure for this quantity in the source"
    assert _row(crafted, "K6.2020.joint_projects.none")["status"] == checks.UNTESTABLE
    # the impossible share has nothing else to test, yet it has its row: no .none row
    assert "T003.none" not in set(crafted["claim_id"])


def test_ledger_is_sorted_and_ids_are_unique(crafted):
    assert list(crafted.columns) == list(checks.LEDGER_COLUMNS)
    keys = list(zip(crafted["claim_id"], crafted["check_id"], strict=True))
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    with pytest.raises(ValueError, match="duplicate ledger ids"):
        row = compare.untestable(text.text_figures(pd.DataFrame([claim(
            "T9", "k", "1", "count", None, 1)]))[0], "dup")
        ledger.to_frame([row, row])


def test_summary_puts_contradictions_first(crafted):
    ordered = ledger.summary_order(crafted)
    n = ledger.counts(crafted)[checks.CONTRADICTED]
    assert set(ordered["status"].iloc[:n]) == {checks.CONTRADICTED}
    text = ledger_text.summary_text(crafted)
    first = text.splitlines()[0]
    assert f"{n} contradicted" in first
    assert "✗ K6.2020.exports_to_tr.cross.k7 [cross.same_quantity] lines 949;1019:" in text


def test_html_is_self_contained_and_complete(crafted):
    from analysis.run.site import ledger as ledger_page

    page = ledger_page.fragment(ledger_text.frame(crafted, "kk"))
    assert "http://" not in page and "https://" not in page
    assert "<script src" not in page and "<link" not in page
    for cid in crafted["claim_id"]:
        assert cid in page
    assert page.index("T003.impossible") < page.index("T004.none")  # contradictions first


# ---------------------------------------------------------------------------------------
# the shipped data
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(shipped_ledger) -> pd.DataFrame:
    return shipped_ledger.copy()


def test_golden_ledger(shipped):
    """The whole ledger of the shipped data against tests/golden/ledger.csv (see the module
    docstring for how to update it deliberately)."""
    text = table_to_csv_text(shipped)
    if os.environ.get("KAZTUR_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.is_file(), "no golden file: KAZTUR_UPDATE_GOLDEN=1 pytest tests/test_ledger.py"
    expected = GOLDEN.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True),
                                            text.splitlines(keepends=True),
                                            "tests/golden/ledger.csv", "regenerated", n=0))
        print(diff[:20000])
        pytest.fail("the ledger differs from tests/golden/ledger.csv (diff printed above); "
                    "if the change is deliberate: KAZTUR_UPDATE_GOLDEN=1 .venv/bin/pytest "
                    "tests/test_ledger.py -k golden")


def test_build_is_deterministic(shipped):
    assert table_to_csv_text(ledger.build()) == table_to_csv_text(shipped)


def test_current_loads_the_runs_ledger_file_and_builds_nothing(shipped, tmp_path, monkeypatch):
    """Guard (built once per run): inside ``kaztur run`` a notebook that shows the ledger
    loads the file the run's ledger task wrote (``$KAZTUR_RUN_LEDGER``) instead of building
    it again, and gets the very frame ``build`` gives; outside a run (no variable, or the
    empty value the run gives other notebooks) it builds it."""
    path = tmp_path / "ledger.json"
    path.write_text(ledger.to_json_text(shipped), encoding="utf-8")

    def no_build(*_: object) -> None:
        raise AssertionError("the ledger was built again")

    monkeypatch.setattr(ledger, "build", no_build)
    monkeypatch.setenv(config.RUN_LEDGER_ENV, str(path))
    loaded = ledger.current()
    pd.testing.assert_frame_equal(loaded, shipped)
    assert list(loaded.dtypes) == list(shipped.dtypes)
    # 06_external passes its parameters' context: the defaults are the run's ledger ...
    pd.testing.assert_frame_equal(ledger.current(ExternalContext.load("current", 0.05)),
                                  shipped)
    # ... another vintage or tolerance is another ledger, built for it
    for other in (ExternalContext.load("earlier"), ExternalContext.load("current", 0.01)):
        with pytest.raises(AssertionError, match="built again"):
            ledger.current(other)
    for empty in ("", None):
        if empty is None:
            monkeypatch.delenv(config.RUN_LEDGER_ENV)
        else:
            monkeypatch.setenv(config.RUN_LEDGER_ENV, empty)
        with pytest.raises(AssertionError, match="built again"):
            ledger.current()


def test_worked_facts(shipped):
    """The anchors of the brief, on the shipped data."""
    def status(cid: str) -> str:
        return str(_row(shipped, cid)["status"])

    for year in range(2018, 2024):
        assert status(f"K7.{year}.trade_total.identity") == checks.REPRODUCED
    assert status("K7.2019.growth_pct.growth") == checks.WITHIN      # 12.025 % vs 12.0 %
    assert status("K7.2022.growth_pct.growth") == checks.REPRODUCED  # 25 % exactly
    # one rule for every list of shares: neither table list is presented as complete
    assert status("K3.1994.share.sum100") == checks.NOT_DECISIVE     # 92.83: 7.17 left
    assert status("K4.routes.share.sum100") == checks.NOT_DECISIVE
    for year in (2020, 2021, 2022):
        for key in ("exports_to_tr", "imports_from_tr", "trade_total"):
            assert status(f"K6.{year}.{key}.cross.k7") == checks.CONTRADICTED
        assert status(f"K6.{year}.tr_fdi.cross.k8") == checks.CONTRADICTED
    # the text's record FDI of 680 million in 2021 (line 1212)
    fdi = shipped[shipped["diagnosis"].map(en).str.contains("680 миллион")
                  & (shipped["check_id"] == "cross.same_quantity")]
    assert set(fdi["status"]) == {checks.CONTRADICTED} and len(fdi) == 2
    assert all("1212" in lines for lines in fdi["source_lines"])
    impossible = shipped[shipped["check_id"] == "text.impossible"]
    assert len(impossible) == 1
    assert "4.07%, 40.7%" in en(impossible.iloc[0]["diagnosis"])
    assert impossible.iloc[0]["source_lines"] == "1332"
    repeat = _row(shipped, "S.Q05-Q11.repeat")
    assert repeat["status"] == checks.CONTRADICTED
    # issue 11: exact half-open intervals, date spans, counts and series
    assert status("E.summit_01_ankara_1992.dates") == checks.WITHIN  # «30-31 қазанында»
    # 4,7 vs 4,8 mlrd: [4.65, 4.75) and [4.75, 4.85) only touch
    assert status("T211.restated.T194") == checks.CONTRADICTED
    assert status("T167.count") == checks.CONTRADICTED  # "11 summits", the line lists 12
    assert status("T294.events.heads_of_state_summits") == checks.REPRODUCED  # 1994–2000: 5
    assert status("T298.period.heads_of_state_summits") == checks.REPRODUCED  # 1992–2010
    assert status("L.china_europe_containers.sum100") == checks.REPRODUCED   # 96 + 4
    # issue 23: the missed contradictions and the soft verdicts, by rule
    assert status("T196.part_of_year.T219.b") == checks.CONTRADICTED  # 530 > 459,6
    assert status("T219.b.cross.k7") == checks.CONTRADICTED           # 459,6 vs 1 100
    assert status("T024.main.T025.b") == checks.CONTRADICTED          # 71 > 53,5
    assert status("T351.named.T329") == checks.CONTRADICTED           # the two observers
    assert status("T200.revision.T199") == checks.WITHIN              # 3 % → 2,5 %
    assert status("T064.other_date.text") == checks.NOT_DECISIVE      # 9,0 % then 19 %
    assert status("T223.other_date.k6") == checks.NOT_DECISIVE        # 1,6 мың vs 1 400
    assert status("T183.growth.text") == checks.NOT_DECISIVE          # "more than 22"
    assert status("V009.trend.k7") == checks.CONTRADICTED             # "every year"
    assert status("V010.trend.k6") == checks.CONTRADICTED             # "usually a surplus"
    assert status("V006.trend.k8") == checks.CONTRADICTED             # "despite"
    assert status("E.tajikistan_in_ots.status_now") == checks.CONTRADICTED


def test_shipped_ledger_covers_every_number(shipped):
    """Every numeric table cell and every text claim appears in the ledger."""
    lines = {int(x) for cell_lines in shipped["source_lines"] for x in cell_lines.split(";")}
    for name in ledger.CELL_RESOURCES:
        cells = datasets.load(name)
        numeric = cells[cells["value"].notna()]
        missing = sorted(set(numeric["source_line"]) - lines)
        assert not missing, f"{name}: numeric cells on lines {missing} are not in the ledger"
    ids = " ".join(shipped["claim_id"])
    named = ids + " ".join(shipped["inputs"])  # a claim used as an input is named there
    for cid in datasets.load("text_claims")["claim_id"]:
        assert cid in named, f"text claim {cid} has no ledger row"
    for q in datasets.load("survey_results")["question"].unique():
        assert f"S.Q{int(q):02d}.sum" in ids
    for name in ("ots_events", "text_dates"):  # every dated event, told once or more
        for key in datasets.load(name)["event_key"].unique():
            # dated: E.<key>.dates; numbered but dated nowhere: E.<key>.ordinals
            assert f"E.{key}.dates" in ids or f"E.{key}.ordinals" in ids, \
                f"{name}: event {key} has no ledger row"
    for cid in datasets.load("text_enumerations")["claim_id"].unique():
        assert cid in named, f"enumeration {cid} has no ledger row"
    assert set(shipped["status"]) <= set(checks.STATUSES)


def test_untestable_means_untestable(shipped):
    """An untestable row has nothing in the source to test it. Read from the raw data, not
    from the ledger code: no other text statement of the quantity for the same year and
    period (the other end of its own printed range aside), no table cell of the quantity
    and year, and an event said untestable is dated by one telling only."""
    claims = datasets.load("text_claims")
    ctx = ledger.context()
    table_keys = {(f.key, f.year) for f in ctx.tables}
    untestable = shipped[shipped["status"] == checks.UNTESTABLE]
    assert len(untestable) > 0
    for cid in untestable["claim_id"]:
        ref = cid.removesuffix(".none")
        if not re.fullmatch(r"T\d+", ref):
            continue
        c = claims[claims["claim_id"] == ref].iloc[0]
        year = -1 if pd.isna(c["year"]) else c["year"]
        period = c["period"] if isinstance(c["period"], str) else ""
        same = claims[(claims["quantity_key"] == c["quantity_key"])
                      & (claims["claim_id"] != ref)
                      & (claims["year"].fillna(-1) == year)
                      & (claims["period"].fillna("") == period)]
        partner = ((same["source_line"] == c["source_line"])
                   & same["qualifier"].str.contains("range") & ("range" in c["qualifier"]))
        assert same[~partner].empty, f"{ref} is untestable yet {list(same['claim_id'])} state it"
        year = None if pd.isna(c["year"]) else int(c["year"])
        assert (c["quantity_key"], year) not in table_keys, f"{ref}: a table cell states it"
    dated = pd.concat([datasets.load("ots_events"), datasets.load("text_dates")])
    dated = dated[dated["date_printed"].fillna("").str.strip() != ""]
    told = dated.groupby("event_key").size()
    for cid in untestable["claim_id"]:
        m = re.fullmatch(r"E\.(.+)\.dates", cid)
        if m:
            assert told[m.group(1)] == 1, f"{cid}: dated {told[m.group(1)]} times"


# ---------------------------------------------------------------------------------------
# kaztur check
# ---------------------------------------------------------------------------------------


def test_kaztur_check_exit_codes_and_outputs(tmp_path, capsys, shipped_ledger, monkeypatch):
    out = tmp_path / "reports"
    assert cli.main(["check", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("kaztur check: ")
    assert "contradiction(s) in the source" in printed
    csv_text = (out / "ledger.csv").read_text(encoding="utf-8")
    built = shipped_ledger.copy()
    assert csv_text == table_to_csv_text(ledger_text.frame(built, "kk"))  # --lang kk default
    assert (out / "ledger.json").read_text(encoding="utf-8") == ledger.to_json_text(built)
    assert not (out / "ledger.html").exists()  # the page is the site's (`kaztur site`)
    # the command built the real ledger above; the English words and --strict's exit code
    # need not build it twice more (3 s each)
    monkeypatch.setattr(ledger, "build", lambda: shipped_ledger.copy())
    assert cli.main(["check", "--out", str(tmp_path / "en"), "--lang", "en"]) == 0
    capsys.readouterr()
    en_csv = (tmp_path / "en" / "ledger.csv").read_text(encoding="utf-8")
    assert en_csv == table_to_csv_text(ledger_text.frame(built, "en")) != csv_text
    assert (tmp_path / "en" / "ledger.json").read_bytes() == (out / "ledger.json").read_bytes()
    assert cli.main(["check", "--strict", "--out", str(out)]) == 1


def test_kaztur_check_strict_passes_without_contradictions(tmp_path, monkeypatch):
    calm = ledger.to_frame([compare.untestable(text.text_figures(pd.DataFrame([claim(
        "T1", "k", "1", "count", None, 1)]))[0], "T1.none")])
    monkeypatch.setattr(ledger, "build", lambda: calm)
    assert cli.main(["check", "--strict", "--out", str(tmp_path)]) == 0


def test_reports_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KAZTUR_REPORTS_DIR", str(tmp_path / "env"))
    assert ledger_files.reports_dir() == tmp_path / "env"
    assert ledger_files.reports_dir(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("KAZTUR_REPORTS_DIR")
    assert ledger_files.reports_dir() == config.REPORTS_DIR


def test_bad_input_data_exits_1_with_the_location(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(REPO_RAW, raw)
    k7 = raw / "k7_trade_2018_2023.csv"
    text = k7.read_text(encoding="utf-8")
    assert ",1 580,1580,USD million," in text
    k7.write_text(text.replace(",1 580,1580,USD million,", ",1 580,1590,USD million,"),
                  encoding="utf-8")
    monkeypatch.setattr(config, "RAW_DIR", raw)
    assert cli.main(["check", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "bad input data" in err and "k7_trade_2018_2023.csv" in err
    assert not (tmp_path / "out" / "ledger.csv").exists()


def test_figures_keep_printed_precision():
    k7 = pd.DataFrame([cell("Кесте 7", "2019", "growth_pct", 2019, "+12.0%", 1015,
                            unit="percent")])
    (f,) = tables.table_figures(k7)
    assert f.ref == "K7.2019.growth_pct" and f.key == "kz_tr_trade_growth_pct"
    assert f.value == Decimal("12") and f.parsed.decimals == 1


def test_every_raw_resource_feeds_the_ledger(monkeypatch):
    """Guard (docs/ADDING_A_TABLE.md): a raw file added to the transcription is read by the
    ledger, so its numbers are judged; a cell table is found by its schema
    (``CELL_RESOURCES`` is discovered), any other file needs its producer. Forgetting either
    fails here, naming the file. The findings' catalogue reads the one raw file that holds
    no number to judge: the dissertation's conclusions (for the findings' severity)."""
    from analysis.data.schemas import RESOURCES
    from analysis.findings import facts

    read: list[str] = []
    real = datasets.load

    def recording(name: str):
        read.append(name)
        return real(name)

    monkeypatch.setattr(ledger.datasets, "load", recording)
    ledger.context()
    judged = set(read)
    facts.catalogue()
    assert set(read) - judged <= {"conclusions"}, "the findings read no numbers to judge"
    unread = sorted(set(RESOURCES) - set(read))
    assert not unread, f"raw files the ledger never reads: {unread}"
    assert set(ledger.CELL_RESOURCES) == {n for n, r in RESOURCES.items()
                                          if r.fields == CELL_FIELDS}


def test_cell_tables_are_discovered_from_their_schema():
    """A new cell table (schema CELL_FIELDS) is judged without touching the checks."""
    from analysis.checks import declarations

    assert "k7_trade_2018_2023" in declarations.CELL_RESOURCES
    assert "text_claims" not in declarations.CELL_RESOURCES
