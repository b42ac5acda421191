"""The front page's facts: what the run found, read as data from the run's outputs.

Nothing here computes an analysis again, and nothing is read out of a translated text:

* the results the notebooks published for the front page (``front`` in their
  ``results.json``: :mod:`analysis.present.results`), in the order of the notebooks, under
  the headings they name; each links to the cell that published it and, when it rests on a
  ledger check, to that ledger row;
* the figures the notebooks marked for the front page (``ex.figure(..., front=True)``);
* the ledger's counts by verdict (statuses and external verdicts as keys: from the
  language-neutral ``ledger.json`` when the run wrote one, else from the statuses of
  ``ledger.csv``, which stay keys in every language) and its most serious contradictions,
  chosen by ``status``, ``severity`` and ids, their texts from the ledger of the page's
  language;
* which notebooks' outputs are missing (a run is "partial" only then).

So a renamed label or table header cannot drop a fact: the site names no notebook, table or
column header of a notebook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.checks.core import CONTRADICTED, STATUSES
from analysis.present.results import Result
from analysis.run import exhibit_map
from analysis.run.site.inputs import Notebook, Output, RunInputs
from analysis.run.site.ledger import lines_of, row_anchor, serious_first

#: Most serious contradictions shown on the front page.
TOP_CONTRADICTIONS = 5
EXTERNAL_VERDICT = "external_verdict"


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a notebook cell and/or a ledger row."""

    notebook: str | None = None
    cell_id: str | None = None
    ledger_anchor: str | None = None


@dataclass(frozen=True)
class Contradiction:
    claim_id: str
    check_id: str
    exhibit: str
    lines: tuple[int, ...]
    printed: str
    recomputed: str
    diagnosis: str
    source: Source


@dataclass(frozen=True)
class Statement:
    """A published result on the front page, with where it comes from."""

    result: Result
    source: Source


@dataclass
class FrontFacts:
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    contradictions: list[Contradiction] = field(default_factory=list)
    external: dict[str, int] = field(default_factory=dict)
    sections: dict[str, list[Statement]] = field(default_factory=dict)
    figures: list[Output] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    keyed: bool = False  # the counts' verdicts are keys (from ledger.json), not words


def read_ledger(path: object) -> pd.DataFrame | None:
    """``ledger.csv`` as text columns (the published values, not reparsed)."""
    if path is None:
        return None
    return pd.read_csv(str(path), dtype=str, keep_default_na=False)


def _ledger_anchor(ledger: pd.DataFrame | None, check_id: str) -> str | None:
    if ledger is None or not check_id or "check_id" not in ledger.columns:
        return None
    rows = ledger[ledger["check_id"] == check_id]
    return None if rows.empty else row_anchor(rows["claim_id"].iloc[0], check_id)


def _statement(nb: Notebook, result: Result, ledger: pd.DataFrame | None) -> Statement:
    return Statement(result, Source(notebook=nb.stem, cell_id=nb.cell_id(result.cell),
                                    ledger_anchor=_ledger_anchor(ledger, result.ledger_check)))


def published(run: RunInputs, ledger: pd.DataFrame | None) -> dict[str, list[Statement]]:
    """The front-page results of every notebook, by section (in the notebooks' order)."""
    sections: dict[str, list[Statement]] = {}
    for nb in run.notebooks:
        for result in nb.results:
            if result.front:
                sections.setdefault(result.section, []).append(_statement(nb, result, ledger))
    return sections


def _diagnosis_column(ledger: pd.DataFrame, lang: str) -> str:
    return f"diagnosis_{lang}" if f"diagnosis_{lang}" in ledger.columns else "diagnosis"


def contradictions(ledger: pd.DataFrame, lang: str) -> list[Contradiction]:
    """The most serious contradictions (the ledger's own severity first)."""
    contra = serious_first(ledger[ledger["status"] == CONTRADICTED])
    diag = _diagnosis_column(ledger, lang)
    return [Contradiction(
        claim_id=r["claim_id"], check_id=r["check_id"], exhibit=r.get("exhibit", ""),
        lines=tuple(lines_of(r.get("source_lines"))), printed=r.get("value_printed", ""),
        recomputed=r.get("recomputed", ""), diagnosis=r.get(diag, ""),
        source=Source(ledger_anchor=row_anchor(r["claim_id"], r["check_id"])))
        for r in contra.head(TOP_CONTRADICTIONS).to_dict("records")]


def neutral_ledger(run: RunInputs) -> pd.DataFrame | None:
    """The language-neutral ledger (``ledger.json``), or None when the run wrote none."""
    if run.ledger_json is None:
        return None
    # deliberate lazy import: the checks load the analysis library, which the up-to-date
    # check never needs
    from analysis.checks.ledger import from_json_text

    return from_json_text(run.ledger_json.read_text(encoding="utf-8"))


def external_counts(ledger: pd.DataFrame) -> dict[str, int]:
    """Rows set against the official record, by verdict (keys when ``ledger`` is the
    neutral ledger)."""
    if EXTERNAL_VERDICT not in ledger.columns:
        return {}
    values = ledger[EXTERNAL_VERDICT].fillna("")
    values = values[values != ""]
    return {str(k): int(v) for k, v in values.value_counts().sort_index().items()}


def missing_outputs(run: RunInputs, expected: Sequence[str] | None = None) -> list[str]:
    """Notebooks whose outputs are not all there: not in the run, failed, or with files
    gone. ``expected``: the notebooks a complete run has (default: those of the exhibit
    map and of the manifest)."""
    names = list(dict.fromkeys([*(expected if expected is not None else
                                  [s.notebook for ex in exhibit_map.load() for s in ex.sources]),
                                *(nb.stem for nb in run.notebooks)]))
    out = []
    for stem in names:
        nb = run.notebook(stem)
        if nb is None or nb.status != "ok" or nb.missing():
            out.append(stem)
    return out


def collect(run: RunInputs, ledger: pd.DataFrame | None) -> FrontFacts:
    """Every fact of the front page, from the run's outputs."""
    out = FrontFacts(sections=published(run, ledger),
                     figures=[o for nb in run.notebooks for o in nb.outputs
                              if o.kind == "figure" and o.front],
                     missing=missing_outputs(run))
    if ledger is not None:
        keys = neutral_ledger(run)
        counted = keys if keys is not None else ledger
        out.total = len(counted)
        out.counts = {s: int((counted["status"] == s).sum()) for s in STATUSES}
        out.external = external_counts(counted)
        out.keyed = keys is not None
        out.contradictions = contradictions(ledger, run.lang)
    return out
