"""The finding record and ``findings.json``, the language-neutral findings file.

A :class:`Finding` holds ids, keys, numbers and phrases (:mod:`analysis.checks.phrases`
form; templates under ``findings.<key>``), never a sentence: the presentation layer
(:mod:`analysis.present.findings_text`) writes it in Kazakh or English. ``findings.json``
is ``{"version": 1, "findings": [...]}``, one object per finding in the order of
:func:`analysis.findings.build.build` (most serious first), keys sorted, so the same
ledger gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from analysis.checks.phrases import Phrase

JSON_VERSION = 1
INTERNAL, RECORD, BOTH = "internal", "record", "both"
SCOPES: tuple[str, ...] = (INTERNAL, RECORD, BOTH)

__all__ = ["BOTH", "INTERNAL", "JSON_VERSION", "RECORD", "SCOPES", "CauseRecord",
           "ConclusionRecord", "CorrectionRecord", "Finding", "from_json_text", "to_json_text"]


@dataclass(frozen=True)
class CauseRecord:
    key: str
    fits: bool
    evidence: Phrase


@dataclass(frozen=True)
class ConclusionRecord:
    """A conclusion of the dissertation a finding touches, quoted as printed."""

    id: str
    line: int
    heading_kk: str
    quote_kk: str
    quote_en: str


@dataclass(frozen=True)
class CorrectionRecord:
    phrase: Phrase
    decided: bool


@dataclass(frozen=True)
class Finding:
    """One problem of the source, with everything a reader needs to act on it."""

    id: str
    kind: str                        # event, survey, trend, tables, record, table, figure
    scope: str                       # internal, record (against the official record), both
    severity: str                    # high, medium, low
    size: str                        # large, medium, small, categorical
    gap: str                         # the largest relative gap, exact decimal ("" if none)
    conclusions: tuple[ConclusionRecord, ...]  # the conclusions that rest on it
    firmness: str                    # firm or debatable
    firmness_reason: str             # a key (reading, definition, undated, touching) or ""
    title: Phrase
    statement: Phrase
    arithmetic: Phrase
    lines: tuple[int, ...]
    exhibits: tuple[str, ...]        # where its numbers are printed (ledger names)
    rows: tuple[tuple[str, str], ...]  # (claim_id, check_id) of every row it rests on
    causes: tuple[CauseRecord, ...] = ()
    corrections: tuple[CorrectionRecord, ...] = ()
    evidence_rows: tuple[tuple[str, str], ...] = field(default=())  # rows a cause cites

    @property
    def fitting_causes(self) -> tuple[CauseRecord, ...]:
        return tuple(c for c in self.causes if c.fits)

    def record(self) -> dict[str, Any]:
        out = asdict(self)
        out["rows"] = [list(r) for r in self.rows]
        out["evidence_rows"] = [list(r) for r in self.evidence_rows]
        return out


def _finding(data: dict[str, Any]) -> Finding:
    return Finding(**{**data,
                      "conclusions": tuple(ConclusionRecord(**c)
                                           for c in data.get("conclusions", ())),
                      "lines": tuple(int(n) for n in data.get("lines", ())),
                      "exhibits": tuple(data.get("exhibits", ())),
                      "rows": tuple(tuple(r) for r in data.get("rows", ())),
                      "evidence_rows": tuple(tuple(r) for r in data.get("evidence_rows", ())),
                      "causes": tuple(CauseRecord(**c) for c in data.get("causes", ())),
                      "corrections": tuple(CorrectionRecord(**c)
                                           for c in data.get("corrections", ()))})


def to_json_text(findings: list[Finding]) -> str:
    """``findings.json``: one finding per line, keys sorted (module docstring)."""
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    body = ",\n".join(dump(f.record()) for f in findings)
    return f'{{"version":{JSON_VERSION},"findings":[\n{body}\n]}}\n'


def from_json_text(text: str) -> list[Finding]:
    """``findings.json`` back as findings (the inverse of :func:`to_json_text`)."""
    payload = json.loads(text)
    if payload.get("version") != JSON_VERSION:
        raise ValueError(f"findings.json version {payload.get('version')!r}; this reader "
                         f"understands version {JSON_VERSION}")
    return [_finding(f) for f in payload.get("findings", [])]
