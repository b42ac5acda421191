"""Firm or debatable: whether the finding could go away under another fair reading.

A finding is **firm** when the printed numbers cannot all hold at the dates and scopes the
text gives them. It is **debatable**, with the first reason that applies, when

``reading``     a row is contradicted under one of two readings of a printed number that
                the transcription holds as likely as the other (``note.reading.as_likely``;
                a contradiction under the *likelier* reading stays firm, one under the less
                likely reading is not a contradiction at all);
``definition``  a figure fits the official value under another definition (PPP, members
                and observers: a cause test of :mod:`.causes` fits), so the two numbers may
                measure different things;
``undated``     it compares tellings of which at least one carries no year: they may
                describe different times (the text's "now" against a table's 2022);
``touching``    every numeric row has a gap of 0: the two rounding intervals touch, so a
                different rounding (truncation) of one true value would give both.

Otherwise it is firm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.findings.causes import DEFINITION_CAUSE, Cause
from analysis.findings.facts import Catalogue, RowFacts

FIRM, DEBATABLE = "firm", "debatable"
REASONS: tuple[str, ...] = ("reading", "definition", "undated", "touching")

__all__ = ["DEBATABLE", "FIRM", "Firmness", "REASONS", "judge"]


@dataclass(frozen=True)
class Firmness:
    level: str          # firm or debatable
    reason: str = ""    # a key of REASONS when debatable

    @property
    def firm(self) -> bool:
        return self.level == FIRM


def _undated(row: RowFacts, cat: Catalogue) -> bool:
    """An internal comparison of two or more figures, one of them without a year or a
    period."""
    return (not row.external and len(row.figures) >= 2
            and any(not cat.dated(f) for f in row.figures))


def _touching(rows: Sequence[RowFacts]) -> bool:
    """Every row's discrepancy is zero: the figures only touch at the edge of rounding."""
    gaps = [r.gap for r in rows if r.gap is not None]
    return bool(gaps) and all(g == 0 for g in gaps) and len(gaps) == len(rows)


def judge(rows: Sequence[RowFacts], causes: Sequence[Cause],
          cat: Catalogue | None = None) -> Firmness:
    """Firm, or debatable with the first reason of :data:`REASONS` that applies."""
    catalogue = cat or Catalogue()
    definitions = set(DEFINITION_CAUSE.values())
    tests = (
        ("reading", lambda: any(k == "note.reading.as_likely" for r in rows for k in r.notes)),
        ("definition", lambda: any(c.fits and c.key in definitions for c in causes)),
        ("undated", lambda: any(_undated(r, catalogue) for r in rows)),
        ("touching", lambda: _touching(rows)),
    )
    reason = next((name for name, applies in tests if applies()), None)
    return Firmness(FIRM) if reason is None else Firmness(DEBATABLE, reason)
