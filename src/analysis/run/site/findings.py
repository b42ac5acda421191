"""What the package found, as numbers read from the run's outputs (the front page's facts).

Nothing here computes an analysis again: the ledger counts and contradictions come from
``ledger.csv``, the survey's recovered sample size from the ``survey_joint_n`` table, the
growth estimates from the ``k7_trade_trend`` and ``k8_investment_trend`` tables that the
notebooks saved. Each fact carries where it comes from (:class:`Source`: the notebook, the
cell that showed it, the ledger row), so the page links every number to its origin.

The saved tables are localised (headers in the language the notebook ran in), so columns
are found by their label keys (``present/labels/*.yaml``) in that language; a table whose
header is not found gives no fact and a warning (:attr:`Findings.warnings`), never a guess.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.checks.core import CONTRADICTED, STATUSES
from analysis.present.i18n import labels, t
from analysis.present.ledger_page import lines_of, row_anchor, serious_first
from analysis.run.site.inputs import RunInputs

#: Most serious contradictions shown on the front page.
TOP_CONTRADICTIONS = 5

#: (notebook, table, label prefix) of the growth estimates shown on the front page.
GROWTH_TABLES = (("01_trade", "k7_trade_trend", "trade"),
                 ("02_investment", "k8_investment_trend", "inv"))
SURVEY_TABLE = ("04_survey", "survey_joint_n")
SURVEY_CHECK = "survey.joint_n"
LEDGER_NOTEBOOK = ("05_checks", "checks_contradictions")


@dataclass(frozen=True)
class Source:
    """Where a number comes from: a notebook cell and/or a ledger row."""

    notebook: str | None = None
    cell_id: str | None = None
    output: str | None = None
    ledger_anchor: str | None = None


@dataclass(frozen=True)
class Contradiction:
    claim_id: str
    check_id: str
    kind: str
    exhibit: str
    lines: tuple[int, ...]
    printed: str
    recomputed: str
    diagnosis: str
    source: Source


@dataclass(frozen=True)
class Growth:
    series: str
    method: str
    rate: float
    low: float | None
    high: float | None
    level: str  # "95" (the interval's level, from the caption) or ""
    source: Source


@dataclass(frozen=True)
class SurveyN:
    smallest: int
    count: int | None
    source: Source


@dataclass
class Findings:
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    contradictions: list[Contradiction] = field(default_factory=list)
    survey: SurveyN | None = None
    growth: list[Growth] = field(default_factory=list)
    external: dict[str, int] = field(default_factory=dict)
    ledger_source: Source = field(default_factory=Source)
    warnings: list[str] = field(default_factory=list)


def read_ledger(path: Path | None) -> pd.DataFrame | None:
    """``ledger.csv`` as text columns (the published values, not reparsed)."""
    if path is None:
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def find_cell(ipynb: Path | None, name: str, caption: str = "") -> str | None:
    """The id of the cell that saved the output ``name``: the first code cell whose source
    names it in quotes, else the first whose outputs show its caption."""
    if ipynb is None:
        return None
    cells = json.loads(ipynb.read_text(encoding="utf-8")).get("cells", [])
    quoted = (f'"{name}"', f"'{name}'")
    for cell in cells:
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "code" and any(q in source for q in quoted):
            return cell.get("id")
    if caption:
        for cell in cells:
            if caption in json.dumps(cell.get("outputs", []), ensure_ascii=False):
                return cell.get("id")
    return None


def _source(run: RunInputs, stem: str, name: str, anchor: str | None = None) -> Source:
    nb = run.notebook(stem)
    out = run.output(stem, "table", name) or run.output(stem, "figure", name)
    cell = find_cell(nb.ipynb if nb else None, name, out.caption if out else "")
    return Source(notebook=stem if nb else None, cell_id=cell, output=name,
                  ledger_anchor=anchor)


def _header(key: str, lang: str) -> str | None:
    return t(key, lang) if key in labels() else None


def _column(frame: pd.DataFrame, key: str, lang: str) -> str | None:
    head = _header(key, lang)
    return head if head is not None and head in frame.columns else None


def _float(value: object) -> float | None:
    try:
        x = float(str(value))
    except ValueError:
        return None
    return None if x != x else x


def _level(caption: str) -> str:
    found = re.search(r"(\d+(?:[.,]\d+)?)\s?%\s*(?:аралық|interval)", caption)
    return found.group(1) if found else ""


def growth_estimates(run: RunInputs, out: Findings) -> None:
    """CAGR and the least-squares rate with its HC3 interval, per series."""
    lang = run.run_lang
    for stem, name, prefix in GROWTH_TABLES:
        saved = run.output(stem, "table", name)
        csv = saved.file(".csv") if saved else None
        if saved is None or csv is None:
            out.warnings.append(f"{stem}: table {name} was not saved by this run")
            continue
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        keys = ("series", "method", "se_type", "rate", "ci_low", "ci_high")
        cols = {k: _column(frame, f"{prefix}.col.{k}", lang) for k in keys}
        missing = [k for k, c in cols.items() if c is None]
        if missing:
            out.warnings.append(f"{csv}: no column for {', '.join(missing)} in {lang}")
            continue
        hc3 = t(f"{prefix}.se.HC3", lang) if f"{prefix}.se.HC3" in labels() else "HC3"
        src = _source(run, stem, name)
        for r in frame.to_dict("records"):
            rate = _float(r[cols["rate"]])
            low, high = _float(r[cols["ci_low"]]), _float(r[cols["ci_high"]])
            interval = low is not None and high is not None
            if rate is None or (interval and r[cols["se_type"]] != hc3):
                continue
            out.growth.append(Growth(series=r[cols["series"]], method=r[cols["method"]],
                                     rate=rate, low=low, high=high,
                                     level=_level(saved.caption) if interval else "",
                                     source=src))


def survey_n(run: RunInputs, ledger: pd.DataFrame | None, out: Findings) -> None:
    """The smallest N at which every printed percentage of every question fits."""
    stem, name = SURVEY_TABLE
    saved = run.output(stem, "table", name)
    csv = saved.file(".csv") if saved else None
    if csv is None:
        out.warnings.append(f"{stem}: table {name} was not saved by this run")
        return
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    lang = run.run_lang
    smallest = _column(frame, "survey.col.smallest_joint_n", lang)
    count = _column(frame, "survey.col.n_joint_feasible", lang)
    if smallest is None or frame.empty or _float(frame[smallest].iloc[0]) is None:
        out.warnings.append(f"{csv}: no smallest joint N column in {lang}")
        return
    anchor = None
    if ledger is not None and "check_id" in ledger.columns:
        rows = ledger[ledger["check_id"] == SURVEY_CHECK]
        if not rows.empty:
            anchor = row_anchor(rows["claim_id"].iloc[0], SURVEY_CHECK)
    n_count = _float(frame[count].iloc[0]) if count else None
    out.survey = SurveyN(smallest=int(_float(frame[smallest].iloc[0]) or 0),
                         count=int(n_count) if n_count is not None else None,
                         source=_source(run, stem, name, anchor))


def contradictions(run: RunInputs, ledger: pd.DataFrame, out: Findings) -> None:
    """The most serious contradictions: by the ledger's own severity when it has one,
    else one per kind of check in :func:`analysis.present.ledger_page.serious_first`."""
    contra = serious_first(ledger[ledger["status"] == CONTRADICTED])
    diag = f"diagnosis_{run.lang}" if f"diagnosis_{run.lang}" in ledger.columns \
        else "diagnosis"
    stem, name = LEDGER_NOTEBOOK
    for r in contra.head(TOP_CONTRADICTIONS).to_dict("records"):
        anchor = row_anchor(r["claim_id"], r["check_id"])
        out.contradictions.append(Contradiction(
            claim_id=r["claim_id"], check_id=r["check_id"],
            kind=r.get("kind") or r["check_id"].split(".")[0], exhibit=r.get("exhibit", ""),
            lines=tuple(lines_of(r.get("source_lines"))), printed=r.get("value_printed", ""),
            recomputed=r.get("recomputed", ""), diagnosis=r.get(diag, ""),
            source=_source(run, stem, name, anchor)))


def external_counts(ledger: pd.DataFrame) -> dict[str, int]:
    col = next((c for c in ("external_verdict", "external_status") if c in ledger.columns),
               None)
    if col is None:
        return {}
    values = ledger[col][ledger[col] != ""]
    return {str(k): int(v) for k, v in values.value_counts().sort_index().items()}


def collect(run: RunInputs) -> Findings:
    """Every fact of the front page, from the run's outputs."""
    out = Findings()
    ledger = read_ledger(run.ledger_csv)
    if ledger is None:
        out.warnings.append("no ledger.csv: run `kaztur check`")
    else:
        out.total = len(ledger)
        out.counts = {s: int((ledger["status"] == s).sum()) for s in STATUSES}
        out.external = external_counts(ledger)
        out.ledger_source = _source(run, *LEDGER_NOTEBOOK)
        contradictions(run, ledger, out)
    survey_n(run, ledger, out)
    growth_estimates(run, out)
    return out
