"""The front page's facts: what the run found, read as data from the run's outputs.

Nothing here computes an analysis again, and nothing is read out of a translated text:

* the findings (``findings.json``, :mod:`analysis.findings`: distinct problems, most serious
  first) and the headline (:func:`analysis.findings.headline.headline`: the one set of
  numbers the command line, ``REPLICATION.md`` and the README show too), counted from the
  language-neutral ``ledger.json``;
* the results the notebooks published for the front page (``front`` in their
  ``results.json``: :mod:`analysis.present.results`), under the headings they name, in the
  order :data:`SECTION_ORDER` gives (the survey's sample size, then growth with its
  intervals); each links to the cell that published it and, when it rests on a ledger
  check, to that ledger row;
* the figures the notebooks marked for the front page (``ex.figure(..., front=True)``);
* which notebooks' outputs are missing (a run is "partial" only then).

So a renamed label or table header cannot drop a fact: the site names no notebook, table or
column header of a notebook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.findings.headline import Headline, headline
from analysis.findings.model import Finding, from_json_text
from analysis.present.results import Result
from analysis.run import exhibit_map
from analysis.run.site.inputs import Notebook, Output, RunInputs, SiteInputError
from analysis.run.site.ledger import row_anchor

#: Most serious findings shown on the front page (the rest: the findings page).
TOP_FINDINGS = 6
#: The published sections in the order the front page shows them; others follow in the
#: notebooks' order.
SECTION_ORDER = ("result.section.survey", "result.section.growth")


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a notebook cell and/or a ledger row."""

    notebook: str | None = None
    cell_id: str | None = None
    ledger_anchor: str | None = None


@dataclass(frozen=True)
class Statement:
    """A published result on the front page, with where it comes from."""

    result: Result
    source: Source


@dataclass
class FrontFacts:
    findings: list[Finding] = field(default_factory=list)
    headline: Headline | None = None
    sections: dict[str, list[Statement]] = field(default_factory=dict)
    figures: list[Output] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def top(self) -> list[Finding]:
        return self.findings[:TOP_FINDINGS]


def read_ledger(path: object) -> pd.DataFrame | None:
    """``ledger.csv`` as text columns, for the ledger page that shows it in its language
    (the facts and the replication classes read the neutral ledger: :func:`neutral_ledger`)."""
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
    """The front-page results of every notebook, by section (:data:`SECTION_ORDER`, then
    the notebooks' order)."""
    sections: dict[str, list[Statement]] = {}
    for nb in run.notebooks:
        for result in nb.results:
            if result.front:
                sections.setdefault(result.section, []).append(_statement(nb, result, ledger))
    rank = {s: i for i, s in enumerate(SECTION_ORDER)}
    order = sorted(sections, key=lambda s: rank.get(s, len(rank)))
    return {s: sections[s] for s in order}


def neutral_ledger(run: RunInputs) -> pd.DataFrame | None:
    """The language-neutral ledger (``ledger.json``), or None when the run wrote none."""
    if run.ledger_json is None:
        return None
    # deliberate lazy import: the checks load the analysis library, which the up-to-date
    # check never needs
    from analysis.checks.ledger import from_json_text as ledger_from_json

    return ledger_from_json(run.ledger_json.read_text(encoding="utf-8"))


def read_findings(run: RunInputs) -> list[Finding]:
    """The run's findings (``findings.json``), most serious first; none when not written."""
    if run.findings_json is None:
        return []
    try:
        return from_json_text(run.findings_json.read_text(encoding="utf-8"))
    except (ValueError, TypeError, KeyError) as exc:
        raise SiteInputError(f"{run.findings_json}: unreadable ({exc}); run `kaztur run` "
                             "(or `kaztur check`) again") from exc


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


def collect(run: RunInputs, ledger: pd.DataFrame | None,
            findings: list[Finding] | None = None) -> FrontFacts:
    """Every fact of the front page, from the run's outputs (``findings``: already read)."""
    found = read_findings(run) if findings is None else findings
    neutral = neutral_ledger(run) if found else None
    return FrontFacts(findings=found,
                      headline=headline(neutral, found) if neutral is not None else None,
                      sections=published(run, ledger),
                      figures=[o for nb in run.notebooks for o in nb.outputs
                               if o.kind == "figure" and o.front],
                      missing=missing_outputs(run))
