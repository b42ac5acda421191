"""The one set of numbers: what the command line, the site, REPLICATION.md and the README
say the package found.

:func:`headline` counts, from the neutral ledger and its findings, with words that say what
is counted:

* **findings** — distinct problems (:mod:`analysis.findings.build`), by severity, firm or
  debatable, inside the source or against the official record;
* **ledger rows** — one check each (never "numbers"): inside the source by status
  (:data:`analysis.checks.core.STATUSES`), against the official record by verdict
  (:data:`analysis.checks.official.VERDICTS`); a row that ``differs by definition`` is
  counted as such, never as a contradiction.

It is data (a :class:`Headline`); :func:`analysis.present.findings_text.headline_text`
writes it in Kazakh or English. Every front end calls these two, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.checks import official_rows
from analysis.checks.core import CONTRADICTED
from analysis.checks.official import DEFINITION, DISAGREES
from analysis.findings.firmness import FIRM
from analysis.findings.model import BOTH, INTERNAL, RECORD, Finding
from analysis.findings.severity import SEVERITIES

__all__ = ["Headline", "headline"]


@dataclass(frozen=True)
class Headline:
    findings: int
    findings_by_severity: dict[str, int]
    findings_internal: int          # inside the source only
    findings_record: int            # against the official record only
    findings_both: int              # both
    firm: int
    debatable: int
    rows: int                       # ledger rows
    internal_rows: int
    internal_by_status: dict[str, int]
    internal_contradicted: int
    record_rows: int
    record_by_verdict: dict[str, int]
    record_disagree: int
    record_definition: int
    top: tuple[str, ...] = field(default=())  # ids of the findings, most serious first


def headline(ledger: pd.DataFrame, findings: Sequence[Finding]) -> Headline:
    """The counts of ``ledger`` (neutral) and its ``findings`` (module docstring)."""
    counts = official_rows.counts(ledger)
    internal, record = counts["internal"], counts["external"]
    scopes = [f.scope for f in findings]
    return Headline(
        findings=len(findings),
        findings_by_severity={s: sum(f.severity == s for f in findings) for s in SEVERITIES},
        findings_internal=scopes.count(INTERNAL), findings_record=scopes.count(RECORD),
        findings_both=scopes.count(BOTH), firm=sum(f.firmness == FIRM for f in findings),
        debatable=sum(f.firmness != FIRM for f in findings), rows=len(ledger),
        internal_rows=sum(internal.values()), internal_by_status=dict(internal),
        internal_contradicted=internal.get(CONTRADICTED, 0),
        record_rows=sum(record.values()), record_by_verdict=dict(record),
        record_disagree=record.get(DISAGREES, 0), record_definition=record.get(DEFINITION, 0),
        top=tuple(f.id for f in findings))
