"""The findings of a ledger: group, assess, test causes, propose corrections, say them.

:func:`build` takes the language-neutral ledger (:func:`analysis.checks.ledger.build`, or
``ledger.json`` read back with :func:`analysis.checks.ledger.from_json_text`) and returns
its findings, most serious first (severity, then the size of the discrepancy, then the id).
:func:`evidence` loads what the cause tests look at beyond the rows (the tables' trade
cells and the official trade series); tests pass crafted ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.findings import causes as causes_mod
from analysis.findings import corrections, firmness, severity, texts
from analysis.findings.facts import Catalogue, RowFacts, catalogue, rows_of
from analysis.findings.grouping import Group, Key, group
from analysis.findings.model import (
    BOTH,
    INTERNAL,
    RECORD,
    CauseRecord,
    ConclusionRecord,
    CorrectionRecord,
    Finding,
)

__all__ = ["build", "evidence", "finding_id"]

_KIND_ORDER = ("event", "survey", "trend", "tables", "record", "table", "figure", "subject")


def _slug(part: str) -> str:
    part = part.replace("Кесте ", "k").replace("Қосымша ", "app-")
    return re.sub(r"[^0-9A-Za-z_]+", "-", part).strip("-").lower()


def finding_id(keys: Sequence[Key]) -> str:
    """A stable id derived from the finding's keys: the smallest key of its most telling
    kind (``tables-k6-k7-trade``, ``figure-t191``, ``event-summit_05_astana_1998``)."""
    kinds = {k[0] for k in keys}
    kind = next((k for k in _KIND_ORDER if k in kinds), sorted(kinds)[0])
    key = min(k for k in keys if k[0] == kind)
    if kind == "record":
        key = (*key, *sorted({k[1] for k in keys if k[0] == "figure"}))
    return "-".join(_slug(p) for p in key if p)


def _scope(rows: Sequence[RowFacts]) -> str:
    external = [r.external for r in rows]
    return RECORD if all(external) else BOTH if any(external) else INTERNAL


def _evidence_rows(found: Sequence[causes_mod.Cause], rows: Sequence[RowFacts],
                   ev: causes_mod.Evidence) -> tuple[tuple[str, str], ...]:
    """The ledger rows a fitting definition cause rests on (the figures' external rows)."""
    if not any(c.fits and c.key in causes_mod.DEFINITION_CAUSE.values() for c in found):
        return ()
    refs = dict.fromkeys(f.ref for r in rows for f in r.figures)
    out = [(e.claim_id, e.check_id) for ref in refs if (e := ev.external_of(ref)) is not None
           and not e.contradiction]
    return tuple(out)


def _finding(g: Group, cat: Catalogue, ev: causes_mod.Evidence) -> Finding:
    rows = g.rows
    sev = severity.assess(rows, cat)
    tested = causes_mod.test_causes(rows, ev)
    firm = firmness.judge(rows, tested, cat)
    return Finding(
        id=finding_id(g.keys), kind=g.kind, scope=_scope(rows), severity=sev.level,
        size=sev.size, gap="" if sev.gap is None else str(float(sev.gap)),
        conclusions=tuple(ConclusionRecord(c.id, c.line, c.heading_kk, c.quote_kk, c.quote_en)
                          for c in sev.conclusions), firmness=firm.level,
        firmness_reason=firm.reason, title=texts.title(g, cat),
        statement=texts.statement(g, cat), arithmetic=texts.arithmetic(g),
        lines=tuple(sorted({n for r in rows for n in r.lines})),
        exhibits=tuple(sorted({e for r in rows for e in r.exhibits})),
        rows=tuple((r.claim_id, r.check_id) for r in rows),
        causes=tuple(CauseRecord(c.key, c.fits, c.evidence) for c in tested),
        corrections=tuple(CorrectionRecord(c.phrase, c.decided)
                          for c in corrections.propose(rows, ev)),
        evidence_rows=_evidence_rows(tested, rows, ev))


def evidence(rows: Sequence[RowFacts]) -> causes_mod.Evidence:
    """The cause tests' evidence from the shipped data: the trade cells of Кесте 6 and
    Кесте 7 (long form) and the official trade series."""
    from analysis.analyses import official
    from analysis.data import datasets

    tables = {name: frame[frame["quantity"].isin(list(official.FLOW_OF))]
              for name, frame in (("Кесте 6", official.k6_long(datasets.load(
                  "indicators_2020_2022"))), ("Кесте 7", official.k7_long(datasets.load(
                      "trade"))))}
    return causes_mod.Evidence(rows=rows, tables=tables,
                               series=official.series_long(official.load("kz_tr_trade")))


def _order(f: Finding) -> tuple[int, float, int, str]:
    gap = float(f.gap) if f.gap else 0.0
    return severity.SEVERITIES.index(f.severity), -gap, -len(f.rows), f.id


def build(ledger: pd.DataFrame, cat: Catalogue | None = None,
          ev: causes_mod.Evidence | None = None) -> list[Finding]:
    """The findings of ``ledger`` (neutral), most serious first. ``cat`` and ``ev``
    default to the shipped data's (:func:`analysis.findings.facts.catalogue`,
    :func:`evidence`)."""
    rows = rows_of(ledger)
    cat = cat if cat is not None else catalogue()
    ev = ev if ev is not None else evidence(rows)
    if not ev.rows:
        ev = causes_mod.Evidence(rows=rows, tables=ev.tables, series=ev.series)
    found = [_finding(g, cat, ev) for g in group(rows, cat)]
    ids = [f.id for f in found]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"two findings share an id: {twice}")
    return sorted(found, key=_order)
