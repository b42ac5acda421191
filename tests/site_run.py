"""A synthetic run for the site's tests: ``reports/<lang>/`` with two notebooks that
published results, a table with its shown cells, a front-page figure and a ledger (built in
a fraction of a second, so that Sphinx builds of it stay short)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.present import results
from analysis.present.results import Result

COLS = ["claim_id", "check_id", "status", "exhibit", "source_lines", "value_printed",
        "inputs", "recomputed", "tolerance", "diagnosis"]


def ledger_frame(rows: list[dict]) -> pd.DataFrame:
    base = dict.fromkeys(COLS, "")
    return pd.DataFrame([{**base, **r} for r in rows], columns=list(
        dict.fromkeys(COLS + [k for r in rows for k in r])))


def small_ledger_frame() -> pd.DataFrame:
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
        {"claim_id": "S1", "check_id": "survey.joint_n", "status": "within rounding",
         "exhibit": "Қосымша Б", "source_lines": "1700"},
    ])


def notebook(cells: list[dict]) -> dict:
    return {"cells": cells, "metadata": {"kernelspec": {"name": "kaztur", "language": "python",
                                                        "display_name": "k"}},
            "nbformat": 4, "nbformat_minor": 5}


def code(cid: str, source: str, tags: tuple[str, ...] = (), outputs=None,
          count: int | None = 1) -> dict:
    return {"cell_type": "code", "id": cid, "metadata": {"tags": list(tags)},
            "source": source, "execution_count": count, "outputs": outputs or []}


def md(cid: str, source: str, tags: tuple[str, ...] = ()) -> dict:
    return {"cell_type": "markdown", "id": cid, "metadata": {"tags": list(tags)},
            "source": source}


GROWTH = Result("trade.growth.trade_total", {
    "series": results.label("trade.q.trade_total"), "start": results.year(2018),
    "end": results.year(2023), "n": results.count(6), "cagr": results.percent(0.15159),
    "rate": results.percent(0.15618), "low": results.percent(0.08308),
    "high": results.percent(0.23422), "level": results.level(0.95)},
    text="result.growth", section="result.section.growth", front=True, cell=2)
SAMPLE = Result("survey.sample_size", {"n": results.count(573), "count": results.count(48),
                                       "n_max": results.count(5000)},
                text="result.survey.sample_size", section="result.section.survey",
                front=True, ledger_check="survey.joint_n", cell=3)
SHOWN = {"columns": ["Жыл", "Сауда айналымы", "Басылған өсу"],
         "rows": [["2019", "1 770", "+12.0%"], ["2020", "1 750", "−1.1%"]],
         "printed": [False, False, True]}


def _write_notebook(root: Path, stem: str, results_: list[Result], lang: str) -> dict:
    folder = root / stem
    (folder / "tables").mkdir(parents=True)
    (folder / "figures").mkdir()
    nb = notebook([md("m1", f"# {stem} · Қазақша / English"), code("c1", "x = 1", count=1),
                    code("c2", "ex.table('t', frame)", count=2),
                    code("c3", "ex.publish(r)", count=3)])
    (folder / f"{stem}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (folder / "results.json").write_text(json.dumps(
        {"results": [r.to_json() for r in results_]}), encoding="utf-8")
    (folder / "tables" / "t.csv").write_text("Жыл,Айналым\n2019,1770\n", encoding="utf-8")
    (folder / "tables" / "t.data.csv").write_text("year,total\n2019,1770\n", encoding="utf-8")
    (folder / "tables" / "t.json").write_text(json.dumps(
        {"name": "t", "kind": "table", "caption": "Кесте 1.1. Сауда", "cell": 2,
         "files": ["t.csv", "t.data.csv"], "shown": SHOWN}), encoding="utf-8")
    (folder / "figures" / "f.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>",
                                              encoding="utf-8")
    (folder / "figures" / "f.json").write_text(json.dumps(
        {"name": "f", "kind": "figure", "caption": "Сурет 1.1. Өсу", "cell": 2,
         "front": stem == "01_trade", "files": ["f.svg"]}), encoding="utf-8")
    return {"stem": stem, "folder": stem, "status": "ok", "parameters": {"lang": lang},
            "files": {"notebook": f"{stem}/{stem}.ipynb"},
            "outputs": [{"name": "t", "kind": "table", "caption": "Кесте 1.1. Сауда",
                         "files": [f"{stem}/tables/t.csv", f"{stem}/tables/t.data.csv"]},
                        {"name": "f", "kind": "figure", "caption": "Сурет 1.1. Өсу",
                         "files": [f"{stem}/figures/f.svg"]}]}


def make_run(reports: Path, ledger_: pd.DataFrame | None, langs=("kk", "en")) -> Path:
    """reports/<lang>/ with 01_trade (a growth result, a front figure) and 04_survey (the
    sample size, resting on the ledger's survey.joint_n row)."""
    for lang in langs:
        root = reports / lang
        entries = [_write_notebook(root, "01_trade", [GROWTH], lang),
                   _write_notebook(root, "04_survey", [SAMPLE], lang)]
        (root / "manifest.json").write_text(json.dumps({"notebooks": entries}),
                                            encoding="utf-8")
        if ledger_ is not None:
            ledger_.to_csv(root / "ledger.csv", index=False)
    return reports
